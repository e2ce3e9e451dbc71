"""The two management commands, run as an editor would run them."""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from statements.models import ImportRun, ImportRunFile, Speaker, Statement, Transcript
from statements.tests import postgres, servers
from statements.tests.conftest import RUSSIAN, SEED

DESIGN_KEYS = ["file", "title", "date", "time", "place", "language", "kind", "statements"]
STATEMENT_KEYS = ["speaker", "speaker_label", "note", "kind", "paragraphs"]


def run(command, *args):
    """(exit code, stdout, stderr) of a management command."""
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    """A folder of files as an editor might bring them: good, duplicate, broken, ignored."""
    (tmp_path / "nested").mkdir()
    shutil.copy(SEED, tmp_path / "a-seed.txt")
    (tmp_path / "nested" / "b-russian.txt").write_text(RUSSIAN, encoding="utf-8")
    (tmp_path / "c-same-as-seed.txt").write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    (tmp_path / "d-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "e-no-title.txt").write_text("Question: Where is the title?\n")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path


def test_parse_transcript_prints_one_json_line_per_file_in_order(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, _ = run("parse_transcript", SEED, empty, SEED)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [line["file"] for line in lines] == [str(SEED), str(empty), str(SEED)]
    seed, failed, _ = lines
    assert list(seed) == DESIGN_KEYS
    assert all(list(statement) == STATEMENT_KEYS for statement in seed["statements"])
    assert (seed["date"], seed["time"], seed["place"], seed["language"]) == (
        "2019-01-28",
        "13:56",
        "Moscow",
        "en",
    )
    assert [(s["speaker"], s["speaker_label"]) for s in seed["statements"]] == [
        ("Sergey Lavrov", ""),
        (None, "Question"),
        ("Sergey Lavrov", "Sergey Lavrov"),
        (None, "Question"),
        ("Sergey Lavrov", "Sergey Lavrov"),
    ]
    assert failed == {"file": str(empty), "error": "the input is empty"}


@pytest.mark.django_db
def test_parse_transcript_writes_nothing():
    code, _, _ = run("parse_transcript", SEED)
    assert code == 0
    assert Transcript.objects.count() == 0


@pytest.mark.django_db
def test_import_folder_saves_the_good_files_and_reports_the_rest(folder):
    code, out, err = run("import_transcripts", folder)
    assert code == 1
    assert out.splitlines()[0] == (
        # Two: the Russian version's С.В.Лавров is the seed's Sergey Lavrov.
        "5 file(s): imported 2 transcript(s) with 9 statement(s) and 2 new speaker(s); "
        "1 duplicate(s) skipped; 2 failed."
    )
    assert (
        f"{folder / 'c-same-as-seed.txt'}: already imported as “Foreign Minister Sergey Lavrov’s"
        in out
    )
    assert f"{folder / 'd-binary.txt'}: the input looks like a binary file" in err
    assert f"{folder / 'e-no-title.txt'}:1: no title" in err
    assert "notes.pdf" not in out + err
    assert Transcript.objects.count() == 2
    assert Statement.objects.count() == 9


@pytest.mark.django_db
def test_import_continues_after_a_file_the_database_refuses(tmp_path):
    broken = {"title": "T", "statements": [{"speaker_label": "Q" * 300, "paragraphs": ["x"]}]}
    (tmp_path / "a-broken.json").write_text(json.dumps(broken))
    shutil.copy(SEED, tmp_path / "b-seed.txt")
    code, _, err = run("import_transcripts", tmp_path)
    assert code == 1
    assert "a-broken.json: DataError: value too long" in err
    assert Transcript.objects.get().title.startswith("Foreign Minister Sergey Lavrov’s")


@pytest.mark.django_db
def test_second_import_of_the_same_folder_skips_everything(folder):
    run("import_transcripts", folder)
    counts = (Transcript.objects.count(), Statement.objects.count(), Speaker.objects.count())
    _, out, _ = run("import_transcripts", folder)
    assert "imported 0 transcript(s)" in out and "3 duplicate(s) skipped" in out
    assert (
        Transcript.objects.count(),
        Statement.objects.count(),
        Speaker.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_dry_run_saves_nothing(folder):
    code, out, _ = run("import_transcripts", "--dry-run", folder / "a-seed.txt")
    assert code == 0
    assert out.startswith("1 file(s): would import 1 transcript(s) with 5 statement(s)")
    assert Transcript.objects.count() == 0


@pytest.mark.django_db
def test_language_option_and_missing_paths(folder):
    code, _, err = run(
        "import_transcripts", "--language", "ru", folder / "a-seed.txt", folder / "missing.txt"
    )
    assert code == 1
    assert f"{folder / 'missing.txt'}: no such file or folder" in err
    assert Transcript.objects.get().language == "ru"


# --- faults: the parent killed, the database stopped, its disk full ----------------------

MANAGE = Path(settings.BASE_DIR) / "manage.py"
VOCABULARY = sorted(set(re.findall(r"[A-Za-z]{4,}", SEED.read_text())))


def distinct_transcript(number: int) -> str:
    """A transcript in the seed's layout whose words are its own (no two are alike)."""
    pick = random.Random(number).choice

    def words(count: int) -> str:
        return " ".join(pick(VOCABULARY) for _ in range(count)) + "."

    turns = "\n\n".join(
        f"Question: {words(30)}\n\nSergey Lavrov: {words(80)}\n\n{words(60)}" for _ in range(3)
    )
    return (
        "28 January 201913:56\n\n"
        f"Foreign Minister Sergey Lavrov’s remarks, number {number}, Moscow, January 28, 2019\n\n"
        f"{words(40)}\n\n{turns}\n"
    )


def many_files(folder: Path, count: int) -> Path:
    folder.mkdir(exist_ok=True)
    for number in range(count):
        (folder / f"{number:04}.txt").write_text(distinct_transcript(number))
    return folder


def start_import(folder: Path, database_url: str, application: str = "") -> subprocess.Popen:
    """import_transcripts with two workers in a process of its own."""
    env = os.environ | {"DATABASE_URL": database_url, "PGAPPNAME": application}
    return subprocess.Popen(
        [sys.executable, MANAGE, "import_transcripts", "--jobs", "2", folder],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return children


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def the_tests_database_url() -> str:
    # The embedded server's host is a socket directory: servers.database_url knows the form.
    return servers.database_url(connection.settings_dict)


def sessions_of(application: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application]
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_killing_the_import_ends_its_workers_and_their_database_sessions(tmp_path):
    application = f"import-kill-test-{os.getpid()}"
    parent = start_import(
        many_files(tmp_path / "files", 400), the_tests_database_url(), application
    )
    workers = []
    try:
        assert wait_until(
            lambda: ImportRunFile.objects.exists() and sessions_of(application) >= 2
        ), parent.stderr.read() if parent.poll() is not None else "the import did not start"
        workers = children_of(parent.pid)
        assert len(workers) >= 2
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert wait_until(lambda: not any(map(alive, workers)), timeout=10)
        assert wait_until(lambda: sessions_of(application) == 0, timeout=10)
    finally:
        for pid in filter(alive, [parent.pid, *workers]):  # before the fix: still there
            os.kill(pid, signal.SIGKILL)
        parent.communicate()


@pytest.mark.django_db(transaction=True)
def test_the_record_lists_every_file_saved_before_a_kill(tmp_path):
    parent = start_import(many_files(tmp_path / "files", 300), the_tests_database_url())
    try:
        assert wait_until(lambda: Transcript.objects.count() >= 50)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.communicate()
    time.sleep(1)  # the workers' last transactions end
    recorded = ImportRunFile.objects.filter(outcome=ImportRun.Outcome.IMPORTED)
    assert set(recorded.values_list("transcript", flat=True)) == set(
        Transcript.objects.values_list("pk", flat=True)
    )
    run = ImportRun.objects.get()
    assert run.transcript_count == recorded.count() == Transcript.objects.count()


@pytest.fixture(scope="module")
def throwaway():
    """A PostgreSQL cluster of the tests' own, with a migrated archive to copy."""
    if not postgres.available():
        pytest.skip("needs PostgreSQL 15's binaries in /usr/lib/postgresql/15/bin")
    cluster = postgres.Cluster()
    try:
        cluster.start()
        cluster.execute("CREATE DATABASE archive_template")
        env = os.environ | {"DATABASE_URL": cluster.url("archive_template")}
        subprocess.run(
            [sys.executable, MANAGE, "migrate", "-v", "0"], env=env, check=True, capture_output=True
        )
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def archive_in_throwaway(throwaway, request):
    """A fresh migrated archive database in the throwaway cluster; its name."""
    name = f"archive_{request.node.name[:40].lower()}"
    throwaway.execute(f"CREATE DATABASE {name} TEMPLATE archive_template")
    return name


def saved_and_recorded(cluster, database: str) -> tuple[int, int, int]:
    """(transcripts, files recorded as imported, the run's count of transcripts)."""
    (row,) = cluster.execute(
        "SELECT (SELECT count(*) FROM statements_transcript), "
        "(SELECT count(*) FROM statements_importrunfile WHERE outcome = 'imported'), "
        "(SELECT sum(transcript_count) FROM statements_importrun)",
        database,
    )
    return row


def stopped_with_one_line(process: subprocess.Popen) -> tuple[int, str]:
    """The exit code and the one line on stderr of an import that stopped."""
    _, err = process.communicate(timeout=120)
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return process.returncode, lines[0]


def test_a_database_stopped_midway_ends_the_import_with_one_line(
    throwaway, archive_in_throwaway, tmp_path
):
    process = start_import(many_files(tmp_path / "files", 400), throwaway.url(archive_in_throwaway))
    try:
        assert wait_until(lambda: saved_and_recorded(throwaway, archive_in_throwaway)[0] >= 40), (
            "the import did not start"
        )
        throwaway.stop("fast")
        code, line = stopped_with_one_line(process)
    finally:
        with suppress(subprocess.CalledProcessError):
            throwaway.start()
    assert code == 1
    assert line.startswith("CommandError: import stopped: the database is unavailable (")
    saved = int(re.search(r"; (\d+) file\(s\) saved$", line)[1])
    assert saved_and_recorded(throwaway, archive_in_throwaway) == (saved, saved, saved)


@pytest.fixture
def tiny_disk(throwaway, archive_in_throwaway):
    """The statements table of the archive moved to a 1 MB tmpfs: a disk that fills."""
    mount = throwaway.home / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,uid=postgres,gid=postgres", "tmpfs", mount],
        capture_output=True,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        throwaway.execute(f"CREATE TABLESPACE tiny LOCATION '{mount}'")
        throwaway.execute(
            "ALTER TABLE statements_statement SET TABLESPACE tiny", archive_in_throwaway
        )
        yield archive_in_throwaway
    finally:
        throwaway.execute(f"DROP DATABASE IF EXISTS {archive_in_throwaway}")
        throwaway.execute("DROP TABLESPACE IF EXISTS tiny")
        subprocess.run(["umount", "-l", mount], capture_output=True)


def test_a_full_disk_ends_the_import_with_one_line(throwaway, tiny_disk, tmp_path):
    process = start_import(many_files(tmp_path / "files", 400), throwaway.url(tiny_disk))
    code, line = stopped_with_one_line(process)
    assert code == 1
    assert line.startswith("CommandError: import stopped: the database's disk is full (")
    saved = int(re.search(r"; (\d+) file\(s\) saved$", line)[1])
    assert 0 < saved < 400
    assert saved_and_recorded(throwaway, tiny_disk) == (saved, saved, saved)


# --- near duplicates --------------------------------------------------------------------


def reheaded_seed() -> str:
    return (
        SEED.read_text()
        .replace("28 January 201913:56", "29 January 201909:10", 1)
        .replace("remarks and answers to media questions", "statement and replies to the press", 1)
    )


@pytest.mark.django_db
def test_the_command_skips_a_near_duplicate_and_names_it(seed, tmp_path):
    (tmp_path / "again.txt").write_text(reheaded_seed())
    code, out, _ = run("import_transcripts", tmp_path)
    assert code == 0
    assert "0 duplicate(s) and 1 near duplicate(s) skipped; 0 failed." in out
    assert (
        f"{tmp_path / 'again.txt'}: 100 % of its words are those of “{seed.title}” ({seed.get_absolute_url()})"
        in out
    )
    assert Transcript.objects.count() == 1
    assert ImportRun.objects.get().files[0]["outcome"] == "near_duplicate"


@pytest.mark.django_db
def test_the_command_imports_a_near_duplicate_when_allowed(seed, tmp_path):
    (tmp_path / "again.txt").write_text(reheaded_seed())
    code, out, _ = run("import_transcripts", "--allow-near-duplicates", tmp_path)
    assert code == 0
    assert "imported 1 transcript(s)" in out
    assert Transcript.objects.count() == 2
