"""The filters of the search page, the API and the CSV export, as one FilterSet."""

import django_filters
from django import forms

from statements import search
from statements.languages import LANGUAGES
from statements.models import Speaker, StatementKind, Topic, TranscriptKind


class StatementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_query",
        label="Words",
        max_length=search.MAX_QUERY_LENGTH,
        help_text='Words, "an exact phrase", OR between alternatives, -word to exclude.',
    )
    speaker = django_filters.ModelMultipleChoiceFilter(
        field_name="speaker__slug",
        to_field_name="slug",
        queryset=Speaker.objects.all(),
        label="Speaker",
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        method="filter_topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        label="Topic",
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

    def filter_query(self, queryset, name, value):
        return search.matching(value, queryset) if value.strip() else queryset

    def filter_topics(self, queryset, name, value):
        return search.in_topics(queryset, value) if value else queryset
