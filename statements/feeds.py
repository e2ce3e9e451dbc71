"""Atom feeds of statements: the latest, a speaker's, a topic's, and any search's.

Entries are dated by the statement (its transcript's date and time), titled by speaker,
occasion and first words, and summarised in plain text (`type="text"`), so that a statement
quoting `<script>` stays text in every feed reader. Every string is stripped of the control
characters XML cannot carry before it is written."""

import datetime
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from statements import search, versions
from statements.api import parameter_errors, read_only
from statements.citations import cited_speaker
from statements.filters import in_topics
from statements.models import Speaker, Statement, Topic
from statements.parsing.text import clean_text
from statements.search import Search, SearchTimeout, public_query_limits

FEED_SIZE = 50
TITLE_WORDS = 12
SUMMARY_WORDS = 80


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


class PlainTextAtomFeed(Atom1Feed):
    """Atom with plain-text summaries and no control characters anywhere."""

    def __init__(self, *args, **kwargs):
        super().__init__(*(_clean(arg) for arg in args), **_cleaned(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*(_clean(arg) for arg in args), **_cleaned(kwargs))

    def item_attributes(self, item):
        # Each entry says its language (a feed mixes English and Russian statements).
        return {"xml:lang": item["language"]} if item.get("language") else {}

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})
        other = item.get("other_version")
        if other:  # the same words in the transcript's other language version
            href = urljoin(item["link"], other["href"])
            handler.addQuickElement("link", "", {**other, "href": href})


def _cleaned(values: dict) -> dict:
    return {name: _clean(value) for name, value in values.items()}


def statement_datetime(statement) -> datetime.datetime:
    """When the statement was made, as far as the transcript says: its date and time (UTC:
    sources give no time zone), midnight without a time; the import time when undated."""
    transcript = statement.transcript
    if not transcript.date:
        return transcript.imported_at
    moment = datetime.datetime.combine(transcript.date, transcript.time or datetime.time())
    return moment.replace(tzinfo=datetime.UTC)


def entry_title(statement) -> str:
    """ "Sergey Lavrov, Press conference, 28 January 2019 (5): “We have …”" — unique within
    a feed thanks to the statement's number in its transcript."""
    who = cited_speaker(statement) or statement.get_kind_display()
    transcript = statement.transcript
    occasion = transcript.get_kind_display()
    if transcript.date:
        occasion += f", {transcript.date.day} {transcript.date:%B %Y}"
    words = Truncator(" ".join(statement.text.split())).words(TITLE_WORDS, truncate=" …")
    return f"{who}, {occasion} ({statement.position}): “{words}”"


def marked(statements) -> list[Statement]:
    """The statements, each with its other language version marked (`versions`)."""
    rows = list(statements)
    versions.mark_other_versions(rows)
    return rows


def other_version_link(statement) -> dict | None:
    """The attributes of an Atom link to the statement's aligned counterpart in the
    other language version ("Russian original"), or None."""
    other = getattr(statement, "other_version", None)
    if other is None:
        return None
    counterpart = other.statement
    role = "original" if other.original else "translation"
    return {
        "rel": "alternate",
        "href": counterpart.get_absolute_url(),  # made absolute beside the entry's own link
        "hreflang": counterpart.language,
        "title": f"{counterpart.get_language_display()} {role}",
    }


class LatestStatements(Feed):
    feed_type = PlainTextAtomFeed
    title = "Diplomatic Statements Archive: latest statements"
    subtitle = "The newest statements in the archive, by date."

    def link(self):
        return reverse("home")

    def items(self):
        return marked(self.statements()[:FEED_SIZE])

    def statements(self):
        return search.ordered(
            search.result_rows(),
            "",
            "newest",
        )

    def item_title(self, item):
        return entry_title(item)

    def item_description(self, item):
        return Truncator(item.text).words(SUMMARY_WORDS)

    def item_link(self, item):
        return reverse("statement_detail", args=[item.pk])

    def item_guid(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return statement_datetime(item)

    def item_updateddate(self, item):
        return statement_datetime(item)

    def item_author_name(self, item):
        return cited_speaker(item)

    def item_extra_kwargs(self, item):
        return {"language": item.language, "other_version": other_version_link(item)}


class SpeakerStatements(LatestStatements):
    def get_object(self, request, slug):
        return get_object_or_404(Speaker, slug=slug)

    def title(self, speaker):
        return f"Statements by {speaker.name}"

    def subtitle(self, speaker):
        return f"The newest statements by {speaker.name} in the Diplomatic Statements Archive."

    def link(self, speaker):
        return speaker.get_absolute_url()

    def items(self, speaker):
        return marked(self.statements().filter(speaker=speaker)[:FEED_SIZE])


class TopicStatements(LatestStatements):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"Statements on {topic.name}"

    def subtitle(self, topic):
        return f"The newest statements on {topic.name} in the Diplomatic Statements Archive."

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        return marked(in_topics(self.statements(), [topic.pk])[:FEED_SIZE])


class SearchStatements(LatestStatements):
    """A search's statements, newest first unless the search names its order."""

    def get_object(self, request):
        data = request.GET.copy()
        data.setdefault("sort", "newest")
        return Search(data)

    def title(self, found):
        return f"Statements matching “{found.text}”" if found.text else "Statements (a search)"

    def subtitle(self, found):
        return "A search of the Diplomatic Statements Archive: " + (
            ", ".join(filter(None, [found.text, *(f["label"] for f in found.active_filters)]))
            or "every statement"
        )

    def link(self, found):
        return f"{reverse('search')}?{found.form.data.urlencode()}"

    def items(self, found):
        if found.query and not found.query.readings:
            return []
        with public_query_limits():
            return found.first(FEED_SIZE)


@read_only
def search_feed(request):
    """The feed of the search in the query string; bad parameters are a 400 with the API's
    messages."""
    errors = parameter_errors(request, Search(request.GET), paged=False)
    if errors:
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    try:
        return SearchStatements()(request)
    except SearchTimeout:
        return HttpResponse(
            "The search took too long; narrow it with more words or filters.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
