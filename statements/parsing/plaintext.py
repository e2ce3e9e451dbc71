"""Reader for plain text: a ministry page saved as text, like the seed transcript.

28 January 201913:56                       ← publication date and time, glued
Foreign Minister Sergey Lavrov’s remarks … ← the title (first line of text)
  • en-GB1 ru-RU1                          ← language switch: site furniture
Ladies and gentlemen, …                    ← the body, one paragraph per line
…
Additional materials                       ← site furniture from here on
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from . import dates, labels
from .model import Paragraph, ParseError

# mid.ru's language switch: "• en-GB1 ru-RU1" says the page exists in English and Russian.
LANGUAGE_SWITCH = re.compile(r"^[•·*\s]*(?:[a-z]{2}-[A-Z]{2}\d*\s*)+$")
# Lines that are the site's, not the transcript's.
FURNITURE = {"•", "·", "*", "advanced settings", "print", "версия для печати"}
# Headings after which the rest of the page is site furniture (related links, settings).
END_OF_BODY = {
    "additional materials",
    "дополнительные материалы",
    "advanced settings",
    "расширенные настройки",
}
LONGEST_FURNITURE = max(map(len, FURNITURE | END_OF_BODY))
MAX_TITLE_LENGTH = 400
# A block of short lines with no label among them is one hard-wrapped paragraph.
WRAPPED_LINE_LENGTH = 80


@dataclass
class Header:
    title: str
    date: dt.date | None = None
    time: dt.time | None = None
    other_languages: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def read_plain_text(text: str) -> tuple[Header, list[Paragraph]]:
    """Split plain text into its header (date line, title) and body paragraphs."""
    lines = text.splitlines()
    position, published = _dateline(lines)
    position = _skip_blank(lines, position)
    if position == len(lines):
        raise ParseError("no title and no text: the input has nothing but a date line")
    title = lines[position].strip()
    _check_title(title, position + 1)
    header = Header(title=title)
    if published:
        header.date, header.time = published
    body = _body_lines(lines, position + 1, header)
    return header, _paragraphs(body)


def read_body(text: str, *, first_line: int = 1) -> tuple[list[str], list[Paragraph]]:
    """Body paragraphs of a text with no header (a JSON record's content): (dropped, paragraphs)."""
    header = Header(title="")
    lines = text.splitlines()
    body = _body_lines(lines, 0, header)
    paragraphs = _paragraphs([(number + first_line - 1, line) for number, line in body])
    return header.dropped, paragraphs


def _dateline(lines: list[str]) -> tuple[int, tuple[dt.date, dt.time | None] | None]:
    position = _skip_blank(lines, 0)
    if position < len(lines):
        published = dates.parse_dateline(lines[position])
        if published:
            return position + 1, published
    return position, None


def _skip_blank(lines: list[str], position: int) -> int:
    while position < len(lines) and not lines[position].strip():
        position += 1
    return position


def _check_title(title: str, line: int) -> None:
    if labels.match_label(title):
        raise ParseError(
            f"no title: the text starts with a speaker's turn ({title[:60]!r}); "
            "put the transcript's title on the first line",
            line=line,
        )
    if len(title) > MAX_TITLE_LENGTH:
        raise ParseError(
            f"no title: the first line is a {len(title)}-character paragraph; "
            "put the transcript's title on the first line",
            line=line,
        )


def _body_lines(lines: list[str], start: int, header: Header) -> list[tuple[int, str]]:
    """(line number, text) of the body, with the site's furniture moved to header.dropped."""
    body = []
    for index in range(start, len(lines)):
        line = lines[index].strip()
        # Furniture is short, and case folding never shortens: a long line is body text.
        lowered = line.casefold() if len(line) <= LONGEST_FURNITURE else ""
        if lowered in END_OF_BODY:
            header.dropped.extend(rest.strip() for rest in lines[index:] if rest.strip())
            break
        if "-" in line and LANGUAGE_SWITCH.match(line):  # a switch ("en-GB1 ru-RU1") has hyphens
            header.other_languages.extend(re.findall(r"\b([a-z]{2})-[A-Z]{2}", line))
            header.dropped.append(line)
        elif lowered in FURNITURE:
            header.dropped.append(line)
        else:
            body.append((index + 1, line))
    return body


def _paragraphs(body: list[tuple[int, str]]) -> list[Paragraph]:
    """Paragraphs from non-blank lines: one per line, unless a block is hard-wrapped."""
    paragraphs = []
    for block in _blocks(body):
        if _hard_wrapped(block):
            paragraphs.append(Paragraph(" ".join(text for _, text in block), block[0][0]))
        else:
            paragraphs.extend(Paragraph(text, number) for number, text in block)
    return paragraphs


def _blocks(body: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = []
    for number, text in body:
        if not text:
            blocks.append([])
        elif blocks and blocks[-1]:
            blocks[-1].append((number, text))
        else:
            blocks.append([(number, text)])
    return [block for block in blocks if block]


def _hard_wrapped(block: list[tuple[int, str]]) -> bool:
    if len(block) < 2:
        return False
    wrapped = all(len(text) <= WRAPPED_LINE_LENGTH for _, text in block[:-1])
    return wrapped and not any(labels.LABEL.match(text) for _, text in block[1:])
