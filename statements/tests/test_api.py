"""For programs and readers who cite: the JSON API, the CSV export, the Atom feeds, and the
statement, speaker and topic pages."""

import csv
import io
import itertools
import json
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from statements import api, champions, search
from statements.importing import import_source
from statements.models import Speaker, Statement, Topic
from statements.search import Search, hybrid

pytestmark = pytest.mark.django_db
QUERY = "Idlib OR Venezuela OR president OR Russia"


@pytest.fixture
def many(db):
    """1,200 statements about Syria in 12 transcripts (one undated), with ranks that
    differ and ranks that tie, and 40 that do not match."""
    for number in range(12):
        statements = [
            {
                "speaker": f"Speaker {number % 3}",
                "speaker_label": f"Speaker {number % 3}",
                "kind": "remarks",
                "paragraphs": [("Syria " * (1 + position % 4)) + f"talks number {position}."],
            }
            for position in range(100)
        ]
        statements += (
            [
                {
                    "speaker": "Other",
                    "speaker_label": "Other",
                    "kind": "remarks",
                    "paragraphs": ["No."],
                }
            ]
            * (number < 4)
            * 10
        )
        transcript = {"title": f"Briefing {number}", "statements": statements}
        if number:
            transcript["date"] = f"2020-0{1 + number % 6}-1{number % 3}"
        import_source(json.dumps(transcript), filename=f"briefing-{number}.json")


def test_api_has_the_search_pages_results_facets_and_links(client, archive):
    page = client.get(reverse("search"), {"q": QUERY, "sort": "oldest"})
    api = client.get(reverse("api_statements"), {"q": QUERY, "sort": "oldest"}).json()
    on_page = page.context["results"].statements
    assert api["count"] == page.context["results"].count
    assert [r["id"] for r in api["results"]] == [s.pk for s in on_page]
    first = api["results"][0]
    assert first["url"] == f"http://testserver/statements/{first['id']}/"
    assert first["transcript"]["url"].startswith("http://testserver/transcripts/")
    assert "<mark>" in first["snippet"]
    assert api["facets"]["speakers"] == page.context["results"].facets.speakers


def test_api_pages_link_to_each_other_by_cursor(client, archive):
    first = client.get(reverse("api_statements"), {"sort": "oldest", "page_size": 5}).json()
    assert first["count"] == Statement.objects.count() > 5
    assert first["previous"] is None
    assert first["next"].startswith(
        "http://testserver/api/statements/?sort=oldest&page_size=5&cursor="
    )
    second = client.get(first["next"]).json()
    assert {r["id"] for r in second["results"]}.isdisjoint({r["id"] for r in first["results"]})
    back = client.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    assert back["previous"] is None


def follow(client, params: dict) -> list[int]:
    """Every id the API gives when its `next` links are followed to the end."""
    response = client.get(reverse("api_statements"), params).json()
    ids = [r["id"] for r in response["results"]]
    while response["next"]:
        response = client.get(response["next"]).json()
        ids += [r["id"] for r in response["results"]]
    return ids


def exact_order(params: dict) -> list[int]:
    return list(Search(QueryDict(urlencode(params))).statements.values_list("id", flat=True))


@pytest.mark.parametrize("sort", ["newest", "oldest", "relevance"])
def test_following_next_gives_every_match_exactly_once_in_order(client, many, sort):
    params = {"q": "Syria", "sort": sort, "page_size": 100}
    ids = follow(client, params)
    assert len(ids) == search.matching("Syria").count() > search.MAX_RESULTS
    assert ids == exact_order(params)


@pytest.mark.django_db(transaction=True)  # building the lists runs VACUUM
def test_following_next_past_the_champion_lists_stays_in_order(client, many):
    champions.rebuild(min_statements=100, depth=search.MAX_RESULTS)
    params = {"q": "Syria", "page_size": 100}
    first = client.get(reverse("api_statements"), params).json()
    assert first["ranking"] == "lists"
    assert follow(client, params) == exact_order(params)


