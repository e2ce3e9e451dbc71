"""Public pages. Thin: the search module finds, the templates print."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from statements import charts, identity, speakers
from statements import revisions as revisions_module  # `revisions` names the page's list
from statements.citations import citation
from statements.models import (
    IN_SAMPLE,
    SAMPLE_EVERY,
    TAG_IN_SAMPLE,
    Speaker,
    SpeakerKind,
    Statement,
    StatementTopic,
    Topic,
    Transcript,
)
from statements.search import NEWEST, Search, SearchTimeout, counting

TRANSCRIPTS_PER_PAGE = 30
SPEAKERS_PER_PAGE = 100
LATEST = 10


def home(request):
    statements, estimated, topics = _archive_counts()
    return render(
        request,
        "statements/home.html",
        {
            "latest": _with_statement_counts(_transcripts_newest_first()[:LATEST]),
            "speakers": _speakers_by_count().filter(kind=SpeakerKind.OFFICIAL)[:LATEST],
            "topics": topics,
            "statement_count": statements,
            "estimated": estimated,
            "transcript_count": Transcript.objects.count(),
            "speaker_count": Speaker.objects.count(),
        },
    )


def transcript_list(request):
    page = Paginator(_transcripts_newest_first(), TRANSCRIPTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_statement_counts(page.object_list)
    return render(request, "statements/transcript_list.html", {"page": page})


def search(request):
    found = Search(request.GET)
    context = {"search": found, "filters_active": bool(found.active_filters)}
    try:
        context["results"] = found.results(request.GET.get("page"))
    except SearchTimeout:
        return render(request, "statements/search.html", context | {"timed_out": True}, status=503)
    return render(request, "statements/search.html", context)


def transcript_detail(request, slug):
    transcript = (
        Transcript.objects.prefetch_related("topics", "translations").filter(slug=slug).first()
    )
    if transcript is None:
        return _transcript_moved_or_gone(request, slug)
    statements = transcript.statements.select_related("speaker", "reply_to").order_by("position")
    return render(
        request,
        "statements/transcript_detail.html",
        {
            "transcript": transcript,
            "statements": statements,
            "revision": transcript.revisions.first(),
        },
    )


def transcript_history(request, slug):
    transcript = Transcript.objects.defer("source_text").filter(slug=slug).first()
    if transcript is None:
        return _transcript_moved_or_gone(request, slug, "transcript_history")
    revisions = list(transcript.revisions.select_related("user"))
    for revision in revisions:
        revision.shown_changes = [revisions_module.shown(change) for change in revision.changes]
    return render(
        request,
        "statements/transcript_history.html",
        {"transcript": transcript, "revisions": revisions},
    )


# The file extension each source format is downloaded with.
SOURCE_EXTENSIONS = {"text": "txt", "html": "html", "markdown": "md", "json": "json"}


def transcript_source(request, slug):
    """The source as imported, to check the archive against what the ministry published:
    always plain text and an attachment, never rendered (it may be a whole HTML page)."""
    transcript = Transcript.objects.filter(slug=slug).first()
    if transcript is None:
        return _transcript_moved_or_gone(request, slug, "transcript_source")
    extension = SOURCE_EXTENSIONS.get(transcript.source_format, "txt")
    response = HttpResponse(transcript.source_text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{transcript.slug}.source.{extension}"
    )
    return response


def _transcript_moved_or_gone(request, slug, view="transcript_detail"):
    """An address once published keeps answering: 301 to the renamed transcript's page
    (`view`), or 410 Gone for a deleted one. Only a slug never published is not found."""
    found = identity.find_renamed(slug)
    if found is None:
        raise Http404("No transcript at this address.")
    old, transcript = found
    if transcript is not None:
        return redirect(view, transcript.slug, permanent=True)
    return render(request, "statements/gone.html", {"old_slug": old}, status=410)


def statement_detail(request, pk):
    statement = (
        Statement.objects.select_related("speaker", "transcript", "reply_to").filter(pk=pk).first()
    )
    if statement is None:
        return _statement_moved_or_gone(request, pk)
    return render(
        request,
        "statements/statement_detail.html",
        {
            "statement": statement,
            "citation": citation(
                statement, request.build_absolute_uri(statement.get_absolute_url())
            ),
            "answers": statement.answers.select_related("speaker").order_by("position"),
        },
    )


def _statement_moved_or_gone(request, pk):
    """A statement id once published keeps answering: 301 to the statement now holding its
    words, or 410 Gone with a link to its transcript. Only an id never published is not
    found."""
    gone = identity.find_retired(pk)
    if gone is None:
        raise Http404("No statement with this id.")
    if gone.successor is not None:
        return redirect(gone.successor, permanent=True)
    transcript = (
        Transcript.objects.defer("source_text").filter(pk=gone.retired.transcript_id).first()
    )
    context = {"retired": gone.retired, "transcript": transcript}
    return render(request, "statements/gone.html", context, status=410)


def speaker_list(request):
    """Officials by default; `?kind=questioner` (or another kind) lists that kind."""
    kinds = dict(SpeakerKind.choices)
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds else SpeakerKind.OFFICIAL
    listed = _speakers_by_count().filter(kind=kind)
    page = Paginator(listed, SPEAKERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/speaker_list.html",
        {"page": page, "kind": kind, "kinds": SpeakerKind.choices, "kind_label": kinds[kind]},
    )


def speaker_detail(request, slug):
    speaker = Speaker.objects.filter(slug=slug).first()
    if speaker is None:
        known = speakers.known_as(slug)  # "/speakers/lavrov/": Sergey Lavrov's page
        if known is None:
            raise Http404("No speaker is known by this name.")
        return redirect("speaker_detail", known, permanent=True)
    # Counted from the speaker's index alone (speaker, date, transcript), without reading
    # the statements: a speaker with a hundred thousand of them costs tens of milliseconds.
    statements = speaker.statements.order_by()
    summary = statements.aggregate(
        count=Count("*"),
        transcripts=Count("transcript", distinct=True),
        first=Min("date"),
        last=Max("date"),
    )
    months = (
        statements.filter(date__isnull=False)
        .annotate(month=TruncMonth("date"))
        .values_list("month")
        .annotate(count=Count("*"))
    )
    latest = (
        speaker.statements.select_related("transcript")
        .defer("transcript__source_text")
        .order_by(*NEWEST)[:LATEST]
    )
    return render(
        request,
        "statements/speaker_detail.html",
        {
            "speaker": speaker,
            "summary": summary,
            "timeline": charts.monthly_timeline(dict(months)),
            "latest": latest,
        },
    )


def topic_list(request):
    _, estimated, topics = _archive_counts()
    return render(request, "statements/topic_list.html", {"topics": topics, "estimated": estimated})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    found = Search(_with_topic(request, topic))
    context = {"topic": topic, "search": found}
    try:
        context["results"] = found.results(request.GET.get("page"))
    except SearchTimeout:
        return render(
            request, "statements/topic_detail.html", context | {"timed_out": True}, status=503
        )
    return render(request, "statements/topic_detail.html", context)


def _with_topic(request, topic):
    """The request's search, narrowed to one topic."""
    data = request.GET.copy()
    data.setlist("topic", [topic.slug])
    return data


