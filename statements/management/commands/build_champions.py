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

    def handle(self, *args, min_statements, depth, **options):
        words = champions.rebuild(
            min_statements=min_statements, depth=depth, report=self.stdout.write
        )
        self.stdout.write(f"{words} champion lists of up to {depth} statements each.")
