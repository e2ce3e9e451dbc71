"""The parser on its own: no database, small inputs written for each rule, and the seed."""

import json
from datetime import date, time

import pytest

from statements.parsing import ParseError, parse_source, parse_text
from statements.tests.conftest import RUSSIAN, SEED

SEED_FURNITURE = {"• en-GB1 ru-RU1", "Additional materials", "Advanced settings"}


def speakers_and_kinds(parsed):
    return [(s.speaker, s.speaker_label, s.kind, len(s.paragraphs)) for s in parsed.statements]


# --- the seed transcript ------------------------------------------------------------------


def test_seed_metadata():
    parsed = parse_source(SEED.read_bytes(), filename=SEED.name)
    assert parsed.date == date(2019, 1, 28)
    assert parsed.time == time(13, 56)
    assert parsed.place == "Moscow"
    assert parsed.language == "en"
    assert parsed.kind == "press_conference"
    assert parsed.title.startswith("Foreign Minister Sergey Lavrov’s remarks")
    assert parsed.main_speaker == "Sergey Lavrov"
    assert parsed.participants == ["Beibut Atamkulov"]
    assert parsed.other_languages == ["en", "ru"]


def test_seed_statements_in_order():
    parsed = parse_source(SEED.read_bytes(), filename=SEED.name)
    assert speakers_and_kinds(parsed) == [
        ("Sergey Lavrov", "", "opening", 11),
        (None, "Question", "question", 1),
        ("Sergey Lavrov", "Sergey Lavrov", "answer", 2),
        (None, "Question", "question", 1),
        ("Sergey Lavrov", "Sergey Lavrov", "answer", 3),
    ]
    opening = parsed.statements[0].paragraphs
    assert opening[0] == "Ladies and gentlemen,"
    assert opening[-1].endswith("which was meaningful and productive.")


def test_seed_drops_site_furniture_and_nothing_else():
    parsed = parse_source(SEED.read_bytes(), filename=SEED.name)
    for statement in parsed.statements:
        for furniture in ("Additional materials", "Advanced settings", "en-GB1"):
            assert furniture not in statement.text
    assert set(parsed.dropped) == SEED_FURNITURE


def test_seed_every_body_paragraph_in_exactly_one_statement_in_order(seed_text):
    # The body, counted from the raw file: non-blank lines after the title, minus furniture.
    raw_lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    body = [line for line in raw_lines[2:] if line not in SEED_FURNITURE]
    parsed = parse_text(seed_text)
    rebuilt = []
    for statement in parsed.statements:
        first, *rest = statement.paragraphs
        label = f"{statement.speaker_label}: " if statement.speaker_label else ""
        rebuilt += [label + first, *rest]
    assert rebuilt == body


# --- rule 1: dates, times, place --------------------------------------------------------


def test_glued_date_and_time_on_the_first_line():
    parsed = parse_text("5 March 202111:07\n\nTitle of a briefing\n\nText.")
    assert (parsed.date, parsed.time) == (date(2021, 3, 5), time(11, 7))


def test_title_tail_gives_place_and_date_when_there_is_no_date_line():
    parsed = parse_text("Remarks by Sergey Lavrov’s deputy, Geneva, March 5, 2021\n\nText.")
    assert (parsed.place, parsed.date, parsed.time) == ("Geneva", date(2021, 3, 5), None)


def test_no_date_is_a_warning_not_an_error():
    parsed = parse_text("Untitled remarks\n\nSome text.")
    assert parsed.date is None
    assert "no date found in the text or its title" in parsed.warnings


def test_impossible_date_is_not_guessed():
    parsed = parse_text("31 February 201910:00\n\nTitle\n\nText.")
    assert parsed.date is None


# --- rule 2: the title's speaker opens ---------------------------------------------------


def test_text_with_no_labels_is_one_statement_by_the_titles_speaker():
    parsed = parse_text(
        "Foreign Minister Sergey Lavrov’s article for Izvestia, March 5, 2021\n\n"
        "First paragraph.\n\nSecond paragraph: with a colon inside.\n\nThird paragraph."
    )
    assert speakers_and_kinds(parsed) == [("Sergey Lavrov", "", "opening", 3)]
    assert parsed.kind == "article"
    assert "no speaker labels found" in parsed.warnings


