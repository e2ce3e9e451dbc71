"""Topic tagging (statements/topics.py) against real PostgreSQL full-text search."""

import pytest

from statements import topics
from statements.importing import import_source, reparse
from statements.models import Statement, StatementTopic, Topic, TopicRemoval
from statements.parsing import parse_source
from statements.tests.conftest import RUSSIAN, SEED

pytestmark = pytest.mark.django_db


def topic(query: str, name: str = "Syria") -> Topic:
    return Topic.objects.create(name=name, slug=name.lower(), query=query)


def tagged(topic: Topic) -> list[tuple[str, int]]:
    """(language, position) of the statements tagged with `topic`, in order."""
    return sorted(topic.statements.values_list("language", "position"))


def test_a_topic_query_tags_matching_statements_of_existing_transcripts(seed, russian):
    syria = topic('Syria OR Idlib OR "Astana format"')
    assert topics.tag(syria) == 5
    assert tagged(syria) == [("en", 1), ("en", 2), ("en", 3), ("en", 4), ("en", 5)]
    assert set(StatementTopic.objects.values_list("source", flat=True)) == {"query"}


def test_each_statement_is_matched_in_its_own_language(seed, russian):
    meetings = topic("Idlib OR встречи", name="Meetings")
    topics.tag(meetings)
    # "встречи" finds "встреча" with Russian stemming; "Idlib" the two English answers.
    assert tagged(meetings) == [("en", 4), ("en", 5), ("ru", 2), ("ru", 3)]


def test_newly_imported_transcripts_are_tagged_by_existing_topics(db):
    idlib = topic("Idlib")
    assert topics.tag(idlib) == 0
    transcript = import_source(SEED.read_bytes(), filename=SEED.name).transcript
    assert tagged(idlib) == [("en", 4), ("en", 5)]
    assert {s.transcript_id for s in idlib.statements.all()} == {transcript.pk}


def test_a_dry_run_import_tags_nothing(db):
    topic("Idlib")
    import_source(SEED.read_bytes(), filename=SEED.name, dry_run=True)
    assert StatementTopic.objects.count() == 0


def test_a_changed_query_untags_what_it_no_longer_matches_but_keeps_editor_tags(seed):
    syria = topic('Syria OR Idlib OR "Astana format"')
    topics.tag(syria)
    topics.add_by_hand(seed.statements.get(position=1), syria)
    syria.query = "Idlib"
    syria.save()
    topics.tag(syria)
    assert tagged(syria) == [("en", 1), ("en", 4), ("en", 5)]
    assert syria.statementtopic_set.get(statement__position=1).source == "editor"


def test_an_empty_query_drops_the_query_tags(seed):
    syria = topic("Idlib")
    topics.tag(syria)
    syria.query = ""
    syria.save()
    assert topics.tag(syria) == 0
    assert tagged(syria) == []


def test_a_topic_removed_by_hand_is_not_put_back_by_re_tagging(seed):
    idlib = topic("Idlib")
    topics.tag(idlib)
    answer = seed.statements.get(position=4)
    topics.remove_by_hand(answer, idlib)
    topics.tag(idlib)
    topics.tag_statements(seed.statements.all())  # as after an edit in the admin
    assert tagged(idlib) == [("en", 5)]
    assert TopicRemoval.objects.get().statement == answer


def test_adding_a_topic_back_by_hand_lifts_the_removal(seed):
    idlib = topic("Idlib")
    answer = seed.statements.get(position=4)
    topics.remove_by_hand(answer, idlib)
    topics.add_by_hand(answer, idlib)
    assert not TopicRemoval.objects.exists()
    assert StatementTopic.objects.get(statement=answer).source == "editor"


def test_a_topic_removed_from_a_whole_transcript_stays_off_all_its_statements(seed, russian):
    meetings = topic("Idlib OR встречи", name="Meetings")
    topics.tag(meetings)
    assert topics.remove_from_transcript(seed, meetings) == 2
    topics.tag(meetings)
    assert tagged(meetings) == [("ru", 2), ("ru", 3)]


def test_topics_of_statements_counts_them(seed):
    topics.tag(topic("Idlib"))
    (idlib,) = topics.topics_of_statements(seed)
    assert (idlib.name, idlib.statement_count) == ("Syria", 2)


def test_a_reparse_keeps_the_editors_topic_work_on_unchanged_statements(seed):
    idlib, energy = topic("Idlib"), topic("", name="Energy")
    topics.tag(idlib)
    topics.remove_by_hand(seed.statements.get(position=4), idlib)
    topics.add_by_hand(seed.statements.get(position=1), energy)
    Statement.objects.filter(transcript=seed, position=2).update(text="Edited by hand.")

    reparse(seed, parse_source(SEED.read_bytes(), filename=SEED.name))

    assert tagged(idlib) == [("en", 5)]  # the removal followed statement 4's text
    assert tagged(energy) == [("en", 1)]
    assert seed.statements.get(position=2).text.startswith("As you’ve already said")


def test_russian_transcripts_are_tagged_on_import_too(db):
    meetings = topic("встречи", name="Meetings")
    import_source(RUSSIAN, filename="lavrov-ru.txt")
    assert tagged(meetings) == [("ru", 2), ("ru", 3)]
