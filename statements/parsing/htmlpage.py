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
from .model import Paragraph, ParseError

BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
BOLD_TAGS = {"b", "strong"}
# Elements that are never transcript text.
JUNK_XPATH = (
    "//script | //style | //noscript | //figure | //img | //button"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' masha-ignore ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' read__bottommeta ')]"
)
SEPARATOR = re.compile(r"^[*•]( ?[*•]){2,}$")
WHITESPACE = re.compile(r"\s+")


def read_html(text: str) -> dict:
    """Title, metadata and body paragraphs of an HTML page, as keyword arguments for
    `assemble()` (plus `dropped`, the separator lines left out of the statements)."""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(f"not an HTML page that can be read: {error}") from error
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
    if not separators:
        return paragraphs
    lead = paragraphs[: separators[0]]
    if not any(p.emphasis and labels.LABEL.match(p.text) for p in lead):
        for paragraph in lead:
            paragraph.narrative = True
    return [p for i, p in enumerate(paragraphs) if i not in separators]


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
    return declared.split("-")[0].lower() if declared else None


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
