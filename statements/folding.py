"""Accent folding for search: Latin letters with diacritics read as their base letters
("Erdoğan" as "Erdogan", "Sérgio" as "Sergio"), in statements and in queries alike.

PostgreSQL's unaccent is a contrib extension the embedded server lacks, so the folding is
written with built-in immutable functions (it feeds the generated search_vector column):
decompose (NFD), drop the combining marks that follow a Latin letter, compose again (NFC),
and translate the few letters with a stroke that have no decomposition (ø, đ, ł, ı, ħ, ŧ,
ð). Only marks on Latin letters go: Cyrillic stays as it is (ё is not е, й is not и), and
so do letters that are two (ß, æ, œ). Rows without such letters (most English and every
Russian statement) are left alone after a quick regular-expression test, and translate()
runs only where a stroked letter is: it costs PostgreSQL ~15 µs per letter of its list per
kilobyte of text. Folding a kilobyte with accents costs about what to_tsvector does. For precomposed text (what readers and forms store) a folded
text keeps every offset, which lets headlines mark the original words.
"""

import re
import unicodedata

STROKED, UNSTROKED = "øØđĐłŁıħĦŧŦðÐ", "oOdDlLihHtTdD"
# Letters that may carry a mark: Latin-1 Supplement to Latin Extended-B, Latin Extended
# Additional (Vietnamese), and the stroked ones.
_MAYBE_ACCENTED = "[\u00c0-\u024f\u1e00-\u1eff]"
_MARKS_ON_LATIN = re.compile("([A-Za-z])[\u0300-\u036f]+")
_STROKES = str.maketrans(STROKED, UNSTROKED)


def fold(text: str) -> str:
    """`text` with its accented Latin letters folded, as the database folds it (fold_sql)."""
    if not re.search(_MAYBE_ACCENTED, text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _MARKS_ON_LATIN.sub(r"\1", decomposed)).translate(_STROKES)


def fold_sql(column: str) -> str:
    """fold() in SQL, of the text expression `column` (immutable; our own constants)."""
    stripped = (
        f"normalize(regexp_replace(normalize({column}, NFD),"
        f" '{_MARKS_ON_LATIN.pattern}', '\\1', 'g'), NFC)"
    )
    return (
        f"CASE WHEN {column} ~ '[{STROKED}]'"
        f" THEN translate({stripped}, '{STROKED}', '{UNSTROKED}')"
        f" WHEN {column} ~ '{_MAYBE_ACCENTED}' THEN {stripped} ELSE {column} END"
    )
