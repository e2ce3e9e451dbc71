"""Alerts: subscribing (double opt-in), confirming and unsubscribing with signed tokens, and
mailing each confirmed subscriber the statements new since the last mail.

No account: the address proves itself by the confirmation link; every message carries a
one-click unsubscribe link (RFC 8058's List-Unsubscribe headers). Tokens are Django's signed
values, so nothing secret is stored."""

import datetime
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Max
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from statements.alerts.models import Alert
from statements.models import Statement
from statements.search import Search, SearchTimeout, public_query_limits

logger = logging.getLogger(__name__)
CONFIRM_SALT = "statements.alerts.confirm"
UNSUBSCRIBE_SALT = "statements.alerts.unsubscribe"
CONFIRM_DAYS = 7  # a confirmation link works this long; pending alerts older are removed
# Limits against abuse: an address follows at most MAX_PER_ADDRESS searches, and at most
# MAX_PER_HOUR subscriptions are asked for an address, or from one client, each hour.
MAX_PER_ADDRESS = 20
MAX_PER_HOUR = 5
MAX_PER_CLIENT_HOUR = 20
MAX_STATEMENTS = 50  # in one mail; the rest are a link to the search
# Parameters that do not change what a search finds.
NOT_THE_SEARCH = {"page", "sort", "cursor", "page_size", "email"}


class Refused(Exception):
    """A subscription that cannot be made, with the reason to show and the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Sent:
    alert: Alert
    statements: list[Statement] = field(default_factory=list)
    more: int = 0


def search_query(data: QueryDict) -> str:
    """The search's parameters that say what it finds, in a stable order."""
    pairs = sorted(
        (key, value)
        for key, values in data.lists()
        if key not in NOT_THE_SEARCH
        for value in values
        if value
    )
    return urlencode(pairs)


def subscribe(email: str, data: QueryDict, client: str, base_url: str) -> Alert:
    """Ask `email` to confirm an alert for the search `data`; mail the confirmation link.
    Refused (with the reason) past the limits or for a search with errors."""
    query = search_query(data)
    found = Search(QueryDict(query))
    if not found.valid:
        raise Refused("This search has errors: " + " ".join(found.errors))
    requested_by = _client_hash(client)
    with transaction.atomic():
        _check_limits(email, requested_by)
        alert, _created = Alert.objects.get_or_create(
            email=email,
            query=query,
            defaults={"description": describe(found), "requested_by": requested_by},
        )
    if alert.confirmed:
        raise Refused(f"{email} already receives this alert.")
    _send(_confirmation(alert, base_url))
    return alert


def _check_limits(email: str, requested_by: str) -> None:
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    recent = Alert.objects.filter(created_at__gte=hour_ago)
    if Alert.objects.filter(email=email).count() >= MAX_PER_ADDRESS:
        raise Refused(f"An address can follow at most {MAX_PER_ADDRESS} searches.", status=429)
    if recent.filter(email=email).count() >= MAX_PER_HOUR:
        raise Refused(
            "Too many alerts were asked for this address in the last hour; try later.", status=429
        )
    if recent.filter(requested_by=requested_by).count() >= MAX_PER_CLIENT_HOUR:
        raise Refused(
            "Too many alerts were asked from your connection in the last hour; try later.",
            status=429,
        )


def _client_hash(client: str) -> str:
    """A keyed hash of the client's address: enough to count, useless to anyone else."""
    return hmac.new(settings.SECRET_KEY.encode(), client.encode(), hashlib.sha256).hexdigest()


def describe(found: Search) -> str:
    parts = [f"“{found.text}”"] if found.text else []
    parts += [item["label"] for item in found.active_filters]
    return (", ".join(parts) or "every new statement")[:600]


def confirm_token(alert: Alert) -> str:
    return signing.dumps({"alert": alert.pk, "email": alert.email}, salt=CONFIRM_SALT)


def unsubscribe_token(alert: Alert) -> str:
    return signing.dumps({"alert": alert.pk, "email": alert.email}, salt=UNSUBSCRIBE_SALT)


def _from_token(token: str, salt: str, max_age=None) -> Alert | None:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # also an expired one
        return None
    return Alert.objects.filter(pk=value.get("alert"), email=value.get("email")).first()


def pending(token: str) -> Alert | None:
    """The alert a confirmation token is for, while it can still be confirmed."""
    return _from_token(token, CONFIRM_SALT, datetime.timedelta(days=CONFIRM_DAYS))


