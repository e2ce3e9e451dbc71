"""Search by meaning beside search by words, fused: an English query finds the Russian
statements that say the same, and the reverse.

The full-text ranking (as before, per language) and the statements nearest to the query's
multilingual vector (statements/embeddings.py; pgvector's HNSW index, statements/vectors.py)
are each read DEPTH deep within the same filters, and merged by reciprocal rank fusion
(Cormack, Clarke and Büttcher, 2009): a statement scores 1 / (RRF_K + rank) in each list it
is in. Past the fused lists, pages go on in the full-text order.

Where the database has no pgvector, `available` is false, searches are full-text only, and
the page and /healthz say so. Statements not embedded yet (see `embed_statements`) are
found by words only.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import router, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from archive.routers import read_connection as connection
from statements import embeddings, generation, vectors
from statements.models import Statement, StatementEmbedding
from statements.search.counting import Tally
from statements.search.ranking import Ranked, ranked_ids

DEPTH = 100
RRF_K = 60
# Nearer than this (cosine similarity) to count as found by meaning: below it the nearest
# statements are only the least unrelated ones. Low, because a short query and a whole
# statement of several paragraphs and topics are far apart even when it answers the query
# (the encoder averages over every word): on the test pair, "return of refugees and
# humanitarian assistance" scores 0.12–0.14 against the answer that speaks of it, at most
# 0.08 against the others.
MIN_SIMILARITY = 0.1
# HNSW candidate lists tried in turn while the filters leave fewer than DEPTH statements
# (pgvector 0.6 has no iterative scan). When even the last leaves less than a page
# (EXACT_BELOW), the filtered statements are measured one by one instead (see EXACT_MAX):
# at 150,000 statements, a Russian query with language=en found no English statement among
# the index's 1,000 nearest (they were all Russian), and measuring all 105,000 English
# statements took 1.9 s.
EF_SEARCH = (DEPTH, 400, 1000)
EXACT_BELOW = 20
# The exact pass measures at most this many filtered statements (the newest): all of a
# narrow filter's, and a bounded part of a broad one's whose nearest the index missed.
EXACT_MAX = 10_000
METHOD = "hybrid"
# Whether anything is embedded, per data generation: an archive without vectors never
# loads the encoder (a second and ~150 MB) nor encodes a query for nothing.
EMBEDDED_KEY = "statements:any-embedded:{}:{}"
EMBEDDED_SECONDS = 24 * 3600


def available() -> bool:
    return vectors.available()


def any_embedded() -> bool:
    """Whether any statement has a vector of the current model. Cached under the data
    generation (statements/generation.py), which every committed write moves on — the
    embedder's too — so the answer is never older than the data; `forget_embedded` drops
    it within a transaction that has not committed yet."""
    using = router.db_for_read(StatementEmbedding)
    key = EMBEDDED_KEY.format(using, generation.current(using).value)
    found = cache.get(key)
    if found is None:
        found = StatementEmbedding.objects.using(using).filter(model=embeddings.MODEL).exists()
        cache.set(key, found, EMBEDDED_SECONDS)
    return found


def forget_embedded() -> None:
    """Drop the cached answer of the current generation (vectors were just written or
    deleted in a transaction the generation does not count yet)."""
    for using in {router.db_for_read(StatementEmbedding), router.db_for_write(StatementEmbedding)}:
        cache.delete(EMBEDDED_KEY.format(using, generation.current(using).value))


@dataclass
class Fused:
    ids: list[int]  # the fused order
    text_depth: int  # full-text ids read into it
    extra: int  # statements found by meaning only (not matching the words)
    # Fused statements that match the words but rank below the full-text ids read into the
    # fusion: the full-text order past the fusion goes on without them.
    deeper: frozenset[int] = frozenset()


def fuse(*rankings: list[int], k: int = RRF_K) -> list[int]:
    """Reciprocal rank fusion of id lists, best first (ties: first seen first)."""
    score: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, pk in enumerate(ranking, start=1):
            score[pk] += 1 / (k + rank)
    return sorted(score, key=lambda pk: -score[pk])


def fused(search, counted: Tally) -> Fused | None:
    """The search's full-text ranking fused with the statements nearest its text; None
    when nothing is near (no statement embedded yet): the full-text ranking stands alone."""
    if not any_embedded():
        return None
    meaning = nearest(search.filtered, search.text, DEPTH)
    if not meaning:
        return None
    text = search.ranked_ids(0, DEPTH, counted).ids if counted.count or counted.estimated else []
    ids = fuse(text, meaning)
    only = set(meaning) - set(text)
    deeper: set[int] = set()
    if only and len(text) == DEPTH:  # some may match the words too, ranked deeper
        deeper = set(search.matches.filter(pk__in=only).values_list("pk", flat=True))
        only -= deeper
    return Fused(ids, len(text), len(only), frozenset(deeper))


def widened(counted: Tally, found: Fused) -> Tally:
    """The count with the statements found by meaning only."""
    return replace(counted, count=counted.count + found.extra)


def page(search, found: Fused, counted: Tally, offset: int, limit: int) -> Ranked:
    """Ids `offset` to `offset + limit`: from the fused list, then the full-text order past
    the ids read into it, without the fused ones (each statement once)."""
    head = found.ids[offset : offset + limit]
    missing = limit - len(head)
    if missing and found.text_depth == DEPTH:
        start = DEPTH + max(0, offset - len(found.ids))
        # Without the deeper fused statements the full-text order's first DEPTH are the
        # same (those statements rank below them), and the rest is the tail.
        rest = search.filtered.exclude(pk__in=found.deeper) if found.deeper else search.filtered
        head += ranked_ids(
            rest, search.query, search.sort, start, missing, counted, lists=search.word_lists
        ).ids
    return Ranked(head, METHOD)


def nearest(statements: QuerySet, text: str, depth: int) -> list[int]:
    """Ids of the `depth` statements of `statements` nearest to `text` in meaning."""
    literal = vectors.literal(embeddings.encode([text])[0])
    rows: list[tuple[int, float]] = []
    for ef_search in EF_SEARCH:
        # SET LOCAL lasts only within a transaction, on the connection that reads (a
        # replica's, for the public): outside one it would be ignored with a warning.
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL hnsw.ef_search = %s", [ef_search])
            rows = _nearest(statements, literal, depth, exact=False)
        if len(rows) >= depth:
            break
    if len(rows) < min(depth, EXACT_BELOW):
        newest = statements.order_by("-pk").values("pk")[:EXACT_MAX]
        rows = _nearest(Statement.objects.filter(pk__in=newest), literal, depth, exact=True)
    # The threshold is applied here, not in the query: in it, it would hide whether the
    # index's candidates ran out.
    return [pk for pk, distance in rows if distance <= 1 - MIN_SIMILARITY]


def _nearest(statements: QuerySet, literal: str, depth: int, *, exact: bool) -> list[tuple]:
    """(id, cosine distance) of the nearest, through the HNSW index or (`exact`) by
    measuring every filtered statement."""
    # `+ 0` makes the order an expression the index does not serve.
    expression = f"(statements_statementembedding.{vectors.VECTOR_SQL[1:-1]} <=> %s::vector)"
    distance = RawSQL(expression + (" + 0" if exact else ""), [literal])
    rows = (
        statements.filter(embedding__model=embeddings.MODEL)
        .annotate(distance=distance)
        .order_by("distance")
        .values_list("pk", "distance")
    )
    return list(rows[:depth])
