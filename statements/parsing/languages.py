"""Language codes as sources write them: "en", "ru", "en-GB", "ru_RU"."""

import re

# ISO 639-1: two letters; a region or script after a hyphen or underscore is left out.
LANGUAGE_CODE = re.compile(r"(?P<language>[A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*")


def language_code(value: str) -> str | None:
    """The two-letter language of `value` ("en-GB" → "en"), or None if it is no code."""
    match = LANGUAGE_CODE.fullmatch(value.strip())
    return match["language"].lower() if match else None
