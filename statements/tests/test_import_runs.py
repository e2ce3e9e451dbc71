"""ImportRun: every import leaves a record of its files, counts and errors."""

import shutil

import pytest

from statements.importing import import_source
from statements.models import ImportRun, Transcript
from statements.tests.conftest import RUSSIAN, SEED
from statements.tests.test_commands import run

pytestmark = pytest.mark.django_db


def test_the_command_records_its_files_counts_and_errors(tmp_path):
    shutil.copy(SEED, tmp_path / "a-seed.txt")
    (tmp_path / "b-russian.txt").write_text(RUSSIAN, encoding="utf-8")
    (tmp_path / "c-copy.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "d-empty.txt").write_text("")
    code, _, _ = run("import_transcripts", tmp_path, tmp_path / "missing.txt")
    assert code == 1
    record = ImportRun.objects.get()
    assert (record.via, record.user) == ("command", None)
    assert (
        record.transcript_count,
        record.statement_count,
        record.new_speaker_count,
        record.duplicate_count,
        record.failure_count,
    ) == (2, 9, 2, 1, 2)  # С.В.Лавров is the seed's Sergey Lavrov
    outcomes = [(entry["name"].rsplit("/", 1)[-1], entry["outcome"]) for entry in record.files]
    assert outcomes == [
        ("missing.txt", "failed"),
        ("a-seed.txt", "imported"),
        ("b-russian.txt", "imported"),
        ("c-copy.txt", "duplicate"),
        ("d-empty.txt", "failed"),
    ]
    assert record.files[-1]["error"] == "the input is empty"
    assert set(record.transcripts.all()) == set(Transcript.objects.all())


def test_a_dry_run_leaves_no_record():
    code, _, _ = run("import_transcripts", "--dry-run", SEED)
    assert code == 0
    assert ImportRun.objects.count() == 0


def test_a_duplicate_names_the_existing_transcript(seed):
    record = ImportRun.objects.create(via=ImportRun.Via.COMMAND)
    record.record("again.txt", import_source(SEED.read_bytes(), filename=SEED.name))
    assert record.files == [
        {
            "name": "again.txt",
            "outcome": "duplicate",
            "transcript": seed.pk,
            "error": "",
        }
    ]
    assert not record.transcripts.exists()