def test_text_before_labels_without_a_titled_speaker_is_narrative():
    parsed = parse_text("Press statements following talks\n\nThe talks took place.\n\nQ: Why?")
    assert parsed.statements[0].speaker is None
    assert parsed.statements[0].kind == "narrative"


# --- rule 3: labels ---------------------------------------------------------------------


def test_label_with_a_parenthetical_note():
    parsed = parse_text(
        "Talks with Foreign Minister of Kazakhstan Beibut Atamkulov, January 28, 2019\n\n"
        "Question (to both ministers): How did the talks go?\n\n"
        "Beibut Atamkulov (retranslated from Russian): Very well."
    )
    question, answer = parsed.statements
    assert (question.speaker_label, question.note, question.kind) == (
        "Question",
        "to both ministers",
        "question",
    )
    assert (answer.speaker, answer.speaker_label, answer.note) == (
        "Beibut Atamkulov",
        "Beibut Atamkulov",
        "retranslated from Russian",
    )
    assert answer.paragraphs == ["Very well."]


def test_a_colon_inside_a_sentence_is_not_a_label():
    parsed = parse_text(
        "Foreign Minister Sergey Lavrov’s remarks, January 28, 2019\n\n"
        "We set ourselves two tasks: to talk and to listen.\n\n"
        "In Syria: the situation is difficult.\n\n"
        "Syria: a long road.\n\n"
        "Note: this is not a speaker."
    )
    assert speakers_and_kinds(parsed) == [("Sergey Lavrov", "", "opening", 4)]


def test_label_alone_on_its_line_starts_a_statement_with_the_next_paragraph():
    parsed = parse_text(
        "Sergey Lavrov’s interview\n\nQuestion:\n\nWhat next?\n\nSergey Lavrov:\n\nWe will see."
    )
    assert [(s.speaker_label, s.paragraphs) for s in parsed.statements] == [
        ("Question", ["What next?"]),
        ("Sergey Lavrov", ["We will see."]),
    ]


def test_q_and_upper_case_labels():
    parsed = parse_text(
        "Department Press Briefing by Spokesperson Ned Price, March 3, 2021\n\n"
        "MR PRICE: Good afternoon.\n\n"
        "QUESTION: Thank you, Ned.\n\n"
        "MR PRICE: You are welcome.\n\n"
        "Q: One more?\n\n"
        "MR PRICE: Sure."
    )
    assert speakers_and_kinds(parsed) == [
        ("Ned Price", "MR PRICE", "opening", 1),
        (None, "QUESTION", "question", 1),
        ("Ned Price", "MR PRICE", "answer", 1),
        (None, "Q", "question", 1),
        ("Ned Price", "MR PRICE", "answer", 1),
    ]
    assert parsed.kind == "briefing"


def test_a_lone_surname_nobody_named_stays_a_label():
    parsed = parse_text("Daily briefing, March 3, 2021\n\nMR PRICE: Good afternoon.")
    statement = parsed.statements[0]
    assert (statement.speaker, statement.speaker_label) == (None, "MR PRICE")
    assert any("'MR PRICE' does not name a known person" in w for w in parsed.warnings)


def test_later_short_forms_resolve_to_the_full_name():
    parsed = parse_text(
        "Talks with President of Russia Vladimir Putin, May 1, 2020\n\n"
        "President of Russia Vladimir Putin: Good afternoon.\n\n"
        "Putin: Let us begin."
    )
    assert [s.speaker for s in parsed.statements] == ["Vladimir Putin", "Vladimir Putin"]
    assert parsed.speakers[0].role == "President of Russia"


def test_a_different_first_name_is_a_different_person():
    parsed = parse_text(
        "Foreign Minister Sergey Lavrov’s remarks, May 1, 2020\n\n"
        "Nikolai Lavrov: I am someone else.\n\n"
        "Sergey Lavrov: Indeed."
    )
    assert [s.speaker for s in parsed.statements] == ["Nikolai Lavrov", "Sergey Lavrov"]


