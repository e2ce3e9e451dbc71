from django.core.management.base import BaseCommand

from statements import dumps


class Command(BaseCommand):
    help = (
        "Write the whole archive as gzip-compressed JSON Lines (topics, speakers, transcripts "
        "with their source and licence, statements with their permanent ids) into the dump "
        "folder (var/dumps/), where /dumps/ offers the newest for download. The last three "
        "are kept. Run it from cron, e.g. nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="Prefix for the permalinks in the dump, e.g. https://statements.example.org "
            "(default: paths only).",
        )

    def handle(self, *args, base_url, **options):
        written = dumps.write_dump(base_url=base_url.rstrip("/"))
        self.stdout.write(f"Wrote {written.path} ({written.size:,} bytes).")
