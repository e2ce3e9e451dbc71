"""The public pages, through Django's test client."""

import json
import re

import pytest
from django.urls import reverse

from statements.importing import import_source

pytestmark = pytest.mark.django_db


def test_home_lists_transcripts_with_counts(client, seed, russian):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 transcripts, 9 statements, 3 speakers." in page
    assert f'href="{seed.get_absolute_url()}"' in page
    # Latest first; on the same date, the latest imported first.
    assert page.index(russian.title.split(",")[0]) < page.index(seed.title)


def test_home_with_nothing_imported_says_how_to_import(client):
    page = client.get("/").content.decode()
    assert "No transcripts yet" in page


def test_transcript_page_shows_statements_in_order_with_anchors(client, seed):
    response = client.get(reverse("transcript_detail", args=[seed.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    anchors = [page.index(f'id="s{n}"') for n in range(1, 6)]
    assert anchors == sorted(anchors)
    headings = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h)).replace("§", "").strip()
        for h in re.findall(r'<h2 class="speaker"[^>]*>(.*?)</h2>', page, re.DOTALL)
    ]
    assert headings == [
        "1 Sergey Lavrov",
        "2 Question",
        "3 Sergey Lavrov",
        "4 Question",
        "5 Sergey Lavrov",
    ]
    assert "Ladies and gentlemen," in page
    assert "28 January 2019, 13:56" in page and "Moscow" in page


def test_unknown_transcript_is_404(client):
    assert client.get("/transcripts/no-such-thing/").status_code == 404


def test_statement_text_and_labels_are_escaped(client):
    data = {
        "title": "A <b>title</b>",
        "date": "2020-01-01",
        "statements": [
            {
                "speaker_label": "<i>Question</i>",
                "kind": "question",
                "paragraphs": ["<script>alert(1)</script>"],
            }
        ],
    }
    transcript = import_source(json.dumps(data), filename="x.json").transcript
    page = client.get(transcript.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;i&gt;Question&lt;/i&gt;" in page
    assert "A &lt;b&gt;title&lt;/b&gt;" in page


# --- language versions (statements/versions.py) -----------------------------------------


def test_a_transcript_page_says_which_version_is_the_original(client, versions_pair):
    english, russian = versions_pair
    page = client.get(english.get_absolute_url()).content.decode()
    assert "This is a translation." in page
    assert f'href="{russian.get_absolute_url()}" hreflang="ru">Russian original' in page
    assert "This is the original." in client.get(russian.get_absolute_url()).content.decode()


def test_a_transcript_side_by_side_pairs_each_paragraph_with_its_translation(client, versions_pair):
    english, _ = versions_pair
    page = client.get(english.get_absolute_url(), {"beside": "ru"}).content.decode()
    rows = re.findall(
        r'<div class="beside__row">\s*<div class="beside__side" lang="en">(.*?)</div>\s*'
        r'<div class="beside__side" lang="ru">(.*?)</div>',
        page,
        re.S,
    )
    assert len(rows) == 18
    assert "Ladies and gentlemen" in rows[0][0] and "Дамы и господа" in rows[0][1]
    assert "Let me emphasise" in rows[-1][0] and "Хочу подчеркнуть" in rows[-1][1]
    assert "English translation beside the Russian original" in page


def test_a_statement_page_shows_its_original_and_cites_both(client, versions_pair):
    english, russian = versions_pair
    answer = english.statements.get(position=5)
    original = russian.statements.get(position=5)
    page = client.get(answer.get_absolute_url()).content.decode()
    assert "The Russian original beside this translation" in page
    assert "Хочу подчеркнуть" in page
    assert f"/statements/{original.pk}/" in page
    both = re.search(r'<textarea id="citation-both"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert both.startswith("English translation: ")
    assert f"/statements/{answer.pk}/ Russian original: " in both
    assert both.endswith(f"/statements/{original.pk}/")
