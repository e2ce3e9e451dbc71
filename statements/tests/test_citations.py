"""Citations: as text, as CSL-JSON (rendered by citeproc-py), BibTeX (parsed by bibtexparser)
and RIS (parsed by rispy); who is cited when nobody is named; the tags reference managers
and link previews read, and JSON-LD that stays data."""

import datetime
import html
import json
import re

import bibtexparser
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.utils import timezone

from statements import citations
from statements.models import Statement

pytestmark = pytest.mark.django_db
MID = "https://www.mid.ru/en/foreign_policy/news/1234/"


@pytest.fixture
def answer(seed):
    """Lavrov's answer (statement 5 of the seed), its transcript from mid.ru."""
    seed.source_url = MID
    seed.save()
    return seed.statements.select_related("speaker", "transcript").get(position=5)


def download(client, url: str, content_type: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content.decode()


def test_statement_page_cites_speaker_role_occasion_date_place_publisher_source_and_access(
    client, answer
):
    page = client.get(answer.get_absolute_url()).content.decode()
    today = timezone.localdate()
    found = re.search(r'<textarea id="citation-text"[^>]*>(.*?)</textarea>', page, re.S)[1]
    text = html.unescape(found)
    role = answer.speaker_role or answer.speaker.role
    assert role and text.startswith(f"Sergey Lavrov ({role}), “")
    assert ", statement 5 in “Foreign Minister Sergey Lavrov’s remarks" in text
    assert "press conference, Moscow, 28 January 2019." in text
    assert "Ministry of Foreign Affairs of the Russian Federation." in text
    assert f"Original source: {MID}." in text
    assert f"Diplomatic Statements Archive: http://testserver/statements/{answer.pk}/" in text
    assert f"(accessed {today.day} {today:%B %Y})" in text


def test_unnamed_questioners_are_cited_by_what_they_were(client, seed):
    question = seed.statements.filter(kind="question", speaker=None, questioner="").first()
    assert question.speaker_label in ("Question", "Q")
    assert citations.cited_speaker(question) == "Unnamed questioner"
    page = client.get(question.get_absolute_url()).content.decode()
    text = re.search(r'<textarea id="citation-text"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert text.startswith("Unnamed questioner, “")


@pytest.mark.parametrize(
    "label, kind, cited",
    [
        ("Q", "question", "Unnamed questioner"),
        ("Вопрос", "question", "Unnamed questioner"),
        ("MODERATOR", "remarks", "Unnamed moderator"),
        ("SENIOR ADMINISTRATION OFFICIAL", "remarks", "Unnamed senior administration official"),
        ("Response", "answer", "Unnamed speaker"),
        ("", "narrative", None),
        ("Ms. Unresolved", "remarks", "Ms. Unresolved"),
    ],
)
def test_cited_speaker_is_never_a_bare_label(label, kind, cited):
    statement = Statement(speaker_label=label, kind=kind)
    assert citations.cited_speaker(statement) == cited


def test_csl_json_renders_with_a_real_csl_processor(client, answer):
    items = json.loads(
        download(
            client, f"/statements/{answer.pk}/cite.json", "application/vnd.citationstyles.csl+json"
        )
    )
    (item,) = items
    assert item["author"] == [{"family": "Lavrov", "given": "Sergey"}]
    assert item["issued"] == {"date-parts": [[2019, 1, 28]]}
    assert item["publisher"] == "Ministry of Foreign Affairs of the Russian Federation"
    assert item["URL"] == f"http://testserver/statements/{answer.pk}/"
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    (entry,) = [str(line) for line in bibliography.bibliography()]
    assert entry.startswith("Lavrov, S. (2019)")
    assert f"http://testserver/statements/{answer.pk}/" in entry


def test_bibtex_parses_with_its_fields(client, answer):
    text = download(client, f"/statements/{answer.pk}/cite.bib", "application/x-bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == "Lavrov, Sergey"
    assert fields["year"] == "2019"
    assert fields["url"] == f"http://testserver/statements/{answer.pk}/"
    assert fields["publisher"] == "Ministry of Foreign Affairs of the Russian Federation"
    assert fields["note"] == f"Original source: {MID.replace('_', chr(92) + '_')}"
    assert fields["urldate"] == timezone.localdate().isoformat()


def test_bibtex_escapes_what_latex_would_read_as_markup():
    work = _work(title="50% of {all} costs & $5 #1 under_score", author="Unnamed questioner")
    library = bibtexparser.parse_string(citations.bibtex(work))
    assert not library.failed_blocks
    fields = {field.key: field.value for field in library.entries[0].fields}
    assert fields["title"] == r"50\% of \{all\} costs \& \$5 \#1 under\_score"
    assert fields["author"] == "{Unnamed questioner}"  # one name, never split


def test_ris_parses_with_its_fields(client, answer):
    text = download(
        client, f"/statements/{answer.pk}/cite.ris", "application/x-research-info-systems"
    )
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "GEN"
    assert entry["authors"] == ["Lavrov, Sergey"]
    assert entry["secondary_title"].startswith("Foreign Minister Sergey Lavrov’s remarks")
    assert entry["publisher"] == "Ministry of Foreign Affairs of the Russian Federation"
    assert entry["urls"] == [f"http://testserver/statements/{answer.pk}/"]
    assert entry["place_published"] == "Moscow"
    assert entry["date"] == "2019/01/28"


def test_transcripts_are_cited_by_their_publisher(client, answer):
    transcript = answer.transcript
    (entry,) = rispy.loads(
        download(
            client,
            f"/transcripts/{transcript.slug}/cite.ris",
            "application/x-research-info-systems",
        )
    )
    assert entry["authors"] == ["Ministry of Foreign Affairs of the Russian Federation"]
    assert entry["title"] == transcript.title
    page = client.get(transcript.get_absolute_url()).content.decode()
    assert f'href="/transcripts/{transcript.slug}/cite.bib"' in page
    assert "Cite this transcript" in page


def test_unknown_citation_formats_are_404(client, answer):
    assert client.get(f"/statements/{answer.pk}/cite.doc").status_code == 404
    assert client.get("/statements/999999/cite.ris").status_code == 404


def test_statement_page_has_the_tags_reference_managers_read(client, answer):
    page = client.get(answer.get_absolute_url()).content.decode()
    assert '<meta name="citation_author" content="Lavrov, Sergey">' in page
    assert '<meta name="citation_date" content="2019/01/28">' in page
    assert (
        '<meta name="citation_publisher" content="Ministry of Foreign Affairs of the Russian Federation">'
        in page
    )
    assert (
        f'<meta name="citation_public_url" content="http://testserver/statements/{answer.pk}/">'
        in page
    )
    assert '<meta name="DC.creator" content="Sergey Lavrov">' in page
    assert f'<meta name="DC.source" content="{MID}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_json_ld_is_data_that_cannot_close_its_script(client, archive):
    markup = Statement.objects.get(speaker__slug="mallory-tester")
    page = client.get(markup.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "</script" not in block and "<" not in block
    data = json.loads(block)
    assert data["@type"] == "Quotation"
    assert data["spokenByCharacter"]["name"] == "Mallory Tester"
    assert data["text"].startswith("Idlib <script>alert('x')</script>")


def test_pages_have_their_own_descriptions(client, answer):
    statement_page = client.get(answer.get_absolute_url()).content.decode()
    transcript_page = client.get(answer.transcript.get_absolute_url()).content.decode()
    speaker_page = client.get(answer.speaker.get_absolute_url()).content.decode()
    descriptions = [
        re.search(r'<meta name="description" content="([^"]*)">', page)[1]
        for page in (statement_page, transcript_page, speaker_page)
    ]
    assert descriptions[0].startswith("Sergey Lavrov, 28 January 2019: “")
    assert descriptions[1].startswith("Press conference of 28 January 2019 in Moscow: ")
    assert descriptions[2].startswith("Statements by Sergey Lavrov")
    assert len(set(descriptions)) == 3
    assert '<meta property="og:type" content="profile">' in speaker_page


def _work(**changes) -> citations.Work:
    values = {
        "key": "x2020-1",
        "author": "Sergey Lavrov",
        "person": False,
        "role": "",
        "title": "A title",
        "container": None,
        "occasion": "Briefing",
        "date": datetime.date(2020, 1, 2),
        "place": "",
        "publisher": None,
        "source_url": "",
        "permalink": "http://testserver/statements/1/",
        "accessed": datetime.date(2026, 1, 1),
        "language": "en",
    }
    return citations.Work(**(values | changes))


def test_list_and_search_pages_have_descriptions_of_their_own(client, archive):
    urls = [
        "/search/?q=Idlib",
        "/search/",
        "/speakers/",
        "/topics/",
        "/topics/syria/",
        "/transcripts/",
    ]
    descriptions = [
        re.search(r'<meta name="description" content="([^"]*)">', client.get(url).content.decode())[
            1
        ]
        for url in urls
    ]
    assert descriptions[0].startswith("Statements matching “Idlib”")
    assert descriptions[4].startswith("Statements on Syria")
    assert len(set(descriptions)) == len(urls)
