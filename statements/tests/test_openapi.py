"""The API's contract: /api/openapi.json is valid OpenAPI 3.1, and the API keeps it —
schemathesis sends property-based requests from it (valid ones and deliberately broken
ones) to the real application over the test database and checks every response."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from statements import openapi

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(openapi.document("http://testserver/"))
APP = get_wsgi_application()
# A well-formed slug that names no speaker or topic, or a cursor the API did not sign, is a
# 400 with a message: which names exist is data, which the schema cannot list. Everything
# else well formed must succeed.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "400", "404"]
)


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request — and the test's
    transaction with it. Django's test client stops that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_openapi_document_is_valid_openapi_3_1(client):
    document = client.get("/api/openapi.json").json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://testserver/"}]


def test_openapi_document_describes_every_endpoint_for_programs(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/statements/",
        "/search/export.csv",
        "/search/feed/",
        "/feeds/latest/",
        "/speakers/{slug}/feed/",
        "/topics/{slug}/feed/",
        "/dumps/{name}",
        "/api/openapi.json",
    }
    statements = paths["/api/statements/"]["get"]
    names = {parameter["name"] for parameter in statements["parameters"]}
    assert {"q", "speaker", "topic", "date_from", "sort", "page_size", "cursor"} <= names
    assert set(statements["responses"]) == {"200", "400", "503"}


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same requests every run: CI failures can be reproduced
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_contract(case, archive, keep_connection):
    case.call_and_validate(app=APP)


def test_api_page_shows_examples_and_links_the_document(client):
    page = client.get("/api/").content.decode()
    assert 'href="/api/openapi.json"' in page
    assert "curl &#x27;http://testserver/api/statements/?q=Idlib+OR+Syria" in page or (
        "curl 'http://testserver/api/statements/?q=Idlib+OR+Syria" in page
    )
    assert 'href="/api/"' in client.get("/").content.decode()