# --- Russian --------------------------------------------------------------------------


def test_russian_transcript():
    parsed = parse_text(RUSSIAN)
    assert (parsed.date, parsed.time, parsed.place) == (date(2019, 1, 28), time(15, 30), "Москва")
    assert (parsed.language, parsed.kind) == ("ru", "press_conference")
    assert parsed.main_speaker == "С.В.Лавров"
    assert parsed.participants == ["Б.Атамкулов"]
    assert speakers_and_kinds(parsed) == [
        ("С.В.Лавров", "", "opening", 2),
        (None, "Вопрос", "question", 1),
        ("С.В.Лавров", "С.В.Лавров", "answer", 1),
        ("Б.Атамкулов", "Б.Атамкулов", "remarks", 1),
    ]
    assert parsed.statements[3].note == "говорит по-казахски, перевод"


@pytest.mark.parametrize(
    "dateline, expected",
    [("1 мая 2020", date(2020, 5, 1)), ("31 декабря 201923:59", date(2019, 12, 31))],
)
def test_russian_datelines(dateline, expected):
    assert parse_text(f"{dateline}\n\nЗаголовок\n\nТекст.").date == expected


# --- rule 4: site furniture -------------------------------------------------------------


def test_language_switch_and_empty_bullets_are_dropped_but_recorded():
    parsed = parse_text(
        "Title, May 1, 2020\n\n  • en-GB1 ru-RU1\n\n•\n\nText.\n\nДополнительные материалы\n\nLink"
    )
    assert [s.paragraphs for s in parsed.statements] == [["Text."]]
    assert parsed.other_languages == ["en", "ru"]
    assert parsed.dropped == ["• en-GB1 ru-RU1", "•", "Дополнительные материалы", "Link"]


def test_hard_wrapped_paragraphs_are_joined():
    parsed = parse_text(
        "Sergey Lavrov’s remarks\n\nThis paragraph was\nwrapped at a short\nwidth.\n\nNext one."
    )
    assert parsed.statements[0].paragraphs == [
        "This paragraph was wrapped at a short width.",
        "Next one.",
    ]


# --- rule 5: JSON ---------------------------------------------------------------------


def test_own_json_structure_round_trips():
    parsed = parse_source(SEED.read_bytes(), filename=SEED.name)
    again = parse_source(json.dumps(parsed.to_dict()), filename="seed.json")
    assert again.to_dict() == parsed.to_dict()
    assert again.source_format == "json"


def test_json_record_with_content_is_split_by_the_same_rules():
    record = {
        "title": "Transcript of Minister for Foreign Affairs Vivian Balakrishnan’s interview",
        "date": "2023-10-01",
        "content": "Question: What now?\nMinister Vivian Balakrishnan: We talk.\nBalakrishnan: And listen.",
    }
    parsed = parse_source(json.dumps(record), filename="x.json")
    assert speakers_and_kinds(parsed) == [
        (None, "Question", "question", 1),
        ("Vivian Balakrishnan", "Minister Vivian Balakrishnan", "answer", 1),
        ("Vivian Balakrishnan", "Balakrishnan", "remarks", 1),
    ]
    assert parsed.date == date(2023, 10, 1)


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"title": "T", "statements": [', "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"statements": []}', "no title"),
        ('{"title": "T"}', 'needs "statements"'),
        ('{"title": "T", "statements": [{"paragraphs": "x"}]}', "statements[0]"),
        ('{"title": "T", "date": "soon", "content": "x"}', "is not a date"),
        ('{"title": "T", "statements": [{"kind": "rant", "paragraphs": []}]}', "not one of"),
    ],
)
def test_bad_json_is_refused_with_a_clear_message(content, message):
    with pytest.raises(ParseError, match=message.replace("[", r"\[")):
        parse_source(content, filename="bad.json")


# --- rule 6: input that cannot be parsed ------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n  \n", b""])
def test_empty_input_is_refused(content):
    with pytest.raises(ParseError, match="empty"):
        parse_source(content, filename="empty.txt")


