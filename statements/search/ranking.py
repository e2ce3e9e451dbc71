"""The order of a search's results, and the fastest way to the right page of it.

Relevance never ranks every match of a broad search: it reads the champion lists of the
query's words (`champions`). A one-word query reads them in order: exactly the order of
ranking every match. Several words rank the lists' union with the whole query; for words
joined by OR that is proven exact when the page's last rank beats what any statement
outside the lists could score ("bounded"), for others it is the best of each word's best
("candidates": bench/search.py measures how close). Rare words have no lists, and they,
and anything the lists cannot answer, rank every match ("every match").
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
) -> Ranked:
    """The ids of statements `offset` to `offset + limit` of `query` among `filtered`, in
    the order `sort`.

    Relevance, from the fastest way that gives the right answer:
    1. a query of one word (in each configuration) with champion lists: the lists hold
       each statement's rank, so the filtered lists read in order are the answer;
    2. a broad query of several words: the champion lists of its words are the
       candidates, ranked with the whole query (the best of each word's best);
    3. otherwise every match is ranked.
    Either list-based way needs as many filtered candidates as the page goes deep; with
    fewer, every match is ranked instead."""
    matches = matching(query, filtered) if query else filtered
    if sort == "relevance" and query and offset + limit <= champions.DEPTH:
        single = _single_word_lists(query)
        if single:
            ids = _read_lists(single, query, filtered, offset, limit)
            if len(ids) == limit:
                return Ranked(ids, "lists")
        elif counted and counted.estimated:
            found = _rank_candidates(query, matches, counted, offset, limit)
            if found:
                return found
    method = "every match" if sort == "relevance" and query else sort
    statements = ordered(matches, query or "", sort)
    return Ranked(list(statements.values_list("id", flat=True)[offset : offset + limit]), method)


def _single_word_lists(query: ParsedQuery) -> tuple[list, list[Q]] | None:
    """If each reading of the query is one word: the champion terms standing for it,
    and, where the word has no list (it is rare: champions.MIN_STATEMENTS), the
    conditions that find its few statements. None otherwise."""
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
                rare.append(reading.applies(config) & Q(Matches(tsquery.lexeme(word))))
        if bound is not None:
            # A word taken whole (rare) has no statement outside: it adds nothing.
            part = sum(outside) / len(reading.words) if reading.disjunction else None
            bound = None if part is None else max(bound, part)
    return _any_of(terms, rare), bound


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
