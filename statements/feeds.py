"""Atom feeds of the latest statements: everyone's, a speaker's, a topic's."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from statements import search
from statements.filters import in_topics
from statements.models import Speaker, Statement, Topic

FEED_SIZE = 50


class LatestStatements(Feed):
    feed_type = Atom1Feed
    title = "Diplomatic Statements Archive: latest statements"
    subtitle = "The newest statements in the archive, by date."

    def link(self):
        return reverse("home")

    def items(self):
        return self.statements()[:FEED_SIZE]

    def statements(self):
        return search.ordered(
            Statement.objects.select_related("speaker", "transcript"), "", "newest"
        )

    def item_title(self, item):
        who = item.display_speaker or item.get_kind_display()
        return f"{who}: {item.transcript.title}"

    def item_description(self, item):
        return Truncator(item.text).words(80)

    def item_link(self, item):
        return reverse("statement_detail", args=[item.pk])

    def item_pubdate(self, item):
        return None

    def item_updateddate(self, item):
        return item.transcript.updated_at

    def item_author_name(self, item):
        return item.speaker.name if item.speaker_id else None


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
        return self.statements().filter(speaker=speaker)[:FEED_SIZE]


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
        return in_topics(self.statements(), [topic])[:FEED_SIZE]
