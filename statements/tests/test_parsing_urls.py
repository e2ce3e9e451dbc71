"""Which source addresses the parser keeps (statements.parsing.urls): http(s) with a host."""

import pytest

from statements.parsing import http_url


@pytest.mark.parametrize(
    "url",
    [
        "https://en.kremlin.ru/events/president/news/57192",
        "http://www.mid.ru/en/press_service/minister_speeches/-/asset_publisher/3599490",
        "HTTPS://Example.org/a?b=c#d",
        "https://xn--80aswg.xn--p1ai/путь",
    ],
)
def test_absolute_http_and_https_urls_are_kept(url):
    assert http_url(url) == url


def test_surrounding_spaces_are_trimmed():
    assert http_url("  https://example.org/a \n") == "https://example.org/a"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
        "mailto:press@example.org",
    ],
)
def test_other_schemes_are_refused_however_spelled(url):
    assert http_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "/events/president/news/57192",
        "//evil.example/path",
        "example.org/page",
        "https://",
        "http:example.org",
        "https:\\\\evil.example",
        "https://exa mple.org/",
        "https://example.org/\x08path",
        "https://example.org:port/",
        "https://[::1/",
        "https://example.org/" + "a" * 500,
        "",
    ],
)
def test_relative_malformed_or_too_long_addresses_are_refused(url):
    assert http_url(url) is None


def test_a_value_that_is_not_text_is_refused():
    assert http_url(["https://example.org/"]) is None
