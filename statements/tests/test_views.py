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
