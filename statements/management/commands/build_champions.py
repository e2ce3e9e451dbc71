from django.core.management.base import BaseCommand

from statements import champions


class Command(BaseCommand):
    help = (
        "Make the champion lists anew: for every word in at least --min-statements statements, "
        "its --depth most relevant ones, which broad searches rank instead of every match. "
        "Imports keep the lists up to date; run this after large imports, so that words that "
        "became frequent get a list too (until then their searches are ranked exactly, slower)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--min-statements", type=int, default=champions.MIN_STATEMENTS)
        parser.add_argument("--depth", type=int, default=champions.DEPTH)
        parser.add_argument(
            "--trim",
            action="store_true",
            help="Only cut the lists that grew past their length (imports leave that to this: "
            "run it now and then, e.g. nightly).",
        )

    def handle(self, *args, min_statements, depth, trim, **options):
        if trim:
            self.stdout.write(f"{champions.trim(depth=depth)} champion list(s) cut.")
            return
        words = champions.rebuild(
            min_statements=min_statements, depth=depth, report=self.stdout.write
        )
        self.stdout.write(f"{words} frequent words, each with its champion lists.")
