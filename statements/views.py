from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from statements.models import Speaker, Statement, Transcript

TRANSCRIPTS_PER_PAGE = 30


def home(request):
    transcripts = Transcript.objects.annotate(statement_count=Count("statements")).order_by(
        "-date", "-id"
    )
    page = Paginator(transcripts, TRANSCRIPTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/home.html",
        {
            "page": page,
            "transcript_count": page.paginator.count,
            "statement_count": Statement.objects.count(),
            "speaker_count": Speaker.objects.count(),
        },
    )


def transcript_detail(request, slug):
    transcript = get_object_or_404(Transcript, slug=slug)
    statements = transcript.statements.select_related("speaker").order_by("position")
    return render(
        request,
        "statements/transcript_detail.html",
        {"transcript": transcript, "statements": statements},
    )
