#!/usr/bin/env python3
"""How many statements per second does `manage.py import_transcripts` save, and where
does the time go?

Usage:
    DATABASE_URL=postgres://… .venv/bin/python bench/import.py [--files N]
        [--statements-per-file M] [--small-statements m] [--seed S] [--profile-files K]
        [--no-variants] [--keep]

Meant for a database that already holds a corpus (bench/make_corpus.py), with the GIN
index in place, as a real archive's imports are.

1. Writes N plain-text transcripts of M statements each under var/bench-import/<seed>/ in
   mid.ru's layout, the seed transcript's (`28 January 201913:56`, a title naming the
   speaker, the language switch, then `Question: …` / `Sergey Lavrov: …` paragraphs), 30 %
   of them in Russian (`Вопрос: …` / `С.В.Лавров: …`). The paragraphs, speakers and titles
   come from bench/make_corpus.py's generator, less any paragraph the parser would read as
   a label or as site furniture, so that each file holds exactly M statements.
2. Parse only: `parse_source` on every file in this process (no Django, no database), and
   the `parse_transcript` command as a subprocess.
3. Import: `manage.py import_transcripts FOLDER` as a subprocess; statements/s of the
   whole command and without its start-up (timed on an empty folder); checks that the
   database gained exactly N×M statements.
4. The GIN index's pending list cleaned (`gin_clean_pending_list`), timed.
5. Per-file cost: the same number of files with m statements each (default 2); the
   difference between the two imports separates the cost per file from the cost per
   statement.
6. Variants (unless --no-variants): the import again with synchronous_commit = off
   (through PGOPTIONS, no code change), to price the commit of each file.
7. Profile: `python -m cProfile manage.py import_transcripts` on K more files, summarised
   by the import service's steps, with the number of SQL statements per file; then K
   other files imported in this process with dry_run (written, then rolled back), each
   query timed and put down to its step, and topics.tag_statements timed as a whole: the
   difference is Django building queries.
8. The database's floor: the same number of statements COPYed into the loaded table with
   every index in place, in a transaction that is rolled back, with the GIN index's
   fastupdate on (the default) and off.

Everything imported is deleted again at the end (transcripts, statements, tags, import
runs and speakers the imports created), so the corpus stays as make_corpus.py left it;
--keep keeps it.
"""

import argparse
import datetime as dt
import io
import os
import pstats
import random
import subprocess
import sys
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


def run_command(arguments: list[str], database_url: str, pgoptions: str = "") -> float:
    """Run a manage.py command against `database_url`; its wall-clock seconds."""
    environment = dict(os.environ, DATABASE_URL=database_url)
    if pgoptions:
        environment["PGOPTIONS"] = pgoptions  # libpq passes these to the server session
    started = time.perf_counter()
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(arguments[:4])}… failed:\n{result.stdout}\n{result.stderr}")
    summary = [line for line in result.stdout.splitlines() if SUMMARY_PREFIX in line]
    if summary:
        print(f"    {summary[0]}")
    return seconds


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
    statements: int
    seconds: float
    pending_pages: int = 0
    pending_seconds: float = 0.0


def timed_import(conn, folder: Path, expected: int, url: str, pgoptions: str = "") -> Imported:
    """Import `folder` with the command, check the database gained `expected` statements,
    then clean the GIN pending list the inserts left."""
    before = statement_count(conn)
    seconds = run_command([*MANAGE, "import_transcripts", str(folder)], url, pgoptions)
    gained = statement_count(conn) - before
    if gained != expected:
        sys.exit(f"{folder}: the database gained {gained:,} statements, {expected:,} expected")
    pages, pending_seconds = clean_pending_list(conn)
    return Imported(gained, seconds, pages, pending_seconds)


# ---------------------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------------------

# (label, file name ending, function name): the import service's steps, in call order.
PROFILED_STEPS = [
    ("whole import of one file", "statements/importing.py", "import_source"),
    ("  parse_source (parser)", "statements/parsing/__init__.py", "parse_source"),
    ("  content_hash", "statements/importing.py", "content_hash"),
    ("  _save: transcript, speakers, statements", "statements/importing.py", "_save"),
    ("    _speakers (look-ups, aliases)", "statements/importing.py", "_speakers"),
    ("    unique_slug", "statements/slugs.py", "unique_slug"),
    ("    _create_statements (bulk_create)", "statements/importing.py", "_create_statements"),
    ("      _link_answers (bulk_update)", "statements/importing.py", "_link_answers"),
    ("  topics.tag_statements", "statements/topics.py", "tag_statements"),
    ("  transaction commit", "django/db/backends/base/base.py", "commit"),
    ("ImportRun.record (after each file)", "statements/models.py", "record"),
]


