"""Public pages served from the shared cache, and never stale.

A page (HTML, the API's JSON, the CSV export, a feed) is filed under its full address —
scheme, host, path and the query's parameters in sorted order, so that `?b=1&a=2` and
`?a=2&b=1` are one page — the data generation it was made from (statements/generation.py:
every committed change of the data moves it on) and the code's version. The first request
after any change makes the page anew; until then everyone gets the same bytes, from Redis
(REDIS_URL) or this process's memory.

The generation is also the page's validator: `ETag` (generation, code, address) and
`Last-Modified` (when the data last changed) let browsers, proxies and CDNs ask again
with a conditional GET, answered 304 without making the page. `Cache-Control: public,
no-cache` lets them keep copies but has them ask each time (a 304 costs a millisecond);
PROXY_CACHE_SECONDS lets shared caches serve a copy that long without asking, if a few
seconds' staleness is worth it.

Editors (logged in) are never served a cached page and their pages are never stored:
their responses say `private`. Nor is anything stored that sets a cookie or varies by one
(a form's CSRF token), that the view marked private or no-cache (`never_cache`), or that
is not a plain GET of the public site (the admin, /healthz).
"""

import hashlib
import logging
import math
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, router
from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from statements import generation
from statements.models import Statement

logger = logging.getLogger(__name__)

# Responses stored: the page, a redirect to where its words are now, a page gone or missing
# (a crawler walks old addresses as often as new ones).
STORED_STATUSES = {200, 301, 404, 410}
# Headers a stored response does not keep: they are set again for each answer.
UNSTORED_HEADERS = {"set-cookie", "date", "etag", "last-modified", "cache-control", "expires"}
NOT_CACHED_PREFIXES = ("/admin/", "/healthz", "/static/")


def code_version() -> str:
    """A digest of the code and templates that make the pages: a new release files its
    pages afresh without anyone clearing the cache."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, pattern in (("archive", "*.py"), ("statements", "*.py"), ("templates", "*")):
        for path in sorted((root / folder).rglob(pattern)):
            if path.is_file() and "tests" not in path.parts and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = code_version()


def normalised_url(request) -> str:
    """The request's address with its query's parameters sorted (values of a repeated
    parameter too: `speaker=a&speaker=b` is `speaker=b&speaker=a`)."""
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), True)))
    return f"{request.scheme}://{request.get_host()}{request.path}" + (f"?{query}" if query else "")


class PageCacheMiddleware:
    """Serve and store public pages (see the module's docstring). Placed after the
    authentication and replica-routing middleware: it asks who the user is, and reads the
    generation where the page's data will be read. The session and CSRF middleware, further
    out, set their cookies after it has seen the response: it looks for what makes them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            response = self.get_response(request)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        try:
            seen = generation.current(router.db_for_read(Statement))
        except DatabaseError:
            return self.get_response(request)  # the view says what is wrong
        key = self._key(request, seen)
        etag = f'W/"{hashlib.sha256(key.encode()).hexdigest()[:24]}"'
        last_modified = _whole_second_after(seen.changed_at)
        not_modified = get_conditional_response(request, etag, last_modified.timestamp())
        if isinstance(not_modified, HttpResponseNotModified):
            return self._public(not_modified, etag, last_modified)
        stored = _cache_get(key)
        if stored is None and not _making(key):
            stored = _made_meanwhile(key)
        if stored is not None:
            return self._public(_rebuilt(stored), etag, last_modified)
        try:
            response = self.get_response(request)
        except BaseException:
            _made(key)
            raise
        if self._storable(request, response):
            response = self._store(key, response)
            return self._public(response, etag, last_modified)
        _made(key)
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(NOT_CACHED_PREFIXES)
            and not request.user.is_authenticated
        )

    @staticmethod
    def _key(request, seen: generation.Generation) -> str:
        address = hashlib.sha256(normalised_url(request).encode()).hexdigest()
        return f"page:{CODE_VERSION}:{seen.value}:{address}"

    @staticmethod
    def _storable(request, response) -> bool:
        control = response.get("Cache-Control", "")
        session = getattr(request, "session", None)
        return (
            response.status_code in STORED_STATUSES
            and not response.cookies
            # Cookies that middleware further out would set: a form's CSRF token, a session.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
            and not has_vary_header(response, "Cookie")
            and not any(word in control for word in ("private", "no-store", "no-cache"))
        )

    def _store(self, key: str, response):
        """File `response` away: at once, or a streamed one (the CSV) as its last part
        goes out, if it is not too long."""
        if not response.streaming:
            _cache_set(key, _stored(response, response.content))
            _made(key)
            return response
        return StreamingHttpResponse(
            _streamed_then_stored(key, response),
            status=response.status_code,
            headers={name: value for name, value in response.items()},
        )

    @staticmethod
    def _public(response, etag: str, last_modified: datetime):
        response.headers["ETag"] = etag
        # Only once its second is over: a change later in that same second would otherwise
        # look no newer to If-Modified-Since, whose dates have whole seconds.
        if last_modified <= datetime.now(UTC):
            response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        seconds = settings.PROXY_CACHE_SECONDS
        response.headers["Cache-Control"] = (
            f"public, max-age=0, s-maxage={seconds}" if seconds else "public, no-cache"
        )
        # An editor's browser carries a session cookie: a shared cache must not give them
        # the public copy.
        patch_vary_headers(response, ("Cookie",))
        return response


