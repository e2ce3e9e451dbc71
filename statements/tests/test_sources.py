"""Publishers and licences read from a transcript's source URL."""

import pytest

from statements.sources import UNKNOWN_LICENCE, licence_for, publisher_for


@pytest.mark.parametrize(
    "url, name",
    [
        (
            "http://en.kremlin.ru/events/president/news/57192",
            "President of Russia (Presidential Executive Office)",
        ),
        (
            "https://www.mid.ru/en/foreign_policy/news/1/",
            "Ministry of Foreign Affairs of the Russian Federation",
        ),
        ("https://bidenwhitehouse.archives.gov/briefing-room/x/", "The White House"),
        ("https://www.whitehouse.gov/briefings/", "The White House"),
        ("https://www.mfa.gov.sg/Newsroom/x", "Ministry of Foreign Affairs, Singapore"),
        ("https://news.example.org/a", "news.example.org"),
    ],
)
def test_publisher_is_read_from_the_host(url, name):
    assert publisher_for(url).name == name


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "notaurl", "http://[bad"])
def test_no_publisher_without_an_http_url(url):
    assert publisher_for(url) is None


def test_licence_is_the_sites_or_says_it_is_not_stated():
    assert licence_for("http://en.kremlin.ru/events/1") == "CC BY 4.0"
    assert licence_for("https://news.example.org/a") == UNKNOWN_LICENCE
    assert licence_for("") == UNKNOWN_LICENCE
