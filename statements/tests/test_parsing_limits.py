"""Hostile inputs: each is read or refused with a ParseError that says what is wrong,
never another exception, never minutes of work (statements.parsing's limits)."""

import json

import pytest

from statements.parsing import ParseError, parse_source

TITLE_PAGE = "<html><head><title>Talks</title></head><body><h1>Talks, May 1, 2020</h1>"


def front_matter(yaml: str) -> str:
    return f"---\ntitle: Press Briefing, May 1, 2020\n{yaml}\n---\nMS. PSAKI: Hello.\n"


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return front_matter("\n".join(lines))


# --- YAML front matter ------------------------------------------------------------------


def test_yaml_aliases_are_refused_before_they_expand():
    with pytest.raises(ParseError, match="anchor or alias") as error:
        parse_source(alias_bomb(), filename="bomb.md")
    assert error.value.line == 3


def test_a_yaml_anchor_alone_is_refused():
    with pytest.raises(ParseError, match="anchor or alias"):
        parse_source(front_matter("tags: &t [a, b]"), filename="b.md")


def test_yaml_nested_fifty_thousand_deep_is_refused_by_the_size_cap():
    deep = "x: " + "[" * 50_000 + "]" * 50_000
    with pytest.raises(ParseError, match="at most 20,000 are read"):
        parse_source(front_matter(deep), filename="b.md")


def test_yaml_nested_deeper_than_the_limit_is_refused_with_the_limit():
    deep = "x: " + "[" * 5_000 + "]" * 5_000
    with pytest.raises(ParseError, match="more than 20 deep"):
        parse_source(front_matter(deep), filename="b.md")


def test_front_matter_over_the_size_cap_is_refused_with_the_cap():
    with pytest.raises(ParseError, match="at most 20,000 are read"):
        parse_source(front_matter("note: " + "x" * 30_000), filename="b.md")


def test_a_yaml_number_of_five_thousand_digits_is_read_as_text():
    parsed = parse_source(front_matter("n: " + "9" * 5000), filename="b.md")
    assert parsed.title == "Press Briefing, May 1, 2020"


def test_an_impossible_yaml_date_is_no_date_not_a_crash():
    parsed = parse_source(front_matter("date: 2024-02-30"), filename="b.md")
    assert parsed.date.isoformat() == "2020-05-01"  # from the title, as with no date given


# --- JSON -------------------------------------------------------------------------------


def test_a_million_opening_brackets_are_refused_as_too_deep():
    with pytest.raises(ParseError, match="too deeply"):
        parse_source("[" * 1_000_000, filename="deep.json")


def test_an_object_holding_a_hundred_thousand_nested_arrays_is_refused_as_too_deep():
    content = '{"title": "T", "content": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(ParseError, match="too deeply"):
        parse_source(content, filename="deep.json")


def test_a_json_number_of_five_thousand_digits_is_refused_with_the_limit():
    content = '{"title": "T", "content": "x", "n": ' + "9" * 5000 + "}"
    with pytest.raises(ParseError, match=r"5,000 digits.*at most 100"):
        parse_source(content, filename="n.json")


def test_a_json_language_that_is_no_code_is_refused():
    record = {"title": "T", "content": "x", "language": "klingon!!"}
    with pytest.raises(ParseError, match="language 'klingon!!' is not a language code"):
        parse_source(json.dumps(record), filename="r.json")


def test_a_json_language_with_a_region_keeps_the_language():
    record = {"title": "T", "content": "x", "language": "en-GB"}
    assert parse_source(json.dumps(record), filename="r.json").language == "en"


def test_a_json_date_with_a_five_digit_year_is_refused_naming_the_field():
    record = {"title": "T", "content": "x", "date": "99999-01-01"}
    with pytest.raises(ParseError, match="date '99999-01-01'"):
        parse_source(json.dumps(record), filename="r.json")


def test_a_json_date_before_1900_is_refused_with_the_range():
    record = {"title": "T", "content": "x", "date": "1066-10-14"}
    with pytest.raises(ParseError, match="outside the years 1900"):
        parse_source(json.dumps(record), filename="r.json")


# --- HTML -------------------------------------------------------------------------------


def test_html_nested_beyond_what_lxml_reads_is_refused():
    page = TITLE_PAGE + "<div>" * 300 + "<p>Deep words.</p>" + "</div>" * 300 + "</body></html>"
    with pytest.raises(ParseError, match="more than 255 deep"):
        parse_source(page, filename="deep.html")


# --- dates from the text ------------------------------------------------------------------


def test_a_title_dated_in_the_far_future_is_left_without_a_date_with_a_warning():
    parsed = parse_source("Talks, Geneva, May 1, 2999\n\nText.", filename="t.txt")
    assert parsed.date is None
    assert any("outside the years 1900" in w for w in parsed.warnings)


# --- size ---------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_with_the_limit():
    with pytest.raises(ParseError, match="at most 3,000,000 are read"):
        parse_source("Title\n\n" + "words " * 520_000, filename="big.txt")
