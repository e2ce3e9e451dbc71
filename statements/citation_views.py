"""A statement's or a transcript's citation as a file for reference managers: CSL-JSON,
BibTeX or RIS."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from statements import citations
from statements.api import read_only
from statements.models import Statement, Transcript

FORMATS = {
    # extension: (content type, writer)
    "json": (
        "application/vnd.citationstyles.csl+json",
        lambda work: json.dumps(citations.csl_json(work), ensure_ascii=False, indent=2),
    ),
    "bib": ("application/x-bibtex; charset=utf-8", citations.bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", citations.ris),
}


@read_only
def statement_citation(request, pk, fmt):
    statement = get_object_or_404(Statement.objects.select_related("speaker", "transcript"), pk=pk)
    work = citations.statement_work(
        statement, request.build_absolute_uri(statement.get_absolute_url())
    )
    return _download(work, fmt, f"statement-{statement.pk}")


@read_only
def transcript_citation(request, slug, fmt):
    transcript = get_object_or_404(Transcript.objects.defer("source_text"), slug=slug)
    work = citations.transcript_work(
        transcript, request.build_absolute_uri(transcript.get_absolute_url())
    )
    return _download(work, fmt, f"transcript-{transcript.pk}")


def _download(work, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Citations come as .json (CSL-JSON), .bib (BibTeX) or .ris (RIS).")
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(work), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
