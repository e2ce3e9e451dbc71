"""The "email me" form beside a search's results."""

from django import template

from statements.alerts.service import NOT_THE_SEARCH

register = template.Library()


@register.inclusion_tag("statements/_alert_form.html")
def alert_form(params):
    """The form, carrying the search's parameters (not its page or order) as hidden fields."""
    pairs = [
        (key, value)
        for key, values in params.lists()
        if key not in NOT_THE_SEARCH
        for value in values
        if value
    ]
    return {"pairs": pairs}
