"""Public pages from the shared cache (archive/pagecache.py): never stale, validated with
ETag/Last-Modified, never an editor's."""

import threading
import time
import uuid

import lxml.html
import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements.importing import import_source
from statements.models import Statement
from statements.tests.conftest import SEED
from statements.tests.editors import make_editor

pytestmark = pytest.mark.django_db(transaction=True)  # edits commit, as on the site

REDIS_URL = "redis://127.0.0.1:6379/0"


def by_meaning() -> str:
    """What /healthz says of search by meaning on the test database: "ok" with pgvector
    (the embedded pgserver), a reason without (CI's PostgreSQL 15)."""
    from statements.search import hybrid

    if hybrid.available():
        return "ok"
    return "unavailable: the database has no pgvector extension (full-text search only)"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on, in this process's memory unless a test says otherwise, empty."""
    settings.PAGE_CACHE_SECONDS = 3600
    caches["default"].clear()


@pytest.fixture
def statement():
    transcript = import_source(SEED.read_bytes(), filename=SEED.name).transcript
    return transcript.statements.get(position=2)


@pytest.fixture
def editor_client(client):
    editor_client = type(client)()
    editor_client.force_login(make_editor())
    return editor_client


@pytest.fixture
def redis_cache(settings):
    """The page cache in the machine's Redis, under a key prefix of this test's own."""
    prefix = f"test-pagecache-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    server = redis.Redis.from_url(REDIS_URL)
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def edit_in_admin(client, statement, text):
    """Change a statement's text through its admin page, posting the form as rendered."""
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    form = lxml.html.fromstring(client.get(url).content).get_element_by_id("statement_form")
    data = {
        name: value
        for name, value in form.form_values()
        if not name.startswith("_")  # the other submit buttons
    }
    data["text"] = text
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]


def test_a_page_is_served_from_the_cache_the_second_time(client, statement):
    url = statement.get_absolute_url()
    first, made = queries_for(client, url)
    second, served = queries_for(client, url)
    assert second.content == first.content
    assert served == 1 < made  # the generation only


def test_query_parameters_in_another_order_are_the_same_page(client, statement):
    client.get("/search/?q=Kazakhstan&sort=newest")
    response, served = queries_for(client, "/search/?sort=newest&q=Kazakhstan")
    assert response.status_code == 200 and served == 1


def test_a_cached_page_changes_right_after_an_edit(client, editor_client, statement):
    url = statement.get_absolute_url()
    assert "bananas" not in client.get(url).content.decode()
    edit_in_admin(editor_client, statement, "We spoke about bananas.")
    assert "We spoke about bananas." in client.get(url).content.decode()


def test_a_cached_search_changes_right_after_an_import(client, statement):
    url = "/search/?q=pomegranates"
    before = client.get(url).content.decode()
    import_source(
        '{"title": "Fruit briefing", "date": "2020-03-01", "statements": [{"speaker": "A B",'
        ' "speaker_label": "A B", "kind": "remarks", "paragraphs": ["On pomegranates."]}]}',
        filename="fruit.json",
    )
    assert "Fruit briefing" not in before and "Fruit briefing" in client.get(url).content.decode()


def test_a_conditional_get_with_the_etag_answers_304(client, statement):
    url = statement.get_absolute_url()
    first = client.get(url)
    assert first["Cache-Control"] == "public, no-cache" and "Cookie" in first["Vary"]
    again, queries = queries_for(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and queries == 1


def test_a_conditional_get_after_a_change_gets_the_new_page(client, statement):
    url = statement.get_absolute_url()
    etag = client.get(url)["ETag"]
    Statement.objects.filter(pk=statement.pk).update(text="Changed.")
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and "Changed." in again.content.decode()


def test_a_conditional_get_by_date_answers_304_until_the_data_changes(client, statement):
    url = statement.get_absolute_url()
    Statement.objects.filter(pk=statement.pk).update(text="Once.")
    time.sleep(1.1)  # Last-Modified is given once the second of the last change is over
    stamp = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304
    Statement.objects.filter(pk=statement.pk).update(text="Twice.")
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=stamp).status_code == 200


def test_an_editor_never_gets_the_cached_page(client, editor_client, statement):
    url = statement.get_absolute_url()
    client.get(url)  # cached for the public
    Statement.objects.filter(pk=statement.pk).update(text="Only in the database.")
    client.get(url)  # the new page, cached
    response, queries = queries_for(editor_client, url)
    assert "Only in the database." in response.content.decode()
    assert queries > 2  # made for them: session, user, the page's own queries
    assert "private" in response["Cache-Control"] and "ETag" not in response


def test_an_editors_page_is_not_stored_for_the_public(client, editor_client, statement):
    url = statement.get_absolute_url()
    editor_client.get(url)
    _, queries = queries_for(client, url)
    assert queries > 1


def test_the_admin_and_healthz_are_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
    assert "ETag" not in client.get("/admin/login/")


def test_pages_are_shared_through_redis(client, statement, redis_cache):
    server, prefix = redis_cache
    url = statement.get_absolute_url()
    first = client.get(url)
    assert any(server.scan_iter(f"{prefix}:*page:*"))
    second, served = queries_for(client, url)
    assert second.content == first.content and served == 1


def test_a_page_cached_in_redis_changes_right_after_an_edit(
    client, editor_client, statement, redis_cache
):
    url = statement.get_absolute_url()
    client.get(url)
    edit_in_admin(editor_client, statement, "Redis knows about bananas.")
    assert "Redis knows about bananas." in client.get(url).content.decode()


def test_a_cache_that_does_not_answer_leaves_pages_working(client, statement, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    assert client.get(statement.get_absolute_url()).status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json() == {
        "database": "ok",
        "cache": "unavailable",
        "search_by_meaning": by_meaning(),
    }


def test_healthz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {
        "database": "ok",
        "cache": "ok",
        "search_by_meaning": by_meaning(),
    }


def _page_key(url: str) -> str:
    """The cache key the middleware files `url`'s page under, now."""
    from django.test import RequestFactory

    from archive.pagecache import PageCacheMiddleware
    from statements import generation

    request = RequestFactory().get(url)
    return PageCacheMiddleware._key(request, generation.current("default"))


def _later(seconds: float, action) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), action()))
    thread.start()
    return thread


def test_a_page_another_request_is_making_is_waited_for_not_made_again(client, statement):
    from archive.pagecache import _making

    url = statement.get_absolute_url()
    key = _page_key(url)
    assert _making(key)  # another worker has started making the page
    page = (200, {"Content-Type": "text/html; charset=utf-8"}, b"made by the other worker")
    maker = _later(
        0.3, lambda: (caches["default"].set(key, page), caches["default"].delete(f"{key}:making"))
    )
    response, queries = queries_for(client, url)
    maker.join()
    assert response.content == b"made by the other worker"
    assert queries == 1  # the generation only: the page was not made here


def test_a_page_whose_maker_stored_nothing_is_made_by_the_waiter(client, statement):
    from archive.pagecache import _making

    url = statement.get_absolute_url()
    key = _page_key(url)
    assert _making(key)
    maker = _later(0.3, lambda: caches["default"].delete(f"{key}:making"))  # failed, say
    response, queries = queries_for(client, url)
    maker.join()
    assert response.status_code == 200
    assert queries > 1  # made here, not only the generation read
    assert caches["default"].get(key)[2] == response.content  # and stored for the others