def test_following_previous_walks_back_over_the_same_pages(client, many):
    params = {"sort": "newest", "page_size": 100}
    pages = [client.get(reverse("api_statements"), params).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    for before, after in itertools.pairwise(pages):
        back = client.get(after["previous"]).json()
        assert [r["id"] for r in back["results"]] == [r["id"] for r in before["results"]]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page_size": "101"}, "page_size: a whole number from 1 to 100."),
        ({"page_size": "0"}, "page_size: a whole number from 1 to 100."),
        ({"page_size": "ten"}, "page_size: a whole number from 1 to 100."),
        ({"page": "999999"}, api.PAGE_REFUSED),
        (
            {"cursor": "nonsense"},
            "cursor: not a cursor this API gave; follow the `next` and `previous` links.",
        ),
    ],
)
def test_api_refuses_bad_paging_with_a_message(client, archive, params, message):
    response = client.get(reverse("api_statements"), params)
    assert response.status_code == 400
    assert response.json()["errors"] == [message]


def test_a_cursor_for_another_order_is_refused(client, archive):
    first = client.get(reverse("api_statements"), {"sort": "oldest", "page_size": 2}).json()
    cursor = QueryDict(first["next"].split("?", 1)[1])["cursor"]
    response = client.get(reverse("api_statements"), {"sort": "newest", "cursor": cursor})
    assert response.status_code == 400
    assert "another sort order" in response.json()["errors"][0]


def test_api_results_carry_source_role_occasion_question_and_topics(client, archive, seed):
    seed.source_url = "https://www.mid.ru/en/foreign_policy/news/1234/"
    seed.save()
    answer = seed.statements.get(position=5)
    api = client.get(reverse("api_statements"), {"speaker": "sergey-lavrov", "page_size": 100})
    (result,) = [r for r in api.json()["results"] if r["id"] == answer.pk]
    assert result["transcript"]["source_url"] == "https://www.mid.ru/en/foreign_policy/news/1234/"
    assert result["transcript"]["occasion"] == "press_conference"
    assert result["speaker_role"]
    assert result["reply_to"] == {
        "id": answer.reply_to_id,
        "url": f"http://testserver/statements/{answer.reply_to_id}/",
    }
    tagged = api.json()["results"]
    assert any("syria" in r["topics"] for r in tagged)


def test_api_escapes_markup_in_snippets_and_keeps_the_text_as_data(client, archive):
    api = client.get(reverse("api_statements"), {"q": "Idlib", "speaker": "mallory-tester"}).json()
    (result,) = api["results"]
    assert result["snippet"].startswith("<mark>Idlib</mark> &lt;script&gt;alert(&#x27;x&#x27;)")
    assert result["text"].startswith("Idlib <script>alert('x')</script>")  # JSON, not HTML


def test_api_reports_bad_parameters(client, archive):
    response = client.get(reverse("api_statements"), {"date_from": "soon"})
    assert response.status_code == 400
    assert response.json()["errors"] == ["From: Enter a valid date."]


