#!/usr/bin/env python3
"""Fill a database the way an operator would: real-text transcripts (bench/import.py's
generator: bench/make_corpus.py's paragraphs in mid.ru's plain-text layout, 30 % Russian)
written as files, then imported with `manage.py import_transcripts` — nothing loaded
behind the command's back.

Usage:
    DATABASE_URL=postgres://…/bench150k .venv/bin/python bench/import_corpus.py \\
        --statements 150000 [--per-file 30] [--seed 7] [--chunks 1]

The database must be migrated. With --chunks N the files are imported in N successive
imports (each one ends as an import ends: pending list merged, speaker counts, champion
lists for words that became frequent), and the script ends by saying what the last step
cost against the imports without it (the target: at most 10 % into 150,000 statements).
"""

import argparse
import importlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus

bench_import = importlib.import_module("import")  # bench/import.py: its file writer
# The line `import_transcripts -v 2` prints for its last step.
LISTS_STEP = re.compile(r"champion lists for new frequent words made \(.*?\) in ([0-9.]+) s")


def generator_for(seed: int):
    """bench/import.py's generator of transcripts (its parse-safe paragraphs)."""
    pool = make_corpus.build_pool(1)
    cast = make_corpus.make_cast(2000, 1)
    return make_corpus.Generator(bench_import.safe_pool(pool, cast), cast, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--per-file", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--chunks", type=int, default=1)
    args = parser.parse_args()
    files = args.statements // args.per_file
    generator = generator_for(args.seed)
    per_chunk = -(-files // args.chunks)
    total_import = total_step = 0.0
    for chunk in range(args.chunks):
        first = chunk * per_chunk
        count = min(per_chunk, files - first)
        folder = bench_import.OUTPUT / f"corpus-{args.seed}" / f"chunk-{chunk}"
        started = time.perf_counter()
        bench_import.write_files(generator, folder, count, args.per_file, first)
        print(f"chunk {chunk}: {count} files written in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        imported = subprocess.run(
            [
                sys.executable,
                str(make_corpus.BASE_DIR / "manage.py"),
                "import_transcripts",
                "-v",
                "2",
                str(folder),
            ],
            check=True,
            env=os.environ,
            stdout=subprocess.PIPE,
            text=True,
        )
        elapsed = time.perf_counter() - started
        print(imported.stdout, end="")
        print(f"chunk {chunk}: imported in {elapsed:.1f} s", flush=True)
        step = LISTS_STEP.search(imported.stdout)
        if step:
            total_import += elapsed
            total_step += float(step.group(1))
    if total_step:
        # The measure: what the step adds to the import without it.
        print(
            f"lists for new frequent words: {total_step:.2f} s of {total_import:.1f} s imported,"
            f" {100 * total_step / (total_import - total_step):.1f} % of the imports without them"
        )


if __name__ == "__main__":
    main()