def test_binary_input_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"
    with pytest.raises(ParseError, match="binary"):
        parse_source(png, filename="picture.txt")


def test_text_in_another_encoding_is_refused_with_its_line():
    with pytest.raises(ParseError, match="not UTF-8") as error:
        parse_source("Title\n\nВопрос: да?".encode("cp1251"), filename="old.txt")
    assert error.value.line == 3


def test_text_starting_with_a_label_has_no_title():
    with pytest.raises(ParseError, match="no title") as error:
        parse_text("\n\nQuestion: Where is the title?\n\nSergey Lavrov: Missing.")
    assert error.value.line == 3


def test_a_date_line_alone_has_no_title():
    with pytest.raises(ParseError, match="no title"):
        parse_text("28 January 201913:56\n\n")


def test_unattributed_text_before_the_first_label_is_one_narrative_statement():
    parsed = parse_text(
        "Briefing on the situation, May 1, 2020\n\nFirst paragraph.\n\nSecond paragraph.\n\n"
        "Question: Why?"
    )
    assert speakers_and_kinds(parsed) == [
        (None, "", "narrative", 2),
        (None, "Question", "question", 1),
    ]


def test_the_person_a_briefing_is_by_opens_it():
    parsed = parse_text(
        "Briefing by Foreign Ministry Spokeswoman Maria Zakharova, Moscow, May 1, 2020\n\n"
        "Good afternoon.\n\nLet me begin.\n\nQuestion: Why?\n\nMaria Zakharova: Because."
    )
    assert speakers_and_kinds(parsed) == [
        ("Maria Zakharova", "", "opening", 2),
        (None, "Question", "question", 1),
        ("Maria Zakharova", "Maria Zakharova", "answer", 1),
    ]


# --- source addresses: only http(s) is kept ---------------------------------------------

PAGE = """<html><head><title>Talks</title>{head}</head>
<body><h1>Talks with Foreign Minister Sergey Lavrov, May 1, 2020</h1>
<div itemprop="articleBody"><p>{body}</p></div></body></html>"""


def markdown_with(front: str, body: str = "Text.") -> str:
    return f"---\ntitle: Press Briefing, May 1, 2020\n{front}\n---\n{body}\n"


def test_markdown_javascript_source_url_is_dropped_with_a_warning():
    parsed = parse_source(markdown_with('source_url: " JaVaScRiPt:alert(1)"'), filename="b.md")
    assert parsed.source_url == ""
    assert any("source URL dropped" in w for w in parsed.warnings)


def test_json_data_source_url_is_dropped_with_a_warning():
    record = {"title": "T", "source_url": "data:text/html,<script>x</script>", "content": "Hi."}
    parsed = parse_source(json.dumps(record), filename="r.json")
    assert parsed.source_url == ""
    assert any("not an http(s) address" in w for w in parsed.warnings)


def test_json_own_structure_relative_source_url_is_dropped():
    own = {"title": "T", "source_url": "/news/1", "statements": [{"paragraphs": ["Hi."]}]}
    assert parse_source(json.dumps(own), filename="o.json").source_url == ""


def test_html_vbscript_og_url_is_dropped_with_a_warning():
    head = '<meta property="og:url" content="vbscript:msgbox(1)">'
    parsed = parse_source(PAGE.format(head=head, body="Hi."), filename="p.html")
    assert parsed.source_url == ""
    assert any("'vbscript:msgbox(1)'" in w for w in parsed.warnings)


def test_html_canonical_link_is_kept_when_og_url_is_not_http():
    head = (
        '<meta property="og:url" content="javascript:alert(1)">'
        '<link rel="canonical" href="https://en.kremlin.ru/events/1">'
    )
    parsed = parse_source(PAGE.format(head=head, body="Hi."), filename="p.html")
    assert parsed.source_url == "https://en.kremlin.ru/events/1"


# --- line endings and control characters, in every format ------------------------------


