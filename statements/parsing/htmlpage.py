"""Reader for saved HTML pages of ministries and presidential offices (kremlin.ru, mid.ru).

The transcript is the article body (`itemprop="articleBody"`, else `<article>`, else the
page's `<body>`), minus what the site marks as not part of the text (`masha-ignore`: photo
sliders, person tooltips inside speaker labels, "see also" boxes). Title, date, time, place,
tags and address come from the page's own markup. The lead before a `* * *` line is editorial
narrative. lxml parses the HTML; nothing here reads HTML with regular expressions.
"""

import re

import lxml.html
from lxml import etree

from . import dates, labels, urls
from .languages import language_code
from .model import Paragraph, ParseError

BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
BOLD_TAGS = {"b", "strong"}
# Elements that are never transcript text.
JUNK_XPATH = (
    "//script | //style | //noscript | //figure | //img | //button"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' masha-ignore ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' read__bottommeta ')]"
)
MAX_HTML_DEPTH = 255  # libxml2's limit without its "huge" option, which lifts all limits
SEPARATOR = re.compile(r"^[*•]( ?[*•]){2,}$")
WHITESPACE = re.compile(r"\s+")


def read_html(text: str) -> dict:
    """Title, metadata and body paragraphs of an HTML page, as keyword arguments for
    `assemble()` (plus `dropped`, the separator lines left out of the statements)."""
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(f"not an HTML page that can be read: {error}") from error
    _check_read_whole(parser)
    metadata = _metadata(root)
    body = _article_body(root)
    for junk in body.xpath("." + JUNK_XPATH.replace(" | //", " | .//")):
        junk.drop_tree()  # keeps the text that follows the element
    for line_break in body.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    paragraphs, dropped = _paragraphs(body)
    if not metadata["title"]:
        raise ParseError("no title: the page has no <h1>, og:title or <title>")
    return metadata | {"paragraphs": paragraphs, "dropped": dropped, "source_format": "html"}


def _check_read_whole(parser) -> None:
    """libxml2 stops at its limits (elements nested more than 255 deep) and returns what it
    read so far: the rest of the page would be lost without a word, so it is refused."""
    fatal = [error for error in parser.error_log if error.level_name == "FATAL"]
    if not fatal:
        return
    if fatal[0].type_name == "ERR_RESOURCE_LIMIT" and "depth" in fatal[0].message:
        problem = f"nests its elements more than {MAX_HTML_DEPTH} deep"
    else:
        problem = f"cannot be read to its end ({fatal[0].message.strip()})"
    raise ParseError(
        f"the page {problem}: the text after that point would be lost, so it is refused",
        line=fatal[0].line or None,
    )


def _metadata(root) -> dict:
    published = _first(root, "//time[@itemprop='datePublished']/@datetime", "//time/@datetime")
    published = published or _first(root, "//meta[@property='article:published_time']/@content")
    clock = dates.parse_time(_text(_node(root, "//*[contains(@class, 'read__time')]")))
    return {
        "title": _text(_node(root, "//h1"))
        or _first(root, "//meta[@property='og:title']/@content")
        or _text(_node(root, "//title")),
        "published": dates.parse_date(published) if published else None,
        "time": clock,
        "place": _text(_node(root, "//*[contains(@class, 'read__place')]")),
        "tags": list(
            dict.fromkeys(_text(tag) for tag in root.xpath("//a[@rel='tag']") if _text(tag))
        ),
        "source_url": urls.pick_url(
            _first(root, "//meta[@property='og:url']/@content"),
            _first(root, "//link[@rel='canonical']/@href"),
        ),
        "language": _language(root),
    }


def _article_body(root):
    for xpath in ("//*[@itemprop='articleBody']", "//article", "//main", "//body"):
        found = root.xpath(xpath)
        if found:
            return found[0]
    return root


def _paragraphs(body) -> tuple[list[Paragraph], list[str]]:
    paragraphs, dropped = [], []
    for block in body.iter(*BLOCK_TAGS):
        if any(ancestor.tag in BLOCK_TAGS for ancestor in block.iterancestors()):
            continue  # its text is part of the enclosing block
        text = _text(block)
        if not text:
            continue
        if SEPARATOR.match(text):
            dropped.append(text)
            paragraphs.append(Paragraph(text, block.sourceline or 0, narrative=True))
            continue
        paragraphs.append(Paragraph(text, block.sourceline or 0, emphasis=_leading_bold(block)))
    return _mark_lead_as_narrative(paragraphs), dropped


def _mark_lead_as_narrative(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """On kremlin.ru the paragraphs before the first `* * *` are the editors' lead, unless
    someone already speaks there. The separators were only kept to find that boundary."""
    separators = [i for i, p in enumerate(paragraphs) if p.narrative and SEPARATOR.match(p.text)]
    dropped = set(separators)
    if not separators:
        return paragraphs
    lead = paragraphs[: separators[0]]
    if not any(p.emphasis and labels.LABEL.match(p.text) for p in lead):
        for paragraph in lead:
            paragraph.narrative = True
    return [p for i, p in enumerate(paragraphs) if i not in dropped]


def _leading_bold(block) -> str:
    """The bold text a block opens with ("Vladimir Putin:"), or "" if it opens with plain text."""
    if (block.text or "").strip():
        return ""
    parts = []
    for child in block:
        if child.tag not in BOLD_TAGS:
            break
        parts.append(child.text_content())
        if (child.tail or "").strip():
            break
        parts.append(child.tail or "")  # the space between two bold runs
    return WHITESPACE.sub(" ", "".join(parts)).strip()


def _language(root) -> str | None:
    declared = _first(root, "/html/@lang", "//meta[@itemprop='inLanguage']/@content")
    return language_code(declared) if declared else None


def _node(root, xpath: str):
    found = root.xpath(xpath)
    return found[0] if found else None


def _first(root, *xpaths: str) -> str:
    for xpath in xpaths:
        found = root.xpath(xpath)
        if found and str(found[0]).strip():
            return str(found[0]).strip()
    return ""


def _text(element) -> str:
    if element is None:
        return ""
    return WHITESPACE.sub(" ", element.text_content()).strip()
