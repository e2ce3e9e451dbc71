"""Public pages. Thin: the search module finds, the templates print."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404, render

from statements import charts
from statements.citations import citation
from statements.models import (
    IN_SAMPLE,
    SAMPLE_EVERY,
    TAG_IN_SAMPLE,
    Speaker,
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
            "speakers": _speakers_by_count()[:LATEST],
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
    transcript = get_object_or_404(
        Transcript.objects.prefetch_related("topics", "translations"), slug=slug
    )
    statements = transcript.statements.select_related("speaker", "reply_to").order_by("position")
    return render(
        request,
        "statements/transcript_detail.html",
        {"transcript": transcript, "statements": statements},
    )


def statement_detail(request, pk):
    statement = get_object_or_404(
        Statement.objects.select_related("speaker", "transcript", "reply_to"), pk=pk
    )
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


def speaker_list(request):
    page = Paginator(_speakers_by_count(), SPEAKERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "statements/speaker_list.html", {"page": page})


def speaker_detail(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
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
