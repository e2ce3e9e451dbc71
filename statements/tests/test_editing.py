"""Editors' structural changes to a transcript (statements/editing.py) and speaker merges
(statements/speakers.py), on real rows."""

from pathlib import Path

import pytest
from django.conf import settings

from statements import editing, embedder, importing, speakers, topics
from statements.importing import import_source
from statements.models import (
    RetiredStatement,
    Speaker,
    Statement,
    StatementEmbedding,
    StatementTopic,
    Topic,
    VersionLink,
)
from statements.search import matching

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
    at = opening.text.index("We are delighted")
    new = editing.split(opening, at, speaker=lavrov, speaker_label="", kind="opening")
    opening.refresh_from_db()
    assert opening.text == "Ladies and gentlemen,"
    assert (new.position, new.speaker, len(new.paragraphs)) == (2, lavrov, 10)
    assert [p for p, _ in positions(seed)] == [1, 2, 3, 4, 5, 6]


def test_split_refuses_a_place_outside_the_statement(seed):
    with pytest.raises(ValueError, match="cannot split at character 0"):
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


def test_merging_speakers_moves_statements_and_aliases_and_keeps_their_names(russian_lavrov):
    english = Speaker.objects.get(name="Sergey Lavrov")
    russian_lavrov.country = "Russia"
    russian_lavrov.save()
    speakers.merge(english, [russian_lavrov])
    assert not Speaker.objects.filter(pk=russian_lavrov.pk).exists()
    assert english.statements.count() == 5
    assert Speaker.objects.by_alias("С.В.Лавров") == english
    assert english.country == "Russia" and english.role == "Foreign Minister"


def test_split_keeps_the_id_for_the_first_part(seed):
    opening = seed.statements.get(position=1)
    ids = list(seed.statements.order_by("position").values_list("pk", flat=True))
    at = opening.text.index(opening.paragraphs[3])
    new = editing.split(opening, at, speaker=opening.speaker, kind="opening")
    after = list(seed.statements.order_by("position").values_list("pk", flat=True))
    assert after == [ids[0], new.pk, *ids[1:]]


def test_merge_keeps_the_first_statements_id_and_retires_the_second_to_it(seed):
    question, answer = seed.statements.filter(position__in=[2, 3]).order_by("position")
    editing.merge_with_next(question)
    assert seed.statements.get(position=2).pk == question.pk
    assert RetiredStatement.objects.get(pk=answer.pk).successor_id == question.pk


def test_a_reparse_keeps_every_id_and_writes_no_row_when_nothing_changed(seed):
    before = list(seed.statements.order_by("position").values_list("pk", "text"))
    importing.reparse(seed, editing.parse_again(seed))
    assert list(seed.statements.order_by("position").values_list("pk", "text")) == before
    assert not RetiredStatement.objects.exists()


def test_a_reparse_keeps_the_id_and_topics_of_a_statement_it_corrects(seed):
    answer = seed.statements.get(position=3)
    idlib = Topic.objects.create(name="Kazakh", slug="kazakh")
    topics.add_by_hand(answer, idlib)
    Statement.objects.filter(pk=answer.pk).update(text=answer.text.replace("Syria", "Siria"))
    importing.reparse(seed, editing.parse_again(seed))
    answer.refresh_from_db()
    assert "Siria" not in answer.text and answer.position == 3
    assert list(answer.topics.all()) == [idlib]


def test_a_reparse_links_each_answer_to_its_question(seed):
    Statement.objects.filter(transcript=seed).update(reply_to=None)
    importing.reparse(seed, editing.parse_again(seed))
    replies = dict(seed.statements.values_list("position", "reply_to__position"))
    assert (replies[3], replies[5]) == (2, 4)


def test_a_reparse_keeps_the_search_index_current(seed):
    answer = seed.statements.get(position=3)
    Statement.objects.filter(pk=answer.pk).update(text=answer.text.replace("Astana", "Moscow"))
    assert not matching("Astana").filter(pk=answer.pk).exists()
    importing.reparse(seed, editing.parse_again(seed))
    assert matching("Astana").filter(pk=answer.pk).exists()


def test_a_statement_splits_at_a_sentence_too(seed):
    answer = seed.statements.get(position=3)
    sentence = "Now we are finishing up coordinating all technical details."
    points = dict(editing.split_points(answer.text))
    at = answer.text.index("An international meeting on Syria will be held")
    assert points[answer.text.index(sentence)] == "¶2" and points[at] == "¶2, sentence 2"
    new = editing.split(answer, at, speaker=answer.speaker, kind="answer")
    answer.refresh_from_db()
    assert answer.text.endswith(sentence) and new.text.startswith("An international meeting")


def test_a_label_opening_the_new_part_becomes_its_speaker_and_note(seed):
    cavusoglu = Speaker.objects.create(name="Mevlut Cavusoglu")
    cavusoglu.add_alias("Mevlut Cavusoglu")
    remarks = seed.statements.get(position=1)
    remarks.text += " Mevlut Cavusoglu (retranslated from Turkish): We agree with every word."
    remarks.save()
    at = remarks.text.index("Mevlut")
    new = editing.split(remarks, at, speaker=remarks.speaker, kind="remarks")
    assert (new.speaker, new.speaker_label, new.note) == (
        cavusoglu,
        "Mevlut Cavusoglu",
        "retranslated from Turkish",
    )
    assert new.text == "We agree with every word."


def test_an_answer_split_off_its_question_answers_it(seed):
    question = seed.statements.get(position=2)
    question.text += " Sergey Lavrov: It has not been set yet."
    question.save()
    at = question.text.index("Sergey Lavrov:")
    answer = editing.split(question, at, kind="answer")
    assert answer.reply_to == question and answer.speaker.name == "Sergey Lavrov"
    assert not question.text.endswith("yet.")


def test_a_split_aligns_the_language_versions_again(versions_pair):
    english, _ = versions_pair
    first = english.statements.get(position=1)
    at = next(point for point, name in editing.split_points(first.text) if name == "¶6")
    editing.split(first, at)
    link = VersionLink.objects.get()
    # The Russian original's first statement now answers to both English halves.
    assert (link.alignment[0]["original"], link.alignment[0]["translation"]) == ([1], [1, 2])
    assert [bead["translation"] for bead in link.alignment[1:]] == [[3], [4], [5], [6]]


def test_a_merge_aligns_the_language_versions_again(versions_pair):
    english, _ = versions_pair
    editing.merge_with_next(english.statements.get(position=2))
    link = VersionLink.objects.get()
    beads = [(bead["original"], bead["translation"]) for bead in link.alignment]
    assert beads == [([1], [1]), ([2, 3], [2]), ([4], [3]), ([5], [4])]


def test_a_statements_vector_goes_when_its_words_change(versions_pair):
    english, _ = versions_pair
    embedder.embed_pending()
    edited, kept = english.statements.order_by("position")[:2]
    edited.text += " And one more sentence."
    edited.save(update_fields=["text"])
    Statement.objects.filter(pk=kept.pk).update(position=kept.position)  # not its words
    assert not StatementEmbedding.objects.filter(statement=edited).exists()
    assert StatementEmbedding.objects.filter(statement=kept).exists()
    assert list(embedder.pending().values_list("pk", flat=True)) == [edited.pk]
