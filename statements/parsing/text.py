"""Cleaning text at every entry point (readers, admin forms, the split/merge forms), so that
the words stored are the words entered, whatever the browser or the file did to line endings.
"""

import re

# Line breaks of every kind a file or a browser may send: CRLF (textareas), CR (old Mac
# files), and the Unicode line and paragraph separators.
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
# C0 control characters other than tab and newline, and DEL: never text, and XML (Atom)
# cannot carry them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_line_endings(text: str) -> str:
    """Every line break as "\\n"."""
    return _LINE_BREAKS.sub("\n", text)


def clean_text(text: str) -> str:
    """Line breaks as "\\n" and control characters (but tab and newline) removed."""
    return _CONTROLS.sub("", normalize_line_endings(text))


# Half of a UTF-16 pair on its own (JSON's "\ud800"): not a character, cannot be stored.
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(text: str) -> str:
    """What `text` holds that no database or page can (escapes let these through: JSON's
    \\u0000 and \\ud800), named for a message; "" when there is nothing."""
    if "\x00" in text:
        return "a NUL character (\\u0000), as binary data has"
    found = _SURROGATE.search(text)
    if found:
        code = ord(found.group())
        return f"a lone surrogate (U+{code:04X}, half of a UTF-16 pair, as the escape \\u{code:04x} alone)"
    return ""
