"""The project's own middleware."""

from archive.errors import short_answer

NUL_REFUSED = "A parameter or cookie contains a NUL character (%00), which is not allowed."


class RejectNulMiddleware:
    """Refuse with 400 any request whose query string, form fields or cookies hold a NUL.

    PostgreSQL text cannot hold NUL, so such a value would fail deep in a query as a 500
    (a search, an admin list filter, an autocomplete, a form save, the session lookup of a
    cookie like `sessionid="…\\000…"`); one check here covers every view. Uploaded files
    are not fields: their content is the parser's business.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            _holds_nul(request.GET)
            or (request.method == "POST" and _holds_nul(request.POST))
            or any("\0" in key + value for key, value in request.COOKIES.items())
        ):
            return short_answer(request, NUL_REFUSED, 400)
        return self.get_response(request)


def _holds_nul(params) -> bool:
    return any(
        "\0" in key or any("\0" in value for value in values) for key, values in params.lists()
    )
