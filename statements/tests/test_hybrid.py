"""Search by meaning fused with search by words (statements/search/hybrid.py), on a
database with pgvector: `make test` runs these against the embedded PostgreSQL (pgserver),
which has the extension; on one without it they are skipped (see conftest.py)."""

import numpy as np
import pytest
from django.urls import reverse

from statements import embedder, embeddings
from statements.models import Statement
from statements.search import Search, hybrid
from statements.tests.conftest import CORPUS, imported

pytestmark = pytest.mark.vector


@pytest.fixture
def embedded(versions_pair):
    embedder.embed_pending()
    return versions_pair


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


def test_a_narrow_filter_still_gets_a_full_page_of_the_nearest(db):
    for path in sorted((CORPUS / "kremlin-en-news").glob("*.html"))[:12]:
        imported(path)
    embedder.embed_pending()
    speaker = Statement.objects.exclude(speaker=None).order_by("speaker").first().speaker
    filtered = Statement.objects.filter(speaker=speaker)
    query = "energy cooperation and gas supplies"
    depth = min(10, filtered.count())
    found = hybrid.nearest(filtered, query, depth=depth)
    # The same as measuring every one of the speaker's statements.
    vector = embeddings.encode([query])[0]
    rows = list(filtered.values_list("pk", "embedding__vector"))
    similarity = {pk: float(np.dot(vector, stored)) for pk, stored in rows}
    expected = sorted(
        (pk for pk in similarity if similarity[pk] >= hybrid.MIN_SIMILARITY),
        key=lambda pk: -similarity[pk],
    )[:depth]
    assert found == expected


def test_reciprocal_rank_fusion_favours_what_both_lists_rank_well():
    assert hybrid.fuse([1, 2, 3], [3, 4, 1]) == [1, 3, 2, 4]


def test_healthz_says_search_by_meaning_is_available(client, db):
    assert client.get("/healthz").json()["search_by_meaning"] == "ok"
