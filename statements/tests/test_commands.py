"""The two management commands, run as an editor would run them."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from statements.models import Speaker, Statement, Transcript
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
        "5 file(s): imported 2 transcript(s) with 9 statement(s) and 3 new speaker(s); "
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
