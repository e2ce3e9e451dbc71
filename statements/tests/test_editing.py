"""Editors' structural changes to a transcript (statements/editing.py) and speaker merges
(statements/speakers.py), on real rows."""

from pathlib import Path

import pytest
from django.conf import settings

from statements import editing, speakers, topics
from statements.importing import import_source
from statements.models import Speaker, Statement, StatementTopic, Topic

pytestmark = pytest.mark.django_db

KREMLIN = Path(settings.BASE_DIR) / "fixtures" / "corpus" / "kremlin-en-news" / "57192.html"


def positions(transcript) -> list[tuple[int, str]]:
    return list(transcript.statements.order_by("position").values_list("position", "kind"))


def test_reorder_numbers_the_given_order_and_keeps_the_rest_after_it(seed):
    last, first = seed.statements.get(position=5), seed.statements.get(position=1)
    editing.reorder(seed, [last, first])
    assert positions(seed) == [
        (1, "answer"),
        (2, "opening"),
        (3, "question"),
        (4, "answer"),
        (5, "question"),
    ]


def test_reorder_saves_new_statements_with_the_transcripts_date_and_language(seed):
    new = Statement(kind="remarks", speaker_label="Moderator", text="Thank you.")
    editing.reorder(seed, [*seed.statements.order_by("position"), new])
    new.refresh_from_db()
    assert (new.position, new.date, new.language) == (6, seed.date, "en")


def test_split_makes_the_rest_a_new_statement_right_after(seed):
    opening = seed.statements.get(position=1)
    lavrov = opening.speaker
    new = editing.split(opening, 1, speaker=lavrov, speaker_label="", kind="opening")
    opening.refresh_from_db()
    assert opening.text == "Ladies and gentlemen,"
    assert (new.position, new.speaker, len(new.paragraphs)) == (2, lavrov, 10)
    assert [p for p, _ in positions(seed)] == [1, 2, 3, 4, 5, 6]


def test_split_refuses_a_place_outside_the_statement(seed):
    with pytest.raises(ValueError, match="cannot split at 0"):
        editing.split(seed.statements.get(position=2), 0, kind="question")


def test_merge_appends_the_next_statement_and_takes_its_answers_and_topics(seed):
    question, second_question = seed.statements.get(position=2), seed.statements.get(position=4)
    idlib = Topic.objects.create(name="Idlib", slug="idlib", query="Idlib")
    topics.tag(idlib)  # tags statement 4 and 5
    answer = seed.statements.get(position=5)
    assert answer.reply_to == second_question
    merged = editing.merge_with_next(seed.statements.get(position=3))
    answer.refresh_from_db()
    assert answer.position == 4 and answer.reply_to == merged
    assert merged.text.endswith(second_question.text)
    assert StatementTopic.objects.filter(statement=merged, topic=idlib).exists()
    assert seed.statements.count() == 4 and question.answers.count() == 1


def test_the_last_statement_has_nothing_to_merge_with(seed):
    with pytest.raises(ValueError, match="nothing to merge"):
        editing.merge_with_next(seed.statements.get(position=5))


def test_a_stored_source_parses_again_in_its_own_format():
    transcript = import_source(KREMLIN.read_bytes(), filename=KREMLIN.name).transcript
    parsed = editing.parse_again(transcript)
    assert parsed.source_format == "html"
    assert len(parsed.statements) == transcript.statements.count()
    assert editing.reparse_diff(transcript, parsed) == []


def test_the_reparse_diff_shows_statements_added_and_changed(seed):
    Statement.objects.filter(transcript=seed, position=5).delete()
    Statement.objects.filter(transcript=seed, position=2).update(text="Edited.")
    diff = editing.reparse_diff(seed, editing.parse_again(seed))
    assert "-    Edited." in diff
    assert "+— Sergey Lavrov [answer]" in diff
    assert diff[:2] == ["--- stored", "+++ re-parsed"]


def test_merging_speakers_moves_statements_and_aliases_and_keeps_their_names(seed, russian):
    english, russian_lavrov = (
        Speaker.objects.get(name="Sergey Lavrov"),
        Speaker.objects.get(name="С.В.Лавров"),
    )
    russian_lavrov.country = "Russia"
    russian_lavrov.save()
    speakers.merge(english, [russian_lavrov])
    assert not Speaker.objects.filter(pk=russian_lavrov.pk).exists()
    assert english.statements.count() == 5
    assert Speaker.objects.by_alias("С.В.Лавров") == english
    assert english.country == "Russia" and english.role == "Foreign Minister"
