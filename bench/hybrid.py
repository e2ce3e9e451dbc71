#!/usr/bin/env python3
"""How fast is search by meaning fused with search by words, beside full-text alone?

Usage (on a database with pgvector: the embedded pgserver has it):
    DATABASE_URL=<pgserver URL of a database "bench_languages"> .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python bench/make_corpus.py --statements 150000 --reset
    DATABASE_URL=… .venv/bin/python bench/hybrid.py --vectors   # once: the corpus's vectors
    DATABASE_URL=… .venv/bin/python bench/hybrid.py [--repeat 10]

--vectors gives every statement a vector and builds the HNSW index. The corpus's statements
are real paragraphs recombined (English) and template sentences (Russian) — see
bench/make_corpus.py — so each distinct paragraph (English) or sentence (Russian) is encoded
once and a statement's vector is the normalised sum of its parts' (the mean-pooling the
encoder does within a text, done across its parts): encoding 150,000 whole statements would
take an hour of this shared machine. The search's cost depends on the vectors' number,
dimension and spread, not on how they were made.

Then it times `Search(params).results(1)` in this process — the page's whole search: count,
ranking, fusion, snippets, including encoding the query — for each query class, hybrid and
full-text alone (search by meaning switched off), and prints p50/p95/max in milliseconds.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.timing import percentiles, uptime  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

QUERIES = {
    "English words": {"q": "security cooperation"},
    "English phrase": {"q": '"nuclear weapons"'},
    "English question by meaning": {"q": "what did they agree about gas supplies to Europe"},
    "Russian words": {"q": "сотрудничество"},
    "Russian by meaning": {"q": "переговоры о мирном урегулировании"},
    "English + language=ru": {"q": "economic cooperation", "language": "ru"},
    "Russian + language=en": {"q": "экономическое сотрудничество", "language": "en"},
    "English + a year": {"q": "terrorism", "date_from": "2015-01-01", "date_to": "2015-12-31"},
    "English + a speaker": {"q": "sanctions", "speaker": "maria-zakharova"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", action="store_true", help="Make the corpus's vectors.")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    if args.vectors:
        make_vectors()
        return
    print(f"uptime: {uptime()}")
    report(args.repeat)


def make_vectors() -> None:
    import numpy as np
    from django.db import connection

    from statements import embeddings, vectors
    from statements.models import Statement

    rows = list(Statement.objects.order_by("pk").values_list("pk", "language", "text"))
    parts = {pk: _parts(language, text) for pk, language, text in rows}
    unique = sorted({part for found in parts.values() for part in found})
    started = time.perf_counter()
    encoded = {}
    for start in range(0, len(unique), 512):
        batch = unique[start : start + 512]
        encoded.update(zip(batch, embeddings.encode(batch), strict=True))
    print(f"{len(unique)} distinct parts encoded in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(f"DROP INDEX IF EXISTS {vectors.INDEX}")
        cursor.execute("TRUNCATE statements_statementembedding")
        buffer = io.StringIO()
        for pk, _, _ in rows:
            vector = np.sum([encoded[part] for part in parts[pk]], axis=0)
            vector /= np.linalg.norm(vector)
            values = ",".join(f"{value:.5f}" for value in vector)
            buffer.write(f"{pk}\t{embeddings.MODEL}\t{{{values}}}\tnow\n")
        buffer.seek(0)
        cursor.copy_from(
            buffer,
            "statements_statementembedding",
            columns=["statement_id", "model", "vector", "embedded_at"],
        )
        started = time.perf_counter()
        vectors.install(connection)
        print(f"HNSW index over {len(rows)} vectors built in {time.perf_counter() - started:.0f} s")
        cursor.execute("ANALYZE statements_statementembedding")


def _parts(language: str, text: str) -> list[str]:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if language != "ru":
        return paragraphs or [text]
    return [s.strip() for p in paragraphs for s in p.split(". ") if s.strip()] or [text]


def report(repeat: int) -> None:
    from statements.models import Statement, StatementEmbedding
    from statements.search import Search, hybrid

    print(
        f"{Statement.objects.count()} statements, {StatementEmbedding.objects.count()} vectors, "
        f"pgvector index: {hybrid.available()}"
    )
    available = hybrid.available
    print(
        f"{'class':32} {'hybrid p50/p95/max ms':>24} {'full-text p50/p95/max ms':>26}  found by meaning"
    )
    all_hybrid, all_text = [], []
    for name, params in QUERIES.items():
        hybrid.available = available
        fused = timings(params, repeat)
        extra = Search(params).results(1).count - _text_count(params, hybrid, available)
        hybrid.available = lambda: False
        text = timings(params, repeat)
        hybrid.available = available
        all_hybrid += fused
        all_text += text
        print(f"{name:32} {_figures(fused):>24} {_figures(text):>26}  {extra:+d}")
    print(f"{'all':32} {_figures(all_hybrid):>24} {_figures(all_text):>26}")


def _text_count(params, hybrid, available) -> int:
    from statements.search import Search

    hybrid.available = lambda: False
    try:
        return Search(params).results(1).count
    finally:
        hybrid.available = available


def timings(params: dict, repeat: int) -> list[float]:
    from statements.search import Search

    Search(params).results(1)  # warm: the first query also loads the encoder
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        Search(params).results(1)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _figures(times: list[float]) -> str:
    return " / ".join(f"{figure:.0f}" for figure in percentiles(times))


if __name__ == "__main__":
    main()
