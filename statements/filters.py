"""The filters of the search page, the API and the CSV export, as one FilterSet."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from statements import publishers, speakers
from statements.languages import LANGUAGES
from statements.models import (
    Speaker,
    StatementKind,
    StatementTopic,
    Topic,
    Transcript,
    TranscriptKind,
)
from statements.slugs import ascii_slug

MAX_QUERY_LENGTH = 500


class SpeakerField(forms.ModelMultipleChoiceField):
    """Speakers by slug, or by a name as a reader types it ("Lavrov", "С.В.Лавров"): a value
    that is not a slug is the speaker it surely names (speakers.known_as), if one."""

    def _check_values(self, value):
        value = [item for item in value if item]  # the empty speaker field
        slugs = set(self.queryset.filter(slug__in=value).values_list("slug", flat=True))
        named = [
            item if item in slugs else (speakers.known_as(ascii_slug(item)) or item)
            for item in value
        ]
        return super()._check_values(named)


class SpeakerFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SpeakerField


class StatementFilter(django_filters.FilterSet):
    # The words are validated here and matched by search.Search, which needs the other
    # filters without them too (to filter the champion lists).
    q = django_filters.CharFilter(
        method="leave_words_to_search",
        label="Words",
        max_length=MAX_QUERY_LENGTH,
        help_text=(
            'Words (all of them), "an exact phrase", OR between alternatives, NOT or -word'
            " to exclude, (brackets) to group, word* for words starting so."
        ),
    )
    # By speaker_id (no join), and without the DISTINCT django-filter adds by default: a
    # statement has one speaker, and DISTINCT would sort every match of a broad search.
    speaker = SpeakerFilter(
        method="filter_speakers",
        to_field_name="slug",
        queryset=Speaker.objects.all(),
        label="Speaker",
        distinct=False,
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        method="filter_topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        label="Topic",
        distinct=False,
    )
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = django_filters.ChoiceFilter(
        choices=StatementKind.choices, label="Statement", empty_label="Any statement"
    )
    transcript_kind = django_filters.ChoiceFilter(
        field_name="transcript__kind",
        choices=TranscriptKind.choices,
        label="Occasion",
        empty_label="Any occasion",
    )
    language = django_filters.ChoiceFilter(
        choices=LANGUAGES, label="Language", empty_label="Any language"
    )
    # The office that published the transcript, and its country (publishers.py).
    organisation = django_filters.ChoiceFilter(
        field_name="transcript__publisher",
        choices=[(name, name) for name in publishers.organisations()],
        label="Published by",
        empty_label="Any publisher",
    )
    country = django_filters.ChoiceFilter(
        field_name="transcript__country",
        choices=[(name, name) for name in publishers.countries()],
        label="Country",
        empty_label="Any country",
    )

    def leave_words_to_search(self, queryset, name, value):
        return queryset

    # Speakers and topics by their ids, as literals: a subquery on the slug hides from the
    # planner who is asked for, and it then expects a typical speaker's few hundred
    # statements where Sergey Lavrov has a hundred thousand (at a million statements, 0.2–0.3 s
    # hashing them all instead of looking up a page's candidates one by one, ~3 ms).

    def filter_speakers(self, queryset, name, value):
        return (
            queryset.filter(speaker_id__in=[speaker.pk for speaker in value]) if value else queryset
        )

    def filter_topics(self, queryset, name, value):
        return in_topics(queryset, [topic.pk for topic in value]) if value else queryset


def in_topics(statements: QuerySet, topics: list[int]) -> QuerySet:
    """Statements tagged with any of `topics` (ids), directly or through their transcript."""
    tagged = StatementTopic.objects.filter(statement=OuterRef("pk"), topic_id__in=topics)
    transcripts = Transcript.topics.through.objects.filter(topic_id__in=topics)
    if not transcripts.exists():
        # Editors rarely tag whole transcripts. Without them the condition is one EXISTS,
        # which PostgreSQL joins row by row; OR-ed with a second it hashes every statement
        # the topic has (a hundred thousand) first.
        return statements.filter(Exists(tagged))
    in_transcript = transcripts.filter(transcript=OuterRef("transcript_id"))
    return statements.filter(Exists(tagged) | Exists(in_transcript))
