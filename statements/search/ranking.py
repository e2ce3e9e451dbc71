"""The order of a search's results, and the fastest way to the right page of it.

Relevance never ranks every match of a broad search: it reads the champion lists of the
query's words (`champions`). A one-word query reads them in order: exactly the order of
ranking every match. Several words rank the lists' union with the whole query — for words
joined by OR only the part of it that can reach the page, told from the ranks the lists
hold (`_rank_disjunction`) — and that is proven exact when the page's last rank beats what
any statement outside the lists could score ("bounded"); for others it is the best of each
word's best ("candidates": bench/search.py measures how close). Rare words have no lists,
and they, and anything the lists cannot answer, rank every match ("every match"), in the
query that counts the matches where it counts them exactly (`counting.Page`).
"""

import math
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL

# The routed database's connection: a public search reads from a replica (archive/routers.py).
from archive.routers import read_connection as connection
from statements import champions
from statements.languages import FALLBACK_CONFIG, SEARCH_CONFIGS, languages_of
from statements.models import Statement
from statements.search import counting, tsquery
from statements.search.counting import Tally
from statements.search.query import Matches, ParsedQuery, matching, parsed

# Newest first: by date, undated last; a transcript's statements in their order. Each has
# an index in exactly this order (models.Statement.Meta).
NEWEST = (F("date").desc(nulls_last=True), F("transcript_id").desc(), "position")
OLDEST = (F("date").asc(nulls_last=True), "transcript_id", "position")
RELEVANCE = ("-rank", F("date").desc(nulls_last=True), "-id")  # ties: the newest first


class Ranked(NamedTuple):
    """A page's statement ids in order, and how they were found: "lists" (champion lists,
    exact), "bounded" (the lists of each word ranked with the whole query, proven exact),
    "candidates" (the same, not proven), "every match" (exact), or the date order."""

    ids: list[int]
    method: str


# A one-word query's champion terms, and the conditions that find its statements where the
# word has no list.
WordLists = tuple[list[champions.Term], list[Q]]


def ordered(statements: QuerySet, text: str | ParsedQuery, sort: str) -> QuerySet:
    """Relevance (with a query), newest first, or oldest first — over every match."""
    if sort == "oldest":
        return statements.order_by(*OLDEST)
    if sort == "relevance" and text:
        return statements.annotate(rank=parsed(text).rank()).order_by(*RELEVANCE)
    return statements.order_by(*NEWEST)


def ranked_ids(
    filtered: QuerySet,
    query: ParsedQuery | None,
    sort: str,
    offset: int,
    limit: int,
    counted: Tally | None = None,
    *,
    lists: WordLists | None,
) -> Ranked:
    """The ids of statements `offset` to `offset + limit` of `query` among `filtered`, in
    the order `sort`; `lists` are the query's `word_lists` (looked up once per search).

    Relevance, from the fastest way that gives the right answer:
    1. a query of one word (in each configuration) with champion lists: the lists hold
       each statement's rank, so the filtered lists read in order are the answer;
    2. a broad query of several words: the champion lists of its words are the
       candidates, ranked with the whole query (the best of each word's best; for words
       joined by OR, only those that can reach the page);
    3. otherwise every match is ranked.
    Either list-based way needs as many filtered candidates as the page goes deep; with
    fewer, every match is ranked instead."""
    matches = matching(query, filtered) if query else filtered
    if sort == "relevance" and query and offset + limit <= champions.DEPTH:
        if lists:
            ids = _read_lists(lists, query, filtered, offset, limit)
            if len(ids) == limit:
                return Ranked(ids, "lists")
        elif counted and counted.estimated:
            found = _rank_disjunction(query, filtered, offset, limit) or _rank_candidates(
                query, matches, counted, offset, limit
            )
            if found:
                return found
    method = "every match" if sort == "relevance" and query else sort
    ranked = counted.ranked if counted else None
    if method == "every match" and ranked and (ranked.offset, ranked.limit) == (offset, limit):
        return Ranked(list(ranked.ids), method)  # ranked as they were counted
    statements = ordered(matches, query or "", sort)
    return Ranked(list(statements.values_list("id", flat=True)[offset : offset + limit]), method)