def profile_import(folder: Path, url: str, files: int) -> None:
    """cProfile the command on `folder` and print where its time goes, per file."""
    output = folder.parent / "import.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(output), str(BASE_DIR / "manage.py")]
    seconds = run_command([*command, "import_transcripts", str(folder)], url)
    stats = pstats.Stats(str(output)).stats
    print(f"  profiled import of {files} files: {seconds:.1f} s under cProfile")
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
    """Time spent waiting for PostgreSQL: psycopg2's execute and commit (C functions)."""
    for (_, _, name), (_, calls, own, _, _) in stats.items():
        if "psycopg2.extensions" in name and ("'execute'" in name or "'commit'" in name):
            what = "SQL statements" if "execute" in name else "commits"
            print(
                f"  {what + ' (psycopg2, time in PostgreSQL)':<46} {calls:>8} {own:>9.2f} s "
                f"{own / files * 1000:>7.1f} ms   ({calls / files:.0f} per file)"
            )


# ---------------------------------------------------------------------------------------
# Clean-up: leave the corpus as it was
# ---------------------------------------------------------------------------------------


# The database's foreign keys do not cascade (Django emulates on_delete), so the rows that
# point at the imported transcripts, statements and speakers go first; they are checked
# at commit (DEFERRABLE INITIALLY DEFERRED), so the order within the transaction is free.
CLEAN_UP = [
    "CREATE TEMP TABLE bench_runs AS SELECT id FROM statements_importrun "
    "WHERE started_at >= to_timestamp(%(since)s)",
    "CREATE TEMP TABLE bench_transcripts AS SELECT transcript_id AS id FROM "
    "statements_importrun_transcripts WHERE importrun_id IN (SELECT id FROM bench_runs)",
    "CREATE TEMP TABLE bench_statements AS SELECT id FROM statements_statement "
    "WHERE transcript_id IN (SELECT id FROM bench_transcripts)",
    "DELETE FROM statements_statementtopic WHERE statement_id IN (SELECT id FROM bench_statements)",
    "DELETE FROM statements_topicremoval WHERE statement_id IN (SELECT id FROM bench_statements)",
    "DELETE FROM statements_statement WHERE id IN (SELECT id FROM bench_statements)",
    "DELETE FROM statements_importrun_transcripts WHERE importrun_id IN "
    "(SELECT id FROM bench_runs)",
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
        for table in ("statements_statement", "statements_transcript", "statements_statementtopic"):
            # INDEX_CLEANUP ON: with few dead rows VACUUM would leave them in the indexes.
            cursor.execute(f"VACUUM (ANALYZE, INDEX_CLEANUP ON) {table}")
    conn.close()
    print(
        f"removed {counts[1]:,} imported transcripts ({counts[2]:,} statements), "
        f"{counts[0]} import runs and {counts[-1]} new speakers; "
        f"VACUUM {time.perf_counter() - started:.1f} s"
    )


# ---------------------------------------------------------------------------------------
# Queries per step, in this process
# ---------------------------------------------------------------------------------------


def query_step(sql: str) -> str:
    """Which step of the import service a query belongs to, from its text."""
    if "statements_statementtopic" in sql or "websearch_to_tsquery" in sql:
        return "topic tagging"
    if "statements_speaker" in sql:
        return "speakers and aliases"
    if sql.startswith(('INSERT INTO "statements_statement"', 'UPDATE "statements_statement"')):
        return "statements: insert, reply_to update"
    if "statements_transcript" in sql:
        return "transcript: duplicate check, slug, insert"
    if "SAVEPOINT" in sql:
        return "savepoints (topics.tag's atomic blocks)"
    return "other"


def query_breakdown(folder: Path, url: str) -> None:
    """Import `folder` in this process with dry_run (everything written, then rolled
    back): the queries of each step, their time in PostgreSQL, and the wall time of
    topics.tag_statements, whose difference is Django building the queries."""
    make_corpus.setup_django(url)
    from django.db import connection

    from statements import importing, topics

    steps: dict[str, list] = {}

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            step = steps.setdefault(query_step(sql), [0, 0.0])
            step[0], step[1] = step[0] + 1, step[1] + time.perf_counter() - started

    tagging, original = [0.0], topics.tag_statements

    def timed_tagging(statements):  # measured by wrapping it, for this process only
        started = time.perf_counter()
        original(statements)
        tagging[0] += time.perf_counter() - started

    paths = sorted(folder.glob("*.txt"))
    topics.tag_statements = timed_tagging
    started = time.perf_counter()
    with connection.execute_wrapper(timed_query):
        for path in paths:
            importing.import_source(path.read_bytes(), filename=path.name, dry_run=True)
    total = time.perf_counter() - started
    topics.tag_statements = original
    _print_breakdown(steps, tagging[0], total, len(paths))


def _print_breakdown(steps: dict, tagging: float, total: float, files: int) -> None:
    print(f"  in process, dry run, {files} files: {total / files * 1000:.1f} ms per file")
    print(f"  {'queries by step':<46} {'per file':>8} {'in PostgreSQL':>14}")
    for step, (count, seconds) in sorted(steps.items(), key=lambda item: -item[1][1]):
        print(f"  {step:<46} {count / files:>8.1f} {seconds / files * 1000:>11.1f} ms")
    tag_sql = steps.get("topic tagging", [0, 0.0])[1]
    print(
        f"  topics.tag_statements wall {tagging / files * 1000:.1f} ms per file, of which "
        f"SQL {tag_sql / files * 1000:.1f} ms and Django building queries "
        f"{(tagging - tag_sql) / files * 1000:.1f} ms"
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
    parser.add_argument("--small-statements", type=int, default=2, help="for the per-file cost")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="default: now")
    parser.add_argument("--profile-files", type=int, default=100, help="0: no profile")
    parser.add_argument("--no-variants", action="store_true")
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
    main: Path
    small: Path
    variant: Path
    profile: Path
    queries: Path


def prepare_files(args) -> tuple[Folders, dict, make_corpus.Generator]:
    """Write every folder the run imports; each file is new to the database (the seed,
    by default the time, and the file numbers make the texts differ from earlier runs')."""
    pool = make_corpus.build_pool(1)
    cast = make_corpus.make_cast(2000, 1)  # make_corpus's speakers: most are known already
    generator = make_corpus.Generator(safe_pool(pool, cast), cast, args.seed)
    root = OUTPUT / str(args.seed)
    folders = Folders(*(root / name for name in ("main", "small", "variant", "profile", "queries")))
    files, per_file = args.files, args.statements_per_file
    started = time.perf_counter()
    expected = {
        "main": write_files(generator, folders.main, files, per_file, 0),
        "small": write_files(generator, folders.small, files, args.small_statements, files),
        "variant": write_files(generator, folders.variant, files, per_file, 2 * files),
        "profile": write_files(generator, folders.profile, args.profile_files, per_file, 3 * files),
        "queries": write_files(generator, folders.queries, args.profile_files, per_file, 4 * files),
    }
    print(f"wrote the files under {root} in {time.perf_counter() - started:.1f} s")
    return folders, expected, generator


def measure_parsing(folders: Folders, expected: dict, url: str, startup: float) -> None:
    parsed = parse_only(folders.main)
    if parsed.statements != expected["main"]:
        sys.exit(f"the parser found {parsed.statements:,} statements, {expected['main']:,} written")
    print_rate("parse only, in process (decode + parse_source)", parsed.statements, parsed.seconds)
    print(
        f"    {parsed.seconds / parsed.files * 1000:.2f} ms per file; answers/remarks "
        f"without a resolved speaker: {parsed.unattributed}"
    )
    files = sorted(str(path) for path in folders.main.glob("*.txt"))
    seconds = run_command([*MANAGE, "parse_transcript", *files], url)
    print_rate("parse_transcript command (JSON out)", parsed.statements, seconds)
    print_rate("    without start-up", parsed.statements, seconds - startup)


def measure_imports(conn, args, folders: Folders, expected: dict, startup: float) -> None:
    url, files = args.database_url, args.files
    main = timed_import(conn, folders.main, expected["main"], url)
    print_rate("import_transcripts, whole command", main.statements, main.seconds)
    print_rate("    without start-up", main.statements, main.seconds - startup)
    print(
        f"    {(main.seconds - startup) / files * 1000:.1f} ms per file of {args.statements_per_file}"
    )
    print(f"gin_clean_pending_list: {main.pending_pages} pages in {main.pending_seconds:.2f} s")
    small = timed_import(conn, folders.small, expected["small"], url)
    print_rate(
        f"import of {files} files of {args.small_statements}", small.statements, small.seconds
    )
    # Same number of files, different statements: the difference is the statements' cost.
    per_statement = (main.seconds - small.seconds) / (main.statements - small.statements)
    per_file = (main.seconds - startup) / files - args.statements_per_file * per_statement
    print(f"    => {per_file * 1000:.1f} ms per file + {per_statement * 1000:.2f} ms per statement")
    if not args.no_variants:
        options = "-c synchronous_commit=off"
        variant = timed_import(conn, folders.variant, expected["variant"], url, options)
        print_rate(
            "import, synchronous_commit=off, without start-up",
            variant.statements,
            variant.seconds - startup,
        )


def main() -> None:
    args = parse_args()
    since = time.time()
    folders, expected, generator = prepare_files(args)
    empty = folders.main.parent / "empty"
    empty.mkdir(exist_ok=True)
    startup = run_command(
        [*MANAGE, "import_transcripts", "--dry-run", str(empty)], args.database_url
    )
    print(f"start-up of manage.py (import of an empty folder): {startup:.2f} s")
    measure_parsing(folders, expected, args.database_url, startup)
    conn = psycopg2.connect(args.database_url)
    conn.autocommit = True
    print(f"database holds {statement_count(conn):,} statements")
    alias = last_alias(conn)
    measure_imports(conn, args, folders, expected, startup)
    if args.profile_files:
        profile_import(folders.profile, args.database_url, args.profile_files)
        clean_pending_list(conn)
        query_breakdown(folders.queries, args.database_url)
    copy_floor(
        args.database_url,
        generator,
        args.files * args.statements_per_file,
        args.statements_per_file,
    )
    conn.close()
    if not args.keep:
        remove_imported(args.database_url, since, alias)


if __name__ == "__main__":
    main()
