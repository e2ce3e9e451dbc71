"""The one place that builds searches over statements: matching, ranking, highlighted
snippets, counts and facets. The search page, the API, the CSV export and the feeds all go
through this module.

Matching. Each statement's `search_vector` is built with its own language's configuration
(`languages.SEARCH_CONFIGS`), so a query must be parsed with the same configuration to meet
it: "agreements" becomes 'agreement' for English rows and "договорённости" 'договорен' for
Russian rows. `parse_query` asks PostgreSQL once how each configuration reads the query
(configurations that read it alike share one `Reading`); `matching()` ORs one condition per
reading, restricted to its languages, each a constant tsquery the GIN index answers.
Ranking (`ts_rank`) and headlines use the same readings, chosen row by row.

Staying fast at a million statements (see bench/RESULTS.md for the figures):
- Counts and facets come from a 1 % sample (statements whose id is a multiple of
  `models.SAMPLE_EVERY`, with partial indexes of their own) when the sample says the
  search is broad; they are then shown as estimates. Narrow searches are counted exactly
  (`count`), unless that would take longer than EXACT_TALLY_MS.
- Relevance never ranks every match of a broad search: it reads the champion lists of the
  query's words (`champions`). A one-word query reads them in order: exactly the order of
  ranking every match. Several words rank the lists' union with the whole query; for words
  joined by OR that is proven exact when the page's last rank beats what any statement
  outside the lists could score ("bounded"), for others it is the best of each word's best
  ("candidates": bench/search.py measures how close). Rare words have no lists, and they,
  and anything the lists cannot answer, rank every match (`Search.ranked_ids`).
- Results can be paged to `MAX_RESULTS` deep, in any order.
- Every query of a public search runs in one transaction under a statement timeout,
  without JIT compilation or parallel workers (`public_query_limits`).
"""

import functools
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The routed database's connection: a public search reads from a replica (archive/routers.py).
from archive.routers import read_connection as connection
from statements import champions
from statements.languages import CONFIGS, FALLBACK_CONFIG, SEARCH_CONFIGS, languages_of
from statements.models import (
    IN_SAMPLE,
    SAMPLE_EVERY,
    Statement,
    StatementTopic,
    Transcript,
    TsQueryField,
)
from statements.parsing.names import is_cyrillic

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 500
SORTS = ("relevance", "newest", "oldest")
FACET_SIZE = 10
# How deep results can be paged (50 pages), whatever the order: as deep as the champion
# lists go, and as far as a reader pages before narrowing the search.
MAX_RESULTS = champions.DEPTH
# A search with at most this many matching statements in the sample (about 5,000 in all)
# is counted, faceted and ranked exactly: that costs a few milliseconds.
EXACT_SAMPLE_LIMIT = 50
EXACT_TALLY_MS = 80
# ts_headline marks matches with these private-use characters; the snippet is escaped as
# plain text first and only then are they turned into <mark> tags.
MARK_START, MARK_END = "\ue000", "\ue001"
# ts_headline drops anything that looks like an HTML tag ("<script>") from its output;
# angle brackets are swapped for these before, and restored (escaped) after, so that a
# statement quoting markup shows it as text.
LESS_THAN, GREATER_THAN = "\ue002", "\ue003"
HEADLINE_OPTIONS = {
    "MaxWords": 40,
    "MinWords": 20,
    "MaxFragments": 2,
    "FragmentDelimiter": '" … "',
    "StartSel": MARK_START,
    "StopSel": MARK_END,
}
QUERY_CANCELED = "57014"  # PostgreSQL's error code when statement_timeout stops a query

STEMMED_LANGUAGES = list(SEARCH_CONFIGS)


# --- the query, as each configuration reads it ---------------------------------------------


