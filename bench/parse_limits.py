#!/usr/bin/env python3
"""How long the parser takes on inputs built to make it slow, and what it refuses.

Usage:
    python bench/parse_limits.py [--scale 1.0]

Builds each input in memory and times `parse_source` on it (best of one run; the inputs are
large enough for a single run to mean something): many distinct speaker labels, a 2 MB page
of 60,000 bold labels as HTML and as Markdown, a 3.8 MB one (over the parser's size limit:
refused at once) and the YAML alias bombs of issue 10 (refused at once). Prints, per input, its size, the time (wall clock, and CPU time of
this process: the machine may be shared) and what came out (statements, or the
ParseError's message). The target is under 5 s each. `--scale` shrinks or grows the counts
(0.1 to compare with a slow parser without waiting for it). The target is judged on CPU
time, which the other processes of a shared machine do not change.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statements.parsing import ParseError, parse_source

TARGET_SECONDS = 5.0
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]  # 70 syllables


def name(number: int) -> str:
    """A distinct, name-like pair of words for each number below 343,000: "Bada Kelovi"."""
    first, rest = divmod(number, len(SYLLABLES) ** 2)
    second, third = divmod(rest, len(SYLLABLES))
    given = SYLLABLES[first % len(SYLLABLES)] + SYLLABLES[second]
    return f"{given.capitalize()} {(SYLLABLES[third] + SYLLABLES[second]).capitalize()}ov"


def distinct_labels_text(count: int) -> str:
    turns = "\n\n".join(f"{name(i)}: I am speaker number {i}." for i in range(count))
    return f"Talks of many delegations, Geneva, May 1, 2020\n\n{turns}\n"


def bold_labels_html(count: int) -> str:
    turns = "\n".join(f"<p><b>{name(i)}:</b> Yes.</p>" for i in range(count))
    return (
        "<html><head><title>Forum</title></head><body><h1>Forum, Moscow, May 1, 2020</h1>"
        f'<div itemprop="articleBody">{turns}</div></body></html>'
    )


def bold_labels_markdown(count: int) -> str:
    turns = "\n\n".join(f"**{name(i)}:** Yes, thank you." for i in range(count))
    return f"---\ntitle: Forum, May 1, 2020\ndate: '2020-05-01'\n---\n{turns}\n"


def alias_bomb(levels: int, width: int) -> str:
    """The billion laughs in YAML: each anchor repeats the previous one `width` times."""
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    lines.append(f"tags: *a{levels - 1}")  # read as the transcript's tags: expanded
    return "---\ntitle: Bomb\n" + "\n".join(lines) + "\n---\nText.\n"


def cases(scale: float) -> list[tuple[str, str, str]]:
    distinct, bold = max(1, int(5000 * scale)), max(1, int(60000 * scale))
    return [
        (f"{distinct:,} distinct labels (text)", "labels.txt", distinct_labels_text(distinct)),
        (f"{bold:,} bold labels (HTML)", "labels.html", bold_labels_html(bold)),
        (f"{bold:,} bold labels (Markdown)", "labels.md", bold_labels_markdown(bold)),
        (f"{2 * bold:,} bold labels (HTML)", "labels2.html", bold_labels_html(2 * bold)),
        ("YAML alias bomb, 9 levels of 9", "bomb.md", alias_bomb(9, 9)),
        ("YAML alias bomb, 10 levels of 10", "bomb10.md", alias_bomb(10, 10)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    scale = parser.parse_args().scale
    slow = 0
    print(f"{'input':38} {'bytes':>10} {'seconds':>8} {'cpu':>6}  result")
    for title, filename, text in cases(scale):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            parsed = parse_source(text, filename=filename)
            result = f"{len(parsed.statements):,} statements, {len(parsed.speakers):,} speakers"
        except ParseError as error:
            result = f"ParseError: {error}"
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        slow += cpu >= TARGET_SECONDS
        size = len(text.encode())
        print(f"{title:38} {size:>10,} {seconds:>8.2f} {cpu:>6.2f}  {result[:100]}")
    print(
        f"target: each under {TARGET_SECONDS:.0f} s of CPU time -- {'met' if not slow else 'MISSED'}"
        f" (wall clock time grows with the machine's load: {os.getloadavg()[0]:.1f} now)"
    )
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