def ranks_every_match(
    query: ParsedQuery | None, sort: str, offset: int, limit: int, lists: WordLists | None
) -> bool:
    """Whether `ranked_ids` ranks every match for this page when the count is exact (as
    it is for narrow searches): it does unless one word's lists (`lists`) answer."""
    if sort != "relevance" or query is None:
        return False
    return offset + limit > champions.DEPTH or lists is None


def word_lists(query: ParsedQuery | None) -> WordLists | None:
    """If each reading of the query is one word: the champion terms standing for it,
    and, where the word has no list (it is rare: champions.MIN_STATEMENTS), the
    conditions that find its few statements. None otherwise."""
    if query is None:
        return None
    terms, rare = set(), []
    wanted = {
        (config, reading.single_word) for reading in query.readings for config in reading.configs
    }
    if None in {word for _, word in wanted}:
        return None
    found = champions.terms(wanted)
    if not found:  # a rare word: ranking its every match is the quick way
        return None
    for reading in query.readings:
        for config in reading.configs:
            if (config, reading.single_word) in found:
                terms.add(found[config, reading.single_word])
            else:
                rare.append(reading.condition(config))
    return list(terms), rare


def _read_lists(lists, query: ParsedQuery, filtered: QuerySet, offset: int, limit: int):
    """The entries of champion lists (and rare words' statements) that pass the
    filters, in relevance order. The lists are merged in their index order and read
    only as far as the page needs; the rare words' few statements are merged in here."""
    terms, rare = lists
    wanted = offset + limit
    rows = _list_entries(terms, filtered, wanted) if terms else []
    if rare:
        rows += (
            filtered.filter(reduce(or_, rare))
            .annotate(rank=query.rank())
            .order_by(*RELEVANCE)
            .values_list("id", "rank", "date")[:wanted]
        )
    rows.sort(key=_relevance_key)
    return [pk for pk, _, _ in rows[offset:wanted]]


def _list_entries(terms, filtered: QuerySet, wanted: int) -> list[tuple]:
    """The first `wanted` (id, rank, date) of the lists `terms` that pass the filters."""
    entries, params = champions.entries(terms)
    where = ""
    if filtered.query.where:  # with no filter every entry passes
        sql, filter_params = filtered.order_by().values("id").query.sql_with_params()
        where, params = f"WHERE candidate.id IN ({sql})", [*params, *filter_params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT candidate.id, candidate.rank, candidate.date
            FROM ({entries}) AS candidate
            {where}
            ORDER BY candidate.rank DESC, candidate.date DESC NULLS LAST, candidate.id DESC
            LIMIT %s
            """,
            [*params, wanted],
        )
        return cursor.fetchall()


# ts_rank sums in single precision and the lists keep its single-precision results: a mean
# of listed ranks can differ from ts_rank of the OR by a few units in the last place (~1e-8
# at these ranks). Ranks closer than this to a threshold are taken as reaching it.
ROUNDING = 1e-6


def _rank_disjunction(
    query: ParsedQuery, filtered: QuerySet, offset: int, limit: int
) -> Ranked | None:
    """Words joined by OR: the page, ranked with ts_rank among the few candidates that can
    reach it (a threshold algorithm over the lists' stored ranks).

    ts_rank of `a | b` is the mean of the words' own ranks (PostgreSQL's calc_rank_or), and
    the lists hold those. A listed statement's OR rank is then at least the mean of the
    ranks it is listed with, and at most that plus, for each word whose list it is not in,
    that list's outside_rank. (A word without lists is rare: its few statements are ranked
    for real.) The page's last rank is at least the `offset + limit`-th best of the lower
    ends, so only candidates whose upper end reaches it can be on the page: those are
    ranked with ts_rank. The page is the one ranking every candidate gives, proven exact
    ("bounded") when its last rank beats what a statement outside them could score.
    None for other queries, or when too few candidates pass the filters."""
    parts = [(reading, config) for reading in query.readings for config in reading.configs]
    if not all(reading.disjunction and reading.words for reading, _ in parts):
        return None
    found = champions.terms({(config, word) for reading, config in parts for word in reading.words})
    if not found:
        return None  # rare words only: ranking every match is the quick way
    shapes = _shapes(parts, found)
    reachable, params = _reachable(query, parts, found, shapes, filtered, offset + limit)
    row_query, row_params = query.row_query_sql()
    # One statement, which ranks the reachable candidates it has found (they are never
    # carried to Python and back; and joined, not tested with IN, which PostgreSQL can
    # plan as the whole search run again for each statement).
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH reachable AS MATERIALIZED ({reachable})
            SELECT statement.id, ts_rank(statement.search_vector, {row_query}) AS rank
            FROM reachable JOIN statements_statement AS statement USING (id)
            ORDER BY rank DESC, statement.date DESC NULLS LAST, statement.id DESC
            OFFSET %s LIMIT %s
            """,
            [*params, *row_params, offset, limit],
        )
        rows = cursor.fetchall()
    if len(rows) < limit:
        return None
    bound = max(outside / size for size, outside in shapes)
    proven = rows[-1][1] > bound + ROUNDING
    return Ranked([pk for pk, _ in rows], "bounded" if proven else "candidates")


