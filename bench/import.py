#!/usr/bin/env python3
"""How many statements per second does `manage.py import_transcripts` save, and where
does the time go?

Usage:
    DATABASE_URL=postgres://… .venv/bin/python bench/import.py [--files N]
        [--statements-per-file M] [--jobs J …] [--seed S] [--profile-files K] [--floor]
        [--keep]

Meant for a database that already holds a corpus (bench/make_corpus.py), with the GIN
index in place, as a real archive's imports are.

1. Writes N plain-text transcripts of M statements each for every import measured (each
   import needs texts new to the database), under var/bench-import/<seed>/, in mid.ru's
   layout, the seed transcript's (`28 January 201913:56`, a title naming the speaker, the
   language switch, then `Question: …` / `Sergey Lavrov: …` paragraphs), 30 % of them in
   Russian (`Вопрос: …` / `С.В.Лавров: …`). The paragraphs, speakers and titles come from
   bench/make_corpus.py's generator, less any paragraph the parser would read as a label
   or as site furniture, so that each file holds exactly M statements.
2. Parse only: `parse_source` on every file in this process (no Django, no database): the
   parser's speed on one core.
3. Import: `manage.py import_transcripts -v 2 [--jobs J] FOLDER` as a subprocess, once
   with the command's default --jobs (the number of CPUs) and once with --jobs 1 (or the
   --jobs values given). Statements/s = statements imported / (the command's wall time
   less manage.py's start-up, timed on an empty folder). The wall time includes the GIN
   pending-list clean the command ends with; its own time is printed from the command's
   report. Checks that the database gained exactly N×M statements and that the pending
   list is empty afterwards. CPU per statement, without manage.py's start-up: of the
   command and its workers, and — when the server runs on this machine and its processes
   can be read — of the database's PostgreSQL sessions meanwhile (sampled every 50 ms).
4. Profile (unless --profile-files 0): `python -m cProfile manage.py import_transcripts
   --jobs 1` on K more files, summarised by the import's steps, with the time spent
   waiting for PostgreSQL (psycopg2's execute, copy_expert and commit).
5. With --floor, the database's floor: the same number of statements COPYed into the
   loaded table with every index in place, in a transaction that is rolled back, with
   the GIN index's fastupdate on (the default) and off.

Everything imported is deleted again at the end (transcripts, statements, tags, import
runs and speakers the imports created), so the corpus stays as make_corpus.py left it;
--keep keeps it.
"""

import argparse
import contextlib
import datetime as dt
import io
import os
import pstats
import random
import re
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2

# Run as a script: make_corpus is imported from beside this file, and it puts the
# project on sys.path for the statements imports after it.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus

from statements.parsing import decode, labels, names, parse_source
from statements.parsing.plaintext import END_OF_BODY, FURNITURE, LANGUAGE_SWITCH

BASE_DIR = make_corpus.BASE_DIR
OUTPUT = BASE_DIR / "var" / "bench-import"
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
GIN_INDEX = "statement_search_gin"
SUMMARY_PREFIX = "file(s): imported"
# The command's report of its last step (-v 2): "search index: 12 pending-list page(s)
# merged in 0.31 s".
CLEAN_REPORT = re.compile(r"search index: (\d+) pending-list page\(s\) merged in ([\d.]+) s")


# ---------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------
def safe_pool(pool: dict, cast: make_corpus.Cast) -> dict:
    """The pool less the paragraphs that would not stay one paragraph of one statement in
    a plain-text file: those the parser reads as a speaker's label ("Source: PMO…", "Q …",
    a known surname and a colon) or as site furniture."""
    surnames = {
        names.surname_stem(names.surname(name))
        for spec in cast.speakers
        for name in (spec.name, spec.cyrillic)
    }

    def keep(paragraph: tuple[str, int]) -> bool:
        text = paragraph[0].strip()
        lowered = text.casefold()
        if lowered in FURNITURE or lowered in END_OF_BODY or LANGUAGE_SWITCH.match(text):
            return False
        return "\n" not in text and labels.match_label(text, surnames) is None

    def filtered(source: make_corpus.Source) -> make_corpus.Source:
        return make_corpus.Source(
            [p for p in source.speech if keep(p)], [p for p in source.questions if keep(p)]
        )

    return {
        language: make_corpus.Language.of([filtered(source) for source in paragraphs.sources])
        for language, paragraphs in pool.items()
    }


