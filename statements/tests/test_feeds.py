"""The Atom feeds: valid Atom (read by feedparser), dated by the statements, unique titles,
plain-text summaries, control characters survived, and a feed for any search."""

import datetime
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse

from statements import search
from statements.models import Speaker, Statement

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feeds/latest/", "/speakers/sergey-lavrov/feed/", "/topics/syria/feed/"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def entry_ids(feed) -> list[int]:
    return [int(entry.link.rstrip("/").rsplit("/", 1)[1]) for entry in feed.entries]


@pytest.mark.parametrize(
    "url, title",
    [
        ("/feeds/latest/", "Diplomatic Statements Archive: latest statements"),
        ("/speakers/sergey-lavrov/feed/", "Statements by Sergey Lavrov"),
        ("/topics/syria/feed/", "Statements on Syria"),
        ("/search/feed/?q=Idlib", "Statements matching “Idlib”"),
    ],
)
def test_every_feed_is_valid_atom_linking_to_permalinks(client, archive, url, title):
    feed = parse(client, url)
    assert feed.feed.title == title
    assert feed.entries
    assert all(entry.link.startswith("http://testserver/statements/") for entry in feed.entries)


@pytest.mark.parametrize("url", FEEDS)
def test_entries_are_dated_by_their_statement_not_the_import(client, archive, url):
    feed = parse(client, url)
    for entry, pk in zip(feed.entries, entry_ids(feed), strict=True):
        transcript = Statement.objects.get(pk=pk).transcript
        published = datetime.datetime(*entry.published_parsed[:6])
        assert published.date() == transcript.date
        assert published.time() == (transcript.time or datetime.time())
        assert entry.updated_parsed == entry.published_parsed


def test_seed_entries_carry_the_transcripts_time(client, seed):
    feed = parse(client, "/speakers/sergey-lavrov/feed/")
    assert {entry.published for entry in feed.entries} == {"2019-01-28T13:56:00+00:00"}


@pytest.mark.parametrize("url", FEEDS)
def test_entry_titles_are_unique_and_name_speaker_occasion_and_words(client, archive, url):
    feed = parse(client, url)
    titles = [entry.title for entry in feed.entries]
    assert len(set(titles)) == len(titles)


def test_entry_title_names_speaker_occasion_number_and_first_words(client, seed):
    statement = seed.statements.get(position=5)
    feed = parse(client, "/speakers/sergey-lavrov/feed/")
    (entry,) = [e for e in feed.entries if e.link.endswith(f"/statements/{statement.pk}/")]
    first_words = " ".join(statement.text.split()[:3])
    assert entry.title.startswith("Sergey Lavrov, Press conference, 28 January 2019 (5): “")
    assert first_words in entry.title


def test_unnamed_questioners_are_titled_by_what_they_were(client, seed):
    feed = parse(client, "/feeds/latest/")
    titles = [entry.title for entry in feed.entries]
    assert any(title.startswith("Unnamed questioner, ") for title in titles)
    assert not any(title.startswith(("Question,", "Q,")) for title in titles)


def test_summaries_are_plain_text_so_quoted_markup_stays_text(client, archive):
    response = client.get("/speakers/mallory-tester/feed/")
    entry = ElementTree.fromstring(response.content).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text.startswith("Idlib <script>alert('x')</script>")  # text, once escaped
    (parsed,) = feedparser.parse(response.content).entries
    assert parsed.summary_detail.type == "text/plain"


def test_a_control_character_in_a_statement_does_not_break_any_feed(client, archive):
    Statement.objects.filter(speaker__slug="mallory-tester").update(text="Idlib\x08 and\x1b more")
    for url in ["/speakers/mallory-tester/feed/", "/topics/syria/feed/", "/search/feed/?q=Idlib"]:
        feed = parse(client, url)
        assert "Idlib and more" in [entry.summary for entry in feed.entries], url


def test_search_feed_has_the_searchs_statements_newest_first(client, archive):
    feed = parse(client, "/search/feed/?q=Idlib+OR+Astana&speaker=sergey-lavrov")
    found = search.matching("Idlib OR Astana").filter(speaker__slug="sergey-lavrov")
    assert set(entry_ids(feed)) == set(found.values_list("pk", flat=True))
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_search_feed_refuses_bad_parameters_with_the_searchs_message(client, archive):
    response = client.get("/search/feed/", {"date_from": "bad"})
    assert response.status_code == 400
    assert "From: Enter a valid date." in response.content.decode()


def test_search_page_links_its_feed(client, archive):
    page = client.get(reverse("search"), {"q": "Idlib", "speaker": "sergey-lavrov"}).content
    page = page.decode()
    feed_url = "/search/feed/?q=Idlib&amp;speaker=sergey-lavrov"
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="This search (Atom)" href="{feed_url}">'
        in page
    )
    assert f'<a href="{feed_url}">Atom feed</a>' in page


def test_speaker_feed_has_only_that_speaker(client, archive):
    feed = parse(client, "/speakers/sergey-lavrov/feed/")
    assert set(entry_ids(feed)) == set(
        Speaker.objects.get(slug="sergey-lavrov").statements.values_list("pk", flat=True)
    )


@pytest.mark.vector
def test_a_search_feed_by_relevance_finds_by_meaning_and_links_the_other_version(client, embedded):
    english, russian = embedded
    original, translation = russian.statements.get(position=5), english.statements.get(position=5)
    params = "q=return+of+refugees+and+humanitarian+assistance&language=ru&sort=relevance"
    root = ElementTree.fromstring(client.get(f"/search/feed/?{params}").content)
    first = root.find(f"{ATOM}entry")
    assert first.find(f"{ATOM}link").get("href").endswith(original.get_absolute_url())
    assert first.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    other = first.findall(f"{ATOM}link")[1]
    assert other.attrib == {
        "rel": "alternate",
        "href": f"http://testserver{translation.get_absolute_url()}",
        "hreflang": "en",
        "title": "English translation",
    }