@dataclass(frozen=True)
class Reading:
    """The query as one or more text-search configurations parse it ("President" is
    'presid' in English, 'president' in the others), for the languages they index."""

    tsquery: str  # as PostgreSQL prints it: 'secur' | 'cooper'
    configs: tuple[str, ...]

    @property
    def everywhere(self) -> bool:
        """Whether every configuration reads the query so ("Idlib", a name, a number)."""
        return len(self.configs) == len(CONFIGS)

    def applies(self, config: str | None = None) -> Q:
        """The statements this reading is for (those of one of its configurations)."""
        if config is None and self.everywhere:
            return Q()  # every language: no condition (and none for PostgreSQL to re-check)
        conditions = []
        for name in (config,) if config else self.configs:
            if name == FALLBACK_CONFIG:
                conditions.append(~Q(language__in=STEMMED_LANGUAGES))
            else:
                conditions.append(Q(language__in=languages_of(name)))
        return reduce(or_, conditions)

    def applies_sql(self) -> tuple[str, list]:
        """applies() in SQL, for a table aliased `statement`."""
        conditions, params = [], []
        for name in self.configs:
            if name == FALLBACK_CONFIG:
                conditions.append("statement.language <> ALL (%s)")
                params.append(STEMMED_LANGUAGES)
            else:
                conditions.append("statement.language = ANY (%s)")
                params.append(languages_of(name))
        return f"({' OR '.join(conditions)})", params

    def condition(self, config: str | None = None) -> Q:
        return self.applies(config) & Q(Matches(self.tsquery))

    @cached_property
    def single_word(self) -> str | None:
        """The lexeme, when the reading is one lexeme and nothing else."""
        tree = _parse_tsquery(self.tsquery)
        return tree[1] if tree[0] == "word" and not tree[2] else None

    @cached_property
    def disjunction(self) -> bool:
        """Whether the reading is plain words joined by OR ('secur' | 'cooper')."""
        tree = _parse_tsquery(self.tsquery)
        words = tree[1] if tree[0] == "|" else [tree]
        return all(node[0] == "word" and not node[2] for node in words)

    @cached_property
    def words(self) -> frozenset[str] | None:
        """The lexemes a matching statement contains for sure, or None when the query has
        something the champion lists cannot stand for (a prefix or weight)."""
        return _positive_lexemes(_parse_tsquery(self.tsquery))


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    readings: tuple[Reading, ...]  # none when the query has no word that can be searched

    def condition(self) -> Q:
        if not self.readings:
            return Q(pk__in=[])
        return reduce(or_, (reading.condition() for reading in self.readings))

    def row_query(self) -> Case | Cast:
        """Each row's own reading of the query, for ranking and headlines."""
        if len(self.readings) == 1 and self.readings[0].everywhere:
            return _tsquery(self.readings[0].tsquery)  # read alike in every language
        return Case(
            *[When(reading.applies(), then=_tsquery(reading.tsquery)) for reading in self.readings],
            default=None,
            output_field=TsQueryField(),
        )

    def row_query_sql(self) -> tuple[str, list]:
        """row_query in SQL, for a table aliased `statement`."""
        if len(self.readings) == 1 and self.readings[0].everywhere:
            return "%s::tsquery", [self.readings[0].tsquery]
        cases, params = [], []
        for reading in self.readings:
            languages, languages_params = reading.applies_sql()
            cases.append(f"WHEN {languages} THEN %s::tsquery")
            params += [*languages_params, reading.tsquery]
        return f"CASE {' '.join(cases)} END", params

    def rank(self) -> Func:
        return Func(
            F("search_vector"), self.row_query(), function="ts_rank", output_field=FloatField()
        )


@functools.lru_cache(maxsize=4096)
def parse_query(text: str) -> ParsedQuery:
    """`text` in web-search syntax (words, "exact phrase", OR, -exclude) as each
    configuration reads it. A pure function of the text (remembered: one query per text)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT config, websearch_to_tsquery(config::regconfig, %s)::text "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS configs (config, place) ORDER BY place",
            [text, CONFIGS],
        )
        readings: dict[str, list[str]] = {}
        for config, tsquery in cursor.fetchall():
            if tsquery:  # empty: only stop words or operators in this configuration
                readings.setdefault(tsquery, []).append(config)
    return ParsedQuery(text, tuple(Reading(q, tuple(names)) for q, names in readings.items()))


class Matches(Func):
    """search_vector @@ a tsquery given in PostgreSQL's own text form."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, tsquery: str):
        super().__init__(F("search_vector"), _tsquery(tsquery))