def write_files(generator, folder: Path, files: int, statements: int, first: int) -> int:
    """`files` transcripts of `statements` statements in `folder`; how many statements."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"import-plan:{generator.seed}:{first}")
    for number in range(first, first + files):
        language = "ru" if rng.random() < make_corpus.RUSSIAN_SHARE else "en"
        date = make_corpus.random_date(rng)
        transcript = generator.transcript(number, statements, date, language)
        path = folder / f"{number:06d}.{language}.txt"
        path.write_text(make_corpus.render_mid_ru(transcript), encoding="utf-8")
    return files * statements


# ---------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------


@dataclass
class Parsed:
    files: int
    statements: int
    unattributed: int  # answers and remarks the parser could not give a speaker
    seconds: float


def parse_only(folder: Path) -> Parsed:
    """decode + parse_source of every file, in this process: the parser's own speed."""
    paths = sorted(folder.glob("*.txt"))
    started = time.perf_counter()
    parsed = [parse_source(decode(path.read_bytes()), filename=path.name) for path in paths]
    seconds = time.perf_counter() - started
    statements = [s for transcript in parsed for s in transcript.statements]
    unattributed = sum(1 for s in statements if s.kind != "question" and not s.speaker)
    return Parsed(len(paths), len(statements), unattributed, seconds)


@dataclass
class Run:
    seconds: float  # wall
    stdout: str
    client_cpu: float  # the command and its workers
    server_cpu: float | None  # the database's sessions; None: not measurable here


class SessionsCPU:
    """CPU time of the PostgreSQL sessions of the benchmark's database while a command
    runs: every 50 ms, the sessions pg_stat_activity lists and their CPU in /proc — possible
    only when the server runs on this machine and its processes can be read. A session's
    last 50 ms may be missed."""

    def __init__(self, url: str):
        self.url = url
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float | None:
        return sum(self.seen.values()) if self.seen else None

    def _sample(self) -> None:
        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        with conn.cursor() as cursor:
            while not self._stop.is_set():
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                for (pid,) in cursor.fetchall():
                    cpu = _process_cpu(pid)
                    if cpu is not None:
                        self.seen[pid] = max(self.seen.get(pid, 0.0), cpu)
                self._stop.wait(0.05)
        conn.close()


def _process_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def run_command(arguments: list[str], database_url: str, sessions: bool = False) -> Run:
    """Run a manage.py command against `database_url`: wall time, output and CPU (with
    `sessions`, of the database's PostgreSQL sessions meanwhile too)."""
    environment = dict(os.environ, DATABASE_URL=database_url)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with SessionsCPU(database_url) if sessions else contextlib.nullcontext() as sampler:
        started = time.perf_counter()
        result = subprocess.run(arguments, env=environment, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(arguments[:4])}… failed:\n{result.stdout}\n{result.stderr}")
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = sum(
        getattr(client_after, name) - getattr(client_before, name)
        for name in ("ru_utime", "ru_stime")
    )
    return Run(seconds, result.stdout, client, sampler.seconds if sampler else None)


def statement_count(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM statements_statement")
        return cursor.fetchone()[0]


def clean_pending_list(conn) -> tuple[int, float]:
    """(pending-list pages moved into the GIN index, seconds)."""
    with conn.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN_INDEX])
        pages = cursor.fetchone()[0]
    return pages, time.perf_counter() - started


