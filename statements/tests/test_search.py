"""Full-text search at the database level, through the ORM, on the GIN-indexed column."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import search

pytestmark = pytest.mark.django_db


def positions(queryset):
    return sorted(queryset.values_list("position", flat=True))


def test_words_are_found(seed):
    assert positions(search.matching("Idlib")) == [4, 5]
    assert positions(search.matching("Astana")) == [1, 2, 3]
    assert positions(search.matching("Idlib Astana")) == []


def test_english_stemming(seed):
    # Statement 3 says "an agreement in principle" and never "agreements".
    statement_3 = seed.statements.get(position=3)
    assert "agreement " in statement_3.text and "agreements" not in statement_3.text
    assert 3 in positions(search.matching("agreements"))
    assert positions(search.matching("agreements")) == positions(search.matching("agreement"))


def test_web_search_syntax(seed):
    assert positions(search.matching('"Astana format"')) == [1]
    # The opening names Astana and says "Syrian", never "Syria": a different word.
    assert positions(search.matching("Astana -Syria")) == [1]
    assert positions(search.matching("Astana -Jordan")) == [1, 2]
    assert positions(search.matching("Idlib OR Kazakhstan")) == [1, 4, 5]


def test_russian_stemming_on_russian_text(seed, russian):
    # "договорённость" (singular) finds "договорённости" and "Договорённости" (plural).
    found = search.matching("договорённость")
    assert positions(found) == [3, 4]
    assert {s.transcript for s in found} == {russian}
    assert positions(search.matching("переговор")) == [1]  # "переговоры"


def test_malformed_queries_do_not_error(seed):
    for query in ['"unclosed', "OR OR", "-", "&|!", "((", ""]:
        list(search.matching(query))


def test_the_gin_index_answers_the_query(seed, russian):
    with connection.cursor() as cursor:
        # On a five-row table a sequential scan is cheaper; forbid it to see the index plan.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.matching("Idlib").explain()
    assert "statement_search_gin" in plan
    assert "Seq Scan" not in plan


def test_fetched_results_leave_search_vectors_and_sources_in_the_database(seed):
    ids = list(seed.statements.order_by("-position").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        fetched = search.Search.fetch(ids)
    assert [statement.pk for statement in fetched] == ids
    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert "search_vector" not in sql and "source_text" not in sql
    assert fetched[0].transcript.title == seed.title and fetched[0].text
