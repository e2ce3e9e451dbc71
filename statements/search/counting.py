"""How many statements a search matches, in all and by speaker, year, language and topic.

At a million statements, counts and facets come from a 1 % sample (statements whose id is
a multiple of `models.SAMPLE_EVERY`, with partial indexes of their own) when the sample says
the search is broad; they are then shown as estimates. Narrow searches are counted exactly,
unless that would take longer than EXACT_TALLY_MS.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Func, QuerySet

# The routed database's connection: a public search reads from a replica (archive/routers.py).
from archive.routers import read_connection as connection
from statements.models import IN_SAMPLE, SAMPLE_EVERY
from statements.search.limits import canceled

FACET_SIZE = 10
# A search with at most this many matching statements in the sample (about 5,000 in all)
# is counted, faceted and ranked exactly: that costs a few milliseconds.
EXACT_SAMPLE_LIMIT = 50
EXACT_TALLY_MS = 80


@dataclass
class Facets:
    speakers: list[dict] = field(default_factory=list)  # officials: {"slug", "name", "count"}
    questioners: list[dict] = field(default_factory=list)  # journalists and questioners
    others: list[dict] = field(default_factory=list)  # moderators and others
    years: list[dict] = field(default_factory=list)  # {"year", "count"}
    topics: list[dict] = field(default_factory=list)  # {"slug", "name", "count"}


@dataclass(frozen=True)
class Page:
    """Statements `offset` to `offset + limit` of every match ranked by `rank` (then the
    newest, then the highest id: ranking.RELEVANCE); `ids` once counted."""

    rank: Func
    offset: int
    limit: int
    ids: tuple[int, ...] = ()


@dataclass
class Tally:
    """How many statements match, in all and by speaker, year, language and topic — counted
    over every match, or over the sample (`estimated`: then each count is scaled up)."""

    count: int = 0
    facets: Facets = field(default_factory=Facets)
    by_language: dict[str, int] = field(default_factory=dict)
    estimated: bool = False
    sampled: int = 0  # matching statements seen (in the sample, if estimated)
    # The page asked for, ranked over every match as they were counted (exact tallies only).
    ranked: Page | None = None


# The speaker facet each kind of speaker is counted in (Facets).
KIND_FACETS = {"official": "speakers", "questioner": "questioners", "moderator": "others"}

# What each row of tally's query counts: GROUPING() sets a bit for each of (speaker, year,
# language) that the row is not grouped by; topic rows come from the second SELECT.
# A ranked page's rows (from the third SELECT) carry their place and the statement's id.
SPEAKER_ROWS, YEAR_ROWS, LANGUAGE_ROWS, TOTAL_ROW, TOPIC_ROWS = 0b011, 0b101, 0b110, 0b111, 8
PAGE_ROWS = 16


def tally(statements: QuerySet, *, sample: bool, page: Page | None = None) -> Tally:
    """Count `statements` by speaker, year, language and topic, in one query that finds
    them once; over the estimation sample only if `sample`. With `page`, the same query
    ranks them and returns that page too: a search that ranks every match (a phrase, a
    rare word) then reads its statements once, not once to count and once to rank."""
    scope = statements.filter(IN_SAMPLE) if sample else statements
    columns = ["id", "speaker_id", "date", "language"]
    if page:
        scope, columns = scope.annotate(rank=page.rank), [*columns, "rank"]
    sql, params = scope.order_by().values(*columns).query.sql_with_params()
    ranked, ranked_params = "", []
    if page:
        ranked = f"""
            UNION ALL
            SELECT {PAGE_ROWS}, NULL, NULL, NULL, place, NULL, id FROM (
                SELECT id, row_number() OVER (
                    ORDER BY rank DESC, date DESC NULLS LAST, id DESC
                )::int AS place
                FROM matched
            ) AS ranked
            WHERE place > %s AND place <= %s
        """
        ranked_params = [page.offset, page.offset + page.limit]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH matched AS MATERIALIZED ({sql})
            SELECT GROUPING(speaker.slug, dated.year, matched.language), speaker.slug,
                   speaker.name, speaker.kind, dated.year, matched.language, count(*)
            FROM matched
            LEFT JOIN statements_speaker AS speaker ON speaker.id = matched.speaker_id
            CROSS JOIN LATERAL (SELECT extract(year FROM matched.date)::int AS year) AS dated
            GROUP BY GROUPING SETS (
                (speaker.slug, speaker.name, speaker.kind), (dated.year), (matched.language), ()
            )
            UNION ALL
            SELECT {TOPIC_ROWS}, topic.slug, topic.name, NULL, NULL, NULL, count(*)
            FROM matched
            JOIN statements_statementtopic AS tagged ON tagged.statement_id = matched.id
                {"AND mod(tagged.statement_id, %s) = 0" if sample else ""}
            JOIN statements_topic AS topic ON topic.id = tagged.topic_id
            GROUP BY topic.slug, topic.name
            {ranked}
            """,
            [*params, *([SAMPLE_EVERY] if sample else []), *ranked_params],
        )
        return _tally_of(cursor.fetchall(), sample, page)