def test_csv_export_has_every_match_and_defuses_formulas(client, archive):
    response = client.get(reverse("search_export"), {"q": "Idlib"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {int(row["id"]) for row in rows} == set(
        search.matching("Idlib").values_list("pk", flat=True)
    )
    markup = next(row for row in rows if row["speaker"] == "Mallory Tester")
    assert markup["text"].startswith("Idlib <script>")  # CSV is data: kept verbatim
    assert all(not row["text"].startswith("=") for row in rows)


def test_csv_cell_starting_with_a_formula_is_quoted(client, archive):
    Statement.objects.filter(speaker__name="Mallory Tester").update(text='=HYPERLINK("x") Idlib')
    response = client.get(reverse("search_export"), {"speaker": "mallory-tester"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(content))
    assert row["text"] == '\'=HYPERLINK("x") Idlib'


def test_speaker_page(client, archive):
    page = client.get("/speakers/sergey-lavrov/").content.decode()
    # The English seed's three and the Russian version's two (С.В.Лавров is he).
    assert "5 statements in 2 transcripts, from" in page
    assert 'name="speaker" value="sergey-lavrov"' in page  # the search box is scoped
    assert page.count("<rect ") == 1  # one month with statements: January 2019
    assert "January 2019: 5" in page


def test_unknown_pages_are_404(client, archive):
    for url in [
        "/speakers/nobody/",
        "/topics/nothing/",
        "/statements/999999/",
        "/speakers/nobody/feed/",
    ]:
        assert client.get(url).status_code == 404


def test_topic_page_lists_its_statements(client, archive):
    response = client.get("/topics/syria/")
    assert response.status_code == 200
    listed = {s.pk for s in response.context["results"].statements}
    assert listed == set(Statement.objects.filter(topics=archive).values_list("pk", flat=True))


def test_home_page_counts_and_lists(client, archive):
    page = client.get("/").content.decode()
    counts = f"{Statement.objects.count()} statements, {Speaker.objects.count()} speakers."
    assert counts in page
    assert 'href="/speakers/john-kirby/"' in page
    assert 'href="/topics/syria/"' in page


def read_csv(response) -> list[dict]:
    assert response.streaming
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


@pytest.mark.parametrize("sort", ["newest", "relevance"])
def test_csv_streams_every_match_in_the_searchs_order(client, many, sort):
    params = {"q": "Syria", "sort": sort}
    rows = read_csv(client.get(reverse("search_export"), params))
    assert [int(row["id"]) for row in rows] == exact_order(params)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "bad"}, "From: Enter a valid date."),
        (
            {"speaker": "nobody"},
            "Speaker: Select a valid choice. nobody is not one of the available choices.",
        ),
    ],
)
def test_csv_with_a_bad_filter_is_a_400_with_the_apis_message(client, archive, params, message):
    response = client.get(reverse("search_export"), params)
    assert response.status_code == 400
    assert response.content.decode() == message
    assert client.get(reverse("api_statements"), params).json()["errors"] == [message]


def test_csv_rows_carry_source_role_occasion_question_and_topics(client, seed, archive):
    seed.source_url = "https://www.mid.ru/en/foreign_policy/news/1234/"
    seed.save()
    answer = seed.statements.get(position=5)
    rows = read_csv(client.get(reverse("search_export"), {"speaker": "sergey-lavrov"}))
    (row,) = [row for row in rows if int(row["id"]) == answer.pk]
    assert row["source_url"] == "https://www.mid.ru/en/foreign_policy/news/1234/"
    assert row["occasion"] == "press_conference"
    assert row["speaker_role"] == (answer.speaker_role or answer.speaker.role) != ""
    assert row["reply_to_url"] == f"http://testserver/statements/{answer.reply_to_id}/"
    assert any("syria" in row["topics"].split() for row in rows)


def test_a_statements_topics_are_its_own_and_its_transcripts_sorted_in_api_and_csv(
    client, seed, archive
):
    answer = seed.statements.get(position=5)
    ukraine = Topic.objects.create(slug="ukraine", name="Ukraine", query="Kyiv")
    arms = Topic.objects.create(slug="arms-control", name="Arms control", query="missile")
    answer.topics.add(ukraine)
    seed.topics.add(arms)
    wanted = sorted(
        {"ukraine", "arms-control"}
        | set(answer.topics.values_list("slug", flat=True))
        | set(seed.topics.values_list("slug", flat=True))
    )
    api = client.get(reverse("api_statements"), {"speaker": "sergey-lavrov", "page_size": 100})
    (result,) = [r for r in api.json()["results"] if r["id"] == answer.pk]
    rows = read_csv(client.get(reverse("search_export"), {"speaker": "sergey-lavrov"}))
    (row,) = [row for row in rows if int(row["id"]) == answer.pk]
    same_transcript = [r for r in rows if r["transcript_url"] == row["transcript_url"]]
    assert result["topics"] == wanted
    assert row["topics"].split() == wanted
    assert len(same_transcript) > 1
    for other in same_transcript:
        assert "arms-control" in other["topics"].split()
        assert ("ukraine" in other["topics"].split()) == (other is row)


def test_search_page_links_its_exports_without_its_page_number(client, many):
    page = client.get(reverse("search"), {"q": "Syria", "page": "2"}).content.decode()
    assert '<a href="/api/statements/?q=Syria">JSON</a>' in page
    assert '<a href="/search/export.csv?q=Syria">CSV</a>' in page
    assert client.get("/api/statements/?q=Syria").status_code == 200


