"""What the benchmark scripts share when they print figures: percentiles of timings, and
the machine's load beside them (figures on two shared cores vary with it)."""

import statistics
import subprocess


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 (nearest rank) and the maximum of `samples`."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def uptime() -> str:
    """`uptime`'s line: the time and the load averages."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
