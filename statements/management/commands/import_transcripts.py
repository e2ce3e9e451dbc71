import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from statements.importing import ImportResult, import_source
from statements.languages import LANGUAGES
from statements.models import ImportRun
from statements.parsing import SUPPORTED_EXTENSIONS, ParseError


@dataclass
class Summary:
    files: int = 0
    transcripts: int = 0
    statements: int = 0
    new_speakers: int = 0
    duplicates: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, path: Path, result: ImportResult) -> None:
        if result.duplicate:
            self.duplicates.append(
                f"{path}: already imported as “{result.transcript.title}” "
                f"({result.transcript.get_absolute_url()})"
            )
            return
        self.transcripts += 1
        self.statements += result.statement_count
        self.new_speakers += len(result.new_speakers)


SAVE_EVERY = 100  # files between two saves of the import run's record


class Command(BaseCommand):
    help = (
        "Import transcripts from files and folders (folders recursively: "
        f"{', '.join(sorted(SUPPORTED_EXTENSIONS))}). Each file is saved whole or not at all; "
        "exits with status 1 if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and check everything, save nothing."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _ in LANGUAGES],
            help="Language of every file (default: detected per file).",
        )

    def handle(self, *args, paths, dry_run, language, **options):
        files, missing = transcript_files(paths)
        summary = Summary(
            files=len(files), failures=[f"{path}: no such file or folder" for path in missing]
        )
        # A dry run saves nothing, so it leaves no record either.
        run = None if dry_run else ImportRun.objects.create(via=ImportRun.Via.COMMAND)
        for path in missing:
            self._record(run, path, error="no such file or folder")
        progress = tqdm(files, unit="file", disable=not sys.stderr.isatty(), file=sys.stderr)
        for path in progress:
            progress.set_postfix_str(path.name[-40:], refresh=False)
            self._import_one(
                path, summary, run, dry_run=dry_run, language=language, options=options
            )
        progress.close()
        if run is not None:
            run.save()
        self._report(summary, dry_run)
        if summary.failures:
            raise CommandError(f"{len(summary.failures)} file(s) failed", returncode=1)

    def _import_one(self, path, summary, run, *, dry_run, language, options):
        try:
            result = import_source(
                path.read_bytes(), filename=path.name, language=language, dry_run=dry_run
            )
        except ParseError as error:
            summary.failures.append(
                f"{path}:{error.line}: {error.message}" if error.line else f"{path}: {error}"
            )
            self._record(run, path, error=str(error))
        except Exception as error:  # one bad file must not stop the others; say what broke
            summary.failures.append(f"{path}: {type(error).__name__}: {error}")
            self._record(run, path, error=f"{type(error).__name__}: {error}")
            if options["verbosity"] > 1 or options.get("traceback"):
                self.stderr.write(traceback.format_exc())
        else:
            summary.add(path, result)
            self._record(run, path, result)

    def _record(self, run: ImportRun | None, path: Path, result=None, *, error=""):
        if run is not None:
            # Saving the run's file list after every file would cost O(files²) on a
            # 26,000-file import; every SAVE_EVERY files, and at the end, is enough.
            run.record(str(path), result, error=error, save=len(run.files) % SAVE_EVERY == 0)

    def _report(self, summary: Summary, dry_run: bool) -> None:
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{summary.files} file(s): {verb} {summary.transcripts} transcript(s) with "
            f"{summary.statements} statement(s) and {summary.new_speakers} new speaker(s); "
            f"{len(summary.duplicates)} duplicate(s) skipped; {len(summary.failures)} failed."
        )
        for line in summary.duplicates:
            self.stdout.write(f"  skipped  {line}")
        for line in summary.failures:
            self.stderr.write(f"  FAILED   {line}")


# A folder's own documentation is not a transcript.
NOT_TRANSCRIPTS = {"readme", "license", "licence", "changelog", "notice"}


def transcript_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(files to import, paths that do not exist). Folders are walked recursively, in name
    order, for the supported extensions, skipping README and LICENSE files; a file named
    explicitly is taken whatever its name."""
    files, missing = [], []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and p.stem.lower() not in NOT_TRANSCRIPTS
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing
