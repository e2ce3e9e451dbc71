"""Reader for Markdown with YAML front matter (the White House press office's briefings).

---
title: "Press Briefing by Press Secretary Karine Jean-Pierre …"
date: '2024-05-28'
source_url: https://…
---
1:54 P.M. EDT                      ← when it began: the transcript's time
MS. JEAN-PIERRE:  Good afternoon.  ← paragraphs separated by blank lines, hard-wrapped
Q    Thank you, Karine.            ← reporters: a bare Q, no colon
…
END                                ← closes the transcript; what follows is not text
"""

import re

import yaml

from . import dates, urls
from .model import Paragraph, ParseError

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*\n", re.DOTALL)
CLOCK = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<half>[AP])\.?M\.?(\s+[A-Z]{2,4})?$")
END_MARKERS = {"END", "###"}
# Markdown's backslash escapes (\[, \_, \*) stand for the character itself.
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
HEADING = re.compile(r"^#{1,6}\s+")
BOLD_START = re.compile(r"^(\*\*|__)(?P<bold>.+?)\1")
BLANK = re.compile(r"^[\s\u00a0]*$")
# A speaker's turn that starts on the next line without a blank line before it.
TURN_START = re.compile(r"^[\s\u00a0]*(Q[\s\u00a0]+\S|[A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+)*:\s)")


def read_markdown(text: str) -> dict:
    """Title, metadata and body paragraphs, as keyword arguments for `assemble()`."""
    front, body, body_line = _front_matter(text)
    title = str(front.get("title") or "").strip()
    paragraphs = _paragraphs(body, body_line)
    if not title and paragraphs and HEADING.match(paragraphs[0].text):
        title = HEADING.sub("", paragraphs.pop(0).text)
    if not title:
        raise ParseError("no title: give one in the front matter (title: …) or as a # heading")
    dropped, clock = [], None
    if paragraphs and (clock := _clock(paragraphs[0].text)):
        dropped.append(paragraphs.pop(0).text)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.text.strip() in END_MARKERS:
            dropped += [p.text for p in paragraphs[index:]]
            paragraphs = paragraphs[:index]
            break
    published = front.get("date")
    return {
        "title": re.sub(r"\s+", " ", title),
        "published": dates.parse_date(str(published)) if published else None,
        "time": clock,
        "source_url": urls.pick_url(
            str(front.get("source_url") or ""), str(front.get("url") or "")
        ),
        "tags": _tags(front.get("tags")),
        "paragraphs": paragraphs,
        "dropped": dropped,
        "source_format": "markdown",
    }


# A briefing's front matter is a few lines; a few hundred bytes of nested YAML aliases
# expand to gigabytes, and deep nesting exhausts the stack: both are refused.
MAX_FRONT_MATTER = 20_000  # characters
MAX_FRONT_MATTER_DEPTH = 20


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases, at most MAX_FRONT_MATTER_DEPTH deep,
    and with every scalar kept as text: dates and numbers are read by the parser's own code
    (YAML's would fail on 2024-02-30 or a number of 5,000 digits)."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 2  # the front matter starts on the file's line 2
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ParseError(
                "the front matter uses a YAML anchor or alias (&name, *name), "
                "which is not accepted: write each value out",
                line=line,
            )
        if self.depth >= MAX_FRONT_MATTER_DEPTH:
            raise ParseError(
                f"the front matter nests values more than {MAX_FRONT_MATTER_DEPTH} deep",
                line=line,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


for _tag in ("int", "float", "timestamp"):
    FrontMatterLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", yaml.SafeLoader.construct_scalar)


def _front_matter(text: str) -> tuple[dict, str, int]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text, 1
    if len(match["yaml"]) > MAX_FRONT_MATTER:
        raise ParseError(
            f"the front matter is {len(match['yaml']):,} characters long; "
            f"at most {MAX_FRONT_MATTER:,} are read",
            line=2,
        )
    try:
        front = yaml.load(match["yaml"], Loader=FrontMatterLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ParseError(
            f"the front matter is not valid YAML: {getattr(error, 'problem', error)}",
            line=mark.line + 2 if mark else None,
        ) from error
    if not isinstance(front, dict):
        raise ParseError("the front matter must be a YAML mapping (key: value lines)", line=2)
    return front, text[match.end() :], match["yaml"].count("\n") + 3


def _paragraphs(body: str, first_line: int) -> list[Paragraph]:
    paragraphs, lines, start = [], [], first_line
    for number, line in enumerate(body.split("\n"), start=first_line):
        if BLANK.match(line):
            if lines:
                paragraphs.append(_paragraph(lines, start))
            lines = []
            continue
        if lines and TURN_START.match(line):
            paragraphs.append(_paragraph(lines, start))
            lines = []
        if not lines:
            start = number
        lines.append(line.strip())
    if lines:
        paragraphs.append(_paragraph(lines, start))
    return paragraphs


def _paragraph(lines: list[str], line: int) -> Paragraph:
    text = ESCAPE.sub(r"\1", " ".join(lines))
    bold = BOLD_START.match(text)
    emphasis = ""
    if bold:
        emphasis = bold["bold"].strip()
        text = bold["bold"] + text[bold.end() :]
    return Paragraph(re.sub(r"\s+", " ", text).strip(), line, emphasis=emphasis)


def _clock(text: str):
    match = CLOCK.match(text.strip())
    if not match:
        return None
    hour = int(match["hour"]) % 12 + (12 if match["half"] == "P" else 0)
    return dates.parse_time(f"{hour}:{match['minute']}")


def _tags(value) -> list[str]:
    if isinstance(value, str):
        return [tag.strip() for tag in value.split(",") if tag.strip()]
    if isinstance(value, list):
        return [str(tag) for tag in value]
    return []
