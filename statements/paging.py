"""Cursor (keyset) pagination through every match of a search, for the API.

A cursor names the last (or, going back, the first) statement of a page by its sort key —
(date, transcript, position) for the date orders, (rank, date, id) for relevance: each a
total order — so the next page starts right after it however deep it is, and a statement
is never given twice or skipped. Within the champion lists' depth a relevance page is read
from the lists by its offset (the same order, found without ranking every match) when the
search's ranking there is exact; beyond it, or when it is not, every match is ranked and
the page taken after the key. Cursors are signed: one this API did not give is refused."""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.functions import Cast

from statements.models import Statement
from statements.search import MAX_RESULTS, RELEVANCE, Search, Tally, count, hybrid, ordered

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Ways of ranking that give exactly the order of ranking every match (search.ranking).
EXACT_RANKINGS = {"lists", "bounded", "every match"}
SALT = "statements.paging.cursor"
# The key of a cursor within the fused statements of a search by meaning and by words
# (they have no full-text key): the page after the fused ones starts the full-text order.
TAIL_START = (None, None, None)


@dataclass(frozen=True)
class Column:
    name: str
    descending: bool
    nullable: bool = False  # then NULLs come last, whichever the direction


KEYS = {
    "newest": (
        Column("date", True, True),
        Column("transcript_id", True),
        Column("position", False),
    ),
    "oldest": (
        Column("date", False, True),
        Column("transcript_id", False),
        Column("position", False),
    ),
    "relevance": (Column("rank", True), Column("date", True, True), Column("id", True)),
}


class BadCursor(ValueError):
    """A cursor this API did not give, or one for another order."""


@dataclass(frozen=True)
class Cursor:
    key: tuple  # the boundary statement's sort key
    offset: int  # where the page it leads to starts (or, backwards, ends)
    backwards: bool = False

    def encode(self, sort: str) -> str:
        key = [
            value.isoformat() if isinstance(value, datetime.date) else value for value in self.key
        ]
        payload = {"s": sort, "k": key, "o": self.offset, "b": self.backwards}
        return signing.dumps(payload, salt=SALT, compress=True)

    @classmethod
    def decode(cls, text: str, sort: str) -> "Cursor":
        try:
            payload = signing.loads(text, salt=SALT)
            if payload["s"] != sort:
                raise BadCursor(
                    "cursor: it was given for another sort order; start again without it."
                )
            key = tuple(
                datetime.date.fromisoformat(value) if column.name == "date" and value else value
                for column, value in zip(KEYS[sort], payload["k"], strict=True)
            )
            return cls(key, int(payload["o"]), bool(payload["b"]))
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            if isinstance(error, BadCursor):
                raise
            raise BadCursor(
                "cursor: not a cursor this API gave; follow the `next` and `previous` links."
            ) from error


@dataclass
class Page:
    statements: list[Statement]
    next: Cursor | None
    previous: Cursor | None
    ranking: str
    fused: hybrid.Fused | None = None  # the fusion with search by meaning, if any


def page(found: Search, cursor: Cursor | None, size: int, counted: Tally | None = None) -> Page:
    """The `size` statements after (or, going back, before) `cursor`, in the search's order
    (`counted`: the search's count, if the caller has it)."""
    if found.query and not found.query.readings:
        return Page([], None, None, found.sort)
    if found.sort == "relevance":
        fused = found.fused(counted or count(found.matches)) if found.by_meaning else None
        if fused:
            return _fused_page(found, fused, cursor, size)
        listed = _from_lists(found, cursor, size, counted)
        if listed:
            return listed
    return _after_key(found, cursor, size)


def _from_lists(
    found: Search, cursor: Cursor | None, size: int, counted: Tally | None = None
) -> Page | None:
    """The page by its offset, where the search ranks it exactly without ranking every match
    (a query of several words needs the count: the lists serve only a broad one)."""
    end = cursor.offset if cursor else 0
    start = max(0, end - size) if cursor and cursor.backwards else end
    stop = end if cursor and cursor.backwards else start + size
    if stop + 1 > MAX_RESULTS:
        return None
    ranked = found.ranked_ids(start, stop - start + 1, counted)  # one more: a next page?
    if ranked.method not in EXACT_RANKINGS:
        return None
    more = len(ranked.ids) > stop - start
    rows = _fetch(found, ranked.ids[: stop - start])
    has_next = more or bool(cursor and cursor.backwards)
    return _page(found, rows, start, has_next, has_previous=start > 0, ranking=ranked.method)


def _fused_page(found: Search, fused: hybrid.Fused, cursor: Cursor | None, size: int) -> Page:
    """A page of the search page's fused order (search by words and by meaning): the fused
    statements (at most 2 × hybrid.DEPTH) by their offset, then every other match in the
    full-text order by its key (`_tail`). Cursors within the fused part hold TAIL_START as
    their key; the fused part is fixed while the data is."""
    head = fused.ids
    end = cursor.offset if cursor else 0
    backwards = bool(cursor and cursor.backwards)
    start = max(0, end - size) if backwards else end
    if start >= len(head) and cursor and cursor.key != TAIL_START:
        return _fused_tail(found, fused, cursor, size)
    stop = end if backwards else start + size
    rows = Search.fetch(head[start:stop])
    wanted = stop - start - len(rows)
    tail = _tail(found, head, TAIL_START, False, wanted + 1) if stop >= len(head) else []
    rows += tail[:wanted]
    has_next = stop < len(head) or len(tail) > wanted
    return _fused_result(rows, fused, start, has_next, has_previous=start > 0)


