import time

from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from statements import embedder, embeddings, vectors


class Command(BaseCommand):
    help = (
        "Embed the statements that have no vector of the current model yet (multilingual "
        "sentence vectors, for search by meaning), and align linked language versions not "
        "aligned yet. Resumable: each batch is saved as it is done. With --watch, keep "
        "doing so as imports add statements."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--watch",
            action="store_true",
            help="Run until stopped, looking for new statements every --interval seconds.",
        )
        parser.add_argument("--interval", type=float, default=5.0)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, watch, interval, no_progress, **options):
        if not vectors.install(connection):
            self.stderr.write(
                "The database has no pgvector extension: vectors are stored, and search "
                "by meaning is unavailable until it has."
            )
        self.stdout.write(f"Model: {embeddings.MODEL}")
        while True:
            embedded = self._embed(no_progress or watch)
            aligned = embedder.align_pending()
            if embedded or aligned or not watch:
                self.stdout.write(
                    f"{embedded} statement(s) embedded, {aligned} version pair(s) aligned."
                )
            if not watch:
                return
            time.sleep(interval)

    def _embed(self, quiet: bool) -> int:
        total = embedder.pending().count()
        if not total:
            return 0
        with tqdm(total=total, unit="statement", disable=quiet, file=self.stderr) as bar:
            return embedder.embed_pending(progress=bar.update)