def _lexeme_tsquery(lexeme: str) -> str:
    """A tsquery of this one lexeme, taken as it is (tsquery's input escapes)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(text: str) -> Cast:
    return Cast(Value(text), TsQueryField())


_TSQUERY_TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(:[*A-Da-d]+)?|(<\d+>|<->|[!&|()]))")


def _parse_tsquery(text: str):
    """PostgreSQL's text form of a tsquery as a tree: ("word", lexeme, flags),
    ("not", node), or (operator, [nodes]) for "|", "&" and phrases ("<->", "<2>", …)."""
    tokens = []
    position = 0
    while position < len(text.rstrip()):
        match = _TSQUERY_TOKEN.match(text, position)
        if not match:
            raise ValueError(f"unexpected tsquery text at {position}: {text!r}")
        if match[1] is not None:
            lexeme = re.sub(r"''|\\(.)", lambda m: m[1] or "'", match[1])
            tokens.append(("word", lexeme, match[2] or ""))
        else:
            tokens.append(("operator", match[3], ""))
        position = match.end()
    tree, rest = _parse_or(tokens)
    if rest:
        raise ValueError(f"unexpected tsquery text: {text!r}")
    return tree


def _parse_or(tokens):
    node, tokens = _parse_and(tokens)
    operands = [node]
    while tokens and tokens[0][1] == "|":
        node, tokens = _parse_and(tokens[1:])
        operands.append(node)
    return (operands[0] if len(operands) == 1 else ("|", operands)), tokens


def _parse_and(tokens):
    node, tokens = _parse_not(tokens)
    while tokens and tokens[0][0] == "operator" and tokens[0][1] not in ("|", ")"):
        operator = tokens[0][1]
        right, tokens = _parse_not(tokens[1:])
        node = (operator, [node, right])
    return node, tokens


def _parse_not(tokens):
    kind, value, flags = tokens[0]
    if kind == "word":
        return ("word", value, flags), tokens[1:]
    if value == "!":
        node, rest = _parse_not(tokens[1:])
        return ("not", node), rest
    if value == "(":
        node, rest = _parse_or(tokens[1:])
        return node, rest[1:]  # the closing parenthesis
    raise ValueError(f"unexpected {value!r} in a tsquery")


def _positive_lexemes(node) -> frozenset[str] | None:
    """Lexemes not under a negation; None if any of them carries a prefix or weight."""
    if node[0] == "word":
        return None if node[2] else frozenset([node[1]])
    if node[0] == "not":
        return frozenset()
    found = [_positive_lexemes(child) for child in node[1]]
    return None if None in found else frozenset().union(*found)


# --- the straightforward, exact building blocks ----------------------------------------------


def matching(text: str | ParsedQuery, statements: QuerySet | None = None) -> QuerySet:
    """Statements whose text matches the web-search query `text`, each in its language."""
    statements = Statement.objects.all() if statements is None else statements
    query = parse_query(text) if isinstance(text, str) else text
    return statements.filter(query.condition())


def in_topics(statements: QuerySet, topics) -> QuerySet:
    """Statements tagged with any of `topics`, directly or through their transcript."""
    tagged = StatementTopic.objects.filter(statement=OuterRef("pk"), topic__in=topics)
    transcripts = Transcript.topics.through.objects.filter(topic__in=topics)
    if not transcripts.exists():
        # Editors rarely tag whole transcripts. Without them the condition is one EXISTS,
        # which PostgreSQL joins row by row; OR-ed with a second it hashes every statement
        # the topic has (a hundred thousand) first.
        return statements.filter(Exists(tagged))
    in_transcript = transcripts.filter(transcript=OuterRef("transcript_id"))
    return statements.filter(Exists(tagged) | Exists(in_transcript))


# Newest first: by date, undated last; a transcript's statements in their order. Each has
# an index in exactly this order (models.Statement.Meta).
NEWEST = (F("date").desc(nulls_last=True), F("transcript_id").desc(), "position")
OLDEST = (F("date").asc(nulls_last=True), "transcript_id", "position")
RELEVANCE = ("-rank", F("date").desc(nulls_last=True), "-id")  # ties: the newest first


def ordered(statements: QuerySet, text: str | ParsedQuery, sort: str) -> QuerySet:
    """Relevance (with a query), newest first, or oldest first — over every match."""
    if sort == "oldest":
        return statements.order_by(*OLDEST)
    if sort == "relevance" and text:
        query = parse_query(text) if isinstance(text, str) else text
        return statements.annotate(rank=query.rank()).order_by(*RELEVANCE)
    return statements.order_by(*NEWEST)


def highlight(headline: str) -> SafeString:
    """Escape a headline as text, then turn the match markers into <mark> tags."""
    text = escape(headline).replace(LESS_THAN, "&lt;").replace(GREATER_THAN, "&gt;")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def snippets(statements: list[Statement], text: str | ParsedQuery) -> dict[int, SafeString]:
    """Highlighted snippets for these statements only (one query, the page's rows)."""
    ids = [statement.pk for statement in statements]
    query = parse_query(text) if isinstance(text, str) and text else text
    if not query or not query.readings or not ids:
        return {}
    # Written out rather than built with the ORM: compiling SearchHeadline with each row's
    # configuration and query cost more than PostgreSQL's work on twenty rows.
    row_query, params = query.row_query_sql()
    options = ", ".join(f"{name}={value}" for name, value in HEADLINE_OPTIONS.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT statement.id, ts_headline(
                {champions.STATEMENT_CONFIG},
                replace(replace(statement.text, '<', %s), '>', %s),
                {row_query}, %s)
            FROM statements_statement AS statement WHERE statement.id = ANY (%s)
            """,
            [LESS_THAN, GREATER_THAN, *params, options, ids],
        )
        return {pk: highlight(headline) for pk, headline in cursor.fetchall()}


# --- counts and facets -------------------------------------------------------------------------


@dataclass
class Facets:
    speakers: list[dict] = field(default_factory=list)  # {"slug", "name", "count"}
    years: list[dict] = field(default_factory=list)  # {"year", "count"}
    topics: list[dict] = field(default_factory=list)  # {"slug", "name", "count"}


@dataclass
class Tally:
    """How many statements match, in all and by speaker, year, language and topic — counted
    over every match, or over the sample (`estimated`: then each count is scaled up)."""

    count: int = 0
    facets: Facets = field(default_factory=Facets)
    by_language: dict[str, int] = field(default_factory=dict)
    estimated: bool = False
    sampled: int = 0  # matching statements seen (in the sample, if estimated)


def tally(statements: QuerySet, *, sample: bool) -> Tally:
    """Count `statements` by speaker, year, language and topic, in one query that finds
    them once; over the estimation sample only if `sample`."""
    scope = statements.filter(IN_SAMPLE) if sample else statements
    scale = SAMPLE_EVERY if sample else 1
    sql, params = (
        scope.order_by().values("id", "speaker_id", "date", "language").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH matched AS MATERIALIZED ({sql})
            SELECT GROUPING(speaker.slug, dated.year, matched.language), speaker.slug,
                   speaker.name, dated.year, matched.language, count(*)
            FROM matched
            LEFT JOIN statements_speaker AS speaker ON speaker.id = matched.speaker_id
            CROSS JOIN LATERAL (SELECT extract(year FROM matched.date)::int AS year) AS dated
            GROUP BY GROUPING SETS (
                (speaker.slug, speaker.name), (dated.year), (matched.language), ()
            )
            UNION ALL
            SELECT {TOPIC_ROWS}, topic.slug, topic.name, NULL, NULL, count(*)
            FROM matched
            JOIN statements_statementtopic AS tagged ON tagged.statement_id = matched.id
                {"AND mod(tagged.statement_id, %s) = 0" if sample else ""}
            JOIN statements_topic AS topic ON topic.id = tagged.topic_id
            GROUP BY topic.slug, topic.name
            """,
            [*params, SAMPLE_EVERY] if sample else params,
        )
        rows = cursor.fetchall()
    found = Tally(estimated=sample)
    speakers, years, topics = [], [], []
    for grouping, slug, name, year, language, count in rows:
        if grouping == SPEAKER_ROWS and slug is not None:
            speakers.append({"slug": slug, "name": name, "count": count * scale})
        elif grouping == YEAR_ROWS and year is not None:
            years.append({"year": year, "count": count * scale})
        elif grouping == LANGUAGE_ROWS:
            found.by_language[language] = count
        elif grouping == TOTAL_ROW:
            found.sampled, found.count = count, count * scale
        elif grouping == TOPIC_ROWS:
            topics.append({"slug": slug, "name": name, "count": count * scale})
    speakers.sort(key=lambda facet: (-facet["count"], facet["name"]))
    topics.sort(key=lambda facet: (-facet["count"], facet["name"]))
    years.sort(key=lambda facet: -facet["year"])
    found.facets = Facets(speakers[:FACET_SIZE], years, topics[:FACET_SIZE])
    return found


def count(statements: QuerySet) -> Tally:
    """The tally of `statements`: from the sample when it says they are many; exactly when
    it says they are few and counting them all is quick. Few matches can still cost many
    rows — two broad conditions meeting rarely ("security" in the topic Syria) — so the
    exact count gets EXACT_TALLY_MS, and the estimate stands if it needs more."""
    estimate = tally(statements, sample=True)
    if estimate.sampled > EXACT_SAMPLE_LIMIT:
        return estimate
    try:
        with (
            transaction.atomic(using=connection.alias),
            connection.cursor() as cursor,
        ):  # a savepoint
            cursor.execute("SET LOCAL statement_timeout = %s", [EXACT_TALLY_MS])
            exact = tally(statements, sample=False)
            cursor.execute("SET LOCAL statement_timeout = %s", [settings.SEARCH_TIMEOUT_MS])
        return exact
    except OperationalError as error:
        if not _canceled(error):
            raise
        return estimate


# What each row of tally's query counts: GROUPING() sets a bit for each of (speaker, year,
# language) that the row is not grouped by; topic rows come from the second SELECT.
SPEAKER_ROWS, YEAR_ROWS, LANGUAGE_ROWS, TOTAL_ROW, TOPIC_ROWS = 0b011, 0b101, 0b110, 0b111, 8


# --- a search, as the page, the API and the export see it --------------------------------------


class SearchTimeout(Exception):
    """A public search ran past its statement timeout."""


@contextmanager
def public_query_limits() -> Iterator[None]:
    """One transaction for a search's queries, each capped by SEARCH_TIMEOUT_MS, without
    JIT compilation (it costs a broad query ~100 ms and pays back only on far longer ones)
    and without parallel workers (on a small server busy with many searches, starting them
    costs more than they save)."""
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET LOCAL statement_timeout = %s; SET LOCAL jit = off;"
                    " SET LOCAL max_parallel_workers_per_gather = 0",
                    [settings.SEARCH_TIMEOUT_MS],
                )
            yield
    except OperationalError as error:
        if _canceled(error):
            raise SearchTimeout(str(error)) from error
        raise


