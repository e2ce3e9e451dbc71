"""Read replicas (DATABASE_REPLICA_URLS): the public's reads go to one, everything else to
the primary.

Django's own way: a database router (`PublicReadsToReplicas`, in DATABASE_ROUTERS) names
the database of each query. `ReplicaReadsMiddleware` marks a request as a public read —
a GET or HEAD, outside the admin, by someone not logged in — and only then are reads sent
to a replica, the same one for the whole request. Writes, the admin, an editor's pages,
management commands and tests use the primary, so that an editor always sees their own
change at once.

A replica is used only while it answers and is no further behind the primary than
REPLICA_MAX_LAG_SECONDS; each process asks each replica at most every
REPLICA_CHECK_SECONDS (one small query), and a replica that fails during a request is
taken out at once and the page made again from the primary.

SQL written by hand (search) reads through `read_connection`, which is the routed
database's connection.
"""

import logging
import random
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica"
_public_read: ContextVar[bool] = ContextVar("public_read", default=False)
_chosen: ContextVar[str | None] = ContextVar("chosen_replica", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def reads() -> str:
    """The database this request's reads go to."""
    if not _public_read.get():
        return "default"
    chosen = _chosen.get()
    if chosen is None:
        chosen = _choose()
        _chosen.set(chosen)
    return chosen


class PublicReadsToReplicas:
    """The router: reads as `reads()` says, writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        return reads()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        return True  # replicas hold the primary's data: every relation is within one

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class _ReadConnection:
    """`django.db.connection`, but for the routed database (see `reads`)."""

    def __getattr__(self, name):
        return getattr(connections[reads()], name)


read_connection = _ReadConnection()


class ReplicaReadsMiddleware:
    """Marks the public's reads (see the module's docstring); after the authentication
    middleware, which it asks who the user is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _public_read.set(
            bool(replica_aliases())
            and request.method in ("GET", "HEAD")
            and not request.path.startswith("/admin/")
            and not request.user.is_authenticated
        )
        _chosen.set(None)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A replica that failed during the request is taken out, and the page made again
        from the primary (a GET: nothing was written)."""
        chosen = _chosen.get()
        if not isinstance(exception, DatabaseError) or chosen in (None, "default"):
            return None
        logger.warning("replica %s failed, taken out: %s", chosen, exception)
        _health.mark_down(chosen)
        connections[chosen].close_if_unusable_or_obsolete()
        _public_read.set(False)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)


def _end_of_request(**kwargs) -> None:
    # After the response's last byte (a streamed CSV reads as it goes), not before.
    _public_read.set(False)
    _chosen.set(None)


request_finished.connect(_end_of_request)


class _Health:
    """Which replicas are fit to read from, as last checked (per process)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.checked: dict[str, tuple[float, bool]] = {}  # alias → (when, fit)

    def fit(self, alias: str) -> bool:
        now = time.monotonic()
        with self.lock:
            when, fit = self.checked.get(alias, (-1e9, False))
            if now - when < settings.REPLICA_CHECK_SECONDS:
                return fit
            # Others go on with the last answer while this thread asks.
            self.checked[alias] = (now, fit)
        fit = _answers_in_time(alias)
        with self.lock:
            self.checked[alias] = (time.monotonic(), fit)
        return fit

    def mark_down(self, alias: str) -> None:
        with self.lock:
            self.checked[alias] = (time.monotonic(), False)


_health = _Health()


def _choose() -> str:
    fit = [alias for alias in replica_aliases() if _health.fit(alias)]
    return random.choice(fit) if fit else "default"


# How far behind the primary a replica is: nothing when it has replayed all it received,
# else the age of the last transaction it replayed (the usual measure; on an idle primary
# the replica has replayed everything, so its old last transaction does not count).
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""


def _answers_in_time(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("replica %s does not answer: %s", alias, error)
        connections[alias].close()
        return False
    if not in_recovery:
        logger.warning("replica %s is not a replica (promoted?): not read from", alias)
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("replica %s is %.1f s behind: not read from", alias, lag)
        return False
    return True
