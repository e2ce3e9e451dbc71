"""Batch import: many transcripts in one transaction, a bad one failing alone, two sessions
meeting the same new speaker or text, and the command's worker processes."""

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from statements import importing
from statements import topics as topics_module
from statements.importing import ImportItem, import_batch, import_each, import_source
from statements.management.commands import import_transcripts as import_command
from statements.management.commands.import_transcripts import (
    BATCH_FILES,
    MERGE_FILES,
    MIN_BATCH_FILES,
    early_merge_before,
    in_batches,
)
from statements.models import (
    ImportRun,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementTopic,
    Topic,
    Transcript,
)
from statements.parsing import parse_source
from statements.search import matching
from statements.tests.conftest import CORPUS, KIRBY_GAGGLE_NAME, RUSSIAN, SCRIPT, SEED
from statements.tests.test_commands import run

# A new speaker in two transcripts (his role learnt from the second), a known speaker's
# role learnt, a title and date that make the same slug twice.
TESTOV_INTERVIEW = (
    "Interview of Ivan Testov to TASS, May 3, 2019\n\n"
    "Question: What about Syria?\n\nIvan Testov: Idlib again.\n\nOlga Rolova: I agree."
)
TESTOV_REMARKS = (
    "Remarks by Deputy Minister Ivan Testov, Moscow, May 2, 2019\n\n"
    "Ivan Testov: Idlib is calm.\n\nQuestion: And Astana?\n\nIvan Testov: Astana is next."
)
TESTOV_REMARKS_AGAIN = (
    "Remarks by Deputy Minister Ivan Testov, Moscow, May 2, 2019\n\n"
    "Ivan Testov: Another version of the same remarks."
)
ROLOVA_STATEMENT = (
    "Statement by Ambassador Olga Rolova, May 4, 2019\n\n"
    "Olga Rolova: We welcome the talks in Astana."
)
ROLOVA_WITHOUT_ROLE = (
    "Talks in Minsk, April 1, 2019\n\nOlga Rolova: Good morning.\n\n"
    "Question: Is it cold?\n\nOlga Rolova: Very."
)
GAGGLE = CORPUS / "whitehouse-press-briefings" / KIRBY_GAGGLE_NAME
BROKEN = {"title": "T", "statements": [{"speaker_label": "Q" * 300, "paragraphs": ["x"]}]}


def item(text: str | bytes, name: str = "file.txt") -> ImportItem:
    text = text.decode() if isinstance(text, bytes) else text
    return ImportItem(parse_source(text, filename=name), text)


def items() -> list[ImportItem]:
    return [
        item(TESTOV_INTERVIEW),
        item(TESTOV_REMARKS),
        item(ROLOVA_STATEMENT),
        item(TESTOV_REMARKS_AGAIN),
        item(SEED.read_bytes(), SEED.name),
        item(SEED.read_bytes().replace(b"\n", b"\r\n"), "copy.txt"),
        item(RUSSIAN, "lavrov-ru.txt"),
        item(GAGGLE.read_bytes(), GAGGLE.name),
        item(json.dumps(SCRIPT), "script.json"),
    ]


def archive_rows() -> dict[str, list]:
    """Everything an import writes, by names and positions rather than ids."""
    return {
        "speakers": sorted(Speaker.objects.values_list("name", "slug", "role")),
        "aliases": sorted(SpeakerAlias.objects.values_list("key", "name", "speaker__name")),
        "transcripts": sorted(
            Transcript.objects.values_list("slug", "title", "content_hash", "date", "language")
        ),
        "statements": sorted(
            Statement.objects.values_list(
                "transcript__slug",
                "position",
                "speaker__name",
                "speaker_label",
                "speaker_role",
                "kind",
                "note",
                "questioner",
                "outlet",
                "reply_to__transcript__slug",
                "reply_to__position",
                "date",
                "language",
                "text",
            ),
            key=str,
        ),
        "tags": sorted(
            StatementTopic.objects.values_list(
                "statement__transcript__slug", "statement__position", "topic__name", "source"
            )
        ),
    }


@pytest.fixture
def topics(db):
    Topic.objects.create(name="Syria", query="Idlib OR Astana")
    Topic.objects.create(name="Kazakhstan", query='Kazakhstan OR "Beibut Atamkulov"')
    Topic.objects.create(name="Nothing", query="the")  # only a stop word: matches nothing


def start_afresh() -> None:
    """An archive that knows Olga Rolova, without her role."""
    Transcript.objects.all().delete()
    Speaker.objects.all().delete()
    import_source(ROLOVA_WITHOUT_ROLE, filename="minsk.txt")


