import ctypes
import io
import logging
import math
import os
import signal
import sys
import time
import traceback
from concurrent.futures import CancelledError, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.util import Finalize
from pathlib import Path

from asgiref.local import Local
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections
from tqdm import tqdm

from statements import champions, importing, speakers
from statements.importing import DatabaseUnavailable, ImportItem, ImportResult, unavailable
from statements.languages import LANGUAGES
from statements.models import ImportRun
from statements.parsing import SUPPORTED_EXTENSIONS, ParseError, decode, parse_source

logger = logging.getLogger(__name__)


@dataclass
class Summary:
    files: int = 0
    transcripts: int = 0
    statements: int = 0
    new_speakers: int = 0
    duplicates: list[str] = field(default_factory=list)
    near_duplicates: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, path: Path, result: ImportResult) -> None:
        if result.near_duplicate:
            self.near_duplicates.append(
                f"{path}: {int(result.similarity * 100)} % of its words are those of "
                f"“{result.transcript.title}” ({result.transcript.get_absolute_url()}); "
                "--allow-near-duplicates imports it"
            )
            return
        if result.duplicate:
            self.duplicates.append(
                f"{path}: already imported as “{result.transcript.title}” "
                f"({result.transcript.get_absolute_url()})"
            )
            return
        self.transcripts += 1
        self.statements += result.statement_count
        self.new_speakers += len(result.new_speakers)


@dataclass
class Outcome:
    """What became of one file: its import's result, or why it failed."""

    path: Path
    position: int = 0  # in the import run's record
    result: ImportResult | None = None
    error: str = ""  # for the run's record: "line 3: no title", "DataError: value too long…"
    failure: str = ""  # for the summary: "a.txt:3: no title"
    traceback: str = ""  # of an unexpected error, shown with --traceback or -v 2

    @classmethod
    def of(cls, path: Path, position: int, result: ImportResult | Exception) -> "Outcome":
        """The outcome of a file saved (`result`), or stopped by the exception `result`."""
        if not isinstance(result, Exception):
            return cls(path, position, result)
        if isinstance(result, ParseError):
            where = (
                f"{path}:{result.line}: {result.message}" if result.line else f"{path}: {result}"
            )
            return cls(path, position, error=str(result), failure=where)
        reason = f"{type(result).__name__}: {result}"
        trace = "".join(traceback.format_exception(result))
        return cls(path, position, error=reason, failure=f"{path}: {reason}", traceback=trace)

    @classmethod
    def missing(cls, path: Path, position: int) -> "Outcome":
        reason = "no such file or folder"
        return cls(path, position, error=reason, failure=f"{path}: {reason}")