@dataclass
class Imported:
    label: str
    statements: int
    run: Run
    clean_pages: int
    clean_seconds: float
    left_pending: int  # pages still pending after the command: should be 0


def timed_import(conn, folder: Path, expected: int, url: str, jobs: int | None) -> Imported:
    """Import `folder` with the command; check the database gained `expected` statements
    and that the command left the GIN pending list empty."""
    before = statement_count(conn)
    options = [] if jobs is None else ["--jobs", str(jobs)]
    command = [*MANAGE, "import_transcripts", "-v", "2", *options, str(folder)]
    run = run_command(command, url, sessions=True)
    gained = statement_count(conn) - before
    if gained != expected:
        sys.exit(f"{folder}: the database gained {gained:,} statements, {expected:,} expected")
    clean = CLEAN_REPORT.search(run.stdout)
    if clean is None:
        sys.exit(f"the command did not report its pending-list clean:\n{run.stdout}")
    left, _ = clean_pending_list(conn)
    label = f"--jobs {jobs}" if jobs else f"default --jobs ({os.cpu_count()} CPUs)"
    return Imported(label, gained, run, int(clean[1]), float(clean[2]), left)


def print_import(imported: Imported, startup: Run, files: int) -> None:
    """The import's rate and CPU, both without manage.py's start-up."""
    run, statements = imported.run, imported.statements
    seconds = run.seconds - startup.seconds
    client = run.client_cpu - startup.client_cpu
    summary = [line for line in run.stdout.splitlines() if SUMMARY_PREFIX in line]
    print(f"import_transcripts, {imported.label}: {summary[0] if summary else ''}")
    print_rate("    whole command", statements, run.seconds)
    print_rate("    without start-up (the measure)", statements, seconds)
    print(
        f"    of which the pending-list merge ending the command: {imported.clean_pages} pages in "
        f"{imported.clean_seconds:.2f} s; pages left pending after: {imported.left_pending}"
    )
    cpu = f"    CPU per statement: command and workers {client / statements * 1e6:.0f} µs"
    if run.server_cpu is not None:
        cpu += f", PostgreSQL sessions {run.server_cpu / statements * 1e6:.0f} µs"
        cpu += f" ({(client + run.server_cpu) / seconds:.2f} CPUs busy on average)"
    print(cpu + f"; {seconds / files * 1000:.1f} ms per file")


# ---------------------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------------------

# (label, file name ending, function name): the import's steps, in call order.
PROFILED_STEPS = [
    ("files read, parsed and saved", "commands/import_transcripts.py", "import_files"),
    ("  parse_source (parser)", "statements/parsing/__init__.py", "parse_source"),
    ("  files with new speakers told", "statements/importing.py", "_by_new_speakers"),
    ("  import_batch (one transaction)", "statements/importing.py", "import_batch"),
    ("    hashes, duplicate check", "statements/importing.py", "_results"),
    ("    speakers: look-up", "statements/importing.py", "__init__"),
    ("    speakers: attribution", "statements/importing.py", "attribute"),
    ("    new speakers inserted", "statements/importing.py", "save_new"),
    ("    transcript slugs", "statements/importing.py", "_unique_slugs"),
    ("    statements: COPY", "statements/importing.py", "_insert_statements"),
    ("      COPY lines built", "statements/importing.py", "_statement_rows"),
    ("    topic tagging", "statements/topics.py", "tag_new_statements"),
    ("    known speakers' spellings, roles", "statements/importing.py", "save_learnt"),
    ("    commit", "django/db/backends/base/base.py", "commit"),
    ("ImportRun.record", "statements/models.py", "record"),
    ("pending-list merge", "statements/importing.py", "clean_search_index"),
]


