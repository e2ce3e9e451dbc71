"""Transcript parser: text in, dataclasses out. Pure Python, no Django.

    parsed = parse_source(Path("seed.txt").read_bytes(), filename="seed.txt")
    parsed.statements[0].speaker  # "Sergey Lavrov"

Readers per format (plain text, HTML, Markdown, JSON) produce a title, metadata and paragraphs; one core
(`assemble`) finds speaker labels and builds the statements, so every format follows
the same rules.
"""

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
    "parse_source",
    "parse_text",
    "read_label",
]

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

    Raises ParseError for input that cannot be a transcript (empty, binary, no title).
    """
    text = decode(raw) if isinstance(raw, bytes) else raw
    if not text.strip():
        raise ParseError("the input is empty")
    if "\x00" in text:
        raise ParseError("the input contains NUL characters: it looks like a binary file")
    source_format = _format(filename, text)
    if source_format == "json":
        return read_json(text, language=language)
    if source_format in READERS:
        page = READERS[source_format](text)
        return assemble(**page | {"language": language or page.get("language")})
    return parse_text(text, language=language)


def parse_text(text: str, *, language: str | None = None) -> ParsedTranscript:
    """Parse plain text: an optional date line, the title, then the body."""
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
