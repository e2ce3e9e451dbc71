"""Embedding statements after their import, off the import's path.

An import saves statements with their words indexed at once (searchable by words); their
vectors (searchable by meaning) are made here afterwards, by `embed_statements`. The
database is the queue: a statement is pending while it has no vector of the current model
(`embeddings.MODEL`), so the work survives any stop and resumes where it was, and a model
upgrade re-embeds everything. Each batch is committed on its own.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, QuerySet

from statements import embeddings, versions
from statements.models import Statement, StatementEmbedding, VersionLink
from statements.search import hybrid

BATCH = 256


def pending() -> QuerySet:
    """Statements without a vector of the current model, in id order."""
    current = StatementEmbedding.objects.filter(statement=OuterRef("pk"), model=embeddings.MODEL)
    return Statement.objects.filter(~Exists(current)).order_by("pk")


def embed_batch(after: int = 0, size: int = BATCH) -> tuple[int, int]:
    """Embed the next `size` pending statements with ids above `after`: how many, and the
    last id done (0, 0 when none was pending)."""
    rows = list(pending().filter(pk__gt=after).values_list("pk", "text")[:size])
    if not rows:
        return 0, 0
    vectors = embeddings.encode([text for _, text in rows])
    StatementEmbedding.objects.bulk_create(
        [
            StatementEmbedding(statement_id=pk, model=embeddings.MODEL, vector=vector.tolist())
            for (pk, _), vector in zip(rows, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["statement"],
        update_fields=["model", "vector", "embedded_at"],
    )
    hybrid.forget_embedded()
    return len(rows), rows[-1][0]


def embed_pending(progress: Callable[[int], None] = lambda count: None) -> int:
    """Embed every pending statement, batch by batch; how many. `progress` hears each
    batch's size."""
    done, last = 0, 0
    while True:
        count, last = embed_batch(after=last)
        if not count:
            return done
        done += count
        progress(count)


def align_pending() -> int:
    """Align the linked versions that are not aligned yet (an import's alignment that did
    not happen, a link an editor made); how many."""
    versions.adopt_editor_links()
    links = list(
        VersionLink.objects.filter(aligned_at__isnull=True).select_related(
            "original", "translation"
        )
    )
    for link in links:
        versions.align(link)
    return len(links)
