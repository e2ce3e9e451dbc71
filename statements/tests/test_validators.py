"""Only absolute http(s) addresses are stored: by the forms, the model and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from statements.forms import ImportForm, TranscriptForm
from statements.models import Transcript

UNSAFE = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "ftp://example.org/file.txt",
]
# Django's URL validation already refused addresses without "//"; it took these.
NOT_HTTP = ["ftp://example.org/file.txt", "ftps://example.org/file.txt"]


def transcript_form_data(transcript, **changes) -> dict:
    data = {
        "title": transcript.title,
        "slug": transcript.slug,
        "kind": transcript.kind,
        "language": transcript.language,
        "tags": "",
        "other_languages": "",
    }
    return data | changes


@pytest.mark.parametrize("url", NOT_HTTP)
def test_the_import_form_refuses_a_source_url_that_is_not_http(url):
    form = ImportForm({"text": "some text", "source_url": url})
    assert not form.is_valid()
    assert "source_url" in form.errors


@pytest.mark.parametrize("url", NOT_HTTP)
def test_the_transcript_form_refuses_a_source_url_that_is_not_http(seed, url):
    form = TranscriptForm(transcript_form_data(seed, source_url=url), instance=seed)
    assert not form.is_valid()
    assert "source_url" in form.errors


def test_the_transcript_form_takes_an_https_source_url(seed):
    form = TranscriptForm(
        transcript_form_data(seed, source_url="https://mid.ru/en/1"), instance=seed
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("url", NOT_HTTP)
def test_the_model_refuses_a_source_url_that_is_not_http(seed, url):
    seed.source_url = url
    with pytest.raises(ValidationError) as error:
        seed.full_clean()
    assert "source_url" in error.value.message_dict


@pytest.mark.parametrize("url", UNSAFE)
def test_the_database_refuses_a_source_url_that_is_not_http(seed, url):
    with pytest.raises(IntegrityError):
        Transcript.objects.filter(pk=seed.pk).update(source_url=url)
