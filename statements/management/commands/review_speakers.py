import time

from django.core.management.base import BaseCommand

from statements import reviews


class Command(BaseCommand):
    help = (
        "Compare every speaker in the archive with the others, as imports do, and put the "
        "pairs likely to be one person in the editors' review queue (Speakers to review). "
        "Pairs already queued, or found different people, are left as they are."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        found = reviews.scan()
        self.stdout.write(
            f"Scanned {found.speakers} speakers in {time.monotonic() - started:.1f} s: "
            f"{found.pairs} likely pair(s), {found.queued} newly queued."
        )
