"""For programs: the search as JSON and as CSV, with the search page's parameters."""

import csv

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse

from statements.search import Search, SearchTimeout, public_query_limits

# Spreadsheets run cells that start with these as formulas; a quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "id",
    "url",
    "date",
    "speaker",
    "speaker_label",
    "kind",
    "transcript",
    "transcript_url",
    "place",
    "language",
    "text",
]
EXPORT_LIMIT = 10_000


def statements_json(request):
    found = Search(request.GET)
    if not found.valid:
        return JsonResponse({"errors": found.errors, "count": 0, "results": []}, status=400)
    try:
        results = found.results(request.GET.get("page"))
    except SearchTimeout:
        return JsonResponse({"errors": [TIMED_OUT], "count": 0, "results": []}, status=503)
    return JsonResponse(
        {
            # Estimated from a 1 % sample when `estimated` (a broad search); the facets too.
            "count": results.count,
            "estimated": results.estimated,
            "page": results.number,
            # Results can be paged MAX_RESULTS deep; narrow the search to reach the rest.
            "pages": results.pages,
            "next": _page_url(request, results.next_page_number) if results.has_next else None,
            "previous": _page_url(request, results.previous_page_number)
            if results.has_previous
            else None,
            "sort": found.sort,
            # "lists" (champion lists: the exact order), "bounded" (the lists' union, proven
            # exact), "candidates" (the lists' union: nearly exact), "every match", or a date order.
            "ranking": results.ranking,
            "results": [_result(request, statement) for statement in results.statements],
            "facets": vars(results.facets),
        },
        json_dumps_params={"ensure_ascii": False},
    )


TIMED_OUT = "The search took too long; narrow it with more words or filters."


def statements_csv(request):
    found = Search(request.GET)
    rows = []
    if found.valid:
        try:
            with public_query_limits():
                rows = found.rows(0, EXPORT_LIMIT)
        except SearchTimeout:
            return HttpResponse(TIMED_OUT, status=503, content_type="text/plain; charset=utf-8")
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        yield writer.writerow(CSV_COLUMNS)
        for statement in rows:
            yield writer.writerow(_safe_cell(value) for value in _csv_row(request, statement))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statements.csv"'
    return response


def _result(request, statement) -> dict:
    speaker = statement.speaker
    return {
        "id": statement.pk,
        "url": request.build_absolute_uri(statement.get_absolute_url()),
        "position": statement.position,
        "date": statement.date.isoformat() if statement.date else None,
        "kind": statement.kind,
        "speaker": {
            "name": speaker.name,
            "slug": speaker.slug,
            "url": request.build_absolute_uri(speaker.get_absolute_url()),
        }
        if speaker
        else None,
        "speaker_label": statement.speaker_label,
        "transcript": {
            "title": statement.transcript.title,
            "url": request.build_absolute_uri(statement.transcript.get_absolute_url()),
        },
        "language": statement.language,
        "text": statement.text,
        # HTML: the text escaped, the matches in <mark>; None without a query.
        "snippet": str(statement.snippet) if statement.snippet else None,
    }


def _csv_row(request, statement) -> list:
    transcript = statement.transcript
    return [
        statement.pk,
        request.build_absolute_uri(statement.get_absolute_url()),
        statement.date.isoformat() if statement.date else "",
        statement.speaker.name if statement.speaker else "",
        statement.speaker_label,
        statement.kind,
        transcript.title,
        request.build_absolute_uri(transcript.get_absolute_url()),
        transcript.place,
        statement.language,
        statement.text,
    ]


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _page_url(request, number: int) -> str:
    data = request.GET.copy()
    data["page"] = number
    return request.build_absolute_uri(f"{request.path}?{data.urlencode()}")


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer rows."""

    def write(self, value):
        return value
