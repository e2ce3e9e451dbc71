"""`Search`: a search as the page, the API and the export see it."""

from functools import cached_property, partial

from django.db.models import QuerySet

from statements import versions
from statements.filters import StatementFilter
from statements.models import Speaker, Statement
from statements.parsing.names import is_cyrillic
from statements.search import counting, hybrid, people
from statements.search.counting import Tally, count
from statements.search.headlines import snippets
from statements.search.limits import public_query_limits
from statements.search.query import matching, parse_query
from statements.search.ranking import (
    Ranked,
    WordLists,
    ordered,
    ranked_ids,
    ranks_every_match,
    word_lists,
)
from statements.search.results import MAX_RESULTS, PAGE_SIZE, Results, page_number, pages_for

SORTS = ("relevance", "newest", "oldest")
SPEAKER_OPTIONS = 300  # speakers suggested in the speaker field
# How the heading names a choice filter in use: "(questions)", "in Russian", …
CHOICE_PHRASES = [
    ("kind", "— statement:"),
    ("transcript_kind", "— occasion:"),
    ("language", "in"),
    ("organisation", "published by"),
    ("country", "published in"),
]


# What a result never shows, left in the database: a statement's search vector (as long
# as its text) and its transcript's source (the whole original: tens of kilobytes). A
# CSV export reads ten thousand of them.
UNSHOWN = ("search_vector", "transcript__source_text")


def result_rows() -> QuerySet:
    """Statements as every search output reads them: with their speaker and transcript,
    without what a result never shows (UNSHOWN)."""
    return Statement.objects.select_related("speaker", "transcript").defer(*UNSHOWN)


