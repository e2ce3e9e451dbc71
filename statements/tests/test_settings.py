"""Settings come from the environment; production settings pass Django's deploy checks and
a real gunicorn server with them sends the security headers."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from statements.tests.servers import database_url, get, gunicorn

PRODUCTION = {
    "DEBUG": "0",
    "HTTPS_ONLY": "1",
    "SECRET_KEY": "k" * 20 + "production-only-secret-with-plenty-of-entropy-4f9a2",
    "ALLOWED_HOSTS": "statements.example.org",
}


def manage(*args, **env):
    """Run manage.py in a fresh process with `env` added to this one's environment."""
    # The browser tests lift Django's async guard for their own process (conftest's
    # `browser`); a deployment never has it, and the deploy checks rightly refuse it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=inherited | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_settings_do_not_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", HTTPS_ONLY="0")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_a_nonsense_boolean_fails_loudly():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe': expected one of" in result.stderr


def test_a_database_other_than_postgresql_is_refused():
    result = manage("check", DATABASE_URL="mysql://root@127.0.0.1/test")
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_response_carries_a_content_security_policy_without_inline_script(client):
    policy = client.get("/static-nothing-here/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_every_response_carries_a_permissions_policy(client):
    policy = client.get("/static-nothing-here/")["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "clipboard-write=(self)" in policy


def production_server_env(database_url: str) -> dict:
    return PRODUCTION | {"ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": database_url}


@pytest.fixture(scope="module")
def production_site(django_db_setup, django_db_blocker):
    """gunicorn with production settings (DEBUG=0, HTTPS_ONLY=1) over the test database,
    whose tables the test session's migrations made."""
    with django_db_blocker.unblock():
        from django.db import connection

        url = database_url(connection.settings_dict)
    with gunicorn(**production_server_env(url)) as base:
        yield base


def test_a_production_server_redirects_plain_http_to_https(production_site):
    answer = get(production_site + "/search/")
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://")


def test_a_production_server_sends_the_security_headers_behind_tls(production_site):
    answer = get(production_site + "/search/", {"X-Forwarded-Proto": "https"})
    assert answer.status == 200
    headers = answer.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