def profile_import(folder: Path, url: str, files: int) -> None:
    """cProfile the command (--jobs 1) on `folder` and print where its time goes."""
    output = folder.parent / "import.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(output), str(BASE_DIR / "manage.py")]
    run = run_command([*command, "import_transcripts", "--jobs", "1", str(folder)], url)
    stats = pstats.Stats(str(output)).stats
    print(f"  profiled import of {files} files (--jobs 1): {run.seconds:.1f} s under cProfile")
    print(f"  {'step':<46} {'calls':>8} {'cumulative':>11} {'per file':>10}")
    for label, filename, function in PROFILED_STEPS:
        calls, cumulative = _cumulative(stats, filename, function)
        print(f"  {label:<46} {calls:>8} {cumulative:>9.2f} s {cumulative / files * 1000:>7.1f} ms")
    _print_database_calls(stats, files)
    print(f"  (pstats file: {output}; e.g. python -m pstats {output})")


def _cumulative(stats: dict, filename: str, function: str) -> tuple[int, float]:
    calls, cumulative = 0, 0.0
    for (path, _line, name), (_, total_calls, _, cum, _) in stats.items():
        if name == function and path.endswith(filename):
            calls, cumulative = calls + total_calls, cumulative + cum
    return calls, cumulative


def _print_database_calls(stats: dict, files: int) -> None:
    """Time spent waiting for PostgreSQL: psycopg2's execute, copy_expert and commit."""
    for (_, _, name), (_, calls, own, _, _) in stats.items():
        for method, what in (
            ("execute", "SQL statements"),
            ("copy_expert", "COPYs"),
            ("commit", "commits"),
        ):
            if "psycopg2.extensions" in name and f"'{method}'" in name:
                print(
                    f"  {what + ' (psycopg2: time in PostgreSQL)':<46} {calls:>8} {own:>9.2f} s "
                    f"{own / files * 1000:>7.1f} ms   ({calls / files:.1f} per file)"
                )


# ---------------------------------------------------------------------------------------
# Clean-up: leave the corpus as it was
# ---------------------------------------------------------------------------------------


# The database's foreign keys do not cascade (Django emulates on_delete), so the rows that
# point at the imported transcripts, statements and speakers go first; they are checked
# at commit (DEFERRABLE INITIALLY DEFERRED), so the order within the transaction is free.
# What was imported is what arrived since the benchmark started (imported_at, created_at):
# this database is the benchmark's own.
CLEAN_UP = [
    "CREATE TEMP TABLE bench_runs AS SELECT id FROM statements_importrun "
    "WHERE started_at >= to_timestamp(%(since)s)",
    "CREATE TEMP TABLE bench_transcripts AS SELECT id FROM statements_transcript "
    "WHERE imported_at >= to_timestamp(%(since)s)",
    "CREATE TEMP TABLE bench_statements AS SELECT id FROM statements_statement "
    "WHERE transcript_id IN (SELECT id FROM bench_transcripts)",
    "DELETE FROM statements_statementtopic WHERE statement_id IN (SELECT id FROM bench_statements)",
    "DELETE FROM statements_topicremoval WHERE statement_id IN (SELECT id FROM bench_statements)",
    "DELETE FROM statements_statement WHERE id IN (SELECT id FROM bench_statements)",
    "DELETE FROM statements_importrun_transcripts WHERE importrun_id IN "
    "(SELECT id FROM bench_runs) OR transcript_id IN (SELECT id FROM bench_transcripts)",
    "DELETE FROM statements_transcript_topics WHERE transcript_id IN "
    "(SELECT id FROM bench_transcripts)",
    "DELETE FROM statements_transcript WHERE id IN (SELECT id FROM bench_transcripts)",
    "DELETE FROM statements_importrun WHERE id IN (SELECT id FROM bench_runs)",
    "CREATE TEMP TABLE bench_speakers AS SELECT id FROM statements_speaker s "
    "WHERE created_at >= to_timestamp(%(since)s) "
    "AND NOT EXISTS (SELECT 1 FROM statements_statement WHERE speaker_id = s.id)",
    "DELETE FROM statements_speakeralias WHERE speaker_id IN (SELECT id FROM bench_speakers) "
    "OR id > %(last_alias)s",  # and the spellings the imports added to known speakers
    "DELETE FROM statements_speaker WHERE id IN (SELECT id FROM bench_speakers)",
]


