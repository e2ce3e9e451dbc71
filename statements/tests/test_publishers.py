"""Who published a transcript, from its source's address (statements/publishers.py)."""

import json

import pytest

from statements.importing import import_source
from statements.publishers import publisher


def test_a_known_site_and_its_subdomains_name_the_publisher():
    assert publisher("https://mid.ru/en/foreign_policy/news/123/") == (
        "Ministry of Foreign Affairs of Russia",
        "Russia",
    )
    assert publisher("http://en.kremlin.ru/events/president/news/57192") == (
        "President of Russia",
        "Russia",
    )


def test_an_unknown_or_lookalike_site_names_nobody():
    assert publisher("https://example.org/a") == ("", "")
    assert publisher("https://notmid.ru/a") == ("", "")
    assert publisher("") == ("", "")


@pytest.mark.django_db
def test_an_import_records_the_publisher():
    source = {
        "title": "Press gaggle",
        "date": "2024-08-07",
        "source_url": "https://www.whitehouse.gov/briefing-room/press-briefings/2024/08/07/",
        "statements": [{"speaker": "John Kirby", "paragraphs": ["Good afternoon."]}],
    }
    transcript = import_source(json.dumps(source), filename="gaggle.json").transcript
    assert (transcript.publisher, transcript.country) == ("The White House", "United States")
