"""Email alerts, end to end through a real SMTP server (aiosmtpd, in process): subscribe,
confirm, import, send_alerts, the mail with the new statement's link, unsubscribe."""

import email
import email.policy
import json
import re
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from statements.alerts import service
from statements.alerts.models import Alert
from statements.importing import import_source

pytestmark = pytest.mark.django_db
READER = "reader@example.org"


class Inbox:
    """An SMTP handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted"

    def wait_for(self, count: int) -> list:
        deadline = time.monotonic() + 5
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    """A real SMTP server on a free local port, and Django's SMTP backend pointed at it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "alerts@archive.example.org"
    yield handler
    controller.stop()


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, kind: str) -> str:
    return re.search(rf"http://testserver(/alerts/{kind}/[^\s]+/)", body(message))[1]


def subscribe(client, **search) -> None:
    response = client.post("/alerts/subscribe/", {"email": READER, **search})
    assert response.status_code == 200, response.content
    assert "We sent a confirmation link" in response.content.decode()


def import_statement(text: str, title: str = "Briefing on Idlib") -> int:
    script = {
        "title": title,
        "date": "2025-03-04",
        "statements": [
            {
                "speaker": "Maria Zakharova",
                "speaker_label": "Maria Zakharova",
                "kind": "remarks",
                "paragraphs": [text],
            },
        ],
    }
    result = import_source(json.dumps(script), filename=f"{title}.json")
    return result.transcript.statements.get().pk


def test_whole_cycle_subscribe_confirm_import_send_unsubscribe(client, archive, inbox):
    subscribe(client, q="Idlib", speaker="")
    (confirmation,) = inbox.wait_for(1)
    assert confirmation["To"] == READER
    assert confirmation["From"] == "alerts@archive.example.org"
    confirm = link(confirmation, "confirm")
    assert "Confirm the alert" in client.get(confirm).content.decode()
    assert "The alert is on" in client.post(confirm).content.decode()

    new = import_statement("On Idlib, the ceasefire holds.")
    import_statement("Nothing about that region.", title="Other briefing")
    call_command("send_alerts", "--base-url", "http://testserver")
    (_, alert_mail) = inbox.wait_for(2)
    text = body(alert_mail)
    assert alert_mail["To"] == READER
    assert f"http://testserver/statements/{new}/" in text
    assert "== Briefing on Idlib (4 March 2025)" in text  # grouped by transcript
    assert "Other briefing" not in text
    assert text.count("http://testserver/statements/") == 1  # the old Idlib statements: not new
    unsubscribe = link(alert_mail, "unsubscribe")
    # (a long header is folded on the wire; unfolded, it is the link)
    assert alert_mail["List-Unsubscribe"].strip() == f"<http://testserver{unsubscribe}>"
    assert alert_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The mail client's one-click POST: no page, no CSRF token.
    response = client.post(unsubscribe)
    assert "No more mails" in response.content.decode()
    assert not Alert.objects.exists()
    import_statement("Idlib again.", title="Third briefing")
    call_command("send_alerts", "--base-url", "http://testserver")
    assert len(inbox.wait_for(3)) == 2


def test_an_unconfirmed_alert_is_never_mailed(client, archive, inbox):
    subscribe(client, q="Idlib")
    import_statement("Idlib, once more.")
    call_command("send_alerts")
    assert len(inbox.wait_for(2)) == 1  # the confirmation only


def test_a_second_send_mails_only_what_is_new_again(client, archive, inbox):
    subscribe(client, q="Idlib")
    client.post(link(inbox.wait_for(1)[0], "confirm"))
    first = import_statement("Idlib one.")
    call_command("send_alerts")
    second = import_statement("Idlib two.", title="Second")
    call_command("send_alerts")
    call_command("send_alerts")  # nothing new: no mail
    mails = inbox.wait_for(4)
    assert len(mails) == 3
    assert f"/statements/{first}/" in body(mails[1]) and f"/statements/{second}/" not in body(
        mails[1]
    )
    assert f"/statements/{second}/" in body(mails[2]) and f"/statements/{first}/" not in body(
        mails[2]
    )


def test_a_forged_or_wrong_token_does_nothing(client, archive, inbox):
    subscribe(client, q="Idlib")
    confirm = link(inbox.wait_for(1)[0], "confirm")
    assert client.post(confirm[:-3] + "xx/").status_code == 404
    assert client.post("/alerts/unsubscribe/forged/").status_code == 200
    assert Alert.objects.get().confirmed_at is None
    unsubscribe_with_confirm_token = confirm.replace("confirm", "unsubscribe")
    client.post(unsubscribe_with_confirm_token)  # another salt: not an unsubscribe token
    assert Alert.objects.exists()


def test_subscriptions_per_address_and_hour_are_limited(client, archive, inbox):
    for number in range(service.MAX_PER_HOUR):
        subscribe(client, q=f"Idlib {number}")
    response = client.post("/alerts/subscribe/", {"email": READER, "q": "Astana"})
    assert response.status_code == 429
    assert "Too many alerts were asked for this address" in response.content.decode()


def test_subscriptions_per_client_and_hour_are_limited(client, archive, inbox, monkeypatch):
    monkeypatch.setattr(service, "MAX_PER_CLIENT_HOUR", 2)
    for number in range(2):
        client.post("/alerts/subscribe/", {"email": f"r{number}@example.org", "q": "Idlib"})
    response = client.post("/alerts/subscribe/", {"email": "r9@example.org", "q": "Idlib"})
    assert response.status_code == 429
    assert "from your connection" in response.content.decode()


def test_a_search_with_errors_or_a_bad_address_is_refused(client, archive, inbox):
    response = client.post("/alerts/subscribe/", {"email": READER, "date_from": "bad"})
    assert response.status_code == 400
    assert "From: Enter a valid date." in response.content.decode()
    assert client.post("/alerts/subscribe/", {"email": "not an address"}).status_code == 400
    assert not Alert.objects.exists() and not inbox.messages


def test_a_mail_server_that_is_down_is_a_clear_503(client, archive, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    response = client.post("/alerts/subscribe/", {"email": READER, "q": "Idlib"})
    assert response.status_code == 503
    assert "could not be sent just now" in response.content.decode()


def test_search_page_offers_the_alert_form_for_that_search(client, archive):
    page = client.get("/search/", {"q": "Idlib", "speaker": "sergey-lavrov", "page": "1"})
    html = page.content.decode()
    assert 'action="/alerts/subscribe/" method="post"' in html
    assert '<input type="hidden" name="q" value="Idlib">' in html
    assert '<input type="hidden" name="speaker" value="sergey-lavrov">' in html
    assert 'name="page"' not in html.split('action="/alerts/subscribe/"')[1].split("</form>")[0]


def test_the_alert_form_keeps_the_search_page_cacheable(client, archive):
    page = client.get("/search/", {"q": "Idlib"})
    assert "csrftoken" not in page.cookies
    assert "csrfmiddlewaretoken" not in page.content.decode()
    csrf_checking = type(client)(enforce_csrf_checks=True)
    response = csrf_checking.post("/alerts/subscribe/", {"email": "bad"})
    assert response.status_code == 400  # the form's own check, not a CSRF 403
