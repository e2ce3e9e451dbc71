"""archive/errors.py and the failure pages: styled 404/500/503 that need no database, short
answers for programs. (A real stopped and frozen database: test_postgresql.py.)"""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from archive import errors


def handle(path: str, exception: Exception):
    """What Django's handler500 answers for `exception` raised while serving `path`. No
    database marker: pytest-django refuses any query, so these prove none is made."""
    request = RequestFactory().get(path)
    try:
        raise exception
    except Exception:
        return errors.server_error(request)


def test_a_database_error_answers_a_styled_503_page():
    response = handle("/search/?q=Astana", OperationalError("connection refused"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Temporarily unavailable" in page
    assert 'class="site-header"' in page
    assert response["Retry-After"]


def test_a_database_error_answers_json_503_in_the_api():
    response = handle("/api/statements/?q=Astana", OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "temporarily unavailable" in json.loads(response.content)["errors"][0]


def test_a_database_error_answers_plain_503_for_the_csv_export():
    response = handle("/search/export.csv", OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")


def test_another_error_answers_the_styled_500_page_with_a_search_box():
    response = handle("/transcripts/x/", ValueError("a bug"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert 'class="site-header"' in page
    assert 'name="q"' in page


@pytest.mark.django_db
def test_an_unknown_page_answers_the_styled_404_page_with_a_search_box(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'class="site-header"' in page
    assert '<form class="search-form" role="search" action="/search/"' in page
