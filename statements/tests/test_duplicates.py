"""Near duplicates: the same words under another header are found, named and measured;
other transcripts are not."""

import pytest

from statements.duplicates import SIMILAR, near_duplicates, similarity, words
from statements.parsing import parse_source
from statements.tests.conftest import RUSSIAN, SEED

pytestmark = pytest.mark.django_db


def reheaded(text: str) -> str:
    """The seed with another date line and its title worded otherwise."""
    return text.replace("28 January 201913:56", "29 January 201909:10", 1).replace(
        "remarks and answers to media questions", "statement and replies to the press", 1
    )


def parse(text: str, name: str = "file.txt"):
    return parse_source(text, filename=name)


def test_the_same_words_under_another_header_are_a_near_duplicate(seed):
    (found,) = near_duplicates([parse(reheaded(SEED.read_text()))])
    assert found.transcript == seed
    assert found.similarity >= SIMILAR


def test_a_few_words_changed_in_the_body_are_still_a_near_duplicate(seed):
    text = reheaded(SEED.read_text()).replace("delighted", "very glad", 1)
    (found,) = near_duplicates([parse(text)])
    assert found.transcript == seed and found.similarity < 1


def test_another_transcript_is_not_a_near_duplicate(seed):
    assert near_duplicates([parse(RUSSIAN, "ru.txt")]) == [None]


def test_sharing_one_long_statement_is_not_enough(seed):
    opening = seed.statements.get(position=1).text
    text = (
        "1 March 2019\n\nRemarks by Sergey Lavrov, Moscow, March 1, 2019\n\n"
        f"{opening}\n\nQuestion: Something else entirely, about the weather in spring?\n\n"
        "Sergey Lavrov: " + " ".join(["Quite different words follow here"] * 40)
    )
    assert near_duplicates([parse(text)]) == [None]


def test_similarity_counts_the_words_in_common_over_the_longer():
    assert similarity(words(["a b c d"]), words(["a b c"])) == 0.75
    assert similarity(words(["A, b! c"]), words(["a b c"])) == 1.0