def _transcripts_newest_first():
    return Transcript.objects.defer("source_text").order_by("-date", "-id")


def _with_statement_counts(transcripts) -> list[Transcript]:
    """These transcripts, each with `statement_count` (one query for them all)."""
    transcripts = list(transcripts)
    counts = dict(
        Statement.objects.filter(transcript__in=transcripts)
        .values_list("transcript")
        .annotate(count=Count("*"))
        .order_by()
    )
    for transcript in transcripts:
        transcript.statement_count = counts.get(transcript.pk, 0)
    return transcripts


def _archive_counts() -> tuple[int, bool, list[Topic]]:
    """(statements, whether that is an estimate, every topic with `statement_count`): in a
    large archive counted in the estimation sample, as the search counts (a second's
    work otherwise)."""
    sampled = Statement.objects.filter(IN_SAMPLE).count()
    estimated = sampled > counting.EXACT_SAMPLE_LIMIT
    tags = StatementTopic.objects.all()
    if estimated:
        tags = tags.filter(TAG_IN_SAMPLE)
    scale = SAMPLE_EVERY if estimated else 1
    counts = dict(tags.values_list("topic").annotate(count=Count("*")).order_by())
    topics = list(Topic.objects.all())
    for topic in topics:
        topic.statement_count = counts.get(topic.pk, 0) * scale
    statements = sampled * SAMPLE_EVERY if estimated else Statement.objects.count()
    return statements, estimated, topics


def _speakers_by_count():
    """Speakers by their number of statements (SpeakerStats: counted after each import)."""
    return Speaker.objects.annotate(
        statement_count=Coalesce(F("stats__statement_count"), 0)
    ).order_by("-statement_count", "name")
