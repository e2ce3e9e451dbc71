"""The import service against real PostgreSQL."""

import json
from datetime import date, time
from io import StringIO

import pytest
from django.db import DataError, connection

from statements.importing import content_hash, import_source, refresh_statistics
from statements.models import Speaker, SpeakerAlias, Statement, Transcript
from statements.tests.conftest import CORPUS, RUSSIAN, SEED

pytestmark = pytest.mark.django_db


def test_seed_is_saved_with_its_statements_in_order(seed):
    assert (seed.date, seed.time, seed.place, seed.language, seed.kind) == (
        date(2019, 1, 28),
        time(13, 56),
        "Moscow",
        "en",
        "press_conference",
    )
    rows = list(
        seed.statements.order_by("position").values_list(
            "position", "speaker__name", "speaker_label", "kind"
        )
    )
    assert rows == [
        (1, "Sergey Lavrov", "", "opening"),
        (2, None, "Question", "question"),
        (3, "Sergey Lavrov", "Sergey Lavrov", "answer"),
        (4, None, "Question", "question"),
        (5, "Sergey Lavrov", "Sergey Lavrov", "answer"),
    ]
    opening = seed.statements.get(position=1)
    assert opening.text.startswith("Ladies and gentlemen,\n\nWe are delighted")
    assert len(opening.paragraphs) == 11
    assert all(s.date == seed.date and s.language == "en" for s in seed.statements.all())


def test_seed_keeps_its_source_verbatim(seed, seed_text):
    assert seed.source_text == seed_text
    assert seed.content_hash == content_hash(seed_text)
    assert seed.other_languages == "en,ru"


def test_title_form_and_label_are_one_speaker_and_question_is_not_a_person(seed):
    assert list(Speaker.objects.values_list("name", "role")) == [
        ("Sergey Lavrov", "Foreign Minister")
    ]
    lavrov = Speaker.objects.get()
    assert set(lavrov.aliases.values_list("name", flat=True)) == {
        "Sergey Lavrov",
        "Foreign Minister Sergey Lavrov",  # never the possessive of the title
    }
    assert Speaker.objects.by_alias("Foreign Minister Sergey Lavrov") == lavrov
    assert not Speaker.objects.filter(name__iexact="Question").exists()
    assert seed.statements.filter(speaker=lavrov).count() == 3
    assert seed.statements.get(position=3).speaker_role == "Foreign Minister"


def test_the_same_speaker_across_transcripts(seed):
    result = import_source(
        "Interview of Foreign Minister Sergey Lavrov to Kommersant, March 1, 2019\n\n"
        "Question: Good morning.\n\nSergey Lavrov: Good morning.",
        filename="interview.txt",
    )
    assert result.new_speakers == []
    assert Speaker.objects.count() == 1
    assert result.transcript.statements.get(position=2).speaker.name == "Sergey Lavrov"


def test_a_lone_surname_never_links_to_another_transcripts_speaker(seed):
    import_source(
        "Remarks by Deputy Minister Nikolai Lavrov, May 2, 2019\n\nNikolai Lavrov: Hello.\n\nLavrov: Bye.",
        filename="other.txt",
    )
    assert sorted(Speaker.objects.values_list("name", flat=True)) == [
        "Nikolai Lavrov",
        "Sergey Lavrov",
    ]
    assert Speaker.objects.get(name="Sergey Lavrov").statements.count() == 3
    assert Speaker.objects.get(name="Nikolai Lavrov").statements.count() == 2


def test_importing_the_same_file_twice_creates_nothing_the_second_time(seed):
    counts = (Transcript.objects.count(), Statement.objects.count(), Speaker.objects.count())
    again = import_source(SEED.read_bytes(), filename=SEED.name)
    assert again.duplicate and not again.created
    assert again.transcript == seed
    assert (
        Transcript.objects.count(),
        Statement.objects.count(),
        Speaker.objects.count(),
    ) == counts


def test_the_same_text_with_other_line_endings_is_a_duplicate(seed, seed_text):
    again = import_source(seed_text.replace("\n", "\r\n").encode(), filename="copy.txt")
    assert again.duplicate
    assert again.transcript == seed
    assert Transcript.objects.count() == 1


def test_an_import_that_fails_midway_leaves_no_rows():
    # The fourth statement's label is too long for its column: PostgreSQL refuses the row
    # after the speaker and transcript rows were written in the same transaction.
    data = {
        "title": "Foreign Minister Sergey Lavrov’s remarks",
        "date": "2019-01-28",
        "statements": [
            {
                "speaker": "Sergey Lavrov",
                "speaker_label": "Sergey Lavrov",
                "kind": "opening",
                "paragraphs": ["a"],
            },
            {"speaker_label": "Question", "kind": "question", "paragraphs": ["b"]},
            {
                "speaker": "Sergey Lavrov",
                "speaker_label": "Sergey Lavrov",
                "kind": "answer",
                "paragraphs": ["c"],
            },
            {"speaker_label": "Q" * 300, "kind": "question", "paragraphs": ["d"]},
        ],
    }
    with pytest.raises(DataError):
        import_source(json.dumps(data), filename="broken.json")
    assert (Transcript.objects.count(), Statement.objects.count(), Speaker.objects.count()) == (
        0,
        0,
        0,
    )
    assert SpeakerAlias.objects.count() == 0


