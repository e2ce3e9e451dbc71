"""Highlighted snippets: PostgreSQL's ts_headline of each row, escaped, matches in <mark>."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The routed database's connection: a public search reads from a replica (archive/routers.py).
from archive.routers import read_connection as connection
from statements.folding import fold, fold_sql
from statements.languages import config_sql
from statements.models import Statement
from statements.search.query import ParsedQuery, parsed

# ts_headline marks matches with these private-use characters; the snippet is escaped as
# plain text first and only then are they turned into <mark> tags.
MARK_START, MARK_END = "\ue000", "\ue001"
MARKS = re.compile(f"([{MARK_START}{MARK_END}])")
# ts_headline drops anything that looks like an HTML tag ("<script>") from its output;
# angle brackets are swapped for these before, and restored (escaped) after, so that a
# statement quoting markup shows it as text.
LESS_THAN, GREATER_THAN = "\ue002", "\ue003"
DELIMITER = " … "
HEADLINE_OPTIONS = {
    "MaxWords": 40,
    "MinWords": 20,
    "MaxFragments": 2,
    "FragmentDelimiter": f'"{DELIMITER}"',
    "StartSel": MARK_START,
    "StopSel": MARK_END,
}


def highlight(headline: str) -> SafeString:
    """Escape a headline as text, then turn the match markers into <mark> tags."""
    text = escape(headline).replace(LESS_THAN, "&lt;").replace(GREATER_THAN, "&gt;")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def snippets(statements: list[Statement], text: str | ParsedQuery) -> dict[int, SafeString]:
    """Highlighted snippets for these statements only (one query, the page's rows)."""
    ids = [statement.pk for statement in statements]
    query = parsed(text) if text else None
    if not query or not query.readings or not ids:
        return {}
    # Written out rather than built with the ORM: compiling SearchHeadline with each row's
    # configuration and query cost more than PostgreSQL's work on twenty rows. The text is
    # folded as search_vector's is, so that the folded query meets "Erdoğan"; `_restored`
    # gives the headline its original letters back.
    row_query, params = query.row_query_sql()
    options = ", ".join(f"{name}={value}" for name, value in HEADLINE_OPTIONS.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT statement.id, ts_headline(
                {config_sql("statement.language")}, {fold_sql("statement.text")}, {row_query}, %s)
            FROM (
                SELECT id, language, replace(replace(text, '<', %s), '>', %s) AS text
                FROM statements_statement WHERE id = ANY (%s)
            ) AS statement
            """,
            [*params, options, LESS_THAN, GREATER_THAN, ids],
        )
        texts = {statement.pk: statement.text for statement in statements}
        return {pk: highlight(_restored(headline, texts[pk])) for pk, headline in cursor.fetchall()}


def _restored(headline: str, text: str) -> str:
    """A headline of the folded text in the original's letters. Folding keeps offsets, so
    each fragment is found in the folded text and its letters taken from the original at
    the same place, the marks put back between them. (A fragment not found stays folded.)"""
    original = text.replace("<", LESS_THAN).replace(">", GREATER_THAN)
    folded = fold(original)
    if folded == original:  # most statements: nothing was folded, nothing to restore
        return headline
    pieces, start = [], 0
    for fragment in headline.split(DELIMITER):
        plain = fragment.replace(MARK_START, "").replace(MARK_END, "")
        at = folded.find(plain, start)
        at = folded.find(plain) if at < 0 else at
        if at < 0:
            pieces.append(fragment)
            continue
        start = at + len(plain)
        pieces.append(_marked(fragment, original[at:start]))
    return DELIMITER.join(pieces)


def _marked(fragment: str, original: str) -> str:
    """`fragment`'s marks, with the text between them taken from `original` (as long as the
    fragment without its marks)."""
    pieces, taken = [], 0
    for piece in MARKS.split(fragment):
        if piece in (MARK_START, MARK_END):
            pieces.append(piece)
        elif piece:
            pieces.append(original[taken : taken + len(piece)])
            taken += len(piece)
    return "".join(pieces)
