"""The one place that builds search querysets over statements: matching, ranking,
highlighted snippets and facet counts. The search page, the API, the CSV export and the
feeds all go through `Search`.

Each statement's `search_vector` is built with its own language's configuration
(`languages.SEARCH_CONFIGS`), so a query must be parsed with the same configuration to
meet it: "agreements" becomes 'agreement' for English rows and "договорённости"
becomes 'договорен' for Russian rows. `matching()` therefore ORs one condition per
configuration, each restricted to that configuration's languages; every branch is a
constant tsquery, so PostgreSQL answers each from the GIN index. Ranking and headlines
use the same per-language query, chosen row by row.
"""

from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from statements.languages import FALLBACK_CONFIG, SEARCH_CONFIGS
from statements.models import (
    Statement,
    StatementTopic,
    Topic,
    Transcript,
    search_config_expression,
)
from statements.parsing.names import is_cyrillic

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 500
SORTS = ("relevance", "newest", "oldest")
FACET_SIZE = 10
# ts_headline marks matches with these private-use characters; the snippet is escaped as
# plain text first and only then are they turned into <mark> tags.
MARK_START, MARK_END = "\ue000", "\ue001"
# ts_headline drops anything that looks like an HTML tag ("<script>") from its output;
# angle brackets are swapped for these before, and restored (escaped) after, so that a
# statement quoting markup shows it as text.
LESS_THAN, GREATER_THAN = "\ue002", "\ue003"
HEADLINE_OPTIONS = {
    "max_words": 40,
    "min_words": 20,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}


def _languages_by_config() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for code, config in SEARCH_CONFIGS.items():
        grouped.setdefault(config, []).append(code)
    return grouped


LANGUAGES_BY_CONFIG = _languages_by_config()
STEMMED_LANGUAGES = list(SEARCH_CONFIGS)


def web_query(text: str, config: str) -> SearchQuery:
    """`text` in web-search syntax (words, "exact phrase", OR, -exclude) for one config."""
    return SearchQuery(text, search_type="websearch", config=config)


def matching(text: str, statements: QuerySet | None = None) -> QuerySet:
    """Statements whose text matches the web-search query `text`, each in its language."""
    statements = Statement.objects.all() if statements is None else statements
    conditions = [
        Q(language__in=codes, search_vector=web_query(text, config))
        for config, codes in LANGUAGES_BY_CONFIG.items()
    ]
    # Languages without a stemmer, including any added later, are matched word for word.
    conditions.append(
        ~Q(language__in=STEMMED_LANGUAGES) & Q(search_vector=web_query(text, FALLBACK_CONFIG))
    )
    return statements.filter(reduce(or_, conditions))


def row_query(text: str) -> Case:
    """The query parsed in each row's own configuration, for ranking and headlines."""
    return Case(
        *[
            When(language__in=codes, then=web_query(text, config))
            for config, codes in LANGUAGES_BY_CONFIG.items()
        ],
        default=web_query(text, FALLBACK_CONFIG),
    )


def in_topics(statements: QuerySet, topics) -> QuerySet:
    """Statements tagged with any of `topics`, directly or through their transcript."""
    tagged = StatementTopic.objects.filter(statement=OuterRef("pk"), topic__in=topics)
    tagged_transcript = Transcript.topics.through.objects.filter(
        transcript=OuterRef("transcript_id"), topic__in=topics
    )
    return statements.filter(Exists(tagged) | Exists(tagged_transcript))


def ordered(statements: QuerySet, text: str, sort: str) -> QuerySet:
    """Relevance (with a query; ties go to the newest), newest first, or oldest first."""
    if sort == "oldest":
        return statements.order_by(F("date").asc(nulls_last=True), "transcript_id", "position")
    if sort == "relevance" and text:
        ranked = statements.annotate(rank=SearchRank(F("search_vector"), row_query(text)))
        return ranked.order_by("-rank", F("date").desc(nulls_last=True), "-id")
    return statements.order_by(F("date").desc(nulls_last=True), "-transcript_id", "position")