def last_alias(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM statements_speakeralias")
        return cursor.fetchone()[0]


def remove_imported(url: str, since: float, alias: int) -> None:
    """Delete what the imports since `since` (epoch seconds) added, aliases after `alias`
    included, and vacuum: the corpus is left as make_corpus.py made it (this server runs
    without autovacuum)."""
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cursor:
        counts = []
        for sql in CLEAN_UP:
            cursor.execute(sql, {"since": since, "last_alias": alias})
            counts.append(cursor.rowcount)
    conn.autocommit = True
    started = time.perf_counter()
    with conn.cursor() as cursor:
        for table in (
            "statements_statement",
            "statements_transcript",
            "statements_statementtopic",
            "statements_champion",
        ):
            # INDEX_CLEANUP ON: with few dead rows VACUUM would leave them in the indexes.
            cursor.execute(f"VACUUM (ANALYZE, INDEX_CLEANUP ON) {table}")
        cursor.execute("REFRESH MATERIALIZED VIEW statements_speakerstats")
    conn.close()
    print(
        f"removed {counts[1]:,} imported transcripts ({counts[2]:,} statements), "
        f"{counts[0]} import runs and {counts[-1]} new speakers; "
        f"VACUUM {time.perf_counter() - started:.1f} s"
    )


# ---------------------------------------------------------------------------------------
# The database's floor: COPY with every index in place
# ---------------------------------------------------------------------------------------


def copy_floor(url: str, generator, statements: int, per_file: int) -> None:
    """What PostgreSQL alone needs to insert statements into the loaded table with every
    index in place (to_tsvector, heap, b-trees, the GIN index): one COPY of generated
    transcripts in one transaction, timed, then rolled back; once as the index is (GIN
    fastupdate on: a pending list, flushed when it passes 4 MB), once with fastupdate
    off (set inside the transaction, so rolled back too)."""
    make_corpus.setup_django(url)  # transcript_line uses the import service's content hash
    for fastupdate in (True, False):
        copied, flushed = _timed_copy(url, generator, statements, per_file, fastupdate)
        label = "COPY, all indexes in place" + ("" if fastupdate else ", GIN fastupdate off")
        print_rate(label, statements, copied)
        if fastupdate:
            print_rate("    and the GIN pending list flushed", statements, flushed)


def _timed_copy(url, generator, statements, per_file, fastupdate) -> tuple[float, float]:
    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT max(id) FROM statements_transcript), "
            "(SELECT max(id) FROM statements_statement)"
        )
        first_ids = cursor.fetchone()
        transcripts, rows = _floor_lines(generator, statements, per_file, *first_ids, fastupdate)
        if not fastupdate:
            cursor.execute(f"ALTER INDEX {GIN_INDEX} SET (fastupdate = off)")
        started = time.perf_counter()
        cursor.copy_expert(make_corpus.COPY_TRANSCRIPTS, io.StringIO(transcripts))
        cursor.copy_expert(make_corpus.COPY_STATEMENTS, io.StringIO(rows))
        copied = time.perf_counter() - started
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN_INDEX])
        flushed = time.perf_counter() - started
    conn.rollback()
    conn.close()
    return copied, flushed


