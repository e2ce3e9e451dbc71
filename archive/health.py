"""`/healthz`, for load balancers and orchestrators: 200 when this app server can reach its
database and its cache, 503 (with what failed) otherwise. Never cached, by anyone."""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(outcome == "ok" for outcome in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _database() -> str:
    """The primary answers a query. (Replicas are not this server's health: the router
    skips one that is down.)"""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("healthz: database: %s", error)
        connections["default"].close()  # the next request connects afresh
        return "unavailable"
    return "ok"


def _cache() -> str:
    """A value written to the cache reads back."""
    value = secrets.token_hex(8)
    key = f"healthz:{value}"  # its own key: checks at once must not read each other's
    try:
        cache.set(key, value, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as error:  # each backend has its own errors (redis, memcached…)
        logger.warning("healthz: cache: %s", error)
        return "unavailable"
    return "ok" if answered == value else "unavailable"
