"""Near duplicates: a transcript already in the archive with (almost) the same words under
another header — a date line or a title worded otherwise — which the content hash, taken
over the whole text, cannot see.

Finding candidates is cheap at any size: a few of the new transcript's longest statements
are looked up by the digest of their words (lower-cased, punctuation and spacing ignored:
the SQL function `statements_words_digest`, migration 0016), which an expression index on
the statements answers in a few index probes. Only the transcripts found that way have
their words compared: `similarity`, the share of words the two have in common. One query
per batch of imports, whatever it finds (and one more to name a near duplicate found).
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from statements.models import Transcript
from statements.parsing import ParsedTranscript

# The share of words two transcripts must have in common to be near duplicates.
SIMILAR = 0.95
# Statements of a transcript looked up (its longest), and the fewest words one must have
# (short ones — "Thank you." — are in thousands of transcripts and tell nothing).
PROBES = 5
PROBE_WORDS = 12
# Transcripts compared at most per new one (those sharing the most looked-up statements).
CANDIDATES = 5

WORD = re.compile(r"\w+")


@dataclass
class NearDuplicate:
    transcript: Transcript
    similarity: float  # 0.95 … 1.0

    @property
    def percent(self) -> int:
        return int(self.similarity * 100)


def words(texts) -> Counter:
    return Counter(word for text in texts for word in WORD.findall(text.lower()))


def similarity(first: Counter, second: Counter) -> float:
    """The words the two have in common (counted with repeats) over the larger's count."""
    larger = max(sum(first.values()), sum(second.values()))
    return sum((first & second).values()) / larger if larger else 0.0


def near_duplicates(parsed: list[ParsedTranscript]) -> list[NearDuplicate | None]:
    """For each of `parsed`, the archive's transcript it nearly duplicates (the most similar,
    ≥ SIMILAR), or None. One query for the lot (`_candidates`), and one more to name those
    found."""
    candidates = _candidates(parsed)
    best = []
    for index, each in enumerate(parsed):
        mine = words(paragraph for s in each.statements for paragraph in s.paragraphs)
        scored = [(similarity(mine, theirs), pk) for pk, theirs in candidates[index].items()]
        best.append(max(scored, default=(0.0, None)))
    found = {pk for score, pk in best if score >= SIMILAR}
    transcripts = Transcript.objects.defer("source_text").in_bulk(found) if found else {}
    return [NearDuplicate(transcripts[pk], score) if pk in found else None for score, pk in best]


def _probes(parsed: ParsedTranscript) -> list[str]:
    texts = ["\n\n".join(statement.paragraphs) for statement in parsed.statements]
    long = [text for text in texts if len(WORD.findall(text)) >= PROBE_WORDS]
    return sorted(long, key=len, reverse=True)[:PROBES]


# The stored transcripts holding the words of a probe, at most CANDIDATES per new
# transcript (those sharing the most probes), with the text of their statements. Each
# probe is looked up on its own (LATERAL), and each candidate's statements by its id, so
# that the plan is index look-ups whatever the statistics say: with the probes known at
# planning and the table's statistics stale (autovacuum off, a large import under way),
# PostgreSQL chose to hash the digest of every statement instead — 20 s a batch at
# 120,000 statements. A probe's matches are capped: a boilerplate paragraph in thousands
# of transcripts tells nothing.
PROBE_MATCHES = 50
CANDIDATES_SQL = """
WITH hits AS (
    SELECT probe.owner, found.transcript_id, count(*) AS probes
    FROM unnest(%s::text[], %s::int[]) AS probe (text, owner)
    CROSS JOIN LATERAL (
        SELECT statement.transcript_id FROM statements_statement AS statement
        WHERE statements_words_digest(statement.text) = statements_words_digest(probe.text)
        LIMIT %s
    ) AS found
    GROUP BY 1, 2
), best AS (
    SELECT owner, transcript_id FROM (
        SELECT owner, transcript_id,
               row_number() OVER (PARTITION BY owner ORDER BY probes DESC, transcript_id) AS rank
        FROM hits
    ) AS ranked
    WHERE rank <= %s
)
SELECT best.owner, best.transcript_id, statement.text
FROM best CROSS JOIN LATERAL (
    SELECT text FROM statements_statement WHERE transcript_id = best.transcript_id
) AS statement
"""


def _candidates(parsed: list[ParsedTranscript]) -> list[dict[int, Counter]]:
    """Per transcript of `parsed`: the stored transcripts that hold the same words as one of
    its probes, with their words. One query, answered by the digest index."""
    texts, owners = [], []
    for index, each in enumerate(parsed):
        for text in _probes(each):
            texts.append(text)
            owners.append(index)
    found: list[dict[int, list[str]]] = [{} for _ in parsed]
    with connection.cursor() as cursor:  # even without probes: a batch's queries are fixed
        cursor.execute(CANDIDATES_SQL, [texts, owners, PROBE_MATCHES, CANDIDATES])
        for owner, transcript, text in cursor.fetchall():
            found[owner].setdefault(transcript, []).append(text)
    return [{pk: words(each) for pk, each in mine.items()} for mine in found]
