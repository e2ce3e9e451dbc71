"""A stopped or frozen database, for real: a throwaway PostgreSQL 15 under var/, gunicorn
serving the project from it. Pages answer a styled 503 and the API JSON 503 within seconds
(connect_timeout; archive/postgresql/base.py bounds an open connection's health check), and
everything answers again once the database is back."""

import subprocess
import sys
import time

import pytest
from django.conf import settings

from statements.tests import postgres
from statements.tests.postgres import Cluster
from statements.tests.servers import get, gunicorn, project_env

pytestmark = pytest.mark.skipif(
    not postgres.available(), reason=f"needs PostgreSQL 15's initdb in {postgres.BIN}"
)
# The health check's bound and a connect_timeout (2 s each), and the page cache's attempt
# before the view's, with slack for a loaded machine.
FEW_SECONDS = 10


@pytest.fixture(scope="module")
def database():
    server = Cluster()
    try:
        server.start()
        migrate = [sys.executable, "manage.py", "migrate", "--verbosity", "0"]
        env = project_env(DATABASE_URL=server.url("postgres"))
        subprocess.run(migrate, cwd=settings.BASE_DIR, env=env, check=True, timeout=300)
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def site(database):
    with gunicorn(DATABASE_URL=database.url("postgres"), DATABASE_CONNECT_TIMEOUT="2") as base:
        yield base


@pytest.fixture
def stopped(database, site):
    assert get(site + "/").status == 200  # the worker holds an open connection
    database.stop()
    yield
    database.start()


@pytest.fixture
def frozen(database, site):
    assert get(site + "/").status == 200
    database.freeze()
    yield
    database.thaw()


def timed_get(url: str):
    started = time.monotonic()
    answer = get(url, timeout=60)
    return answer, time.monotonic() - started


def test_a_page_answers_a_styled_503_while_the_database_is_stopped(site, stopped):
    answer, seconds = timed_get(site + "/search/?q=Astana")
    assert answer.status == 503
    assert "Temporarily unavailable" in answer.body
    assert 'class="site-header"' in answer.body
    assert seconds < FEW_SECONDS


def test_the_api_answers_json_503_while_the_database_is_stopped(site, stopped):
    answer, _ = timed_get(site + "/api/statements/?q=Astana")
    assert answer.status == 503
    assert answer.headers["Content-Type"] == "application/json"
    assert "temporarily unavailable" in answer.body


def test_an_open_connection_to_a_frozen_database_answers_503_within_seconds(site, frozen):
    answer, seconds = timed_get(site + "/")
    assert answer.status == 503
    assert seconds < FEW_SECONDS


def test_a_new_connection_to_a_frozen_database_answers_503_within_seconds(site, frozen):
    timed_get(site + "/")  # the open connection fails its health check and is dropped
    answer, seconds = timed_get(site + "/api/statements/")
    assert answer.status == 503
    assert seconds < FEW_SECONDS


def test_pages_answer_again_when_the_database_is_back(database, site):
    database.stop()
    assert get(site + "/").status == 503
    database.start()
    assert get(site + "/").status == 200
    assert get(site + "/api/statements/").status == 200
