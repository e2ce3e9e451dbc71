"""Reader for JSON: our own structure, or a record with title/date/content.

Our structure is what `parse_transcript` prints, so its output can be edited and imported:

    {"title": "…", "date": "2019-01-28", "time": "13:56", "place": "Moscow",
     "language": "en", "kind": "press_conference", "source_url": "…",
     "statements": [{"speaker_label": "Question", "speaker": null, "note": "",
                     "kind": "question", "paragraphs": ["…"]}, …]}

A record (`{"title", "date", "content"}`, as press offices export them) has its content
split into statements by the same labelling rules as plain text.
"""

import json

from . import dates, names, urls
from .assemble import assemble, detect_language, transcript_kind
from .languages import language_code
from .model import (
    STATEMENT_KINDS,
    TRANSCRIPT_KINDS,
    Paragraph,
    ParsedSpeaker,
    ParsedStatement,
    ParsedTranscript,
    ParseError,
)
from .plaintext import read_body
from .text import clean_text, unstorable


def read_json(text: str, *, language: str | None = None) -> ParsedTranscript:
    data = _load(text)
    if not isinstance(data, dict):
        raise ParseError(
            "expected a JSON object for one transcript, "
            f"got {type(data).__name__}; put each transcript in its own file"
        )
    title = _string(data, "title").strip()
    if not title:
        raise ParseError('no title: the JSON object needs a non-empty "title"')
    if "statements" in data:
        return _own_structure(data, title, language)
    if "content" in data:
        return _record(data, title, language)
    raise ParseError('a JSON transcript needs "statements" (a list) or "content" (text)')


# No field of a transcript is a number: a longer one is refused before Python's own limit
# (4,300 digits) raises a ValueError with advice for programmers.
MAX_NUMBER_DIGITS = 100


def _load(text: str):
    try:
        # strict=False: raw tabs and newlines in strings are fine (they are text)
        return json.loads(text, strict=False, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise ParseError(f"not valid JSON: {error.msg}", line=error.lineno) from error
    except RecursionError as error:
        raise ParseError(
            "the JSON nests arrays or objects too deeply to be read "
            "(a transcript needs four levels: transcript, statements, statement, paragraphs)"
        ) from error


def _integer(digits: str) -> int:
    if len(digits) > MAX_NUMBER_DIGITS:
        raise ParseError(
            f"the JSON holds a number of {len(digits):,} digits; "
            f"numbers of at most {MAX_NUMBER_DIGITS} digits are read"
        )
    return int(digits)


def _own_structure(data: dict, title: str, language: str | None) -> ParsedTranscript:
    statements = data["statements"]
    if not isinstance(statements, list) or not statements:
        raise ParseError('"statements" must be a non-empty list')
    transcript = ParsedTranscript(
        title=title,
        date=_date(data),
        time=dates.parse_time(_string(data, "time")) if data.get("time") else None,
        place=_string(data, "place"),
        kind=_choice(data, "kind", TRANSCRIPT_KINDS, transcript_kind(title)),
        source_url=urls.pick_url(_string(data, "source_url"), _string(data, "url")),
        source_format="json",
    )
    transcript.statements = [_statement(item, index) for index, item in enumerate(statements)]
    transcript.language = (
        language
        or _language(data)
        or detect_language(
            title, [Paragraph(p, 0) for s in transcript.statements for p in s.paragraphs]
        )
    )
    people: dict[str, ParsedSpeaker] = {}
    for statement in transcript.statements:
        if statement.speaker and statement.speaker not in people:
            people[statement.speaker] = ParsedSpeaker(statement.speaker)
            transcript.speakers.append(people[statement.speaker])
        if statement.speaker:
            people[statement.speaker].add_form(statement.speaker_label)
    title_speaker = names.possessive_person(title)
    transcript.main_speaker = title_speaker if transcript.speaker_named(title_speaker) else None
    if transcript.date is None:
        transcript.warnings.append("no date given")
    return transcript


def _statement(item, index: int) -> ParsedStatement:
    where = f"statements[{index}]"
    if not isinstance(item, dict):
        raise ParseError(f"{where} must be an object")
    paragraphs = item.get("paragraphs")
    if paragraphs is None and isinstance(item.get("text"), str):
        text = _text(item["text"], f"{where}.text")
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
        raise ParseError(f'{where} needs "paragraphs" (a list of strings) or "text"')
    paragraphs = [_text(p, f"{where}.paragraphs[{n}]") for n, p in enumerate(paragraphs)]
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        raise ParseError(f"{where}.speaker must be a string or null")
    return ParsedStatement(
        speaker_label=_string(item, "speaker_label", where),
        speaker=_text(speaker or "", f"{where}.speaker").strip() or None,
        kind=_choice(item, "kind", STATEMENT_KINDS, "remarks", where),
        paragraphs=paragraphs,
        note=_string(item, "note", where),
    )


def _record(data: dict, title: str, language: str | None) -> ParsedTranscript:
    content = data["content"]
    if not isinstance(content, str) or not content.strip():
        raise ParseError('"content" must be non-empty text')
    dropped, paragraphs = read_body(_text(content, "content"))
    return assemble(
        title=title,
        paragraphs=paragraphs,
        language=language or _language(data),
        published=_date(data),
        source_url=urls.pick_url(_string(data, "source_url"), _string(data, "url")),
        source_format="json",
        dropped=dropped,
    )


def _string(data: dict, key: str, where: str = "") -> str:
    """The text at `key`, cleaned: JSON's escapes (\\r\\n, \\u0008) get past the
    cleaning of the raw input."""
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise ParseError(f"{where + '.' if where else ''}{key} must be text")
    return _text(value, f"{where + '.' if where else ''}{key}")


def _text(value: str, where: str) -> str:
    problem = unstorable(value)
    if problem:
        raise ParseError(f"{where} holds {problem}: remove it")
    return clean_text(value)


def _choice(data: dict, key: str, choices, default: str, where: str = "") -> str:
    value = _string(data, key, where) or default
    if value not in choices:
        raise ParseError(
            f"{where + '.' if where else ''}{key} {value!r} is not one of {', '.join(choices)}"
        )
    return value


def _date(data: dict):
    text = _string(data, "date")
    if not text:
        return None
    found = dates.parse_date(text)
    if found is None:
        raise ParseError(f"date {text!r} is not a date (expected YYYY-MM-DD)")
    if dates.out_of_range(found):
        raise ParseError(f"date {text!r} is {dates.out_of_range(found)}")
    return found


def _language(data: dict) -> str | None:
    text = _string(data, "language")
    if not text:
        return None
    code = language_code(text)
    if code is None:
        raise ParseError(
            f"language {text!r} is not a language code: give its two letters, "
            'such as "en" or "ru" (a region, as in "en-GB", is left out)'
        )
    return code