# Files per batch (one transaction): big enough that a batch's fixed queries cost little
# per statement, small enough that a batch that fails (and is then imported file by file)
# loses little. Towards the end the batches get smaller, down to MIN_BATCH_FILES, so that
# the workers finish at about the same time rather than one waiting for the other.
BATCH_FILES = 40
MIN_BATCH_FILES = 8
# The GIN pending list's merge takes about as long as a worker needs to import this many
# files: it is started that much before the end, in a worker, while the others finish.
MERGE_FILES = 30


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
        parser.add_argument(
            "--allow-near-duplicates",
            action="store_true",
            help="Import a transcript even when 95 %% or more of its words are those of one "
            "already in the archive (by default it is skipped and named in the summary).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Worker processes that parse and save batches of files, each with its own "
            "database connection, and connections that make the lists of new frequent words "
            "as the import ends (default: the number of CPUs; 1: all in this process, as "
            "also when called inside a transaction).",
        )

    def handle(self, *args, paths, dry_run, language, jobs, allow_near_duplicates, **options):
        if jobs < 1:
            raise CommandError("--jobs must be at least 1")
        files, missing = transcript_files(paths)
        summary = Summary(files=len(files))
        reading = Reading(language, allow_near_duplicates)
        try:
            self._import(summary, files, missing, jobs, reading, dry_run, options)
        except (DatabaseUnavailable, DatabaseError) as error:
            cause = unavailable(error)
            if not cause:
                raise
            # One line, no traceback: the cause, and what is saved (and in the run's record).
            count = summary.transcripts + getattr(error, "saved", 0)
            saved = f"{count} file(s) {'checked' if dry_run else 'saved'}"
            raise CommandError(f"import stopped: {cause}; {saved}", returncode=1) from None
        self._report(summary, dry_run)
        if summary.failures:
            raise CommandError(f"{len(summary.failures)} file(s) failed", returncode=1)

    def _import(self, summary, files, missing, jobs, reading, dry_run, options) -> None:
        # A dry run saves nothing, so it leaves no record either.
        run = None if dry_run else ImportRun.objects.create(via=ImportRun.Via.COMMAND)
        for position, path in enumerate(missing):
            self._add(summary, run, Outcome.missing(path, position), options)
        batches = in_batches(files, jobs)
        with self._importer(batches, jobs, reading, dry_run, run, len(missing)) as outcomes:
            progress = tqdm(
                total=len(files), unit="file", disable=not sys.stderr.isatty(), file=sys.stderr
            )
            for batch in outcomes:
                for outcome in batch:
                    self._add(summary, run, outcome, options)
                progress.update(len(batch))
            progress.close()
        if run is not None:
            self._clean_search_index(options)
            if summary.transcripts:
                self._settle(summary, jobs, options)

    @contextmanager
    def _importer(self, batches, jobs, reading, dry_run, run, start):
        """Each batch's outcomes, in order: from a pool of `jobs` worker processes, or from
        this process when one job is asked for, or there is one batch, or the caller's
        transaction is open (other connections could neither see into it nor join it).
        The files are recorded in `run` from position `start` on."""
        tasks = []
        for batch in batches:
            tasks.append((batch, reading, dry_run, run and run.pk, start))
            start += len(batch)
        if jobs == 1 or len(batches) == 1 or connection.in_atomic_block:
            importing.tune_for_bulk_import()
            yield (import_files(*task) for task in tasks)
            return
        connections.close_all()  # forked workers must not share this process's connection
        context = get_context("fork")  # the workers start with Django set up, at once
        pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        )
        with pool:
            # Submitting forks the workers, before the progress bar starts its thread.
            merge_at = None if dry_run else early_merge_before(batches, jobs)
            futures, merge = [], None
            for position, task in enumerate(tasks):
                if position == merge_at:
                    # Workers take tasks in the order submitted: the first one done with the
                    # batches before this one merges the search index's pending entries
                    # while the others import the last few, so that the merge which ends
                    # the import has little left to do and no core idles meanwhile.
                    merge = pool.submit(_merge_early)
                futures.append(pool.submit(import_files, *task))
            try:
                yield _in_order(futures)
            except BaseException:  # the import stops: no batch is started after this one
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            if merge is not None:
                merge.result()

    def _add(self, summary: Summary, run: ImportRun | None, outcome: Outcome, options) -> None:
        if outcome.result is None:
            summary.failures.append(outcome.failure)
            if outcome.traceback and (options["verbosity"] > 1 or options.get("traceback")):
                self.stderr.write(outcome.traceback)
        else:
            summary.add(outcome.path, outcome.result)
        if run is not None and outcome.result is None:
            # A file saved was recorded in the transaction that saved it; one that failed
            # saved nothing, and is recorded now.
            run.record(str(outcome.path), error=outcome.error, position=outcome.position)

    def _clean_search_index(self, options) -> None:
        started = time.perf_counter()
        try:
            pages = importing.clean_search_index()
        except DatabaseError as error:  # e.g. not the index's owner; the import itself stands
            self.stderr.write(f"search index: its pending list was not merged: {error}")
            return
        if options["verbosity"] > 1:
            self.stdout.write(
                f"search index: {pages} pending-list page(s) merged "
                f"in {time.perf_counter() - started:.2f} s"
            )

    def _settle(self, summary: Summary, jobs: int, options) -> None:
        """The speakers' counts for the lists counted again, and champion lists for the
        words that became frequent through this import, made on `jobs` connections (the
        other lists are up to date already: their trigger added the new statements;
        cutting those that grew is housekeeping for `build_champions --trim`, as finding
        them reads every entry)."""
        with self._timed("statistics refreshed", options) as said:
            said.extend(importing.refresh_statistics())
        with self._timed("speaker counts refreshed", options):
            speakers.refresh_stats()
        with self._timed("champion lists for new frequent words made", options) as said:
            words = champions.add_new_frequent_words(
                min_statements=champions.MIN_STATEMENTS,
                depth=champions.DEPTH,
                connections=jobs,
            )
            said.append(f"{words} word(s)")

    @contextmanager
    def _timed(self, what: str, options):
        started, said = time.perf_counter(), []
        yield said
        if options["verbosity"] > 1:
            details = f" ({', '.join(said)})" if said else ""
            self.stdout.write(f"{what}{details} in {time.perf_counter() - started:.2f} s")

    def _report(self, summary: Summary, dry_run: bool) -> None:
        verb = "would import" if dry_run else "imported"
        near = len(summary.near_duplicates)
        skipped = f"{len(summary.duplicates)} duplicate(s)" + (
            f" and {near} near duplicate(s)" if near else ""
        )
        self.stdout.write(
            f"{summary.files} file(s): {verb} {summary.transcripts} transcript(s) with "
            f"{summary.statements} statement(s) and {summary.new_speakers} new speaker(s); "
            f"{skipped} skipped; {len(summary.failures)} failed."
        )
        for line in summary.duplicates:
            self.stdout.write(f"  skipped  {line}")
        for line in summary.near_duplicates:
            self.stdout.write(f"  skipped  {line}")
        for line in summary.failures:
            self.stderr.write(f"  FAILED   {line}")