def _floor_lines(generator, statements, per_file, transcript_id, statement_id, variant):
    rng = random.Random(f"floor:{generator.seed}:{variant}")  # new texts for each COPY
    now = dt.datetime.now(dt.UTC).isoformat()
    transcripts, rows = [], []
    for number in range(statements // per_file):
        language = "ru" if rng.random() < make_corpus.RUSSIAN_SHARE else "en"
        planned = make_corpus.Planned(
            (11_000_000 if variant else 10_000_000) + number,  # indexes no other run uses
            transcript_id + 1 + number,
            statement_id + 1 + number * per_file,
            per_file,
            make_corpus.random_date(rng),
            language,
        )
        transcript = generator.transcript(planned.index, per_file, planned.date, language)
        transcripts.append(make_corpus.transcript_line(planned, transcript, now))
        rows.append(make_corpus.statement_lines(planned, transcript))
    return "".join(transcripts), "".join(rows)


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--statements-per-file", type=int, default=30)
    parser.add_argument(
        "--jobs",
        type=int,
        nargs="+",
        help="--jobs values to measure, one import each (default: the command's default, and 1)",
    )
    parser.add_argument("--seed", type=int, default=int(time.time()), help="default: now")
    parser.add_argument("--profile-files", type=int, default=100, help="0: no profile")
    parser.add_argument("--floor", action="store_true", help="also measure the COPY floor")
    parser.add_argument("--keep", action="store_true", help="keep what was imported")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL (a benchmark database)")
    return args


def print_rate(label: str, statements: int, seconds: float) -> None:
    per_second = statements / seconds
    print(f"{label:<52} {statements:>8,} statements {seconds:>7.2f} s {per_second:>7,.0f} /s")


@dataclass
class Folders:
    imports: list[Path]  # one per --jobs value measured
    profile: Path


def prepare_files(args, jobs: list) -> tuple[Folders, make_corpus.Generator]:
    """Write every folder the run imports; each file is new to the database (the seed,
    by default the time, and the file numbers make the texts differ from earlier runs')."""
    pool = make_corpus.build_pool(1)
    cast = make_corpus.make_cast(2000, 1)  # make_corpus's speakers: most are known already
    generator = make_corpus.Generator(safe_pool(pool, cast), cast, args.seed)
    root = OUTPUT / str(args.seed)
    folders = Folders([root / f"import-{index}" for index in range(len(jobs))], root / "profile")
    files, per_file = args.files, args.statements_per_file
    started = time.perf_counter()
    for index, folder in enumerate(folders.imports):
        write_files(generator, folder, files, per_file, index * files)
    write_files(generator, folders.profile, args.profile_files, per_file, len(jobs) * files)
    print(f"wrote the files under {root} in {time.perf_counter() - started:.1f} s")
    return folders, generator


def measure_parsing(folder: Path, expected: int) -> None:
    parsed = parse_only(folder)
    if parsed.statements != expected:
        sys.exit(f"the parser found {parsed.statements:,} statements, {expected:,} written")
    print_rate("parse only, in process (decode + parse_source)", parsed.statements, parsed.seconds)
    print(
        f"    {parsed.seconds / parsed.files * 1000:.2f} ms per file; answers/remarks "
        f"without a resolved speaker: {parsed.unattributed}"
    )


def main() -> None:
    args = parse_args()
    since = time.time()
    jobs = args.jobs or [None, 1]
    folders, generator = prepare_files(args, jobs)
    empty = folders.profile.parent / "empty"
    empty.mkdir(exist_ok=True)
    startup = run_command(
        [*MANAGE, "import_transcripts", "--dry-run", str(empty)], args.database_url
    )
    print(f"start-up of manage.py (import of an empty folder): {startup.seconds:.2f} s")
    expected = args.files * args.statements_per_file
    measure_parsing(folders.imports[0], expected)
    conn = psycopg2.connect(args.database_url)
    conn.autocommit = True
    print(f"database holds {statement_count(conn):,} statements")
    alias = last_alias(conn)
    for folder, job in zip(folders.imports, jobs, strict=True):
        imported = timed_import(conn, folder, expected, args.database_url, job)
        print_import(imported, startup, args.files)
    if args.profile_files:
        profile_import(folders.profile, args.database_url, args.profile_files)
    if args.floor:
        copy_floor(args.database_url, generator, expected, args.statements_per_file)
    conn.close()
    if not args.keep:
        remove_imported(args.database_url, since, alias)


if __name__ == "__main__":
    main()
