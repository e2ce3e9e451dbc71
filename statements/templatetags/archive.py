"""Template helpers for links that keep the current search: every result page can be
shared, and facets and pagination change one parameter at a time."""

from urllib.parse import urlencode

from django import template
from django.http import QueryDict

register = template.Library()


def _pairs(params: QueryDict, *without: str) -> list[tuple[str, str]]:
    """The parameters as (key, value) pairs, less `without` and the page (a changed search
    starts again at its first page). Plain pairs, not a QueryDict copy: a results page
    builds some fifty links, and copying a QueryDict deep-copies it."""
    return [
        (key, value)
        for key, values in params.lists()
        if key not in without and key != "page"
        for value in values
    ]


def _link(pairs: list[tuple[str, str]]) -> str:
    return f"?{urlencode(pairs)}" if pairs else "?"


def _query(params: QueryDict, **changes) -> str:
    pairs = _pairs(params, *changes)
    pairs += [(key, str(value)) for key, value in changes.items() if value not in (None, "")]
    return _link(pairs)


@register.simple_tag
def with_param(params: QueryDict, key: str, value) -> str:
    """The search with `key` set to `value` ("" removes it)."""
    return _query(params, **{key: value})


@register.simple_tag
def adding(params: QueryDict, key: str, value) -> str:
    """The search narrowed by one more value of a repeatable filter (speaker, topic)."""
    pairs = _pairs(params)
    if (key, str(value)) not in pairs:
        pairs.append((key, str(value)))
    return _link(pairs)


@register.simple_tag
def removing(params: QueryDict, key: str, value) -> str:
    """The search without one value of a filter."""
    return _link([pair for pair in _pairs(params) if pair != (key, str(value))])


@register.simple_tag
def same_search(params: QueryDict) -> str:
    """The search without its page: for its feed, its CSV and its API address."""
    return _link(_pairs(params))


@register.simple_tag
def page_link(params: QueryDict, number: int) -> str:
    return _link([*_pairs(params), ("page", str(number))])


@register.simple_tag
def in_year(params: QueryDict, year) -> str:
    """The search narrowed to one calendar year."""
    return _query(params, date_from=f"{year}-01-01", date_to=f"{year}-12-31")


@register.filter
def approximately(count: int) -> str:
    """An estimated count to two significant figures, with thousands separated: 296,400 →
    "300,000", 1,440 → "1,400"."""
    count = int(count)
    if count < 100:
        return str(count)
    digits = len(str(count)) - 2
    return f"{round(count, -digits):,}"