def confirm(alert: Alert) -> None:
    """Start the alert: statements from now on are new to it."""
    if alert.confirmed:
        return
    alert.confirmed_at = timezone.now()
    alert.last_statement_id = _newest_statement_id()
    alert.save(update_fields=["confirmed_at", "last_statement_id"])


def unsubscribe(token: str) -> Alert | None:
    """Remove the alert the token is for; None if it was already gone (or never was)."""
    alert = _from_token(token, UNSUBSCRIBE_SALT)
    if alert:
        alert.delete()
    return alert


def _newest_statement_id() -> int:
    return Statement.objects.aggregate(newest=Max("id"))["newest"] or 0


# --- the mails -------------------------------------------------------------------------------


def _confirmation(alert: Alert, base_url: str) -> EmailMessage:
    link = base_url + reverse("alert_confirm", args=[confirm_token(alert)])
    body = render_to_string(
        "alerts/confirm_email.txt", {"alert": alert, "link": link, "days": CONFIRM_DAYS}
    )
    return EmailMessage(f"Confirm your alert: {alert.description}", body, to=[alert.email])


def new_statements(alert: Alert, newest: int) -> Sent:
    """The statements the alert's search finds that are newer than its last mail (and not
    newer than `newest`, the mark it moves to)."""
    found = Search(QueryDict(alert.query + "&sort=newest" if alert.query else "sort=newest"))
    if not found.valid or (found.query and not found.query.readings):
        return Sent(alert)
    with public_query_limits():
        fresh = found.statements.filter(id__gt=alert.last_statement_id, id__lte=newest)
        rows = list(fresh.defer("transcript__source_text")[: MAX_STATEMENTS + 1])
        more = fresh.count() - MAX_STATEMENTS if len(rows) > MAX_STATEMENTS else 0
    return Sent(alert, rows[:MAX_STATEMENTS], more)


def alert_message(sent: Sent, base_url: str) -> EmailMessage:
    """The alert's mail: the new statements grouped by transcript, each with its permalink,
    and the one-click unsubscribe link in the body and the headers."""
    alert = sent.alert
    unsubscribe_url = base_url + reverse("alert_unsubscribe", args=[unsubscribe_token(alert)])
    groups: dict[int, dict] = {}
    for statement in sent.statements:
        group = groups.setdefault(
            statement.transcript_id, {"transcript": statement.transcript, "statements": []}
        )
        group["statements"].append(statement)
    body = render_to_string(
        "alerts/alert_email.txt",
        {
            "alert": alert,
            "groups": list(groups.values()),
            "count": len(sent.statements),
            "more": sent.more,
            "base_url": base_url,
            "search_url": f"{base_url}{reverse('search')}?{alert.query}&sort=newest",
            "unsubscribe_url": unsubscribe_url,
        },
    )
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    subject = f"{len(sent.statements) + sent.more} new statement{'s' if len(sent.statements) + sent.more != 1 else ''}: {alert.description}"
    return EmailMessage(subject, body, to=[alert.email], headers=headers)


def _send(message: EmailMessage) -> None:
    message.from_email = settings.DEFAULT_FROM_EMAIL
    message.send()


def send_alerts(base_url: str, now: datetime.datetime | None = None) -> list[Sent]:
    """Mail every confirmed alert with new statements; remove confirmations never made.
    Each alert's mark moves on only once its mail is sent, so a failed mail is tried again."""
    now = now or timezone.now()
    Alert.objects.filter(
        confirmed_at=None, created_at__lt=now - datetime.timedelta(days=CONFIRM_DAYS)
    ).delete()
    newest = _newest_statement_id()
    mailed = []
    with get_connection() as connection:
        for alert in Alert.objects.exclude(confirmed_at=None).order_by("id"):
            try:
                sent = new_statements(alert, newest)
            except SearchTimeout:  # too broad to search in time: left for the next run
                logger.warning("Alert %s: its search ran out of time", alert.pk)
                continue
            if sent.statements:
                message = alert_message(sent, base_url)
                message.from_email = settings.DEFAULT_FROM_EMAIL
                message.connection = connection
                message.send()
                mailed.append(sent)
            alert.last_statement_id = max(alert.last_statement_id, newest)
            alert.last_sent_at = now if sent.statements else alert.last_sent_at
            alert.save(update_fields=["last_statement_id", "last_sent_at"])
    return mailed
