"""Search by meaning fused with search by words (statements/search/hybrid.py), on a
database with pgvector: `make test` runs these against the embedded PostgreSQL (pgserver),
which has the extension; on one without it they are skipped (see conftest.py)."""

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse

from statements import embedder, embeddings
from statements.importing import import_source
from statements.models import Statement, StatementEmbedding
from statements.search import PAGE_SIZE, Search, hybrid
from statements.tests.conftest import CORPUS, RUSSIAN, imported

pytestmark = pytest.mark.vector


@pytest.fixture(autouse=True)
def _fresh_cache():
    """No "anything embedded?" answer left by another test (their transactions never
    commit, so the data generation does not tell them apart)."""
    cache.clear()


def results(**params):
    return Search(params).results(1)


def test_an_english_query_finds_the_russian_statement_by_meaning(embedded):
    _, russian = embedded
    found = results(q="return of refugees and humanitarian assistance", language="ru")
    assert found.ranking == hybrid.METHOD
    assert found.statements[0] == russian.statements.get(position=5)


def test_a_russian_query_finds_the_english_statement_by_meaning(embedded):
    english, _ = embedded
    found = results(q="возвращение беженцев и гуманитарная помощь", language="en")
    assert found.statements[0] == english.statements.get(position=5)


def test_the_language_filter_still_restricts_every_result(embedded):
    for language in ("en", "ru"):
        found = results(q="Astana meeting on Syria in February", language=language)
        assert found.statements
        assert {statement.language for statement in found.statements} == {language}


def test_without_a_filter_a_query_finds_both_versions(embedded):
    found = results(q="Astana meeting on Syria in February")
    assert {statement.language for statement in found.statements[:4]} == {"en", "ru"}


def test_words_still_come_first_when_they_match(embedded):
    english, _ = embedded
    found = results(q="Adana", language="en")
    # The question and the answer that name the Adana agreement, before anything else.
    assert set(found.statements[:2]) == set(english.statements.filter(position__in=[4, 5]))


def test_results_say_their_language_and_link_the_other_version(client, embedded):
    _, russian = embedded
    original = russian.statements.get(position=5)
    page = client.get(reverse("search"), {"q": "refugees", "language": "en"}).content.decode()
    assert '<span class="result__language">English</span>' in page
    assert f'<a href="{original.get_absolute_url()}" hreflang="ru">Russian original</a>' in page
    assert "Found by words and by meaning" in page


@pytest.fixture
def embedded_news(db):
    """Twelve Kremlin transcripts (a few hundred statements), every statement embedded."""
    for path in sorted((CORPUS / "kremlin-en-news").glob("*.html"))[:12]:
        imported(path)
    embedder.embed_pending()


def test_a_narrow_filter_still_gets_a_full_page_of_the_nearest(embedded_news):
    speaker = Statement.objects.exclude(speaker=None).order_by("speaker").first().speaker
    filtered = Statement.objects.filter(speaker=speaker)
    query = "energy cooperation and gas supplies"
    depth = min(10, filtered.count())
    found = hybrid.nearest(filtered, query, depth)
    # The same as measuring every one of the speaker's statements.
    vector = embeddings.encode([query])[0]
    rows = list(filtered.values_list("pk", "embedding__vector"))
    similarity = {pk: float(np.dot(vector, stored)) for pk, stored in rows}
    expected = sorted(
        (pk for pk in similarity if similarity[pk] >= hybrid.MIN_SIMILARITY),
        key=lambda pk: -similarity[pk],
    )[:depth]
    assert found == expected


def test_every_page_of_a_fused_search_shows_each_match_once(embedded_news, monkeypatch):
    # A shallow fusion, so that the statements found by meaning include some that match
    # the words only below the full-text ids read into it, and the pages go on past it.
    monkeypatch.setattr(hybrid, "DEPTH", 5)
    query = "president"
    first = results(q=query)
    assert first.ranking == hybrid.METHOD
    search = Search({"q": query})
    assert search.fused(first.tally).deeper, "no fused statement ranked deeper by words"
    shown = []
    for number in range(1, first.count // PAGE_SIZE + 3):
        shown += [statement.pk for statement in Search({"q": query}).results(number).statements]
        if len(shown) >= first.count:
            break
    assert len(shown) == len(set(shown)) == first.count
    matching_words = set(search.matches.values_list("pk", flat=True))
    assert matching_words <= set(shown)


def test_reciprocal_rank_fusion_favours_what_both_lists_rank_well():
    assert hybrid.fuse([1, 2, 3], [3, 4, 1]) == [1, 3, 2, 4]


def test_healthz_says_search_by_meaning_is_available(client, db):
    assert client.get("/healthz").json()["search_by_meaning"] == "ok"


def test_a_search_with_nothing_embedded_never_encodes_the_query(versions_pair, monkeypatch):
    def refuse(texts):
        raise AssertionError(f"encoded {texts!r} with nothing embedded")

    monkeypatch.setattr(embeddings, "encode", refuse)
    for _ in range(2):  # the first asks the database, the second the cache
        found = results(q="refugees")
        assert found.statements
        assert found.ranking != hybrid.METHOD


def test_vectors_embedded_after_a_search_are_used_by_the_next(versions_pair):
    assert results(q="refugees").ranking != hybrid.METHOD
    embedder.embed_pending()
    assert results(q="refugees").ranking == hybrid.METHOD


@pytest.mark.django_db(transaction=True)
def test_a_vector_written_anywhere_is_seen_once_committed():
    statement = import_source(RUSSIAN, filename="lavrov-ru.txt").transcript.statements.first()
    assert not hybrid.any_embedded()
    # Written as psql or a restore would: nothing tells the cache but the data generation.
    StatementEmbedding.objects.create(
        statement=statement, model=embeddings.MODEL, vector=[0.0] * embeddings.DIMENSIONS
    )
    assert hybrid.any_embedded()
