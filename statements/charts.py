"""Small charts drawn as SVG geometry on the server: they need no JavaScript."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Bar:
    x: int
    height: float  # 0–100, share of the tallest bar
    month: date
    count: int

    @property
    def y(self) -> float:
        return 100 - self.height


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    width: int  # one unit per month, the SVG's viewBox width
    peak: int
    first: date | None
    last: date | None


def monthly_timeline(counts: dict[date, int]) -> Timeline:
    """One bar per month from the first month with statements to the last, empty months
    included so that gaps show as gaps."""
    if not counts:
        return Timeline([], 0, 0, None, None)
    first, last = min(counts), max(counts)
    peak = max(counts.values())
    bars, month, x = [], first, 0
    while month <= last:
        count = counts.get(month, 0)
        bars.append(Bar(x, 100 * count / peak, month, count))
        month = _next_month(month)
        x += 1
    return Timeline(bars, len(bars), peak, first, last)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
