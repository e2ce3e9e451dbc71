"""Public pages. Thin: the search module finds, the templates print."""

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, render

from statements import charts
from statements.citations import citation
from statements.models import Speaker, Statement, Topic, Transcript
from statements.search import Search, SearchTimeout

TRANSCRIPTS_PER_PAGE = 30
SPEAKERS_PER_PAGE = 100
LATEST = 10


def home(request):
    return render(
        request,
        "statements/home.html",
        {
            "latest": _transcripts_newest_first()[:LATEST],
            "speakers": _speakers_by_count()[:LATEST],
            "topics": Topic.objects.annotate(statement_count=Count("statementtopic")),
            "transcript_count": Transcript.objects.count(),
            "statement_count": Statement.objects.count(),
            "speaker_count": Speaker.objects.count(),
        },
    )


def transcript_list(request):
    page = Paginator(_transcripts_newest_first(), TRANSCRIPTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
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
    statements = speaker.statements.select_related("transcript")
    summary = statements.aggregate(
        count=Count("id"),
        transcripts=Count("transcript", distinct=True),
        first=Min("date"),
        last=Max("date"),
    )
    months = (
        statements.filter(date__isnull=False)
        .annotate(month=TruncMonth("date"))
        .values_list("month")
        .annotate(count=Count("id"))
    )
    return render(
        request,
        "statements/speaker_detail.html",
        {
            "speaker": speaker,
            "summary": summary,
            "timeline": charts.monthly_timeline(dict(months)),
            "latest": statements.order_by("-date", "-id")[:LATEST],
        },
    )


def topic_list(request):
    topics = Topic.objects.annotate(statement_count=Count("statementtopic"))
    return render(request, "statements/topic_list.html", {"topics": topics})


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
    return Transcript.objects.annotate(statement_count=Count("statements")).order_by("-date", "-id")


def _speakers_by_count():
    return Speaker.objects.annotate(statement_count=Count("statements")).order_by(
        "-statement_count", "name"
    )
