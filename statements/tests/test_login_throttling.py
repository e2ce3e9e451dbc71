"""Login throttling (django-axes, configured in archive/settings.py): after five wrong
passwords one username from one address is locked out for a while, even with the right
password; it is logged, and staff can unlock it."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from statements.tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


def log_in(client, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": "editor", "password": password}, REMOTE_ADDR=address)


def fail(client, times: int, address: str = "127.0.0.1") -> None:
    for _ in range(times):
        log_in(client, "wrong password", address)


@pytest.fixture
def editor(settings):
    # A fast hasher: these tests check dozens of passwords, each ~0.3 s with the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_editor("editor")


def test_a_wrong_password_shows_the_login_form_again(client, editor):
    response = log_in(client, "wrong password")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_the_right_password_is_refused_after_five_failures(client, editor):
    fail(client, 5)
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_out(client, editor):
    fail(client, 4)
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_lockout_holds_for_that_address_only(client, editor):
    fail(client, 5, address="203.0.113.7")
    assert log_in(client, PASSWORD, address="198.51.100.2").status_code == 302


def test_the_right_password_works_again_after_the_cool_off(client, editor):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, PASSWORD).status_code == 302


def test_staff_unlock_a_username_with_axes_reset_username(client, editor):
    fail(client, 5)
    call_command("axes_reset_username", "editor")
    assert log_in(client, PASSWORD).status_code == 302


def test_a_lockout_is_logged(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        fail(client, 5)
    assert any("Locking out" in record.getMessage() for record in caplog.records)
