"""The reference engine a user might pick instead of PostgreSQL: tantivy (a Lucene-class
library, BM25 with block-max WAND pruning), in process, over the same statements.

`build(database_url)` copies every statement into an index under var/tantivy/ (English text
stemmed with tantivy's English stemmer, Russian with its Russian one); `time_classes()` runs the
benchmark's query classes on it: the top 20 (pruned, no total), and the top 20 with the exact
total, which tantivy can only give by visiting every match, as PostgreSQL does.
"""

import shutil
import time
from pathlib import Path

import tantivy

PROJECT = Path(__file__).resolve().parent.parent
INDEX_DIR = PROJECT / "var" / "tantivy"
PAGE_SIZE = 20


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, fast=True)
    builder.add_text_field("text_en", tokenizer_name="en_stem")
    builder.add_text_field("text_ru", tokenizer_name="ru_stem")
    builder.add_text_field("speaker", tokenizer_name="raw", fast=True)
    builder.add_integer_field("date", fast=True, indexed=True)  # yyyymmdd
    return builder.build()


def open_index(create: bool = False) -> tantivy.Index:
    if create:
        shutil.rmtree(INDEX_DIR, ignore_errors=True)
        INDEX_DIR.mkdir(parents=True)
    index = tantivy.Index(schema(), path=str(INDEX_DIR), reuse=not create)
    russian = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("russian"))
        .build()
    )
    index.register_tokenizer("ru_stem", russian)
    return index


def build() -> float:
    """Index every statement of Django's database; returns the seconds taken."""
    from bench.database import connect

    connection = connect()
    started = time.perf_counter()
    index = open_index(create=True)
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    with connection.cursor(name="statements") as cursor:
        cursor.itersize = 20_000
        cursor.execute(
            "SELECT s.id, s.language, s.text, coalesce(sp.slug, ''), "
            "coalesce(to_char(s.date, 'YYYYMMDD')::int, 0) "
            "FROM statements_statement s LEFT JOIN statements_speaker sp ON sp.id = s.speaker_id"
        )
        for pk, language, text, speaker, day in cursor:
            field = "text_ru" if language == "ru" else "text_en"
            writer.add_document(
                tantivy.Document(**{"id": pk, field: text, "speaker": speaker, "date": day})
            )
    writer.commit()
    writer.wait_merging_threads()
    connection.close()
    return time.perf_counter() - started


def query_string(params: dict) -> str:
    """The benchmark's search parameters in tantivy's query language."""
    parts = []
    if params.get("q"):
        parts.append(f"({params['q']})")
    if params.get("speaker"):
        parts.append(f"speaker:{params['speaker']}")
    if params.get("date_from") or params.get("date_to"):
        low = params.get("date_from", "1900-01-01").replace("-", "")
        high = params.get("date_to", "2999-12-31").replace("-", "")
        parts.append(f"date:[{low} TO {high}]")
    return " AND ".join(parts) or "*"


def time_classes(classes: dict[str, dict], repeat: int) -> dict[str, list[float]]:
    """Milliseconds per search, for each class: top 20 without and with the exact total."""
    index = open_index()
    index.reload()
    searcher = index.searcher()
    timings = {}
    for name, params in classes.items():
        query = index.parse_query(
            query_string(params), ["text_en", "text_ru"], conjunction_by_default=True
        )
        offset = (int(params.get("page", 1)) - 1) * PAGE_SIZE
        for count in (False, True):
            samples = []
            for attempt in range(repeat + 1):
                started = time.perf_counter()
                found = searcher.search(query, limit=PAGE_SIZE, offset=offset, count=count)
                if attempt:
                    samples.append((time.perf_counter() - started) * 1000)
            label = f"{name} (+count: {found.count} matches)" if count else name
            timings[label] = samples
    return timings
