"""The query as each configuration reads it (statements/search/query.py): every syntax form
finds exactly the statements the same condition, written as a tsquery in SQL, finds."""

import pytest
from django.db import connection

from statements import search
from statements.languages import config_sql

pytestmark = pytest.mark.django_db


def sql_count(tsquery: str) -> int:
    """Statements matching `tsquery` (to_tsquery syntax), read in each row's configuration."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM statements_statement AS statement WHERE statement.search_vector"
            f" @@ to_tsquery({config_sql('statement.language')}, %s)",
            [tsquery],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "typed, written_in_sql, expected",
    [
        ("Idlib AND (Turkey OR Russia)", "idlib & (turkey | russia)", 2),
        ("idlib and (turkey or russia)", "idlib & (turkey | russia)", 2),
        (
            "(Astana OR Idlib) AND (Kazakhstan OR Syria)",
            "(astana | idlib) & (kazakhstan | syria)",
            4,
        ),
        ("Astana NOT Jordan", "astana & !jordan", 2),
        ("Astana not Jordan", "astana & !jordan", 2),
        ("Astana -Jordan", "astana & !jordan", 2),
        ("Astana -(Jordan OR Syria)", "astana & !(jordan | syria)", 1),
        ('"Astana format"', "astana <-> format", 1),
        ('"President of Russia"', "president <2> russia", 1),
        ("Syr*", "syr:*", 4),
        ("Kazakh* OR Idlib", "kazakh:* | idlib", 4),
        ("Idlib OR Kazakhstan", "idlib | kazakhstan", 4),
        ("Syria Turkey OR Idlib", "(syria & turkey) | idlib", 4),
        ("договорённость OR переговоры", "договорённость | переговоры", 3),
        ("переговор*", "переговор:*", 1),
    ],
)
def test_each_syntax_form_matches_what_sql_matches(archive, typed, written_in_sql, expected):
    assert sql_count(written_in_sql) == expected
    assert search.matching(typed).count() == expected


def test_a_query_read_as_typed_shows_no_reading(archive):
    query = search.parse_query("Idlib AND (Turkey OR Russia)")
    assert query.shown == "" and query.notes == ()


@pytest.mark.parametrize(
    "typed, read_as",
    [
        ("Idlib AND", "Idlib"),
        ("(Idlib OR Astana", "Idlib OR Astana"),
        ("Idlib) Astana", "Idlib AND Astana"),
        ("the OR Idlib", "Idlib"),
        ("Idlib -the", "Idlib"),
    ],
)
def test_a_query_read_otherwise_says_how(archive, typed, read_as):
    query = search.parse_query(typed)
    assert query.shown == read_as and query.notes
    assert search.matching(typed).count() == search.matching(read_as).count()


def test_a_stop_word_among_words_is_left_out_silently(archive):
    assert search.parse_query("the Idlib").notes == ()


def test_only_stop_words_or_operators_search_for_nothing_in_english(archive):
    for typed in ["the", "OR", "AND NOT", "-", "&|!"]:
        query = search.parse_query(typed)
        assert not any("english" in reading.configs for reading in query.readings)
