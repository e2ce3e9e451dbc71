"""The public pages, through Django's test client."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from statements import editing, importing, revisions
from statements.importing import import_source
from statements.models import Revision
from statements.tests.conftest import CORPUS

pytestmark = pytest.mark.django_db


def test_home_lists_transcripts_with_counts(client, seed, russian):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 transcripts, 9 statements, 2 speakers." in page  # С.В.Лавров is Sergey Lavrov
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


# Permanent addresses and revisions ---------------------------------------------------------


def reparse_with_source(transcript, source_text):
    """Re-parse `transcript` as if its stored source had been corrected to `source_text`."""
    transcript.source_text = source_text
    transcript.save()
    importing.reparse(transcript, editing.parse_again(transcript))


def answers(client, url, *, seen=()) -> int:
    """The status `url` ends with, following permanent redirects to live pages only."""
    response = client.get(url)
    if response.status_code == 301:
        assert response["Location"] not in seen
        return answers(client, response["Location"], seen=(*seen, url))
    return response.status_code


def test_after_a_reparse_every_old_statement_address_answers(client, seed, seed_text):
    urls = [s.get_absolute_url() for s in seed.statements.order_by("position")]
    gained = seed_text.replace(
        "We highly value cooperation",
        "We also discussed cultural exchanges.\n\nWe highly value cooperation",
    )
    lost = gained[: gained.index("Question: Moscow has repeatedly")] + "Additional materials\n"
    reparse_with_source(seed, lost)
    assert seed.statements.count() == 3
    statuses = [client.get(url).status_code for url in urls]
    assert statuses == [200, 200, 200, 410, 410]
    assert "We also discussed cultural exchanges." in client.get(urls[0]).content.decode()
    gone = client.get(urls[3]).content.decode()
    assert "This statement was removed" in gone and seed.get_absolute_url() in gone


def test_a_statement_joined_to_another_by_a_reparse_redirects_to_it(client, seed, seed_text):
    answer = seed.statements.get(position=3)
    reparse_with_source(seed, seed_text.replace("Sergey Lavrov: Preparations", "Preparations"))
    question = seed.statements.get(position=2)
    assert answer.pk not in set(seed.statements.values_list("pk", flat=True))
    response = client.get(answer.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == question.get_absolute_url()
    assert answers(client, answer.get_absolute_url()) == 200


def test_a_merged_statement_redirects_to_the_one_holding_its_words(client, seed):
    first, second = seed.statements.filter(position__in=[2, 3]).order_by("position")
    editing.merge_with_next(first)
    response = client.get(second.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == first.get_absolute_url()


def test_a_statement_id_never_published_is_not_found(client, seed):
    assert client.get(reverse("statement_detail", args=[10**9])).status_code == 404


def test_a_deleted_transcript_and_its_statements_answer_gone(client, seed):
    statement_url, slug = seed.statements.first().get_absolute_url(), seed.slug
    seed.delete()
    assert client.get(reverse("transcript_detail", args=[slug])).status_code == 410
    response = client.get(statement_url)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_a_renamed_transcripts_old_address_redirects_to_the_new_one(client, seed):
    old = seed.slug
    seed.slug = "a-corrected-title"
    seed.save()
    response = client.get(reverse("transcript_detail", args=[old]))
    assert response.status_code == 301 and response["Location"] == "/transcripts/a-corrected-title/"
    history = client.get(reverse("transcript_history", args=[old]))
    assert history["Location"] == "/transcripts/a-corrected-title/history/"


def test_the_source_downloads_as_plain_text_never_as_a_page(client):
    page = (CORPUS / "kremlin-en-news" / "57192.html").read_bytes()
    transcript = import_source(page, filename="57192.html").transcript
    response = client.get(reverse("transcript_source", args=[transcript.slug]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{transcript.slug}.source.html"'
    )
    assert response.content.decode() == transcript.source_text
    detail = client.get(transcript.get_absolute_url()).content.decode()
    assert reverse("transcript_source", args=[transcript.slug]) in detail


def test_the_history_shows_each_revisions_words_removed_and_added(client, seed, editor_user):
    answer = seed.statements.get(position=3)
    with revisions.recording(seed, Revision.Kind.EDIT, user=editor_user, note="Typo <fixed>"):
        answer.text = answer.text.replace("12th international", "twelfth <international>")
        answer.save()
    page = client.get(reverse("transcript_history", args=[seed.slug])).content.decode()
    assert (
        "the <del>12th</del><ins>twelfth</ins> <del>international</del>"
        "<ins>&lt;international&gt;</ins> meeting on Syria"
    ) in page
    assert "Why: Typo &lt;fixed&gt;" in page and "By Ann Editor" in page
    detail = client.get(seed.get_absolute_url()).content.decode()
    assert "(1 statement changed)" in detail


def test_an_unrevised_transcripts_history_says_so(client, seed):
    page = client.get(reverse("transcript_history", args=[seed.slug])).content.decode()
    assert "No revisions: the statements are as they were imported." in page


@pytest.fixture
def editor_user():
    return User.objects.create_user("ann", first_name="Ann", last_name="Editor")


def test_the_speaker_list_shows_officials_and_the_press_on_its_own(client, seed):
    from statements.models import Speaker

    Speaker.objects.create(name="Megyn Kelly", kind="questioner")
    officials = client.get(reverse("speaker_list")).content.decode()
    assert "Sergey Lavrov" in officials and "Megyn Kelly" not in officials
    press = client.get(reverse("speaker_list"), {"kind": "questioner"}).content.decode()
    assert "Megyn Kelly" in press and "Sergey Lavrov" not in press