def _tally_of(rows: list[tuple], sample: bool, page: Page | None = None) -> Tally:
    """tally's rows sorted into counts and facets (scaled up from the sample), and the
    ranked page's ids in order."""
    scale = SAMPLE_EVERY if sample else 1
    found = Tally(estimated=sample)
    speakers: dict[str, list[dict]] = {kind: [] for kind in KIND_FACETS.values()}
    years, topics, placed = [], [], []
    for grouping, slug, name, kind, year, language, number in rows:
        if grouping == PAGE_ROWS:
            placed.append((year, number))
        elif grouping == SPEAKER_ROWS and slug is not None:
            facet = speakers[KIND_FACETS.get(kind, "others")]
            facet.append({"slug": slug, "name": name, "count": number * scale})
        elif grouping == YEAR_ROWS and year is not None:
            years.append({"year": year, "count": number * scale})
        elif grouping == LANGUAGE_ROWS:
            found.by_language[language] = number
        elif grouping == TOTAL_ROW:
            found.sampled, found.count = number, number * scale
        elif grouping == TOPIC_ROWS:
            topics.append({"slug": slug, "name": name, "count": number * scale})
    for facet in [*speakers.values(), topics]:
        facet.sort(key=lambda value: (-value["count"], value["name"]))
    years.sort(key=lambda facet: -facet["year"])
    if page:
        found.ranked = Page(
            page.rank, page.offset, page.limit, tuple(pk for _, pk in sorted(placed))
        )
    found.facets = Facets(
        **{name: facet[:FACET_SIZE] for name, facet in speakers.items()},
        years=years,
        topics=topics[:FACET_SIZE],
    )
    return found


def count(statements: QuerySet, page: Callable[[], Page | None] | None = None) -> Tally:
    """The tally of `statements`: from the sample when it says they are many; exactly when
    it says they are few and counting them all is quick. Few matches can still cost many
    rows — two broad conditions meeting rarely ("security" in the topic Syria) — so the
    exact count gets EXACT_TALLY_MS, and the estimate stands if it needs more. An exact
    tally ranks the page that `page()` says too (`tally`): asked only then, for telling
    whether a page is ranked over every match can take a query."""
    estimate = tally(statements, sample=True)
    if estimate.sampled > EXACT_SAMPLE_LIMIT:
        return estimate
    ranked = page() if page else None
    try:
        with (
            transaction.atomic(using=connection.alias),
            connection.cursor() as cursor,
        ):  # a savepoint
            cursor.execute("SET LOCAL statement_timeout = %s", [EXACT_TALLY_MS])
            exact = tally(statements, sample=False, page=ranked)
            cursor.execute("SET LOCAL statement_timeout = %s", [settings.SEARCH_TIMEOUT_MS])
        return exact
    except OperationalError as error:
        if not canceled(error):
            raise
        return estimate
