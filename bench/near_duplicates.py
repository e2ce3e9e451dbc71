#!/usr/bin/env python3
"""What finding near duplicates costs per file, on a large archive.

Usage:
    DATABASE_URL=postgres://… .venv/bin/python bench/near_duplicates.py [--files N]

Meant for a database filled by bench/make_corpus.py. For N transcripts picked at random,
their stored source is re-headed (another date line and title wording, the case issue 11.5
describes), parsed, and `duplicates.near_duplicates` is timed on it (one file at a time, as
the admin preview calls it); then the same on N files that duplicate nothing (the seed's
words shuffled). Prints the median, p95 and max per file of each, how many were found, and
the candidate query's plan. Reads only.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from statements import duplicates  # noqa: E402
from statements.models import Statement, Transcript  # noqa: E402
from statements.parsing import ParseError, parse_source  # noqa: E402

SEED = (
    Path(__file__).resolve().parent.parent
    / "fixtures/transcripts/lavrov-atamkulov-2019-01-28.en.txt"
)


def reheaded(text: str) -> str:
    lines = text.split("\n")
    lines[0] = "1 April 203012:00"  # another date line
    for index, line in enumerate(lines[1:], 1):
        if line.strip():
            lines[index] = "Transcript: " + line  # the title worded otherwise
            break
    return "\n".join(lines)


def timed(parsed) -> tuple[float, object]:
    started = time.perf_counter()
    (found,) = duplicates.near_duplicates([parsed])
    return (time.perf_counter() - started) * 1000, found


def summary(name: str, times: list[float], found: int) -> None:
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"{name}: {len(times)} files, found {found}; per file median "
        f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    top = Transcript.objects.order_by("-id").values_list("id", flat=True).first()
    print(
        f"archive: {Statement.objects.count():,} statements, {Transcript.objects.count():,} transcripts"
    )
    times, found = [], 0
    while len(times) < args.files:
        transcript = Transcript.objects.filter(id__gte=rng.randint(1, top)).order_by("id").first()
        try:
            parsed = parse_source(reheaded(transcript.source_text), filename="again.txt")
        except ParseError:
            continue
        ms, near = timed(parsed)
        times.append(ms)
        found += near is not None and near.transcript.pk == transcript.pk
    summary("re-headed copies of stored transcripts", times, found)
    words = SEED.read_text().split()
    times, found = [], 0
    for _ in range(args.files):
        rng.shuffle(words)
        body = " ".join(words)
        text = f"2 April 203012:00\n\nRemarks, Moscow, April 2, 2030\n\nSergey Lavrov: {body}\n"
        ms, near = timed(parse_source(text, filename="new.txt"))
        times.append(ms)
        found += near is not None
    summary("files that duplicate nothing", times, found)
    probes = duplicates._probes(parse_source(reheaded(transcript.source_text), filename="a.txt"))
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, COSTS OFF) " + duplicates.CANDIDATES_SQL,
            [probes, [0] * len(probes), duplicates.CANDIDATES],
        )
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