def _fused_tail(found: Search, fused: hybrid.Fused, cursor: Cursor, size: int) -> Page:
    """A page wholly past the fused statements: after (or before) the cursor's key."""
    rows = _tail(found, fused.ids, cursor.key, cursor.backwards, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    if cursor.backwards:
        rows.reverse()
        return _fused_result(rows, fused, max(0, cursor.offset - len(rows)), True, True)
    return _fused_result(rows, fused, cursor.offset, more, True)


def _fused_result(rows, fused: hybrid.Fused, start: int, has_next, has_previous) -> Page:
    """The page, with cursors that name a statement of the tail by its key."""
    if not rows:
        return Page([], None, None, hybrid.METHOD, fused)
    columns = KEYS["relevance"]

    def key(row: Statement, position: int) -> tuple:
        if position < len(fused.ids):
            return TAIL_START
        return tuple(getattr(row, column.name) for column in columns)

    last, first = start + len(rows) - 1, start
    return Page(
        rows,
        Cursor(key(rows[-1], last), last + 1) if has_next else None,
        Cursor(key(rows[0], first), first, backwards=True) if has_previous else None,
        hybrid.METHOD,
        fused,
    )


def _tail(found: Search, head: list[int], key: tuple, backwards: bool, limit: int) -> list:
    """Up to `limit` matches not among the fused statements, in the full-text order, after
    `key` (before it, `backwards`; TAIL_START: from the first). Every match not fused, not
    only those ranked below the fusion's deepest: the full-text ranking read into the fusion
    may have come from champion candidates, and none must be skipped."""
    statements = _ordered(found).exclude(pk__in=head)
    statements = statements.order_by(*_order(KEYS["relevance"], backwards))
    if key != TAIL_START:
        statements = statements.filter(_beyond(KEYS["relevance"], key, backwards))
    return list(statements[:limit]) if limit > 0 else []


def _after_key(found: Search, cursor: Cursor | None, size: int) -> Page:
    columns = KEYS[found.sort]
    backwards = bool(cursor and cursor.backwards)
    statements = _ordered(found).order_by(*_order(columns, backwards))
    if cursor:
        statements = statements.filter(_beyond(columns, cursor.key, backwards))
    rows = list(statements[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        start = max(0, cursor.offset - len(rows))
        return _page(found, rows, start, True, more, _key_ranking(found))
    start = cursor.offset if cursor else 0
    return _page(found, rows, start, more, cursor is not None, _key_ranking(found))


def _page(found, rows, start, has_next, has_previous, ranking) -> Page:
    columns = KEYS[found.sort]
    if not rows:
        return Page([], None, None, ranking)
    key = lambda row: tuple(getattr(row, column.name) for column in columns)  # noqa: E731
    return Page(
        rows,
        Cursor(key(rows[-1]), start + len(rows)) if has_next else None,
        Cursor(key(rows[0]), start, backwards=True) if has_previous else None,
        ranking,
    )


def _key_ranking(found: Search) -> str:
    return "every match" if found.sort == "relevance" else found.sort


def _ordered(found: Search) -> QuerySet:
    """Every match with what a page shows (`search.result_rows`; relevance: with `rank`).
    The rank is read as a double: ts_rank's `real` would come back rounded in its decimal
    form, and a cursor holding the rounded value would not compare equal to its own
    statement's rank."""
    if found.sort == "relevance":
        rank = Cast(found.query.rank(), FloatField())
        return found.matches.annotate(rank=rank).order_by(*RELEVANCE)
    return ordered(found.matches, "", found.sort)


def _fetch(found: Search, ids: list[int]) -> list[Statement]:
    """These statements in this order, with their rank when by relevance."""
    rows = {row.pk: row for row in _ordered(found).filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def _order(columns, backwards: bool) -> list:
    order = []
    for column in columns:
        descending = column.descending != backwards
        nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
        field = F(column.name)
        expression = field.desc if descending else field.asc
        order.append(expression(**nulls) if column.nullable else expression())
    return order


def _beyond(columns, key: tuple, backwards: bool) -> Q:
    """The statements after `key` in the order of `columns` (before it, `backwards`)."""
    condition = Q(pk__in=[])
    equal = Q()
    for column, value in zip(columns, key, strict=True):
        condition |= equal & _past(column, value, backwards)
        equal &= (
            Q(**{f"{column.name}__isnull": True}) if value is None else Q(**{column.name: value})
        )
    return condition


def _past(column: Column, value, backwards: bool) -> Q:
    """One column strictly past `value`: NULLs come after every value (nulls last)."""
    if value is None:
        # Nothing is after NULL; everything not NULL is before it.
        return Q(**{f"{column.name}__isnull": False}) if backwards else Q(pk__in=[])
    lookup = "lt" if column.descending != backwards else "gt"
    past = Q(**{f"{column.name}__{lookup}": value})
    if column.nullable and not backwards:
        past |= Q(**{f"{column.name}__isnull": True})
    return past


def page_size(text: str | None) -> int:
    """The requested page size; ValueError with the message for anything not 1–100."""
    if text in (None, ""):
        return DEFAULT_PAGE_SIZE
    try:
        size = int(text)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size: a whole number from 1 to {MAX_PAGE_SIZE}.")
    return size


def every_match(found: Search) -> QuerySet:
    """Every match in the search's exact order, with what the records show — for exports."""
    return _ordered(found)


def exported(found: Search, counted: Tally | None = None) -> tuple[list[int], QuerySet]:
    """What an export gives, in the API's order: the fused statements' ids first (none
    unless the search is fused with search by meaning), then the queryset of every other
    match in the full-text order."""
    fused = None
    if found.sort == "relevance" and found.by_meaning and found.query:
        fused = found.fused(counted or count(found.matches))
    if fused is None:
        return [], _ordered(found)
    return fused.ids, _ordered(found).exclude(pk__in=fused.ids)