@pytest.mark.django_db
def test_a_batch_saves_what_importing_its_files_one_by_one_saves(topics):
    start_afresh()
    one_by_one = [import_batch([each])[0] for each in items()]
    expected = archive_rows()
    start_afresh()
    batch = import_batch(items())
    assert archive_rows() == expected
    assert [r.new_speakers for r in batch] == [r.new_speakers for r in one_by_one]
    assert [r.duplicate for r in batch] == [False] * 5 + [True] + [False] * 3
    assert Speaker.objects.get(name="Ivan Testov").role == "Deputy Minister"
    assert Speaker.objects.get(name="Olga Rolova").role == "Ambassador"
    assert Transcript.objects.filter(slug__endswith="-ivan-testov-moscow-may-2-2").exists()


@pytest.mark.django_db
def test_a_batch_makes_the_same_queries_whatever_its_size(topics):
    start_afresh()  # and the topics' conditions compiled
    # Each: a new speaker, a known speaker's role learnt, new transcripts, tags.
    two = [item(TESTOV_INTERVIEW), item(ROLOVA_STATEMENT)]
    seven = [
        each
        for each in items()
        if each.parsed.title not in {two[0].parsed.title, two[1].parsed.title}
    ]
    with CaptureQueriesContext(connection) as queries_for_two:
        import_batch(two)
    with CaptureQueriesContext(connection) as queries_for_seven:
        import_batch(seven)
    assert len(seven) == 7
    assert len(queries_for_seven) == len(queries_for_two)
    # Each answer gets its question as it is written: no UPDATE runs its search vector again.
    sql = [query["sql"] for query in queries_for_seven.captured_queries]
    assert not [q for q in sql if q.startswith('UPDATE "statements_statement"')]


@pytest.mark.django_db
def test_tagging_a_batch_agrees_with_each_topics_search(topics):
    import_batch(items())
    for topic in Topic.objects.all():
        tagged = set(topic.statements.values_list("pk", flat=True))
        assert tagged == set(matching(topic.query).values_list("pk", flat=True)), topic.name