def highlight(headline: str) -> SafeString:
    """Escape a headline as text, then turn the match markers into <mark> tags."""
    text = escape(headline).replace(LESS_THAN, "&lt;").replace(GREATER_THAN, "&gt;")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _without_angle_brackets(column: str) -> Func:
    replaced = Func(
        F(column), Value("<"), Value(LESS_THAN), function="replace", output_field=TextField()
    )
    return Func(
        replaced, Value(">"), Value(GREATER_THAN), function="replace", output_field=TextField()
    )


def snippets(statements: list[Statement], text: str) -> dict[int, SafeString]:
    """Highlighted snippets for these statements only (one query, the page's rows)."""
    ids = [statement.pk for statement in statements]
    if not text or not ids:
        return {}
    rows = (
        Statement.objects.filter(pk__in=ids)
        .annotate(
            headline=SearchHeadline(
                _without_angle_brackets("text"),
                row_query(text),
                config=search_config_expression(),
                start_sel=MARK_START,
                stop_sel=MARK_END,
                **HEADLINE_OPTIONS,
            )
        )
        .values_list("pk", "headline")
    )
    return {pk: highlight(headline) for pk, headline in rows}


@dataclass
class Facets:
    speakers: list[dict] = field(default_factory=list)  # {"slug", "name", "count"}
    years: list[dict] = field(default_factory=list)  # {"year", "count"}
    topics: list[dict] = field(default_factory=list)  # {"slug", "name", "count"}


def facets(statements: QuerySet) -> Facets:
    """Counts of the matching statements by speaker, year and topic."""
    unordered = statements.order_by()
    speakers = (
        unordered.filter(speaker__isnull=False)
        .values(slug=F("speaker__slug"), name=F("speaker__name"))
        .annotate(count=Count("id"))
        .order_by("-count", "name")[:FACET_SIZE]
    )
    years = (
        unordered.filter(date__isnull=False)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(count=Count("id"))
        .order_by("-year")
    )
    topics = (
        Topic.objects.filter(statementtopic__statement__in=unordered.values("pk"))
        .values("slug", "name")
        .annotate(count=Count("statementtopic"))
        .order_by("-count", "name")[:FACET_SIZE]
    )
    return Facets(list(speakers), list(years), list(topics))


class Search:
    """A search as the page, the API and the export see it: the filter form, the ordered
    matching statements, a page of them with snippets, and facet counts."""

    def __init__(self, data, queryset: QuerySet | None = None):
        from statements.filters import StatementFilter  # filters.py builds on this module

        base = Statement.objects.select_related("speaker", "transcript")
        self.filterset = StatementFilter(data, queryset=base if queryset is None else queryset)
        self.form = self.filterset.form
        self.valid = self.filterset.is_valid()
        self.text = self.form.cleaned_data.get("q", "").strip() if self.valid else ""
        self.sort = self._sort(data.get("sort", ""))

    def _sort(self, requested: str) -> str:
        if requested in SORTS and (requested != "relevance" or self.text):
            return requested
        return "relevance" if self.text else "newest"

    @cached_property
    def statements(self) -> QuerySet:
        if not self.valid:
            return Statement.objects.none()
        return ordered(self.filterset.qs, self.text, self.sort)

    def page(self, number) -> Page:
        page = Paginator(self.statements, PAGE_SIZE).get_page(number)
        found = snippets(page.object_list, self.text)
        for statement in page.object_list:
            statement.snippet = found.get(statement.pk)
        return page

    @cached_property
    def facets(self) -> Facets:
        return facets(self.statements) if self.valid else Facets()

    @cached_property
    def has_no_words(self) -> bool:
        """Whether the query has text but nothing to search for: only words too common to
        index ("the", "и") or operators ("-", "OR"), judged in the language of its script."""
        if not self.text:
            return False
        config = "russian" if is_cyrillic(self.text) else "english"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) = 0", [config, self.text]
            )
            return cursor.fetchone()[0]

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

    @property
    def errors(self) -> list[str]:
        """The form's errors as sentences a reader can act on."""
        return [
            f"{self.form.fields[name].label or name}: {message}" if name != "__all__" else message
            for name, messages in self.form.errors.items()
            for message in messages
        ]
