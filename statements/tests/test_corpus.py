"""The parser on real transcripts from fixtures/corpus/ (see its README for sources and
licences): each hard case of the real-world formats, pinned on the file that shows it."""

import json
from datetime import date, time
from pathlib import Path

import pytest
from django.conf import settings

from statements.parsing import parse_source

CORPUS = Path(settings.BASE_DIR) / "fixtures" / "corpus"
GOLDEN = Path(settings.BASE_DIR) / "fixtures" / "golden"
KREMLIN = CORPUS / "kremlin-en-news"
WHITE_HOUSE = CORPUS / "whitehouse-press-briefings"
SINGAPORE = CORPUS / "sg-mfa-press"
KIRBY_GAGGLE = WHITE_HOUSE / (
    "2024-08-07-on-the-record-press-gaggle-by-white-house-national-security-"
    "communications-advisor-john-kirby-19.md"
)
NEGATIVES = [
    KREMLIN / "17156.html",
    KREMLIN / "51722.html",
    KREMLIN / "55799.html",
    SINGAPORE / "record-0712.json",
    SINGAPORE / "record-0772.json",
]


def parse(path: Path):
    return parse_source(path.read_bytes(), filename=path.name)


def turns(parsed):
    return [s for s in parsed.statements if s.speaker_label]


def all_text(parsed) -> str:
    return "\n".join(p for s in parsed.statements for p in s.paragraphs)


# --- Kremlin HTML ---------------------------------------------------------------------


def test_kremlin_metadata_comes_from_the_page():
    parsed = parse(KREMLIN / "62103.html")
    assert parsed.title == "Meeting with First Vice-President of Azerbaijan Mehriban Aliyeva"
    assert (parsed.date, parsed.time) == (date(2019, 11, 22), time(19, 0))
    assert parsed.place == "Novo-Ogaryovo, Moscow Region"
    assert parsed.tags == ["Azerbaijan", "Foreign policy"]
    assert parsed.source_url == "http://en.kremlin.ru/events/president/news/62103"
    assert (parsed.language, parsed.source_format) == ("en", "html")


def test_kremlin_body_only_no_photo_captions_or_page_furniture():
    text = all_text(parse(KREMLIN / "62103.html"))
    assert "With First Vice-President of Azerbaijan Mehriban Aliyeva." not in text  # a caption
    assert "Publication status" not in text and "Direct link" not in text


def test_kremlin_lead_before_the_stars_is_narrative():
    parsed = parse(KREMLIN / "17173.html")
    lead = parsed.statements[0]
    assert (lead.kind, lead.speaker, lead.speaker_label) == ("narrative", None, "")
    assert lead.paragraphs[0].startswith("Over 1,000 Russian and 200 foreign journalists")
    assert "* * *" not in all_text(parsed)
    assert parsed.statements[1].speaker == "Vladimir Putin"


def test_first_turn_title_form_and_later_short_form_are_one_speaker_with_a_role():
    parsed = parse(KREMLIN / "17622.html")
    assert [(s.speaker_label, s.speaker) for s in turns(parsed)[:4]] == [
        ("President of Russia Vladimir Putin", "Vladimir Putin"),
        ("President of Ukraine Viktor Yanukovych", "Viktor Yanukovych"),
        ("Vladimir Putin", "Vladimir Putin"),
        ("Viktor Yanukovych", "Viktor Yanukovych"),
    ]
    assert parsed.speaker_named("Viktor Yanukovych").role == "President of Ukraine"


def test_person_tooltip_inside_a_label_does_not_leak():
    parsed = parse(KREMLIN / "17622.html")
    assert "Yanukovych Viktor" not in all_text(parsed)  # the tooltip's "surname name" form
    assert all("Yanukovych Viktor" not in s.speaker_label for s in parsed.statements)


def test_retranslated_note_between_name_and_colon():
    parsed = parse(KREMLIN / "17113.html")
    museveni = next(s for s in parsed.statements if s.speaker == "Yoweri Museveni")
    assert (museveni.speaker_label, museveni.note) == (
        "President of Uganda Yoweri Museveni",
        "retranslated",
    )
    assert museveni.paragraphs[0] == "Thank you, Mr President,"


def test_colon_outside_the_bold_and_generic_labels():
    parsed = parse(KREMLIN / "17173.html")
    labels = {s.speaker_label for s in turns(parsed)}
    assert {"Dmitry Peskov", "Question", "Remark", "Response"} <= labels
    assert all(
        s.speaker is None for s in turns(parsed) if s.speaker_label in {"Remark", "Response"}
    )


def test_questioner_named_in_the_question_and_answer_pairing():
    parsed = parse(KREMLIN / "17173.html")
    index, question = next(
        (i, s) for i, s in enumerate(parsed.statements) if s.questioner == "Ksenia Sokolova"
    )
    assert (question.kind, question.outlet) == ("question", "Snob magazine")
    answer = parsed.statements[index + 1]
    assert (answer.kind, answer.speaker, answer.reply_to) == ("answer", "Vladimir Putin", index)


def test_omission_marks_are_kept():
    parsed = parse(KREMLIN / "17113.html")
    assert "<…>" in all_text(parsed)


@pytest.mark.parametrize("path", NEGATIVES, ids=lambda p: p.name)
def test_notices_and_press_releases_have_no_speakers(path):
    parsed = parse(path)
    assert turns(parsed) == []
    assert all(s.speaker is None for s in parsed.statements)


# --- White House Markdown -------------------------------------------------------------


