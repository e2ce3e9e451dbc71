import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statements.parsing import ParseError, parse_source


class Command(BaseCommand):
    help = (
        "Parse transcript files without touching the database: one JSON object per file "
        "per line (JSON Lines), in input order; {file, error} for a file that cannot be parsed."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--language", help="Force the language (e.g. en, ru).")

    def handle(self, *args, files, language, **options):
        failed = 0
        for path in files:
            record = {"file": str(path)}
            try:
                record |= parse_source(
                    path.read_bytes(), filename=path.name, language=language
                ).to_dict()
            except ParseError as error:
                record["error"] = str(error)
            except OSError as error:
                record["error"] = f"cannot read the file: {error.strerror}"
            failed += "error" in record
            self.stdout.write(json.dumps(record, ensure_ascii=False))
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be parsed", returncode=1)