def test_markdown_with_crlf_line_endings_reads_its_front_matter():
    text = markdown_with("source_url: https://example.org/b", "MS. PSAKI: Hello.").replace(
        "\n", "\r\n"
    )
    parsed = parse_source(text, filename="b.md")
    assert parsed.title == "Press Briefing, May 1, 2020"
    assert parsed.statements[0].paragraphs == ["Hello."]


def test_markdown_with_old_mac_line_endings_reads_its_front_matter():
    parsed = parse_source(
        markdown_with("date: '2020-05-01'", "Text.").replace("\n", "\r"), filename="b.md"
    )
    assert (parsed.title, parsed.date) == ("Press Briefing, May 1, 2020", date(2020, 5, 1))


def test_unicode_line_separators_become_newlines_in_json_text():
    own = {"title": "T", "statements": [{"text": "One.\u2029\u2029Two.\r\nstill two."}]}
    parsed = parse_source(json.dumps(own), filename="o.json")
    assert parsed.statements[0].paragraphs == ["One.", "Two.\nstill two."]


def test_control_characters_are_removed_from_plain_text():
    parsed = parse_source(
        "Ta\x08lks, Mos\x07cow, May 1, 2020\n\nSergey La\x1bvrov (retrans\x0blated): W\x7fell.",
        filename="t.txt",
    )
    statement = parsed.statements[0]
    assert (parsed.title, parsed.place) == ("Talks, Moscow, May 1, 2020", "Moscow")
    assert (statement.speaker_label, statement.note, statement.paragraphs) == (
        "Sergey Lavrov",
        "retranslated",
        ["Well."],
    )


def test_control_characters_written_as_json_escapes_are_removed():
    own = {
        "title": "T\u0008itle",
        "place": "Gen\u0007eva",
        "statements": [
            {"speaker_label": "Dawn\u001b Tan", "note": "a\u0001b", "paragraphs": ["x\u0008y"]}
        ],
    }
    parsed = parse_source(json.dumps(own), filename="o.json")
    statement = parsed.statements[0]
    assert (parsed.title, parsed.place) == ("Title", "Geneva")
    assert (statement.speaker_label, statement.note, statement.paragraphs) == (
        "Dawn Tan",
        "ab",
        ["xy"],
    )


def test_control_characters_in_an_html_paragraph_and_its_entities_are_removed():
    parsed = parse_source(
        PAGE.format(head="", body="Back\x08space and bell&#7;."), filename="p.html"
    )
    assert parsed.statements[0].paragraphs == ["Backspace and bell."]


def test_a_nul_written_as_a_json_escape_is_refused():
    with pytest.raises(ParseError, match="NUL"):
        parse_source('{"title": "T", "content": "Before\\u0000after."}', filename="r.json")


def test_a_lone_surrogate_in_json_is_refused():
    with pytest.raises(ParseError, match="lone surrogate \\(U\\+D800"):
        parse_source('{"title": "T", "content": "a\\ud800b"}', filename="r.json")


# --- journalists -------------------------------------------------------------------------


def test_a_journalists_second_outlet_is_kept_on_that_question():
    parsed = parse_text(
        "Transcript of Minister Vivian Balakrishnan’s interview, May 1, 2020\n\n"
        "Dawn Tan (CNA): First question.\n\nMinister: Answer.\n\n"
        "Dawn Tan (Reuters): Second question."
    )
    assert [(s.questioner, s.outlet) for s in parsed.statements if s.kind == "question"] == [
        ("Dawn Tan", "CNA"),
        ("Dawn Tan", "Reuters"),
    ]


def test_a_label_that_fits_thousands_of_people_names_a_few_in_its_warning():
    people = "\n\n".join(
        f"{given} Smith: Present." for given in ("Ann", "Bob", "Cy", "Di", "Ed", "Flo", "Gus")
    )
    parsed = parse_text(f"Roll call, May 1, 2020\n\n{people}\n\nSmith: Which one?")
    assert any(
        "could be any of Ann Smith, Bob Smith, Cy Smith, Di Smith, Ed Smith and 2 more" in w
        for w in parsed.warnings
    )