def _whole_second_after(moment: datetime) -> datetime:
    return datetime.fromtimestamp(math.ceil(moment.timestamp()), UTC)


def _stored(response, content: bytes) -> tuple:
    headers = {
        name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
    }
    return (response.status_code, headers, content)


def _rebuilt(stored: tuple) -> HttpResponse:
    status, headers, content = stored
    return HttpResponse(content, status=status, headers=headers)


def _streamed_then_stored(key: str, response):
    parts, size, limit = [], 0, settings.PAGE_CACHE_MAX_BYTES
    try:
        for part in response.streaming_content:
            yield part
            size += len(part)
            if size <= limit:
                parts.append(part)
        if size <= limit:
            _cache_set(key, _stored(response, b"".join(parts)))
    finally:
        _made(key)
        if hasattr(response, "close"):
            response.close()


# One request makes a missing page; the others asking for it meanwhile wait for it
# (polling the cache) rather than all making it at once — a link shared widely, or a
# 10,000-row CSV asked for by several readers, would otherwise be made by every worker in
# the same seconds, each slower for the others. A maker that dies leaves its mark to
# expire; a waiter that has waited MAKING_WAIT_SECONDS makes the page itself.
MAKING_SECONDS = 60
MAKING_WAIT_SECONDS = 30
MAKING_POLL_SECONDS = 0.05


def _making_key(key: str) -> str:
    return f"{key}:making"


def _making(key: str) -> bool:
    """Claim the making of the page (True), or learn that another request has (False). A
    cache that does not answer: claimed (each request makes its own, as with no cache)."""
    try:
        return cache.add(_making_key(key), 1, timeout=MAKING_SECONDS)
    except Exception as error:  # as in _cache_get
        logger.warning("page cache: %s", error)
        return True


def _made(key: str) -> None:
    try:
        cache.delete(_making_key(key))
    except Exception as error:  # as in _cache_get
        logger.warning("page cache: %s", error)


def _made_meanwhile(key: str):
    """The page another request is making, once stored; None if it was not stored (too
    long, not storable, failed) or took too long: this request makes it then."""
    deadline = time.monotonic() + MAKING_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(MAKING_POLL_SECONDS)
        stored = _cache_get(key)
        if stored is not None:
            return stored
        try:
            if cache.get(_making_key(key)) is None:
                return _cache_get(key)
        except Exception as error:  # as in _cache_get
            logger.warning("page cache: %s", error)
            return None
    return None


def _cache_get(key: str):
    """The stored page, or None; a cache that does not answer is a miss (the page is made
    as if there were no cache; /healthz reports the cache down)."""
    try:
        return cache.get(key)
    except Exception as error:  # each backend has its own errors (redis, memcached…)
        logger.warning("page cache: %s", error)
        return None


def _cache_set(key: str, stored: tuple) -> None:
    if len(stored[2]) > settings.PAGE_CACHE_MAX_BYTES:
        return
    try:
        cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as error:  # as in _cache_get
        logger.warning("page cache: %s", error)