def test_white_house_front_matter_and_opening_time():
    parsed = parse(KIRBY_GAGGLE)
    assert parsed.title == (
        "On-the-Record Press Gaggle by White House National Security Communications "
        "Advisor John Kirby"
    )
    assert (parsed.date, parsed.time, parsed.kind) == (date(2024, 8, 7), time(10, 33), "briefing")
    assert parsed.source_url.startswith("https://bidenwhitehouse.archives.gov/briefing-room/")


def test_upper_case_labels_and_the_bare_q():
    parsed = parse(KIRBY_GAGGLE)
    assert [(s.speaker_label, s.speaker, s.kind) for s in turns(parsed)[:5]] == [
        ("MODERATOR", None, "remarks"),
        ("Q", None, "question"),
        ("MR. KIRBY", "John Kirby", "answer"),
        ("Q", None, "question"),
        ("MR. KIRBY", "John Kirby", "answer"),
    ]
    assert parsed.statements[1].paragraphs[0].startswith("Hi, Sam. Thank you so much.")


def test_stage_directions_stay_in_the_statement_and_end_closes():
    parsed = parse(
        WHITE_HOUSE
        / "2022-09-27-background-press-briefing-on-the-vice-presidents-meetings-in-japan.md"
    )
    assert "END" not in [p for s in parsed.statements for p in s.paragraphs]
    assert "END" in parsed.dropped
    psaki = parse(
        WHITE_HOUSE
        / "2021-02-19-press-gaggle-by-press-secretary-jen-psaki-aboard-air-force-one-en-route-kalamazoo-mi.md"
    )
    laughing = [s for s in psaki.statements if "(Laughter.)" in s.text]
    assert laughing and all(s.speaker_label for s in laughing)


def test_quoted_mixed_case_names_in_a_capitals_transcript_are_not_turns():
    parsed = parse(
        WHITE_HOUSE
        / "2023-09-26-press-gaggle-by-press-secretary-karine-jean-pierre-en-route-wayne-county-michigan.md"
    )
    assert "Speaker McCarthy" not in {s.speaker_label for s in parsed.statements}
    assert any("Speaker McCarthy:" in p for s in parsed.statements for p in s.paragraphs)


def test_unnamed_officials_stay_unnamed():
    parsed = parse(
        WHITE_HOUSE
        / "2021-06-15-background-press-gaggle-by-senior-administration-officials-en-route-geneva-switzerland.md"
    )
    officials = [
        s for s in parsed.statements if s.speaker_label == "SENIOR ADMINISTRATION OFFICIAL"
    ]
    assert officials and all(s.speaker is None for s in officials)
    assert {s.kind for s in officials} <= {"opening", "answer", "remarks"}


# --- Singapore JSON ---------------------------------------------------------------------


def test_name_and_outlet_labels_are_questions_and_short_forms_resolve():
    parsed = parse(SINGAPORE / "record-0184.json")
    first, second, third = parsed.statements[:3]
    assert (first.speaker_label, first.kind, first.questioner, first.outlet, first.speaker) == (
        "Christiane Amanpour",
        "question",
        "Christiane Amanpour",
        "CNN",
        None,
    )
    assert (second.speaker_label, second.speaker, second.reply_to) == (
        "Minister",
        "Vivian Balakrishnan",
        0,
    )
    assert (third.speaker_label, third.questioner) == ("Amanpour", "Christiane Amanpour")


def test_cna_interview_questioners():
    parsed = parse(SINGAPORE / "record-0061.json")
    questions = [s for s in parsed.statements if s.kind == "question"]
    assert {(q.questioner, q.outlet) for q in questions} == {
        ("Dawn Tan", "CNA"),
        ("Otelli Edwards", "CNA"),
    }
    assert {s.speaker for s in parsed.statements if s.kind == "answer"} == {"Vivian Balakrishnan"}


def test_form_fields_are_not_speakers():
    text = all_text(parse(SINGAPORE / "record-0772.json"))
    assert "Photo Caption:" in text or "Tel:" in text or "BORN:" in text


# --- every file, and the golden outputs ---------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted(
        p for p in CORPUS.rglob("*") if p.suffix in {".html", ".md", ".json"} and p.stem != "README"
    ),
    ids=lambda p: p.name[:50],
)
def test_every_corpus_file_parses(path):
    parsed = parse(path)
    assert parsed.title and parsed.date and parsed.statements


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_golden_outputs(golden):
    """`make golden` rewrites these after a deliberate parser change; review the diff."""
    expected = json.loads(golden.read_text(encoding="utf-8"))
    source = Path(settings.BASE_DIR) / expected.pop("file")
    assert parse(source).to_dict() == expected


def test_long_bold_labels_with_asides_name_the_person_at_their_end():
    parsed = parse(KREMLIN / "56002.html")
    names = {s.speaker for s in turns(parsed)}
    assert {"Gilles Remy", "Tomislav Nikolic", "Rafael Guzman Tirado", "Zoran Jankovic"} <= names
    jankovic = next(s for s in turns(parsed) if s.speaker == "Zoran Jankovic")
    assert jankovic.speaker_label == "Mayor of Ljubljana (Republic of Slovenia) Zoran Jankovic"
    assert jankovic.note == "retranslated"


def test_a_role_never_lengthens_a_name_known_from_the_title():
    parsed = parse(KREMLIN / "47105.html")  # "CEO of French Energy Company Total Patrick Pouyanne"
    assert {s.speaker for s in turns(parsed)} == {"Vladimir Putin", "Patrick Pouyanne"}