def _shapes(parts, found) -> list[tuple[int, float]]:
    """For each (reading, config) of an OR: its number of words (ts_rank's divisor) and the
    sum of its listed words' outside_rank (a rare word, taken whole, adds nothing)."""
    return [
        (
            len(reading.words),
            sum(
                found[config, word].outside_rank
                for word in reading.words
                if (config, word) in found
            ),
        )
        for reading, config in parts
    ]


def _reachable(
    query: ParsedQuery, parts, found, shapes, filtered: QuerySet, depth: int
) -> tuple[str, list]:
    """SQL and parameters for the ids of the candidates (list entries, rare words'
    statements) that pass the filters and whose highest possible OR rank reaches the
    `depth`-th best lowest one; none if fewer than `depth` pass."""
    selects, params, rare = [], [], []
    for number, (reading, config) in enumerate(parts):
        for word in reading.words:
            if (config, word) not in found:
                rare.append(_word_in(reading, config, word))
                continue
            term = found[config, word]
            entries, entry_params = champions.entries([term])
            selects.append(
                f"SELECT id, rank, {number} AS part, %s::float8 AS outside FROM ({entries}) AS e"
            )
            params += [term.outside_rank, *entry_params]
    sizes, outsides = (list(column) for column in zip(*shapes, strict=True))
    params += [list(range(len(parts))), sizes, outsides]
    rare_sql = "SELECT NULL::bigint AS id, NULL::float8 AS exact WHERE false"
    if rare:
        rare_sql, rare_params = (
            Statement.objects.filter(reduce(or_, rare))
            .annotate(exact=query.rank())
            .values("id", "exact")
            .query.sql_with_params()
        )
        params += rare_params
    where = ""
    if filtered.query.where:  # with no filter every candidate passes
        sql, filter_params = filtered.order_by().values("id").query.sql_with_params()
        where, params = f"WHERE candidate.id IN ({sql})", [*params, *filter_params]
    sql = f"""
        WITH listed AS (
            SELECT entry.id,
                   sum(entry.rank) / part.size AS lowest,
                   (sum(entry.rank) + part.outside - sum(entry.outside)) / part.size AS highest
            FROM ({" UNION ALL ".join(selects)}) AS entry
            JOIN unnest(%s::int[], %s::int[], %s::float8[]) AS part (number, size, outside)
                ON part.number = entry.part
            GROUP BY entry.id, part.size, part.outside
        ), rare AS ({rare_sql}), candidate AS (
            SELECT * FROM (
                SELECT coalesce(rare.id, listed.id) AS id,
                       coalesce(rare.exact, listed.lowest) AS lowest,
                       coalesce(rare.exact, listed.highest) AS highest
                FROM listed FULL JOIN rare ON rare.id = listed.id
            ) AS candidate
            {where}
        )
        SELECT id FROM candidate WHERE highest >= (
            SELECT lowest FROM candidate ORDER BY lowest DESC OFFSET %s LIMIT 1
        ) - %s
    """
    return sql, [*params, depth - 1, ROUNDING]