class Search:
    """A search as the page, the API and the export see it: the filter form, then
    `results(page)` — a page of statements with snippets, the count and the facets."""

    def __init__(self, data):
        self.filterset = StatementFilter(data, queryset=result_rows())
        self.form = self.filterset.form
        self.valid = self.filterset.is_valid()
        self.text = self.form.cleaned_data.get("q", "").strip() if self.valid else ""
        self.query = parse_query(self.text) if self.text else None
        self.sort = self._sort(data.get("sort", ""))

    def _sort(self, requested: str) -> str:
        if requested in SORTS and (requested != "relevance" or self.text):
            return requested
        return "relevance" if self.text else "newest"

    @property
    def has_no_words(self) -> bool:
        """Whether the query has text but nothing to search for: only words too common to
        index ("the", "и") or operators ("-", "OR"), judged in the language of its script
        (unstemmed languages index every word)."""
        if self.query is None:
            return False
        config = "russian" if is_cyrillic(self.text) else "english"
        return not any(config in reading.configs for reading in self.query.readings)

    @property
    def by_meaning(self) -> bool:
        """Whether the page fuses search by meaning with search by words (statements/search/
        hybrid.py): a query ranked by relevance, on a database with pgvector."""
        return bool(self.text) and self.sort == "relevance" and hybrid.available()

    @property
    def meaning_unavailable(self) -> bool:
        """A query that search by meaning would have helped, on a database without it."""
        return bool(self.text) and self.sort == "relevance" and not hybrid.available()

    @cached_property
    def people(self) -> list[dict]:
        """The speakers the query names (`people.suggest`) and not already chosen, each as
        {"name", "slug", "how", "rest", "query"}: `query` is this search's parameters
        limited to them, with `rest` (the query without their name) for its words."""
        if not self.valid or not self.text:
            return []
        chosen = {speaker.slug for speaker in self.form.cleaned_data.get("speaker") or []}
        offered = []
        for found in people.suggest(self.text):
            if found.speaker.slug in chosen:
                continue
            data = self.form.data.copy()
            data.setlist("speaker", [found.speaker.slug])
            data["q"] = found.rest
            for paging_param in ("page", "cursor"):
                data.pop(paging_param, None)
            offered.append(
                {
                    "name": found.speaker.name,
                    "slug": found.speaker.slug,
                    "how": found.how,
                    "rest": found.rest,
                    "query": data.urlencode(),
                }
            )
        return offered

    @cached_property
    def filtered(self) -> QuerySet:
        """The statements the filters (speaker, dates, …) let through, whatever their words."""
        return self.filterset.qs if self.valid else Statement.objects.none()

    @cached_property
    def matches(self) -> QuerySet:
        """Every statement the search matches, unordered."""
        return matching(self.query, self.filtered) if self.query else self.filtered

    @cached_property
    def statements(self) -> QuerySet:
        """Every match, in the search's order (the exact order: every match ranked)."""
        return ordered(self.matches, self.query or "", self.sort)

    def results(self, page) -> Results:
        """The page numbered `page` (a string from the URL; out of range: the nearest)."""
        if not self.valid or (self.query and not self.query.readings):
            return Results([], 1, Tally())
        with public_query_limits():
            counted = count(self.matches, partial(self._ranked_with_count, page))
            by_meaning = self.fused(counted)
            if by_meaning:
                counted = hybrid.widened(counted, by_meaning)
            number = page_number(page, pages_for(counted.count))
            offset = (number - 1) * PAGE_SIZE
            ranked = Ranked([], self.sort)
            if by_meaning:
                ranked = hybrid.page(self, by_meaning, counted, offset, PAGE_SIZE)
            elif counted.count or counted.estimated:
                ranked = self.ranked_ids(offset, PAGE_SIZE, counted)
            rows = self.fetch(ranked.ids)
            found = snippets(rows, self.query) if self.query else {}
            versions.mark_other_versions(rows)
        for statement in rows:
            statement.snippet = found.get(statement.pk)
        return Results(rows, number, counted, ranked.method)

    def _ranked_with_count(self, page) -> counting.Page | None:
        """The page to rank as the matches are counted, where it is ranked over every
        match anyway (`ranking.ranks_every_match`) and not fused with search by meaning
        (which reads the first DEPTH of the words' ranking instead, once anything is
        embedded)."""
        offset = (page_number(page, pages_for(MAX_RESULTS)) - 1) * PAGE_SIZE
        fusing = self.by_meaning and hybrid.any_embedded()
        if fusing or not ranks_every_match(
            self.query, self.sort, offset, PAGE_SIZE, self.word_lists
        ):
            return None
        return counting.Page(self.query.rank(), offset, PAGE_SIZE)

    def fused(self, counted: Tally) -> hybrid.Fused | None:
        """The full-text ranking fused with search by meaning, where the search ranks by
        relevance on a database with pgvector and something is near; None otherwise."""
        return hybrid.fused(self, counted) if self.by_meaning else None

    def first(self, limit: int) -> list[Statement]:
        """The first `limit` statements in the page's order (fused with search by meaning
        where the page is), each with its other language version marked — for the feeds."""
        # Counted only for the fusion: a feed of the newest needs no count.
        counted = count(self.matches) if self.by_meaning else None
        by_meaning = self.fused(counted) if counted else None
        if by_meaning:
            ranked = hybrid.page(self, by_meaning, counted, 0, limit)
        else:
            ranked = self.ranked_ids(0, limit, counted)
        rows = self.fetch(ranked.ids)
        versions.mark_other_versions(rows)
        return rows

    def rows(self, offset: int, limit: int, counted: Tally | None = None) -> list[Statement]:
        """Statements `offset` to `offset + limit` in the search's order (with their speaker
        and transcript)."""
        return self.fetch(self.ranked_ids(offset, limit, counted).ids)

    def ranked_ids(self, offset: int, limit: int, counted: Tally | None = None) -> Ranked:
        """The ids of statements `offset` to `offset + limit` in the search's order, and how
        they were ranked: from the champion lists where they hold the answer
        (`ranking.ranked_ids`)."""
        return ranked_ids(
            self.filtered, self.query, self.sort, offset, limit, counted, lists=self.word_lists
        )

    @cached_property
    def word_lists(self) -> WordLists | None:
        """The champion lists of a one-word query (`ranking.word_lists`): looked up once,
        whether the count or the ranking asks first."""
        return word_lists(self.query)

    @staticmethod
    def fetch(ids: list[int]) -> list[Statement]:
        """These statements, in this order, with their speaker and transcript."""
        rows = result_rows().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    @property
    def active_filters(self) -> list[dict]:
        """Each filter value in use, as {"key", "value", "label"}, to show and remove it
        (a value the form refused included, so that it can be removed too)."""
        active = []
        for name, form_field in self.form.fields.items():
            for value in self.form.data.getlist(name) if name != "q" else []:
                if value:
                    label = f"{form_field.label}: {self._value_label(name, form_field, value)}"
                    active.append({"key": name, "value": value, "label": label})
        return active

    def _value_label(self, name, form_field, value) -> str:
        """ "Sergey Lavrov" for the slug sergey-lavrov, "Question" for question."""
        cleaned = self.form.cleaned_data.get(name)
        if hasattr(cleaned, "__iter__") and not isinstance(cleaned, str):
            found = next((item for item in cleaned if getattr(item, "slug", None) == value), None)
            return str(found or value)
        return str(dict(getattr(form_field, "choices", [])).get(value, value))

    @cached_property
    def chosen(self) -> dict[str, set[str]]:
        """The slugs of the speakers and topics the search is limited to."""
        cleaned = self.form.cleaned_data if self.valid else {}
        return {
            name: {item.slug for item in cleaned.get(name) or []} for name in ("speaker", "topic")
        }

    @property
    def described_filters(self) -> list[str]:
        """The filters in use, as phrases for the heading: "by Vladimir Putin", "on Syria",
        "from 2020-01-01", "in Russian", "published by The White House"."""
        if not self.valid:
            return []
        cleaned, form = self.form.cleaned_data, self.form
        phrases = []
        for name, lead in (("speaker", "by"), ("topic", "on")):
            if cleaned.get(name):
                phrases.append(f"{lead} {' or '.join(str(item) for item in cleaned[name])}")
        for name, lead in (("date_from", "from"), ("date_to", "until")):
            if cleaned.get(name):
                phrases.append(f"{lead} {cleaned[name].isoformat()}")
        for name, lead in CHOICE_PHRASES:
            if cleaned.get(name):
                label = dict(form.fields[name].choices).get(cleaned[name], cleaned[name])
                phrases.append(f"{lead} {label}".strip())
        return phrases

    @cached_property
    def speaker_options(self) -> list[tuple[str, str]]:
        """(slug, name) of the speakers with most statements, for the speaker field's
        suggestions (the field takes any name too)."""
        return list(
            Speaker.objects.filter(stats__statement_count__gt=0)
            .order_by("-stats__statement_count", "name")
            .values_list("slug", "name")[:SPEAKER_OPTIONS]
        )

    @property
    def errors(self) -> list[str]:
        """The form's errors as sentences a reader can act on."""
        return [
            f"{self.form.fields[name].label or name}: {message}" if name != "__all__" else message
            for name, messages in self.form.errors.items()
            for message in messages
        ]