def _canceled(error: OperationalError) -> bool:
    """Whether statement_timeout stopped the query."""
    return getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED


@dataclass
class Results:
    """One page of a search: its statements (with `snippet`), the count and the facets."""

    statements: list[Statement]
    number: int
    tally: Tally

    @property
    def count(self) -> int:
        return self.tally.count

    @property
    def estimated(self) -> bool:
        return self.tally.estimated

    @property
    def facets(self) -> Facets:
        return self.tally.facets

    @property
    def pages(self) -> int:
        return pages_for(self.count)

    @property
    def max_results(self) -> int:
        return MAX_RESULTS

    @property
    def sample_every(self) -> int:
        return SAMPLE_EVERY

    @property
    def truncated(self) -> bool:
        """More statements match than can be paged through."""
        return self.count > MAX_RESULTS

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1


def pages_for(count: int) -> int:
    return max(1, math.ceil(min(count, MAX_RESULTS) / PAGE_SIZE))


class Search:
    """A search as the page, the API and the export see it: the filter form, then
    `results(page)` — a page of statements with snippets, the count and the facets."""

    def __init__(self, data, queryset: QuerySet | None = None):
        from statements.filters import StatementFilter  # filters.py builds on this module

        base = Statement.objects.select_related("speaker", "transcript")
        self.filterset = StatementFilter(data, queryset=base if queryset is None else queryset)
        self.form = self.filterset.form
        self.valid = self.filterset.is_valid()
        self.text = self.form.cleaned_data.get("q", "").strip() if self.valid else ""
        self.query = parse_query(self.text) if self.text else None
        self.sort = self._sort(data.get("sort", ""))
        # How the last rows were ordered: "lists" (champion lists, exact), "bounded" (the
        # lists of each word ranked with the whole query, proven exact), "candidates" (the
        # same, not proven), "every match" (exact), or the date order.
        self.ranking = ""

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
            counted = count(self.matches)
            number = _page_number(page, pages_for(counted.count))
            offset = (number - 1) * PAGE_SIZE
            rows = (
                self.rows(offset, PAGE_SIZE, counted) if counted.count or counted.estimated else []
            )
            found = snippets(rows, self.query) if self.query else {}
        for statement in rows:
            statement.snippet = found.get(statement.pk)
        return Results(rows, number, counted)

    def rows(self, offset: int, limit: int, counted: Tally | None = None) -> list[Statement]:
        """Statements `offset` to `offset + limit` in the search's order (with their speaker
        and transcript). Relevance is read from the champion lists where they hold the
        answer (see `ranked_ids`)."""
        ids = self.ranked_ids(offset, limit, counted)
        found = (
            Statement.objects.select_related("speaker", "transcript")
            .defer("transcript__source_text")  # the whole original: tens of kilobytes each
            .in_bulk(ids)
        )
        return [found[pk] for pk in ids if pk in found]

    def ranked_ids(self, offset: int, limit: int, counted: Tally | None = None) -> list[int]:
        """The ids of statements `offset` to `offset + limit`, in the search's order.

        Relevance, from the fastest way that gives the right answer:
        1. a query of one word (in each configuration) with champion lists: the lists hold
           each statement's rank, so the filtered lists read in order are the answer;
        2. a broad query of several words: the champion lists of its words are the
           candidates, ranked with the whole query (the best of each word's best);
        3. otherwise every match is ranked.
        Either list-based way needs as many filtered candidates as the page goes deep; with
        fewer, every match is ranked instead."""
        wanted = slice(offset, offset + limit)
        if self.sort == "relevance" and self.query and offset + limit <= MAX_RESULTS:
            single = self._single_word_lists()
            if single:
                ids = self._read_lists(single, offset, limit)
                if len(ids) == limit:
                    self.ranking = "lists"
                    return ids
            elif counted and counted.estimated:
                candidates, bound = self._candidates(counted)
                if candidates is not None:
                    ranked = ordered(self.matches.filter(candidates), self.query, "relevance")
                    rows = list(ranked.values_list("id", "rank")[wanted])
                    if len(rows) == limit:
                        # Proven exact when the page's last rank beats anything a statement
                        # outside every list could score.
                        proven = bound is not None and rows[-1][1] > bound
                        self.ranking = "bounded" if proven else "candidates"
                        return [pk for pk, _ in rows]
        self.ranking = "every match" if self.sort == "relevance" and self.query else self.sort
        return list(self.statements.values_list("id", flat=True)[wanted])

    def _single_word_lists(self) -> tuple[list, list[Q]] | None:
        """If each reading of the query is one word: the champion terms standing for it,
        and, where the word has no list (it is rare: champions.MIN_STATEMENTS), the
        conditions that find its few statements. None otherwise."""
        terms, rare = set(), []
        wanted = {
            (config, reading.single_word)
            for reading in self.query.readings
            for config in reading.configs
        }
        if None in {word for _, word in wanted}:
            return None
        found = champions.terms(wanted)
        if not found:  # a rare word: ranking its every match is the quick way
            return None
        for reading in self.query.readings:
            for config in reading.configs:
                if (config, reading.single_word) in found:
                    terms.add(found[config, reading.single_word])
                else:
                    rare.append(reading.condition(config))
        return list(terms), rare

    def _read_lists(self, lists, offset: int, limit: int) -> list[int]:
        """The entries of champion lists (and rare words' statements) that pass the
        filters, in relevance order. The lists are merged in their index order and read
        only as far as the page needs; the rare words' few statements are merged in here."""
        terms, rare = lists
        wanted = offset + limit
        entries, params = champions.entries(terms)
        where = ""
        if self.filtered.query.where:  # with no filter every entry passes
            filtered, filter_params = self.filtered.order_by().values("id").query.sql_with_params()
            where, params = f"WHERE candidate.id IN ({filtered})", [*params, *filter_params]
        rows = []
        if terms:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    SELECT candidate.id, candidate.rank, candidate.date
                    FROM ({entries}) AS candidate
                    {where}
                    ORDER BY candidate.rank DESC, candidate.date DESC NULLS LAST,
                             candidate.id DESC
                    LIMIT %s
                    """,
                    [*params, wanted],
                )
                rows = cursor.fetchall()
        if rare:
            rows += (
                self.filtered.filter(reduce(or_, rare))
                .annotate(rank=self.query.rank())
                .order_by(*RELEVANCE)
                .values_list("id", "rank", "date")[:wanted]
            )
        rows.sort(key=_relevance_key)
        return [pk for pk, _, _ in rows[offset:wanted]]

    def _candidates(self, counted: Tally) -> tuple[Q | None, float | None]:
        """The statements that can rank first, as `id = ANY (…)`: for each word of the
        query in each configuration, its champion list, or all its statements there for a
        word without one (a rare word: champions.MIN_STATEMENTS). None when the query
        matches broadly with a prefix or weight, which no list stands for.

        With it, the bound: the highest rank a statement outside the candidates can have,
        when the query is words joined by OR. ts_rank then averages each word's own rank
        (PostgreSQL's calc_rank_or), and outside its list a word ranks at most its
        `outside_rank`. None for other queries (AND and phrases rank by proximity)."""
        parts = [(reading, config) for reading in self.query.readings for config in reading.configs]
        wanted = {(config, word) for reading, config in parts for word in reading.words or ()}
        found = champions.terms(wanted)
        terms, rare, bound = set(), [], 0.0
        for reading, config in parts:
            narrow = self._sampled_in(config, counted) <= EXACT_SAMPLE_LIMIT
            if reading.words is None:  # a prefix or weight: no list stands for it
                if not narrow:
                    return None, None
                rare.append(reading.condition(config))
                continue
            outside = []
            for word in reading.words:
                if (config, word) in found:
                    terms.add(found[config, word])
                    outside.append(found[config, word].outside_rank)
                else:
                    rare.append(reading.applies(config) & Q(Matches(_lexeme_tsquery(word))))
            if bound is not None:
                # A word taken whole (rare) has no statement outside: it adds nothing.
                part = sum(outside) / len(reading.words) if reading.disjunction else None
                bound = None if part is None else max(bound, part)
        selects, params = [], []
        if terms:
            entries, params = champions.entries(terms)
            selects.append(f"SELECT id FROM ({entries}) AS entry")
        if rare:
            sql, rare_params = (
                Statement.objects.filter(reduce(or_, rare)).values("id").query.sql_with_params()
            )
            selects.append(sql)
            params += rare_params
        if not selects:
            return None, None
        candidates = RawSQL(
            f"statements_statement.id = ANY (ARRAY({' UNION ALL '.join(selects)}))",
            params,
            output_field=BooleanField(),
        )
        return Q(candidates), bound

    @staticmethod
    def _sampled_in(config: str, counted: Tally) -> int:
        if config == FALLBACK_CONFIG:
            return sum(n for code, n in counted.by_language.items() if code not in SEARCH_CONFIGS)
        return sum(counted.by_language.get(code, 0) for code in languages_of(config))

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


def _relevance_key(row: tuple[int, float, object]) -> tuple:
    """(id, rank, date) in relevance order: highest rank, then newest (undated last), then
    highest id — as RELEVANCE sorts in SQL."""
    pk, rank, day = row
    return (-rank, -day.toordinal() if day else math.inf, -pk)


def _page_number(requested, pages: int) -> int:
    try:
        number = int(requested)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), pages)
