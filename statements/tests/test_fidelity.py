"""The fidelity targets on the whole real corpus, measured by bench/fidelity.py, whose
turn counts come from the raw files independently of the parser."""

import json
import subprocess
import sys

from django.conf import settings


def test_corpus_turns_and_words_meet_the_targets():
    result = subprocess.run(
        [sys.executable, "bench/fidelity.py", "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    total = report["totals"]
    assert total["errors"] == 0
    assert total["negatives_with_turns"] == 0
    assert total["precision"] >= 0.99 and total["recall"] >= 0.99
    assert abs(total["words_ratio"] - 1) <= 0.01
    assert result.returncode == 0, result.stdout[-2000:]