def test_an_unknown_sort_is_refused_by_the_api_csv_and_feed(client, archive):
    for url in [reverse("api_statements"), reverse("search_export"), reverse("search_feed")]:
        response = client.get(url, {"sort": "loudest"})
        assert response.status_code == 400, url
        assert api.SORT_REFUSED in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/api/statements/", "/search/export.csv", "/feeds/latest/", "/api/openapi.json"]
)
def test_the_api_answers_only_get_and_head(client, archive, url):
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


# --- search by meaning (pgvector: the vector session, see conftest.py) --------------------

BY_MEANING = {"q": "return of refugees and humanitarian assistance", "language": "ru"}
# Words of many of the pair's statements (English) beside Russian ones found by meaning.
BROAD = {"q": "Russia OR Syria OR Kazakhstan OR cooperation OR Astana"}


def fused_order(params: dict) -> list[int]:
    """The search page's order: the fused statements, then every other match by words."""
    found = Search(QueryDict(urlencode(params)))
    head = hybrid.fused(found, search.count(found.matches)).ids
    return head + [pk for pk in exact_order(params) if pk not in head]


@pytest.mark.vector
def test_api_ranks_as_the_search_page_does_by_meaning_too(client, embedded):
    _, russian = embedded
    body = client.get(reverse("api_statements"), BY_MEANING).json()
    page = Search(QueryDict(urlencode(BY_MEANING))).results(1)
    assert body["ranking"] == hybrid.METHOD
    assert [r["id"] for r in body["results"]] == [s.pk for s in page.statements]
    assert body["results"][0]["id"] == russian.statements.get(position=5).pk
    assert body["count"] == page.count
    assert {r["language"] for r in body["results"]} == {"ru"}


@pytest.mark.vector
def test_api_results_link_their_aligned_other_version(client, embedded):
    english, russian = embedded
    translation, original = english.statements.get(position=5), russian.statements.get(position=5)
    body = client.get(reverse("api_statements"), {"q": "refugees", "language": "en"}).json()
    (result,) = [r for r in body["results"] if r["id"] == translation.pk]
    assert result["language"] == "en"
    assert result["other_version"] == {
        "id": original.pk,
        "url": f"http://testserver{original.get_absolute_url()}",
        "language": "ru",
        "original": True,
    }


@pytest.mark.vector
@pytest.mark.parametrize("page_size", [1, 2, 5])
def test_following_next_gives_the_fused_order_then_every_other_match_once(
    client, embedded, monkeypatch, page_size
):
    monkeypatch.setattr(hybrid, "DEPTH", 3)  # a tail of word matches past the fused part
    assert search.matching(BROAD["q"]).count() > hybrid.DEPTH
    params = {**BROAD, "page_size": page_size}
    expected = fused_order(params)
    assert len(expected) == len(set(expected)) > hybrid.DEPTH
    assert set(expected) > set(exact_order(params))  # found by meaning only, too
    assert follow(client, params) == expected


@pytest.mark.vector
def test_following_previous_walks_back_over_the_same_fused_pages(client, embedded, monkeypatch):
    monkeypatch.setattr(hybrid, "DEPTH", 3)
    params = {**BROAD, "page_size": 1}
    pages = [client.get(reverse("api_statements"), params).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    assert len(pages) == len(fused_order(params)) > hybrid.DEPTH + 1  # into the tail
    for before, after in itertools.pairwise(pages):
        back = client.get(after["previous"]).json()
        assert [r["id"] for r in back["results"]] == [r["id"] for r in before["results"]]


@pytest.mark.vector
def test_csv_has_the_apis_fused_order_and_links_the_other_version(client, embedded, monkeypatch):
    monkeypatch.setattr(hybrid, "DEPTH", 3)
    english, russian = embedded
    rows = read_csv(client.get(reverse("search_export"), BROAD))
    assert [int(row["id"]) for row in rows] == follow(client, {**BROAD, "page_size": 100})
    original = russian.statements.get(position=5)
    (row,) = [row for row in rows if int(row["id"]) == english.statements.get(position=5).pk]
    assert row["language"] == "en"
    assert row["other_version_url"] == f"http://testserver{original.get_absolute_url()}"
