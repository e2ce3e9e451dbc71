"""One page of a search, as templates and the API print it."""

import math
from dataclasses import dataclass

from statements import champions
from statements.models import SAMPLE_EVERY, Statement
from statements.search.counting import Facets, Tally

PAGE_SIZE = 20
# How deep results can be paged (50 pages), whatever the order: as deep as the champion
# lists go, and as far as a reader pages before narrowing the search.
MAX_RESULTS = champions.DEPTH


@dataclass
class Results:
    """One page of a search: its statements (with `snippet`), the count and the facets, and
    how the page was ranked (`ranking.Ranked.method`)."""

    statements: list[Statement]
    number: int
    tally: Tally
    ranking: str = ""

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


def page_number(requested, pages: int) -> int:
    """The page a reader asked for (a string from the URL; out of range: the nearest)."""
    try:
        number = int(requested)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), pages)
