"""Accent folding (statements/folding.py) and search across accents, both ways."""

import json

import pytest
from django.db import connection

from statements import search
from statements.folding import fold, fold_sql
from statements.importing import import_source


def test_accented_latin_letters_fold_to_their_base_letters():
    assert fold("Erdoğan, Sérgio, Łódź, Zürich, Dvořák") == "Erdogan, Sergio, Lodz, Zurich, Dvorak"


def test_cyrillic_and_two_letter_letters_stay_as_they_are():
    assert fold("ёлка, йод, Straße, Æsir") == "ёлка, йод, Straße, Æsir"


def test_folding_keeps_the_length_of_precomposed_text():
    text = "Việt Nam, Łódź, Dvořák, São Paulo"
    assert len(fold(text)) == len(text)


@pytest.mark.django_db
def test_the_database_folds_as_python_does():
    text = "Erdoğan, Sérgio, Łódź, Việt, ёлка, йод, Straße, ×, plain"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fold_sql('t')} FROM (SELECT %s::text AS t) AS s", [text])
        assert cursor.fetchone()[0] == fold(text)


ACCENTS = {
    "title": "Remarks on accents",
    "date": "2021-06-01",
    "statements": [
        {"speaker": "Ana Tester", "paragraphs": ["Talks with President Erdoğan in Ankara."]},
        {"speaker": "Ana Tester", "paragraphs": ["A letter from Erdogan, spelt plainly."]},
        {"speaker": "Ana Tester", "paragraphs": ["Sérgio Lavrov? No: Sergio Mattarella."]},
        {"speaker": "Ana Tester", "paragraphs": ["Nothing of the kind here."]},
    ],
}


@pytest.fixture
def accents(db):
    return import_source(json.dumps(ACCENTS), filename="accents.json").transcript


def positions(query: str) -> list[int]:
    return sorted(search.matching(query).values_list("position", flat=True))


@pytest.mark.django_db
def test_a_query_without_accents_finds_text_with_them(accents):
    assert positions("Erdogan") == [1, 2]
    assert positions("Sergio") == [3]


@pytest.mark.django_db
def test_a_query_with_accents_finds_text_without_them(accents):
    assert positions("Erdoğan") == [1, 2]
    assert positions("Sérgio") == [3]
    assert positions('"President Erdogan"') == [1]
    assert positions("Erdo*") == [1, 2]


@pytest.mark.django_db
def test_headlines_mark_the_words_as_they_are_written(accents):
    rows = list(search.matching("Erdogan").order_by("position"))
    found = search.snippets(rows, "Erdogan")
    assert found[rows[0].pk].startswith("Talks with President <mark>Erdoğan</mark> in Ankara")
    assert "letter from <mark>Erdogan</mark>, spelt plainly" in found[rows[1].pk]