@pytest.mark.django_db
def test_tagging_agrees_too_when_the_conditions_need_other_tables(topics, monkeypatch):
    # A topic's condition, or the statements, that join another table are tagged the slow
    # way, by subqueries: what search.matching might become, or another caller's scope.
    import_batch(items()[:3])
    real_matching = topics_module.matching

    def matching_in_interviews(text, statements):
        return real_matching(text, statements).filter(transcript__title__startswith="Interview")

    monkeypatch.setattr(topics_module, "matching", matching_in_interviews)
    monkeypatch.setattr(topics_module, "_condition", topics_module._condition.__wrapped__)
    StatementTopic.objects.all().delete()
    statements = Statement.objects.filter(transcript__title__contains="Testov")
    topics_module.tag_new_statements(statements)
    syria = Topic.objects.get(name="Syria")
    tagged = set(syria.statements.values_list("pk", flat=True))
    assert tagged == set(
        matching_in_interviews(syria.query, statements).values_list("pk", flat=True)
    )
    assert tagged and tagged != set(
        real_matching(syria.query, statements).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_the_same_text_twice_in_a_batch_is_saved_once():
    first, copy = import_batch([item(SEED.read_bytes()), item(SEED.read_text() + "\n\n")])
    assert (first.created, copy.duplicate, copy.transcript) == (True, True, first.transcript)
    assert Transcript.objects.get() == first.transcript
    assert Statement.objects.count() == 5


@pytest.mark.django_db
def test_a_dry_run_batch_counts_everything_and_saves_nothing():
    results = import_batch(items()[:6], dry_run=True)
    assert [(r.dry_run, r.duplicate) for r in results] == [(True, False)] * 5 + [(False, True)]
    assert results[0].new_speakers == ["Ivan Testov", "Olga Rolova"]
    assert (Transcript.objects.count(), Statement.objects.count(), Speaker.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_a_file_the_database_refuses_fails_alone_and_the_others_are_saved():
    good, bad, other = item(SEED.read_bytes()), item(json.dumps(BROKEN), "b.json"), item(RUSSIAN)
    with pytest.raises(DataError):
        import_batch([good, bad, other])
    assert Transcript.objects.count() == 0
    saved, refused, also_saved = import_each([good, bad, other])
    assert isinstance(refused, DataError) and "value too long" in str(refused)
    assert saved.created and also_saved.created
    assert Transcript.objects.count() == 2
    assert Speaker.objects.count() == 2  # С.В.Лавров is the seed's Sergey Lavrov


@pytest.mark.django_db
def test_text_comes_back_as_written_whatever_copy_has_to_escape():
    paragraphs = ["A backslash \\ and \\N, a\ttab,", "a line\nbreak and a\rreturn."]
    script = {
        "title": "Escapes",
        "statements": [{"speaker_label": "Q\\A\t", "paragraphs": paragraphs}],
    }
    escapes = item(json.dumps(script), "escapes.json")
    import_batch([escapes])
    saved, parsed = Statement.objects.get(), escapes.parsed.statements[0]
    assert (saved.text, saved.speaker_label) == (parsed.text, parsed.speaker_label)
    assert "\\N" in saved.text and saved.speaker is None


NEWCOMERS = ["Anna Petrova", "Boris Sidorov", "Elena Kuznetsova", "Ivan Testov", "Olga Rolova"]


@pytest.mark.django_db
def test_files_with_new_speakers_are_saved_first_a_few_at_a_time(seed):
    known = item(SEED.read_text() + "\nAnd one more thing.")  # Sergey Lavrov's, known
    known.allow_near_duplicate = True  # the seed's words and one more line
    new = [
        item(f"Remarks, May {day}, 2019\n\n{name}: Hello.") for day, name in enumerate(NEWCOMERS, 1)
    ]
    batch = [known, *new[:3], known, *new[3:]]
    assert importing._by_new_speakers(batch) == [[1, 2, 3, 5], [6], [0, 4]]
    results = import_each(batch)
    assert [r.new_speakers for r in results] == [
        [],
        *([name] for name in NEWCOMERS[:3]),
        [],
        *([name] for name in NEWCOMERS[3:]),
    ]
    assert (results[0].created, results[4].duplicate, results[4].transcript) == (
        True,
        True,
        results[0].transcript,
    )


def test_every_statement_column_is_copied():
    columns = {f.column for f in Statement._meta.concrete_fields if not f.generated}
    assert set(importing.STATEMENT_COLUMNS) == columns


@pytest.mark.parametrize(("files", "jobs"), [(0, 2), (1, 2), (7, 2), (100, 1), (1000, 4)])
def test_batches_hold_every_file_once_in_order_and_get_smaller(files, jobs):
    paths = [Path(f"{number}.txt") for number in range(files)]
    sizes = [len(batch) for batch in in_batches(paths, jobs)]
    assert [path for batch in in_batches(paths, jobs) for path in batch] == paths
    assert sizes == sorted(sizes, reverse=True)
    assert all(MIN_BATCH_FILES <= size <= BATCH_FILES for size in sizes[:-1])


def test_the_early_merge_leaves_the_other_workers_the_last_files():
    batches = in_batches([Path(f"{number}.txt") for number in range(400)], 2)
    position = early_merge_before(batches, 2)
    assert 0 < position < len(batches)
    after = sum(map(len, batches[position:]))
    assert MERGE_FILES <= after < MERGE_FILES + len(batches[position])
    assert early_merge_before(in_batches([Path("a.txt")] * 20, 2), 2) is None


# --- two sessions at once ---------------------------------------------------------------


def import_in_thread(text: str) -> dict:
    """Start importing `text` in another thread (another connection); its outcome lands
    in the returned dict under "result" or "error"."""
    outcome = {}

    def work():
        try:
            outcome["result"] = import_source(text, filename="race.txt")
        except Exception as error:  # handed to the test, which fails on it
            outcome["error"] = error
        finally:
            connection.close()

    outcome["thread"] = threading.Thread(target=work)
    outcome["thread"].start()
    return outcome


def wait_until_another_session_waits_for_a_lock() -> None:
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else read once per transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the other import never waited for this session's rows")


def finished(outcome: dict):
    outcome["thread"].join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


@pytest.mark.django_db(transaction=True)
def test_two_sessions_meeting_the_same_new_speaker_make_one_speaker():
    with transaction.atomic():  # another import, creating him, not committed yet
        testov = Speaker.objects.create(name="Ivan Testov")
        testov.add_alias("Ivan Testov")
        outcome = import_in_thread(TESTOV_INTERVIEW)
        wait_until_another_session_waits_for_a_lock()
    result = finished(outcome)
    assert result.new_speakers == ["Olga Rolova"]
    assert list(Speaker.objects.filter(name="Ivan Testov")) == [testov]
    assert result.transcript.statements.get(position=2).speaker == testov


@pytest.mark.django_db(transaction=True)
def test_two_sessions_importing_the_same_text_save_it_once():
    with transaction.atomic():  # another import of the same text, not committed yet
        other = import_source(TESTOV_REMARKS, filename="first.txt").transcript
        outcome = import_in_thread(TESTOV_REMARKS)
        wait_until_another_session_waits_for_a_lock()
    result = finished(outcome)
    assert (result.duplicate, result.transcript) == (True, other)
    assert Transcript.objects.count() == 1
    assert Speaker.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_spelling_two_sessions_learn_at_once_is_recorded_once_without_a_retry(monkeypatch):
    import_source(TESTOV_INTERVIEW, filename="interview.txt")  # Ivan Testov, known
    attempts = []
    save_atomically = importing._save_atomically
    monkeypatch.setattr(
        importing, "_save_atomically", lambda *a: attempts.append(a) or save_atomically(*a)
    )
    testov = Speaker.objects.get(name="Ivan Testov")
    with transaction.atomic():  # another import, learning the same spelling, not committed
        testov.add_alias("Deputy Minister Ivan Testov")
        outcome = import_in_thread(TESTOV_REMARKS)  # "Remarks by Deputy Minister Ivan Testov"
        wait_until_another_session_waits_for_a_lock()
    assert finished(outcome).transcript.statements.filter(speaker=testov).count() == 2
    assert len(attempts) == 1
    assert SpeakerAlias.objects.filter(key="deputy minister ivan testov").count() == 1
    assert Speaker.objects.get(pk=testov.pk).role == "Deputy Minister"


# --- the command's workers --------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    """Twelve files: good ones, one the database refuses, one that does not parse, a copy,
    and a new speaker in two of them."""
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEED, files / "a-seed.txt")
    (files / "b-russian.txt").write_text(RUSSIAN, encoding="utf-8")
    (files / "c-broken.json").write_text(json.dumps(BROKEN))
    (files / "d-interview.txt").write_text(TESTOV_INTERVIEW)
    (files / "e-no-title.txt").write_text("Question: Where is the title?\n")
    shutil.copy(GAGGLE, files / "f-gaggle.md")
    (files / "g-remarks.txt").write_text(TESTOV_REMARKS)
    (files / "h-script.json").write_text(json.dumps(SCRIPT))
    (files / "i-remarks-again.txt").write_text(TESTOV_REMARKS_AGAIN)
    (files / "j-rolova.txt").write_text(ROLOVA_STATEMENT)
    (files / "k-seed-copy.txt").write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    (files / "l-minsk.txt").write_text(ROLOVA_WITHOUT_ROLE)
    return files


@pytest.mark.django_db(transaction=True)
def test_two_jobs_import_a_folder_in_worker_processes(folder, tmp_path, monkeypatch):
    savers = tmp_path / "savers"
    import_each = importing.import_each

    def import_each_noting_the_process(*args, **options):  # the workers are forked: they have it
        with savers.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return import_each(*args, **options)

    monkeypatch.setattr(importing, "import_each", import_each_noting_the_process)
    monkeypatch.setattr(import_command, "MERGE_FILES", 2)  # the early merge, on few files
    code, out, err = run("import_transcripts", "--jobs", "2", folder)
    assert code == 1
    assert out.splitlines()[0] == (
        # Six: the Russian version's С.В.Лавров is the seed's Sergey Lavrov.
        "12 file(s): imported 9 transcript(s) with 76 statement(s) and 6 new speaker(s); "
        "1 duplicate(s) skipped; 2 failed."
    )
    assert f"{folder / 'c-broken.json'}: DataError: value too long" in err
    assert f"{folder / 'e-no-title.txt'}:1: no title" in err
    processes = {int(line) for line in savers.read_text().split()}
    assert processes and os.getpid() not in processes
    assert Speaker.objects.filter(name="Ivan Testov").count() == 1
    assert Speaker.objects.get(name="Olga Rolova").role == "Ambassador"
    assert Transcript.objects.count() == 9
    assert Statement.objects.filter(kind="answer", reply_to__isnull=True).count() == 0
    record = ImportRun.objects.get()
    assert (record.transcript_count, record.duplicate_count, record.failure_count) == (9, 1, 2)
    assert [Path(entry["name"]).name for entry in record.files] == sorted(
        path.name for path in folder.iterdir()
    )
    assert set(record.transcripts.all()) == set(Transcript.objects.all())
