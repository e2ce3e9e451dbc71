"""Permanent addresses: which stored statement a re-parsed one continues, and what an id or
a slug that is no longer live answers.

A statement keeps its id for as long as its words are in the archive: through edits, splits
(the first part), merges (the first statement) and re-parses. An id whose statement is gone
is a `RetiredStatement` (the database records every deletion, see migration 0011): it leads
to the statement now holding its words, or to nothing — 410 Gone.
"""

import difflib
from dataclasses import dataclass

from statements.models import OldSlug, RetiredStatement, Statement, Transcript

# Two statements are the same turn, edited, when this share of their words line up…
SAME_TURN = 0.5
# …or when they open with the same words and the shorter is nearly all in the longer (the
# turn was split, or joined with the next one).
OPENING_WORDS = 5
HELD = 0.9
# A removed statement's words are in another when this share of them is found there.
WORDS_KEPT = 0.5
# How far ahead in the new order a changed statement is looked for.
WINDOW = 8
# Retirements followed from one id to the live statement, at most (a chain grows by one
# with each merge or re-parse that moves the words again).
MAX_HOPS = 100


def match(old: list[str], new: list[str]) -> dict[int, int]:
    """Which old statement each new one continues: {new index: old index}, in order.

    Identical texts are paired first, in order (difflib over the two sequences); within a
    stretch that differs, each old statement is paired with the most similar new one a few
    places ahead that `continues` it (the first, for a turn the new parse splits in two).
    """
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, _keys(old), _keys(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update({j1 + k: i1 + k for k in range(i2 - i1)})
        elif tag == "replace":
            pairs.update(_pair_similar(old, new, range(i1, i2), range(j1, j2)))
    return pairs


def _keys(texts: list[str]) -> list[str]:
    return [" ".join(text.split()) for text in texts]


def _pair_similar(old: list[str], new: list[str], olds: range, news: range) -> dict[int, int]:
    pairs, start = {}, news.start
    for i in olds:
        ahead = range(start, min(news.stop, start + WINDOW))
        j = next((j for j in ahead if continues(old[i], new[j])), None)
        if j is not None:
            pairs[j] = i
            start = j + 1
    return pairs


def continues(old: str, new: str) -> bool:
    """Whether `new` is `old` edited (most words line up), or split off from it or joined
    with another turn (the same opening words, the shorter held nearly whole)."""
    a, b = old.split(), new.split()
    if not a or not b:
        return False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks())
    if 2 * shared / (len(a) + len(b)) >= SAME_TURN:
        return True
    return a[:OPENING_WORDS] == b[:OPENING_WORDS] and shared >= HELD * min(len(a), len(b))


def words_kept(old: str, new: str) -> float:
    """The share of `old`'s words found, in order, in `new`."""
    words = old.split()
    if not words:
        return 0.0
    matcher = difflib.SequenceMatcher(None, words, new.split(), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(words)


def holder(old: str, new: list[str], near: int) -> int | None:
    """The index in `new` of the statement holding most of `old`'s words (a re-parse that
    joined it to another turn), looked for around index `near`; None if none does."""
    around = range(max(0, near - WINDOW), min(len(new), near + WINDOW + 1))
    scored = [(words_kept(old, new[j]), j) for j in around]
    score, j = max(scored, default=(0.0, None), key=lambda pair: pair[0])
    return j if score >= WORDS_KEPT else None


def retire(statements: dict[int, int | None], transcript: Transcript) -> None:
    """Record, before they are deleted, where the words of these statements go: {id: the
    statement now holding them, or None}. (The deletion would record them without one.)"""
    RetiredStatement.objects.bulk_create(
        [
            RetiredStatement(id=pk, transcript=transcript, successor_id=successor)
            for pk, successor in statements.items()
        ],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["successor"],
    )


@dataclass
class Gone:
    """What a statement id that is no longer live answers."""

    retired: RetiredStatement  # the first retirement: when, from which transcript
    successor: Statement | None  # the live statement holding its words, if any


def find_retired(pk: int) -> Gone | None:
    """Where the words of retired statement `pk` are now; None if `pk` was never published."""
    first = retired = RetiredStatement.objects.filter(pk=pk).first()
    for _ in range(MAX_HOPS):
        if retired is None or retired.successor_id is None:
            return Gone(first, None) if first else None
        live = Statement.objects.filter(pk=retired.successor_id).first()
        if live:
            return Gone(first, live)
        retired = RetiredStatement.objects.filter(pk=retired.successor_id).first()
    return Gone(first, None)


def find_renamed(slug: str) -> tuple[OldSlug, Transcript | None] | None:
    """A slug a transcript no longer has: its record, and the transcript if it still
    exists (renamed) or None (deleted); None if the slug was never published."""
    old = OldSlug.objects.filter(slug=slug).first()
    if old is None:
        return None
    return old, Transcript.objects.filter(pk=old.transcript_id).defer("source_text").first()


def slug_taken(slug: str, transcript: Transcript | None = None) -> bool:
    """Whether `slug` was the address of another transcript still in the archive (an old
    address keeps leading to its own transcript, so it is never given to another)."""
    old = OldSlug.objects.of_live_transcripts().filter(slug=slug)
    return old.exclude(transcript_id=getattr(transcript, "pk", None)).exists()


def free_slug(base: str, transcript: Transcript) -> str:
    """`base`, or `base-2`, `base-3`…: the first that is not, and never was, another
    transcript's address."""
    slug, counter = base, 2
    while slug_taken(slug, transcript) or (
        Transcript.objects.filter(slug=slug).exclude(pk=transcript.pk).exists()
    ):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