def test_dry_run_reports_real_counts_and_saves_nothing():
    result = import_source(SEED.read_bytes(), filename=SEED.name, dry_run=True)
    assert (result.dry_run, result.statement_count, result.new_speakers) == (
        True,
        5,
        ["Sergey Lavrov"],
    )
    assert (Transcript.objects.count(), Statement.objects.count(), Speaker.objects.count()) == (
        0,
        0,
        0,
    )


def test_russian_transcript_is_saved_in_russian(russian):
    assert russian.language == "ru"
    assert (
        russian.slug
        == "2019-01-28-vystuplenie-i-otvety-na-voprosy-smi-ministra-inostrannykh-del-rossii-s-v-lavrova-v-khode"
    )
    assert sorted(Speaker.objects.values_list("name", flat=True)) == ["Б.Атамкулов", "С.В.Лавров"]
    assert Speaker.objects.get(name="С.В.Лавров").slug == "s-v-lavrov"
    assert Speaker.objects.by_alias("С. В. Лавров").name == "С.В.Лавров"


def test_language_override():
    result = import_source(RUSSIAN, filename="x.txt", language="en", dry_run=True)
    assert result.transcript.language == "en"
    assert {s.language for s in result.transcript.statements.all()} == set()  # rolled back


def test_transcript_slugs_are_unique(seed):
    again = SEED.read_text() + "\nOne more line."
    other = import_source(again, filename="seed-2.txt", allow_near_duplicate=True).transcript
    assert other.slug == seed.slug + "-2"


def test_the_whole_corpus_imports_with_one_speaker_per_person():
    from django.core.management import call_command

    from statements.tests.test_corpus import CORPUS

    call_command("import_transcripts", str(CORPUS), stdout=StringIO())
    assert Transcript.objects.count() == 84
    for name, transcripts in [
        ("Vladimir Putin", 52),
        ("John Kirby", 3),
        ("Vivian Balakrishnan", 4),
    ]:
        speaker = Speaker.objects.get(name__icontains=name.split()[-1])
        assert speaker.name == name
        assert speaker.statements.values("transcript").distinct().count() == transcripts
    kirby = Speaker.objects.get(name="John Kirby")
    assert not Statement.objects.filter(speaker_label="MR. KIRBY").exclude(speaker=kirby).exists()
    assert kirby.statements.filter(speaker_role__icontains="Communications Advisor").exists()


def test_unresolved_labels_are_flagged_for_editors():
    result = import_source(
        "Daily briefing, March 3, 2021\n\nMR PRICE: Good afternoon.", filename="b.txt"
    )
    assert result.transcript.parse_warnings == [
        "line 3: label 'MR PRICE' does not name a known person; kept as printed"
    ]
    assert result.transcript.statements.get().speaker is None


def test_answers_are_linked_to_their_questions(seed):
    questions = seed.statements.filter(kind="question").order_by("position")
    assert [q.answers.get().position for q in questions] == [3, 5]


@pytest.mark.django_db
def test_an_import_drops_a_source_url_that_is_not_http_with_a_warning():
    record = {
        "title": "Briefing",
        "date": "2021-05-05",
        "source_url": "javascript:alert(1)",
        "statements": [{"speaker_label": "Ann Smith", "paragraphs": ["Words."]}],
    }
    result = import_source(json.dumps(record), filename="briefing.json")
    transcript = Transcript.objects.get()
    assert transcript.source_url == ""
    assert any("source URL dropped" in warning for warning in result.warnings)
    assert any("source URL dropped" in warning for warning in transcript.parse_warnings)


def reheaded_seed() -> str:
    return (
        SEED.read_text()
        .replace("28 January 201913:56", "29 January 201909:10", 1)
        .replace("remarks and answers to media questions", "statement and replies to the press", 1)
    )


def test_a_near_duplicate_is_not_saved_and_names_the_transcript(seed):
    result = import_source(reheaded_seed(), filename="again.txt")
    assert (result.near_duplicate, result.created, result.transcript) == (True, False, seed)
    assert result.similarity >= 0.95
    assert Transcript.objects.count() == 1


def test_a_near_duplicate_is_saved_when_allowed(seed):
    result = import_source(reheaded_seed(), filename="again.txt", allow_near_duplicate=True)
    assert result.created and result.transcript != seed
    assert Transcript.objects.count() == 2


def _statistics_flushed(cursor) -> None:
    """This session's table counters in the shared statistics, and read afresh."""
    cursor.execute("SELECT pg_stat_force_next_flush()")
    cursor.execute("SELECT pg_stat_clear_snapshot()")


@pytest.mark.django_db(transaction=True)
def test_an_import_ends_with_fresh_statistics_for_the_tables_it_grew():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE statements_statement")
    assert "statements_statement" not in refresh_statistics()
    for path in sorted((CORPUS / "kremlin-en-news").glob("*.html"))[
        :8
    ]:  # ~150 statements: stale now
        import_source(path.read_bytes(), filename=path.name)
    with connection.cursor() as cursor:
        _statistics_flushed(cursor)
    assert "statements_statement" in refresh_statistics()
    with connection.cursor() as cursor:
        _statistics_flushed(cursor)
    assert "statements_statement" not in refresh_statistics()  # fresh again
