"""The templates carry no inline script or style, which the Content-Security-Policy
(archive/settings.py) would block: behaviour lives in static/js/, looks in static/css/."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
# <script> elements that run: any without src, except data blocks (JSON-LD, json_script).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(ld\+)?json\")[^>]*>"
)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.IGNORECASE)


def relative(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


@pytest.mark.parametrize("path", TEMPLATES, ids=relative)
def test_a_template_has_no_inline_script_or_handler(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to static/js/"
    assert not HANDLER.search(text), "attach the handler from a file in static/js/"
    assert "javascript:" not in text.lower()


@pytest.mark.parametrize("path", TEMPLATES, ids=relative)
def test_a_template_has_no_inline_style(path):
    assert not INLINE_STYLE.search(path.read_text(encoding="utf-8")), "move it to static/css/"
