"""Transcript parser: text in, dataclasses out. Pure Python, no Django.

    parsed = parse_source(Path("seed.txt").read_bytes(), filename="seed.txt")
    parsed.statements[0].speaker  # "Sergey Lavrov"

Readers per format (plain text, HTML, Markdown, JSON) produce a title, metadata and paragraphs; one core
(`assemble`) finds speaker labels and builds the statements, so every format follows
the same rules.
"""

import re
from dataclasses import fields, is_dataclass
from pathlib import PurePath

from .assemble import assemble
from .htmlpage import read_html
from .jsonform import read_json
from .labels import Label, match_label
from .markdown import read_markdown
from .model import (
    ANSWER,
    NARRATIVE,
    OPENING,
    QUESTION,
    REMARKS,
    STATEMENT_KINDS,
    TRANSCRIPT_KINDS,
    ParsedSpeaker,
    ParsedStatement,
    ParsedTranscript,
    ParseError,
)
from .plaintext import read_plain_text
from .text import clean_text, unstorable
from .urls import http_url

__all__ = [
    "ANSWER",
    "NARRATIVE",
    "OPENING",
    "QUESTION",
    "REMARKS",
    "STATEMENT_KINDS",
    "SUPPORTED_EXTENSIONS",
    "TRANSCRIPT_KINDS",
    "Label",
    "ParseError",
    "ParsedSpeaker",
    "ParsedStatement",
    "ParsedTranscript",
    "decode",
    "http_url",
    "parse_source",
    "parse_text",
    "read_label",
]

# At worst (a page of nothing but new speakers' labels, bench/parse_limits.py) the parser
# takes about 1.5 s of CPU a megabyte: a longer file is refused, not left to a timeout.
MAX_CHARACTERS = 3_000_000  # over ten times the longest real transcript in fixtures/corpus

SUPPORTED_EXTENSIONS = {
    ".txt": "text",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}


def parse_source(
    raw: bytes | str, *, filename: str = "", language: str | None = None
) -> ParsedTranscript:
    """Parse one transcript file's content. The format comes from the file's extension,
    or from the content when there is none (a JSON object starts with "{").

    Returns a ParsedTranscript or raises ParseError, for input that cannot be a transcript
    (empty, binary, no title, malformed) or that is over one of the parser's limits.
    Every text of the result has "\n" line endings and no control characters (but tab),
    and its source address is an http(s) URL or "".
    """
    text = decode(raw) if isinstance(raw, bytes) else raw
    if "\x00" in text:
        raise ParseError("the input contains NUL characters: it looks like a binary file")
    # Every reader sees "\n" line endings and no control characters, so every format
    # splits lines and finds labels alike; escapes (JSON's \u0008, HTML's &#8;) are
    # cleaned from the result by _finished.
    text = clean_text(text)
    if not text.strip():
        raise ParseError("the input is empty")
    if len(text) > MAX_CHARACTERS:
        raise ParseError(
            f"the file is {len(text):,} characters long; at most {MAX_CHARACTERS:,} are "
            "read in one transcript (about 3 MB): split it"
        )
    source_format = _format(filename, text)
    try:
        return _finished(_read(text, source_format, language))
    except RecursionError as error:  # each reader refuses deep nesting it knows of first
        raise ParseError(f"the {source_format} is nested too deeply to be read") from error


def parse_text(text: str, *, language: str | None = None) -> ParsedTranscript:
    """Parse plain text: an optional date line, the title, then the body (with the same
    cleaning, limits and errors as `parse_source`)."""
    return parse_source(text, filename="text.txt", language=language)


def _read(text: str, source_format: str, language: str | None) -> ParsedTranscript:
    if source_format == "json":
        return read_json(text, language=language)
    if source_format in READERS:
        page = READERS[source_format](text)
        return assemble(**page | {"language": language or page.get("language")})
    header, paragraphs = read_plain_text(text)
    return assemble(
        title=header.title,
        paragraphs=paragraphs,
        language=language,
        published=header.date,
        time=header.time,
        other_languages=header.other_languages,
        dropped=header.dropped,
    )


def _finished(parsed: ParsedTranscript) -> ParsedTranscript:
    url = http_url(parsed.source_url)
    if parsed.source_url and not url:
        # Worded as the import service's own check of an editor's address.
        parsed.warnings.append(
            f"source URL dropped: not an http(s) address ({parsed.source_url[:80]!r})"
        )
    parsed.source_url = url or ""
    if _UNCLEAN.search("\n".join(_texts(parsed))):  # rare: one check, then field by field
        _clean_texts(parsed)
    return parsed


# What clean_text changes or `_clean` refuses: line breaks but "\n", control characters but
# tab and newline, NUL, and halves of UTF-16 pairs.
_UNCLEAN = re.compile("[\r\u2028\u2029\x85\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _texts(parsed: ParsedTranscript) -> list[str]:
    texts = [parsed.title, parsed.place, *parsed.tags, *parsed.dropped, *parsed.warnings]
    for statement in parsed.statements:
        texts += (statement.speaker_label, statement.speaker or "", statement.note)
        texts += (statement.questioner, statement.outlet, *statement.paragraphs)
    for person in parsed.speakers:
        texts += (person.name, person.role, person.outlet, *person.forms)
    return texts


def _clean_texts(item) -> None:
    """Clean every text of a parsed transcript, its statements and speakers, in place."""
    for field in fields(item):
        value = getattr(item, field.name)
        if isinstance(value, str):
            setattr(item, field.name, _clean(value, field.name))
        elif isinstance(value, list):
            for index, element in enumerate(value):
                if isinstance(element, str):
                    value[index] = _clean(element, field.name)
                elif is_dataclass(element):
                    _clean_texts(element)


def _clean(text: str, where: str) -> str:
    problem = unstorable(text)
    if problem:
        raise ParseError(f"the {where.replace('_', ' ')} holds {problem}: remove it")
    return clean_text(text)


def decode(raw: bytes) -> str:
    """UTF-8 text (with or without a byte-order mark), or a ParseError saying it is not."""
    if b"\x00" in raw[:8192]:
        raise ParseError("the input looks like a binary file (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ParseError(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8",
            line=line,
        ) from error


READERS = {"html": read_html, "markdown": read_markdown}


def _format(filename: str, text: str) -> str:
    extension = PurePath(filename).suffix.lower()
    if extension in SUPPORTED_EXTENSIONS:
        return SUPPORTED_EXTENSIONS[extension]
    start = text.lstrip("\ufeff \t\r\n")[:100].lower()
    if start.startswith("{"):
        return "json"
    if start.startswith(("<!doctype html", "<html")):
        return "html"
    return "markdown" if start.startswith("---") else "text"


def read_label(paragraph: str) -> Label | None:
    """The speaker label opening `paragraph` ("Mevlut Cavusoglu (retranslated from
    Turkish): …"), as the parser reads one; None if the paragraph has none. For editors'
    tools: a statement split where a label begins gets the label's speaker, not its text."""
    return match_label(paragraph)
