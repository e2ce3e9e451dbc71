"""Monotonic alignment of two sequences of text units (statements, paragraphs) that are
translations of each other, over their sentence-embedding vectors.

A dynamic programme in the manner of Gale and Church (1993) and Vecalign (Thompson and
Koehn, 2019): the units are matched in order, one to one, one to two or two to one (a
translator who split or joined paragraphs), or left unmatched (a paragraph the other side
lacks), and the path with the best total score wins. A bead's score is the cosine of its
two sides' vectors (a group's vector is the normalised sum of its units'), lowered when its
lengths are out of proportion with the two texts' overall ratio (Gale–Church's cue) and for
a merge, weighted by how many units it covers. A merge must match better than its best
single pair does: otherwise one side has a unit the other lacks.

Plain Python and numpy: no Django, no model; the caller gives the vectors.
"""

import math
from dataclasses import dataclass

import numpy as np

# The moves a path may take: units consumed on the left and on the right.
MOVES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
MERGE_PENALTY = 0.05
# A merge may match a little worse than its best single pair (pooled vectors blur).
MERGE_TOLERANCE = 0.08
# An unmatched unit scores as half of a one-to-one bead at this similarity: a pair less
# alike than this is better left apart.
SKIP_SIMILARITY = 0.2
# Weight of |log(length ratio / the texts' ratio)| taken off a bead's similarity.
LENGTH_WEIGHT = 0.1
# A bead is left for an editor to check when its sides are less alike than this, or when
# a unit of it is almost as like some unit outside it (see `_margins`). Calibrated on the
# seed's en/ru pair by bench/embeddings.py: translations score 0.79–0.95 with the
# multilingual encoder, the best wrong paragraph at most 0.68.
CONFIDENT_SIMILARITY = 0.6
CONFIDENT_MARGIN = 0.05
# Paths keep within this many units of the diagonal (and at least BAND_MIN).
BAND_SHARE = 0.2
BAND_MIN = 8


