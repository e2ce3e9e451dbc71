"""For programs and readers who cite: the JSON API, the CSV export, the Atom feeds, and the
statement, speaker and topic pages."""

import csv
import io

import pytest
from django.urls import reverse

from statements import search
from statements.models import Speaker, Statement

pytestmark = pytest.mark.django_db
QUERY = "Idlib OR Venezuela OR president OR Russia"


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


def test_api_pages_link_to_each_other(client, archive):
    first = client.get(reverse("api_statements"), {"sort": "oldest"}).json()
    assert first["count"] == Statement.objects.count() > search.PAGE_SIZE
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/statements/?sort=oldest&page=2"
    second = client.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/statements/?sort=oldest&page=1"
    assert {r["id"] for r in second["results"]}.isdisjoint({r["id"] for r in first["results"]})


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


def test_statement_permalink_has_a_citation(client, seed):
    statement = seed.statements.get(position=5)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert (
        "Sergey Lavrov, “Foreign Minister Sergey Lavrov’s remarks and answers to media questions at a "
        "joint news conference following talks with Foreign Minister of the Republic of Kazakhstan "
        "Beibut Atamkulov, Moscow, January 28, 2019”, Moscow, 28 January 2019, statement 5. "
        f"http://testserver/statements/{statement.pk}/"
    ) in page
    assert f'href="{seed.get_absolute_url()}#s5"' in page
    assert "In answer to" in page


def test_speaker_page(client, archive):
    page = client.get("/speakers/sergey-lavrov/").content.decode()
    assert "3 statements in 1 transcript, from" in page
    assert 'name="speaker" value="sergey-lavrov"' in page  # the search box is scoped
    assert page.count("<rect ") == 1  # one month with statements: January 2019
    assert "January 2019: 3" in page


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
