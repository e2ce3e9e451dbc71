"""Template helpers for links that keep the current search: every result page can be
shared, and facets and pagination change one parameter at a time."""

from django import template
from django.http import QueryDict

register = template.Library()


def _query(params: QueryDict, **changes) -> str:
    data = params.copy()
    data.pop("page", None)  # a changed search starts again at its first page
    for key, value in changes.items():
        data.pop(key, None)
        if value not in (None, ""):
            data[key] = value
    encoded = data.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def with_param(params: QueryDict, key: str, value) -> str:
    """The search with `key` set to `value` ("" removes it)."""
    return _query(params, **{key: value})


@register.simple_tag
def adding(params: QueryDict, key: str, value) -> str:
    """The search narrowed by one more value of a repeatable filter (speaker, topic)."""
    data = params.copy()
    data.pop("page", None)
    values = data.getlist(key)
    if str(value) not in values:
        data.setlist(key, [*values, str(value)])
    return f"?{data.urlencode()}"


@register.simple_tag
def removing(params: QueryDict, key: str, value) -> str:
    """The search without one value of a filter."""
    data = params.copy()
    data.pop("page", None)
    data.setlist(key, [v for v in data.getlist(key) if v != str(value)])
    return f"?{data.urlencode()}"


@register.simple_tag
def page_link(params: QueryDict, number: int) -> str:
    data = params.copy()
    data["page"] = number
    return f"?{data.urlencode()}"


@register.simple_tag
def in_year(params: QueryDict, year) -> str:
    """The search narrowed to one calendar year."""
    return _query(params, date_from=f"{year}-01-01", date_to=f"{year}-12-31")