@dataclass(frozen=True)
class Bead:
    """Units `left` (indexes into the first sequence) match units `right` (into the
    second); one side is empty for an unmatched unit."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    similarity: float
    confident: bool


def align(
    left: np.ndarray,
    right: np.ndarray,
    *,
    left_lengths=None,
    right_lengths=None,
    bonus: np.ndarray | None = None,
) -> list[Bead]:
    """The best monotonic alignment of `left` and `right` (unit vectors, one row per unit).

    `*_lengths` (characters per unit) feed the length cue; `bonus` (left × right) adds to
    a pair's similarity, e.g. for statements whose speakers and kinds agree.
    """
    grid = _Grid(left, right, left_lengths, right_lengths, bonus)
    if not grid.n or not grid.m:
        return [Bead((i,), (), 0.0, False) for i in range(grid.n)] + [
            Bead((), (j,), 0.0, False) for j in range(grid.m)
        ]
    return grid.best_path()


class _Grid:
    def __init__(self, left, right, left_lengths, right_lengths, bonus):
        self.n, self.m = len(left), len(right)
        self.sim = np.asarray(left, dtype=np.float64) @ np.asarray(right, dtype=np.float64).T
        self.left_next = _neighbour_similarity(left)
        self.right_next = _neighbour_similarity(right)
        self.left_lengths = _lengths(left_lengths, self.n)
        self.right_lengths = _lengths(right_lengths, self.m)
        total_left, total_right = sum(self.left_lengths), sum(self.right_lengths)
        self.ratio = total_right / total_left if total_left and total_right else 1.0
        self.bonus = bonus
        self.band = max(BAND_MIN, math.ceil(BAND_SHARE * max(self.n, self.m)))

    def best_path(self) -> list[Bead]:
        score = np.full((self.n + 1, self.m + 1), -np.inf)
        move = np.zeros((self.n + 1, self.m + 1), dtype=np.int8)
        score[0, 0] = 0.0
        for i in range(self.n + 1):
            for j in range(self.m + 1):
                if (i or j) and self._in_band(i, j):
                    score[i, j], move[i, j] = self._best_move(score, i, j)
        return self._beads(move)

    def _in_band(self, i: int, j: int) -> bool:
        return abs(i * self.m / self.n - j) <= self.band

    def _best_move(self, score, i, j) -> tuple[float, int]:
        best, best_move = -np.inf, 0
        for index, (di, dj) in enumerate(MOVES):
            if di <= i and dj <= j and score[i - di, j - dj] > -np.inf:
                value = score[i - di, j - dj] + self.value(i - di, i, j - dj, j)
                if value > best:
                    best, best_move = value, index
        return best, best_move

    def value(self, i0, i1, j0, j1) -> float:
        """The score of the bead left[i0:i1] ↔ right[j0:j1]."""
        if i0 == i1 or j0 == j1:
            return SKIP_SIMILARITY / 2
        size = (i1 - i0 + j1 - j0) / 2
        if size == 1:
            return self.adjusted(i0, i1, j0, j1)
        if self.similarity(i0, i1, j0, j1) < self.sim[i0:i1, j0:j1].max() - MERGE_TOLERANCE:
            # Joining made the match worse: one side has a unit the other lacks, which is
            # a unit left unmatched, not a translator's split.
            return -np.inf
        return (self.adjusted(i0, i1, j0, j1) - MERGE_PENALTY) * size

    def similarity(self, i0, i1, j0, j1) -> float:
        """Cosine of the two groups' summed vectors."""
        total = self.sim[i0:i1, j0:j1].sum()
        return float(
            total / (self._norm(self.left_next, i0, i1) * self._norm(self.right_next, j0, j1))
        )

    def adjusted(self, i0, i1, j0, j1) -> float:
        value = self.similarity(i0, i1, j0, j1)
        left_length = sum(self.left_lengths[i0:i1]) * self.ratio
        right_length = sum(self.right_lengths[j0:j1])
        if left_length and right_length:
            value -= LENGTH_WEIGHT * abs(math.log(left_length / right_length))
        if self.bonus is not None:
            value += float(self.bonus[i0:i1, j0:j1].mean())
        return value

    @staticmethod
    def _norm(neighbours, start, end) -> float:
        """|v_start + … + v_end-1| for one unit vector or two."""
        return 1.0 if end - start == 1 else math.sqrt(max(2 + 2 * neighbours[start], 1e-9))

    def _beads(self, move) -> list[Bead]:
        i, j, path = self.n, self.m, []
        while i or j:
            di, dj = MOVES[move[i, j]]
            path.append((i - di, i, j - dj, j))
            i, j = i - di, j - dj
        path.reverse()
        margins = _margins(self.sim, path)
        return [self._bead(span, margin) for span, margin in zip(path, margins, strict=True)]

    def _bead(self, span, margin) -> Bead:
        i0, i1, j0, j1 = span
        if i0 == i1 or j0 == j1:
            return Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 0.0, False)
        similarity = self.similarity(i0, i1, j0, j1)
        confident = similarity >= CONFIDENT_SIMILARITY and margin >= CONFIDENT_MARGIN
        return Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), round(similarity, 4), confident)


def _margins(sim: np.ndarray, path) -> list[float]:
    """Per bead: how much more its units are like each other than like the nearest unit
    outside the bead (the best pair inside minus the best pair leaving it)."""
    margins = []
    for i0, i1, j0, j1 in path:
        if i0 == i1 or j0 == j1:
            margins.append(0.0)
            continue
        inside = sim[i0:i1, j0:j1].max()
        rows, columns = sim[i0:i1].copy(), sim[:, j0:j1].copy()
        rows[:, j0:j1] = -np.inf
        columns[i0:i1, :] = -np.inf
        outside = max(rows.max(initial=-1.0), columns.max(initial=-1.0))
        margins.append(float(inside - outside))
    return margins


def _neighbour_similarity(vectors) -> np.ndarray:
    """v[k] · v[k+1] for each k: what a two-unit group's norm needs."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if len(vectors) < 2:
        return np.zeros(0)
    return np.einsum("ij,ij->i", vectors[:-1], vectors[1:])


def _lengths(lengths, count: int) -> list[float]:
    return [float(length) for length in lengths] if lengths is not None else [1.0] * count
