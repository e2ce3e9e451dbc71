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

import functools

from django.core.exceptions import EmptyResultSet
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
    removals yet, so one INSERT … SELECT does it, for every topic at once — each statement
    is read once and every topic's condition tried on it. (One query per topic read each
    statement once per topic, and was most of a batch import's tagging time.) No tag can
    exist yet, so none is looked for: ON CONFLICT DO NOTHING cost ~40 % more per tag."""
    conditions, separate = [], []
    for topic in Topic.objects.exclude(query="").only("pk", "query"):
        condition = _condition(topic.query.strip())
        if condition is None:
            separate.append(topic)
        elif condition is not MATCHES_NOTHING:
            conditions.append((topic.pk, *condition))
    if conditions:
        _insert_tags(conditions, statements)
    for topic in separate:
        _insert_tags_of(topic, statements)


MATCHES_NOTHING = ("FALSE", ())


@functools.lru_cache(maxsize=1024)
def _condition(query: str) -> tuple[str, tuple] | None:
    """`search.matching(query)` as an SQL condition on statements_statement, compiled
    once per process (Django takes ~2 ms per topic); None if it needs other tables (the
    topic is then tagged with a query of its own)."""
    return _where(matching(query, Statement.objects.all()))


def _where(statements: QuerySet) -> tuple[str, tuple] | None:
    """The WHERE clause of a queryset of statements, as SQL on statements_statement alone;
    MATCHES_NOTHING if it can match nothing, None if it needs other tables."""
    query = statements.query
    # A table a filter joined and Django trimmed again (transcript__in=…) stays listed, unused.
    tables = [alias for alias, uses in query.alias_refcount.items() if uses]
    if tables != [Statement._meta.db_table]:
        return None
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:
        return MATCHES_NOTHING
    return sql, tuple(params)


def _insert_tags(conditions: list[tuple[int, str, tuple]], statements: QuerySet) -> None:
    """Tag `statements` with the topic of each (topic id, condition) they meet."""
    table = Statement._meta.db_table
    # The statements' own condition where they have one: joining them as a subquery
    # costs more than trying all the topics.
    scope = _where(statements)
    if scope is None:
        sql, params = statements.values("pk").query.sql_with_params()
        scope = (f"{table}.id IN ({sql})", params)
    elif scope is MATCHES_NOTHING:
        return
    # Each statement is paired with every topic id and whether it meets the topic's
    # condition, by unnesting two arrays: the conditions are evaluated as one expression.
    # (A VALUES list would do it too, but PostgreSQL prepares a VALUES row's expressions
    # anew for every statement it is joined to, which costs more than evaluating them.)
    matches_sql = ", ".join(f"({sql})" for _, sql, _ in conditions)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO statements_statementtopic (statement_id, topic_id, source) "
            f"SELECT {table}.id, topic.id, %s FROM {table} "
            f"CROSS JOIN LATERAL unnest(%s::bigint[], ARRAY[{matches_sql}]) AS topic (id, matches) "
            f"WHERE topic.matches AND {scope[0]}",
            [
                StatementTopic.Source.QUERY,
                [pk for pk, _, _ in conditions],
                *(value for _, _, params in conditions for value in params),
                *scope[1],
            ],
        )


def _insert_tags_of(topic: Topic, statements: QuerySet) -> None:
    """Tag `statements` with `topic` where its query matches them: a query of its own."""
    matched = matching(topic.query.strip(), statements).values("pk")
    sql, params = matched.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO statements_statementtopic (statement_id, topic_id, source) "
            f"SELECT matched.pk, %s, %s FROM ({sql}) AS matched (pk)",
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