def _rank_candidates(
    query: ParsedQuery, matches: QuerySet, counted: Tally, offset: int, limit: int
) -> Ranked | None:
    """The page ranked among the candidates (`_candidates`), if they fill it."""
    candidates, bound = _candidates(query, counted)
    if candidates is None:
        return None
    ranked = ordered(matches.filter(candidates), query, "relevance")
    rows = list(ranked.values_list("id", "rank")[offset : offset + limit])
    if len(rows) < limit:
        return None
    # Proven exact when the page's last rank beats anything a statement outside every
    # list could score.
    proven = bound is not None and rows[-1][1] > bound
    return Ranked([pk for pk, _ in rows], "bounded" if proven else "candidates")


def _candidates(query: ParsedQuery, counted: Tally) -> tuple[Q | None, float | None]:
    """The statements that can rank first, as `id = ANY (…)`: for each word of the
    query in each configuration, its champion list, or all its statements there for a
    word without one (a rare word: champions.MIN_STATEMENTS). None when the query
    matches broadly with a prefix or weight, which no list stands for.

    With it, the bound: the highest rank a statement outside the candidates can have,
    when the query is words joined by OR. ts_rank then averages each word's own rank
    (PostgreSQL's calc_rank_or), and outside its list a word ranks at most its
    `outside_rank`. None for other queries (AND and phrases rank by proximity)."""
    parts = [(reading, config) for reading in query.readings for config in reading.configs]
    wanted = {(config, word) for reading, config in parts for word in reading.words or ()}
    found = champions.terms(wanted)
    terms, rare, bound = set(), [], 0.0
    for reading, config in parts:
        if reading.words is None:  # a prefix or weight: no list stands for it
            if _sampled_in(config, counted) > counting.EXACT_SAMPLE_LIMIT:
                return None, None
            rare.append(reading.condition(config))
            continue
        outside = []
        for word in reading.words:
            if (config, word) in found:
                terms.add(found[config, word])
                outside.append(found[config, word].outside_rank)
            else:
                rare.append(_word_in(reading, config, word))
        if bound is not None:
            # A word taken whole (rare) has no statement outside: it adds nothing.
            part = sum(outside) / len(reading.words) if reading.disjunction else None
            bound = None if part is None else max(bound, part)
    return _any_of(terms, rare), bound


def _word_in(reading, config: str, word: str) -> Q:
    """The statements of `config`'s languages that have the lexeme `word` (of `reading`):
    how a rare word, which has no list, is found."""
    return reading.applies(config) & Q(Matches(tsquery.lexeme(word)))


def _any_of(terms, rare: list[Q]) -> Q | None:
    """`id = ANY (…)` of the lists `terms` and the statements the conditions `rare` match."""
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
        return None
    candidates = RawSQL(
        f"statements_statement.id = ANY (ARRAY({' UNION ALL '.join(selects)}))",
        params,
        output_field=BooleanField(),
    )
    return Q(candidates)


def _sampled_in(config: str, counted: Tally) -> int:
    """Matching statements of `config`'s languages the tally's sample saw."""
    if config == FALLBACK_CONFIG:
        return sum(n for code, n in counted.by_language.items() if code not in SEARCH_CONFIGS)
    return sum(counted.by_language.get(code, 0) for code in languages_of(config))


def _relevance_key(row: tuple[int, float, object]) -> tuple:
    """(id, rank, date) in relevance order: highest rank, then newest (undated last), then
    highest id — as RELEVANCE sorts in SQL."""
    pk, rank, day = row
    return (-rank, -day.toordinal() if day else math.inf, -pk)
