"""The one text cleaning used by readers and forms (statements.parsing.text)."""

from statements.parsing.text import clean_text, normalize_line_endings


def test_every_kind_of_line_break_becomes_a_newline():
    assert normalize_line_endings("a\r\nb\rc\u2028d\u2029e\x85f") == "a\nb\nc\nd\ne\nf"


def test_text_already_clean_is_returned_unchanged():
    text = "Sergey Lavrov:\tYes.\n\nThank you — спасибо."
    assert clean_text(text) == text


def test_control_characters_are_removed_but_tab_and_newline_kept():
    assert clean_text("back\x08space\x00 bell\x07\tand\x7f\r\nnew") == "backspace bell\tand\nnew"
