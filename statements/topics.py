"""Topic tagging: a topic's query tags the statements it matches; editors add and remove
topics by hand, and their removals stick.

Two sources of tags live side by side in StatementTopic: `query` tags are recomputed from
the topic's web-search query whenever it may have changed what it matches (the topic is
saved, a transcript is imported or re-parsed, a statement is edited), `editor` tags are set
by hand and never touched by re-tagging. A tag an editor removes is recorded as a
TopicRemoval, which re-tagging respects; adding the topic back by hand lifts it.

Transcript.topics is not tagged by queries: it is the editors' own classification of a
whole transcript. What its statements are tagged with is `topics_of_statements`.
"""

from django.db import connection, transaction
from django.db.models import Count, QuerySet

from statements.models import Statement, StatementTopic, Topic, TopicRemoval, Transcript
from statements.search import matching


def tag(topic: Topic, statements: QuerySet | None = None) -> int:
    """Make `topic`'s query tags on `statements` (all statements if None) agree with its
    query: tag those it matches, untag those it no longer matches. Editor tags and
    removals by hand are left as they are. Returns how many statements were newly tagged."""
    scope = Statement.objects.all() if statements is None else statements
    query = topic.query.strip()
    matched = matching(query, scope) if query else scope.none()
    with transaction.atomic():
        StatementTopic.objects.filter(
            topic=topic, source=StatementTopic.Source.QUERY, statement__in=scope
        ).exclude(statement__in=matched).delete()
        new = (
            matched.exclude(statementtopic__topic=topic)
            .exclude(topic_removals__topic=topic)
            .values_list("pk", flat=True)
        )
        created = StatementTopic.objects.bulk_create(
            [StatementTopic(statement_id=pk, topic=topic) for pk in new], ignore_conflicts=True
        )
    return len(created)


def tag_statements(statements: QuerySet) -> None:
    """Apply every topic's query to `statements` (re-parsed or edited)."""
    for topic in Topic.objects.exclude(query=""):
        tag(topic, statements)


def tag_new_statements(statements: QuerySet) -> None:
    """Apply every topic's query to statements just created: they have no tags and no
    removals yet, so each topic needs one INSERT … SELECT and nothing else. (Running `tag`
    on every import cost three queries per topic and most of an import's time.)"""
    for topic in Topic.objects.exclude(query="").only("pk", "query"):
        matched = matching(topic.query.strip(), statements).values("pk")
        sql, params = matched.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO statements_statementtopic (statement_id, topic_id, source) "
                f"SELECT matched.pk, %s, %s FROM ({sql}) AS matched (pk) ON CONFLICT DO NOTHING",
                [topic.pk, StatementTopic.Source.QUERY, *params],
            )


def add_by_hand(statement: Statement, topic: Topic) -> None:
    """An editor tags `statement` with `topic`: the tag is theirs, and any earlier removal
    by hand is lifted."""
    TopicRemoval.objects.filter(statement=statement, topic=topic).delete()
    StatementTopic.objects.update_or_create(
        statement=statement, topic=topic, defaults={"source": StatementTopic.Source.EDITOR}
    )


def remove_by_hand(statement: Statement, topic: Topic, user=None) -> None:
    """An editor takes `topic` off `statement`; the topic's query will not put it back."""
    StatementTopic.objects.filter(statement=statement, topic=topic).delete()
    TopicRemoval.objects.get_or_create(
        statement=statement, topic=topic, defaults={"removed_by": user}
    )


def remove_from_transcript(transcript: Transcript, topic: Topic, user=None) -> int:
    """Take `topic` off every statement of `transcript` that has it, for good. Returns how
    many statements lost it."""
    tagged = transcript.statements.filter(topics=topic)
    with transaction.atomic():
        count = 0
        for statement in tagged:
            remove_by_hand(statement, topic, user)
            count += 1
    return count


def topics_of_statements(transcript: Transcript) -> QuerySet:
    """The topics `transcript`'s statements are tagged with, each with `statement_count`."""
    return (
        Topic.objects.filter(statements__transcript=transcript)
        .annotate(statement_count=Count("statements"))
        .order_by("name")
    )


def snapshot_by_text(transcript: Transcript) -> dict[str, tuple[set[int], set[int]]]:
    """Editors' topic work on each statement of `transcript`, keyed by the statement's text:
    (topics added by hand, topics removed by hand). See `restore_by_text`."""
    work: dict[str, tuple[set[int], set[int]]] = {}
    for text, topic_id in StatementTopic.objects.filter(
        statement__transcript=transcript, source=StatementTopic.Source.EDITOR
    ).values_list("statement__text", "topic_id"):
        work.setdefault(text, (set(), set()))[0].add(topic_id)
    for text, topic_id in TopicRemoval.objects.filter(statement__transcript=transcript).values_list(
        "statement__text", "topic_id"
    ):
        work.setdefault(text, (set(), set()))[1].add(topic_id)
    return work


def restore_by_text(transcript: Transcript, work: dict[str, tuple[set[int], set[int]]]) -> None:
    """After a re-parse replaced the statements, give each new statement whose text is
    unchanged the editors' additions and removals its old self had."""
    for statement in transcript.statements.filter(text__in=list(work)):
        added, removed = work[statement.text]
        for topic in Topic.objects.filter(pk__in=added):
            add_by_hand(statement, topic)
        for topic in Topic.objects.filter(pk__in=removed):
            remove_by_hand(statement, topic)
