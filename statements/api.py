"""For programs: the search as JSON (cursor-paged through every match) and as CSV (every
match, streamed), with the search page's parameters and the same 400s for bad ones."""

import csv
import itertools

from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from statements import dumps, openapi, paging, records, versions
from statements.search import (
    SORTS,
    Search,
    SearchTimeout,
    count,
    hybrid,
    public_query_limits,
    snippets,
)

# Spreadsheets run cells that start with these as formulas; a quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TIMED_OUT = "The search took too long; narrow it with more words or filters."
PAGE_REFUSED = (
    "page: the API pages with cursors, not page numbers; follow the `next` link (its "
    "`cursor` parameter) to reach every match."
)
SORT_REFUSED = f"sort: one of {', '.join(SORTS)}."
CSV_CHUNK = 1000


def read_only(view):
    """GET and HEAD only; any other method is a 405. Exempt from the CSRF check, which
    would otherwise answer 403 to a POST first: the view changes nothing, and refuses it."""
    return csrf_exempt(require_safe(view))


@read_only
def statements_json(request):
    found = Search(request.GET)
    errors = parameter_errors(request, found)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    try:
        cursor = _cursor(request, found)
        size = paging.page_size(request.GET.get("page_size"))
        with public_query_limits():
            counted = count(found.matches)
            page = paging.page(found, cursor, size, counted)
            if page.fused:
                counted = hybrid.widened(counted, page.fused)
            found_snippets = snippets(page.statements, found.query) if found.query else {}
            versions.mark_other_versions(page.statements)
    except (paging.BadCursor, ValueError) as error:
        return JsonResponse({"errors": [str(error)]}, status=400)
    except SearchTimeout:
        return JsonResponse({"errors": [TIMED_OUT]}, status=503)
    records.mark_topics(page.statements)
    absolute = records.absolute_maker(request)
    return JsonResponse(
        {
            # Estimated from a 1 % sample when `estimated` (a broad search); the facets too.
            "count": counted.count,
            "estimated": counted.estimated,
            "page_size": size,
            "next": _cursor_url(request, page.next, found.sort),
            "previous": _cursor_url(request, page.previous, found.sort),
            "sort": found.sort,
            # "lists" (champion lists: the exact order), "bounded" (the lists' union, proven
            # exact), "every match", or a date order: every page is in the exact order;
            # "hybrid": the search page's fusion with search by meaning (paging.py).
            "ranking": page.ranking,
            "results": [
                _result(absolute, statement, found_snippets.get(statement.pk))
                for statement in page.statements
            ],
            "facets": vars(counted.facets),
            # How the query was read, when it had to be mended ("" otherwise), and why.
            "read_as": found.query.shown if found.query else "",
            "read_notes": list(found.query.notes) if found.query else [],
            # Speakers the query names, each with this search limited to them.
            "speakers": [_person(request, person) for person in found.people],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _person(request, person: dict) -> dict:
    return {
        "name": person["name"],
        "slug": person["slug"],
        "url": request.build_absolute_uri(reverse("speaker_detail", args=[person["slug"]])),
        "search_url": request.build_absolute_uri(f"{request.path}?{person['query']}"),
    }


@read_only
def statements_csv(request):
    """Every match, in the search's order, streamed (no cap); bad parameters: a 400 with
    the API's messages."""
    found = Search(request.GET)
    errors = parameter_errors(request, found, paged=False)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    try:
        # The fusion with search by meaning (if any) and the first row, in order, under the
        # search's time limit: the whole ordering's cost, so that a search too broad to sort
        # is a 503 here rather than a cut-off file.
        with public_query_limits():
            fused, statements = paging.exported(found)
            if found.query and not found.query.readings:
                fused, statements = [], statements.none()
            list(statements.values_list("id", flat=True)[:1])
    except SearchTimeout:
        return HttpResponse(TIMED_OUT, status=503, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        _csv_lines(request, fused, statements), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="statements.csv"'
    return response


def _csv_lines(request, fused: list[int], statements):
    """The CSV, row by row: the statements fused with search by meaning (their ids), then
    the others from one server-side cursor (a transaction of its own, opened only once the
    file is read, and closed with the response), a chunk at a time."""
    writer = csv.writer(_Echo())
    absolute = records.absolute_maker(request)
    # The byte-order mark, so that spreadsheet programs read the file as UTF-8.
    yield "\ufeff" + writer.writerow(records.CSV_COLUMNS)
    with public_query_limits():
        head = Search.fetch(fused)
        for chunk in _chunks(itertools.chain(head, statements.iterator(chunk_size=CSV_CHUNK))):
            versions.mark_other_versions(chunk)
            records.mark_topics(chunk)
            yield "".join(_csv_line(writer, absolute, statement) for statement in chunk)


def _chunks(rows, size: int = CSV_CHUNK):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _csv_line(writer, absolute, statement) -> str:
    row = records.csv_row(records.statement_record(statement, absolute))
    return writer.writerow(_safe_cell(value) for value in row)


def parameter_errors(request, found: Search, *, paged: bool = True) -> list[str]:
    """The search's refusals, an unknown sort, and (for the paged API) a page number: one
    message each. The CSV and the feeds have no pages: a page number means nothing there."""
    errors = [] if found.valid else list(found.errors)
    if request.GET.get("sort", "") not in ("", *SORTS):
        errors.append(SORT_REFUSED)
    if paged and "page" in request.GET:
        errors.append(PAGE_REFUSED)
    return errors


@read_only
def openapi_json(request):
    """The API's OpenAPI 3.1 document."""
    return JsonResponse(openapi.document(request.build_absolute_uri("/")))


@read_only
def api_page(request):
    """The API's page: what it offers, with examples."""
    base = request.build_absolute_uri("/").rstrip("/")
    return render(request, "statements/api.html", {"base": base})


def _cursor(request, found: Search) -> paging.Cursor | None:
    text = request.GET.get("cursor")
    return paging.Cursor.decode(text, found.sort) if text else None


def _result(absolute, statement, snippet) -> dict:
    record = records.statement_record(statement, absolute)
    # HTML: the text escaped, the matches in <mark>; None without a query.
    record["snippet"] = str(snippet) if snippet else None
    return record


def _cursor_url(request, cursor: paging.Cursor | None, sort: str) -> str | None:
    if cursor is None:
        return None
    data = request.GET.copy()
    data["cursor"] = cursor.encode(sort)
    return request.build_absolute_uri(f"{request.path}?{data.urlencode()}")


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer rows."""

    def write(self, value):
        return value


@read_only
def dumps_page(request):
    """The newest bulk dump, for download."""
    return render(request, "statements/dumps.html", {"dump": dumps.latest()})


@read_only
def dump_file(request, name):
    """A dump by its exact name (nothing else in the folder can be asked for)."""
    path = dumps.find(name)
    if path is None:
        raise Http404("No such dump.")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/gzip"
    )
