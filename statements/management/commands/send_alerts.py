from django.conf import settings
from django.core.management.base import BaseCommand

from statements.alerts import service


class Command(BaseCommand):
    help = (
        "Mail each confirmed alert's subscriber the statements new since their last mail, "
        "grouped by transcript, with permalinks and a one-click unsubscribe link. Run it from "
        "cron (e.g. hourly). Links start with SITE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=None, help="Default: the SITE_URL setting.")

    def handle(self, *args, base_url, **options):
        mailed = service.send_alerts((base_url or settings.SITE_URL).rstrip("/"))
        statements = sum(len(sent.statements) for sent in mailed)
        self.stdout.write(f"{len(mailed)} alert mail(s) sent, {statements} statement(s).")