@dataclass(frozen=True)
class Reading:
    """How the files are read: their language (None: detected), and whether a near
    duplicate of an archived transcript is imported."""

    language: str | None = None
    allow_near_duplicates: bool = False


def import_files(
    paths: list[Path], reading: Reading, dry_run: bool, run_id: int | None, start: int
) -> list[Outcome]:
    """Parse `paths` and save those that parse in one batch (`importing.import_each`: a
    batch the database refuses is saved file by file), recorded in the run `run_id` from
    position `start` on. A worker's task, or this process's."""
    run = ImportRun(pk=run_id) if run_id else None  # only its id is needed to record
    read = [_read(path, reading, start + index) for index, path in enumerate(paths)]
    items = [each for each in read if isinstance(each, ImportItem)]
    saved = iter(importing.import_each(items, dry_run=dry_run, run=run))
    return [
        Outcome.of(path, start + index, next(saved) if isinstance(each, ImportItem) else each)
        for index, (path, each) in enumerate(zip(paths, read, strict=True))
    ]


def _read(path: Path, reading: Reading, position: int) -> ImportItem | Exception:
    try:
        text = decode(path.read_bytes())
        parsed = parse_source(text, filename=path.name, language=reading.language)
        return ImportItem(
            parsed,
            text,
            name=str(path),
            position=position,
            allow_near_duplicate=reading.allow_near_duplicates,
        )
    except Exception as error:  # one bad file must not stop the others; say what broke
        return error


def _in_order(futures):
    """The futures' results in order. When the database stops, the batches not started are
    cancelled and those under way awaited, so that every file saved is counted: then
    DatabaseUnavailable is raised, with the files saved that were not yielded."""
    stop = None
    for future in futures:
        try:
            batch = future.result()
        except CancelledError:
            continue
        except Exception as error:
            cause = unavailable(error)
            if not cause:
                raise
            if stop is None:
                for waiting in futures:
                    waiting.cancel()
                stop = DatabaseUnavailable(cause)
            stop = stop.plus(getattr(error, "saved", 0))
            continue
        if stop is None:
            yield batch
        else:  # saved after the stop began: counted, not reported one by one
            stop = stop.plus(
                sum(1 for outcome in batch if outcome.result and outcome.result.created)
            )
    if stop is not None:
        raise stop


def _merge_early() -> None:
    """A worker's task: merge what is pending in the search index so far. Should it fail,
    the merge that ends the import says why."""
    with suppress(DatabaseError):  # the final merge meets the same error and reports it
        importing.clean_search_index()


# The database connections a forked worker inherited: kept, never used nor closed.
_INHERITED: list = []


def _start_worker(parent: int) -> None:
    _die_with(parent)
    # What a library prints in a worker goes to the log, not the terminal: the worker's
    # results and errors reach the parent, which reports them (psycopg2 prints an error it
    # could not raise when the server goes away during a COPY).
    sys.stderr = _LogWriter()
    # A forked worker must neither use nor close a connection it inherited: its socket is
    # the parent's, and closing it would end the parent's session. The parent closes its
    # current connections before forking, but Django keeps connections per thread and per
    # context (a test process running a browser through greenlets has others), so the
    # worker starts with none of its own and keeps the inherited objects out of the way;
    # a worker ends with os._exit, which finalizes nothing.
    _INHERITED.append(connections._connections)
    connections._connections = Local(connections.thread_critical)
    importing.tune_for_bulk_import()
    # Close the connection as the worker exits, rather than leave PostgreSQL to find it gone.
    Finalize(None, connections.close_all, exitpriority=10)


class _LogWriter(io.TextIOBase):
    """A text stream whose lines go to the log, at debug level."""

    def write(self, text: str) -> int:
        if text.strip():
            logger.debug("worker %s: %s", os.getpid(), text.rstrip())
        return len(text)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """End this worker when its parent process dies, however it dies (kill -9 included):
    the pool's queues would otherwise keep it waiting forever, holding its database
    connection. On Linux the kernel sends the signal (prctl); the parent may have died
    before it was asked to, which the parent's pid tells."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def in_batches(files: list[Path], jobs: int) -> list[list[Path]]:
    """`files` in batches, in order: BATCH_FILES at most, and each at most a 1/(2 × jobs)
    share of the files left — but no fewer than MIN_BATCH_FILES — so that they get smaller
    towards the end."""
    batches, start = [], 0
    while start < len(files):
        share = math.ceil((len(files) - start) / (2 * jobs))
        size = min(BATCH_FILES, max(MIN_BATCH_FILES, share))
        batches.append(files[start : start + size])
        start += size
    return batches


def early_merge_before(batches: list[list[Path]], jobs: int) -> int | None:
    """Where, among `batches`, the pending list's merge is best queued: before the last
    batches, which hold MERGE_FILES for each other worker; None when there are too few
    batches for the merge to overlap them."""
    files_after = 0
    for position in range(len(batches) - 1, 0, -1):
        files_after += len(batches[position])
        if files_after >= MERGE_FILES * (jobs - 1):
            return position
    return None


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
