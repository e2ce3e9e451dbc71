"""The site's answers when a request cannot be served: 503 while the database is
unreachable, a styled 500 otherwise, and the short messages programs get instead of pages.

The pages are rendered from a bare context (no request, no context processors), so that
rendering them needs neither the session nor the user nor anything else from the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

# What the database driver raises when the server is stopped, frozen past the connect
# timeout, restarting or dropped the connection; also a query cancelled by a timeout. All
# pass, so "try again later" is the honest answer.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
UNAVAILABLE = "The archive is temporarily unavailable (its database cannot be reached). Please try again in a few minutes."
SERVER_ERROR = "The archive could not answer this request; the error has been logged."


def for_programs(request) -> bool:
    """Whether the path is one that programs read (the API, CSV export, feeds): they get a
    short JSON or plain-text answer rather than a page."""
    path = request.path
    return path.startswith("/api/") or path.endswith((".csv", "/feed/")) or "/feeds/" in path


def short_answer(request, message: str, status: int) -> HttpResponse:
    """`message` as JSON ({"errors": [...]}, like the API's 400s) under /api/, else as text."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [message]}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def server_error(request):
    """handler500: Django calls it for any exception no view handled, from a view or a
    middleware alike, with the exception still being handled (so `sys.exception()` is it)."""
    unreachable = isinstance(sys.exception(), DATABASE_UNREACHABLE)
    if for_programs(request):
        return short_answer(request, *(UNAVAILABLE, 503) if unreachable else (SERVER_ERROR, 500))
    if unreachable:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return defaults.server_error(request)
