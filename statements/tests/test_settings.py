"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

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
