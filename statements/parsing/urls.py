"""Which addresses the archive keeps: absolute http(s) URLs with a host, nothing else.

A source address is rendered as a link on public pages, so `javascript:`, `data:` and
`vbscript:` addresses (however spelled: " JaVaScRiPt:", "java\\tscript:") and relative ones
must never be stored. Readers drop them with a warning; forms and models use the same rule.
"""

import re
from urllib.parse import urlsplit

MAX_URL_LENGTH = 500  # Transcript.source_url's max_length
SCHEMES = {"http", "https"}
# Browsers skip or remove these inside an address, so they can hide a scheme; a backslash
# is read as "/" in http(s) addresses. None belongs in an address we print.
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\\u2028\u2029]")


def http_url(value) -> str | None:
    """`value` without surrounding spaces if it is an absolute http or https URL with a
    host (at most 500 characters), else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_LENGTH or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in SCHEMES or not host:
        return None
    return url


def pick_url(*candidates: str) -> str:
    """The first candidate that is an http(s) URL (an og:url, else a canonical link), else
    the first one given, which the parser then leaves out with a warning."""
    given = [candidate for candidate in candidates if candidate]
    return next((url for url in given if http_url(url)), given[0] if given else "")
