"""Validation shared by the models, the forms and the import service."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from statements.parsing.urls import http_url

# Only absolute http(s) addresses are stored: a "Source" link with a javascript:, data: or
# vbscript: address would run in the reader's browser (and ftp: links are dead in browsers).
HTTP_SCHEMES = ["http", "https"]
HTTP_URL_PATTERN = r"^https?://"  # the database's CHECK on source_url, case-insensitive

MESSAGE = "Enter an absolute http:// or https:// address."
_django_url = URLValidator(schemes=HTTP_SCHEMES, message=MESSAGE)


def validate_http_url(value: str) -> None:
    """Django's URL validation for http(s), and the readers' rule (`parsing.urls.http_url`:
    no control characters or spaces that could hide a scheme)."""
    _django_url(value)
    if http_url(value) != value:
        raise ValidationError(MESSAGE, code="invalid")


def is_http_url(value: str) -> bool:
    """Whether `value` is an absolute http(s) URL a page may link to."""
    try:
        validate_http_url(value)
    except ValidationError:
        return False
    return True


class HttpURLField(forms.URLField):
    """A form's URL field that takes only absolute http(s) addresses (a bare "mid.ru/…" is
    read as https)."""

    default_validators = [validate_http_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)
