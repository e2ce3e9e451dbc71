"""Champion lists: for each frequent word, its best statements in relevance order, so that a
search for "president" (in 30 % of a million statements) reads a thousand statements rather
than ranking three hundred thousand.

Relevance is PostgreSQL's `ts_rank` of the statement's search_vector for the query, ties
broken by the newest date, then the highest id (`search.ordered`). For a one-word query that
is the word's own rank, which depends only on how many times the statement has the word
(PostgreSQL's calc_rank_or sums 1/i² over the occurrences; statements' vectors carry no
weights): more occurrences, higher rank. Each `ChampionTerm` (a lexeme of one text-search
configuration, e.g. 'presid' in 'english') keeps a list of statements containing it, of one
of two shapes:

- a *tier*: every statement with at least m occurrences, for the largest m that gives DEPTH
  of them (all the word's statements when it has fewer) — up to MAX_LIST entries;
- else the DEPTH best, cut by ranking key (rank, date, id).

Either way the list answers for a rank: every statement ranking above its cutoff rank — at
it too, for a tier — is in the list (`entries`). So the entries it answers for, in key
order, are exactly the word's most relevant statements; after any filter (a speaker, a date
range) the surviving ones are exactly the filtered search's first ones, as long as enough
survive (`search` checks, and otherwise ranks every match). And no statement outside a list
ranks above its `outside_rank` for the word, which bounds what OR queries can miss.

How it stays so:
- A database trigger (migration 0005) adds every inserted or edited statement to the list
  of each word it contains where its rank is one the list answers for. Lists only grow,
  so a statement is compared with nothing but the cutoff, and parallel imports need no
  lock; `min_occurrences` lets it skip most words of a statement without ranking them. A
  deleted statement's entries go with it (a trigger over the deleted rows, migration 0021:
  the entries carry no foreign keys, whose per-row checks cost more than the inserts).
- `add_new_frequent_words()` gives the words that became frequent their lists, as an
  import ends (`import_transcripts`), without touching the others.
- `trim()` settles lists that grew past MAX_LIST again (`build_champions --trim`).
- `rebuild()` (`manage.py build_champions`) makes every list anew, for the words frequent
  now. A word that became frequent by other ways than an import (edits) has no list until
  then, and is searched as a rare one is (through the GIN index: slower, never wrong).
"""

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connection, transaction

from archive.routers import read_connection
from statements.languages import (
    CONFIGS,
    FALLBACK_CONFIG,
    SEARCH_CONFIGS,
    config_sql,
    languages_of,
)
from statements.models import SAMPLE_EVERY

# Entries kept per word: as deep as relevance order can be paged (search.MAX_RESULTS).
DEPTH = 1000
# Words in at least this many statements get a list. Below it, a search ranks every match:
# a few thousand rows, a few milliseconds. (Each list also costs every import: the trigger
# adds the new statements it answers for.)
MIN_STATEMENTS = 5000
# A list may hold a whole tier of statements (all those with at least m occurrences) up to
# this length; `trim` settles lists that grew longer.
MAX_LIST = 5 * DEPTH

# The configuration a statement's search_vector is built with, in SQL (as the trigger has it).
STATEMENT_CONFIG = config_sql("statement.language")
# Statements joined with the champion terms of the words they contain (as the trigger does).
STATEMENT_WORDS = f"""
    FROM statements_statement AS statement
    CROSS JOIN LATERAL unnest(statement.search_vector) AS word (lexeme, positions, weights)
    JOIN statements_championterm AS term
        ON term.lexeme = word.lexeme AND term.config = {STATEMENT_CONFIG}
"""
RANKING_ORDER = "rank DESC, date DESC NULLS LAST, statement_id DESC"


def rebuild(
    *,
    min_statements: int = MIN_STATEMENTS,
    depth: int = DEPTH,
    report: Callable[[str], None] = lambda message: None,
) -> int:
    """Make every champion list anew from the statements; returns the number of words.

    One transaction: searches keep the old lists until it commits. Imports wait (the
    statements are locked against writes), so that no statement is saved unseen."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("LOCK TABLE statements_statement IN SHARE MODE")
        cursor.execute("DELETE FROM statements_champion")
        cursor.execute("DELETE FROM statements_championterm")
        with _timed(report, "frequent words counted"):
            words = _frequent_words(cursor, min_statements)
        report(f"{words} frequent words")
        with _timed(report, "candidates ranked"):
            _estimate_min_occurrences(cursor, depth)
            _create_candidates(cursor)
            _rank_candidates(cursor)
        with _timed(report, "short words taken in full"):
            _take_short_words_whole(cursor, depth)
        with _timed(report, "lists settled"):
            _settle(cursor, "champion_candidates", depth, MAX_LIST)
    with connection.cursor() as cursor:
        # The old lists' rows are dead now: clear them (and the statistics) right away,
        # whatever autovacuum's schedule.
        cursor.execute("VACUUM ANALYZE statements_championterm, statements_champion")
    return words


def add_new_frequent_words(
    *, min_statements: int = MIN_STATEMENTS, depth: int = DEPTH, connections: int = 1
) -> int:
    """Lists for the words that became frequent since the lists were made (an import ends
    with this): incrementally, the other lists untouched. Returns how many words.

    The words without lists are counted (`_counted_candidates`: in a large archive, in the
    sample); each in `min_statements` or more gets its terms and lists as `rebuild` makes
    them, from all its statements (`_add_words`). That reads every statement of each word,
    so with `connections` > 1 the words are shared among as many database connections,
    each making its share's lists in its own transaction, on its own core — but inside a
    caller's transaction all on its connection (no other could see its statements)."""
    with connection.cursor() as cursor:
        counts = _counted_candidates(cursor, min_statements)
    frequent = {word for (_config, word), count in counts.items() if count >= min_statements}
    if not frequent:
        return 0
    to_read = dict.fromkeys(frequent, 0)  # each word's statements, in all configurations
    for (_config, word), count in counts.items():
        if word in frequent:
            to_read[word] += count
    shares = _shares(to_read, 1 if connection.in_atomic_block else connections)
    if len(shares) == 1:
        return _add_words(shares[0], counts, depth)
    with ThreadPoolExecutor(len(shares)) as pool:
        made = pool.map(lambda share: _add_words_apart(share, counts, depth), shares)
        return sum(made)


def _shares(to_read: dict[str, int], parts: int) -> list[list[str]]:
    """The words in at most `parts` shares of about as many statements to read each: the
    largest first, each to the share with the fewest so far."""
    shares: list[list[str]] = [[] for _ in range(min(parts, len(to_read)))]
    sizes = [0] * len(shares)
    for word in sorted(to_read, key=lambda word: (-to_read[word], word)):
        smallest = sizes.index(min(sizes))
        shares[smallest].append(word)
        sizes[smallest] += to_read[word]
    return [sorted(share) for share in shares]


def _add_words(words: list[str], counts: dict[tuple[str, str], int], depth: int) -> int:
    """Terms and lists for these words, in one transaction; returns how many got them (not
    those another import's end made meanwhile). Imports wait while the lists are made (a
    statement saved meanwhile would miss them)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE statements_statement IN SHARE MODE")
        added = _add_terms(cursor, words, counts)
        if not added:
            return 0
        _create_candidates(cursor)
        _take_whole(cursor, list(added))
        _settle(cursor, "champion_candidates", depth, MAX_LIST)
        return len(set(added.values()))


def _add_words_apart(words: list[str], counts: dict[tuple[str, str], int], depth: int) -> int:
    """`_add_words` on this thread's own connection, closed after."""
    try:
        return _add_words(words, counts, depth)
    finally:
        connection.close()


@contextmanager
def _timed(report: Callable[[str], None], what: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    report(f"{what} in {time.perf_counter() - started:.1f} s")


def _estimate_min_occurrences(cursor, depth: int) -> None:
    """Ranking every statement of every word would cost minutes. A statement with fewer
    occurrences of a word ranks below one with more, so each word takes the statements
    with at least as many occurrences as, says the sample, twice `depth` statements have
    (all of them where the sample cannot tell)."""
    cursor.execute(
        f"""
        WITH counted AS (
            SELECT term.id AS term_id, cardinality(word.positions) AS occurrences,
                   count(*) AS statements
            {STATEMENT_WORDS}
            WHERE mod(statement.id, {SAMPLE_EVERY}) = 0
            GROUP BY 1, 2
        ), cumulated AS (
            SELECT term_id, occurrences,
                   sum(statements) OVER (PARTITION BY term_id ORDER BY occurrences DESC)
                       AS at_least
            FROM counted
        )
        UPDATE statements_championterm AS term SET min_occurrences = enough.occurrences
        FROM (
            SELECT term_id, max(occurrences) AS occurrences FROM cumulated
            WHERE at_least * {SAMPLE_EVERY} >= 2 * %s GROUP BY term_id
        ) AS enough
        WHERE term.id = enough.term_id
        """,
        [depth],
    )


def _create_candidates(cursor) -> None:
    """The transaction's table of candidate entries, shaped like the lists' own."""
    cursor.execute(
        "CREATE TEMPORARY TABLE champion_candidates ON COMMIT DROP AS "
        "SELECT term_id, statement_id, rank, date, occurrences FROM statements_champion"
        " WITH NO DATA"
    )


def _rank_candidates(cursor) -> None:
    """Every statement with at least its term's min_occurrences of the word, ranked: one
    pass over all the statements' words."""
    cursor.execute(
        f"""
        INSERT INTO champion_candidates
        SELECT term.id, statement.id, ts_rank(statement.search_vector, term.query),
               statement.date, cardinality(word.positions)
        {STATEMENT_WORDS}
        WHERE cardinality(word.positions) >= term.min_occurrences
        """
    )
    cursor.execute("CREATE INDEX ON champion_candidates (term_id, occurrences)")
    cursor.execute("ANALYZE champion_candidates")


def _take_short_words_whole(cursor, depth: int) -> None:
    """Where the sample overestimated a word (fewer than `depth` candidates), take all its
    statements instead."""
    cursor.execute(
        """
        SELECT term.id FROM statements_championterm AS term
        LEFT JOIN (
            SELECT term_id, count(*) AS taken FROM champion_candidates GROUP BY term_id
        ) AS candidates ON candidates.term_id = term.id
        WHERE term.min_occurrences > 1 AND coalesce(candidates.taken, 0) < %s
        """,
        [depth],
    )
    short = [row[0] for row in cursor.fetchall()]
    if short:
        cursor.execute("DELETE FROM champion_candidates WHERE term_id = ANY (%s)", [short])
        _take_whole(cursor, short)


def _take_whole(cursor, term_ids: list[int]) -> None:
    """Every statement of these terms' words as candidates, found through the GIN index
    (each word is in a few thousand statements at most in its configuration): once per
    word, whatever the number of its configurations.

    A statement's occurrences of the word are read off its rank (a one-word rank depends
    on nothing else: `statements_occurrence_rank`, for the 256 positions a vector keeps
    at most), from a table of the 256 ranks; unnesting the whole vector, as the trigger
    does for a statement's every word, made this ten times slower. Should a rank not be in
    the table (a vector with weights), the occurrences are counted from the vector with
    only that lexeme kept."""
    cursor.execute(
        "UPDATE statements_championterm SET min_occurrences = 1 WHERE id = ANY (%s)", [term_ids]
    )
    cursor.execute(
        f"""
        WITH found AS MATERIALIZED (
            -- each word's statements once, ranked (the query is the same in every
            -- configuration); joined with the word's terms only then, or the statements
            -- are read once per configuration
            SELECT wanted.lexeme, statement.id, statement.date,
                   {STATEMENT_CONFIG} AS config,
                   ts_rank(statement.search_vector, wanted.query) AS rank
            FROM (
                SELECT DISTINCT lexeme, query FROM statements_championterm
                WHERE id = ANY (%(ids)s)
            ) AS wanted
            JOIN statements_statement AS statement ON statement.search_vector @@ wanted.query
        ), known AS MATERIALIZED (
            -- the ranks of 1 to 256 occurrences, in order: found.rank's place is its count
            -- (made once: inlined, it could be planned as made again for every row)
            SELECT array_agg(statements_occurrence_rank(count) ORDER BY count) AS ranks
            FROM generate_series(1, 256) AS count
        )
        INSERT INTO champion_candidates
        SELECT term.id, found.id, found.rank, found.date, coalesce(
                   array_position((SELECT ranks FROM known), found.rank),
                   (SELECT cardinality(word.positions)
                    FROM statements_statement AS statement, unnest(ts_filter(
                        setweight(statement.search_vector, 'A', ARRAY[found.lexeme]), '{{a}}'
                    )) AS word
                    WHERE statement.id = found.id)
               )
        FROM found
        JOIN statements_championterm AS term
            ON term.lexeme = found.lexeme AND term.config = found.config
        WHERE term.id = ANY (%(ids)s)
        """,
        {"ids": term_ids},
    )


# Below this many statements the words are counted in all of them (ts_stat: a fraction of
# a second), above it in the sample: counting a few hundred words near the threshold
# exactly after every import would cost seconds.
SAMPLED_FROM = 20_000


def _counted_candidates(cursor, min_statements: int) -> dict[tuple[str, str], int]:
    """(config, word) → statements, for the words without lists: exactly in a small
    archive, else as the sample counts them (× SAMPLE_EVERY; ~15 % off at the threshold,
    so a word may get its list an import earlier or later than an exact count would say).
    Only the words in half of `min_statements` or more."""
    cursor.execute(f"SELECT count(*) FROM statements_statement WHERE mod(id, {SAMPLE_EVERY}) = 0")
    sample = cursor.fetchone()[0] * SAMPLE_EVERY >= SAMPLED_FROM
    scale = SAMPLE_EVERY if sample else 1
    counts = {}
    for config in CONFIGS:
        cursor.execute(
            "SELECT word, ndoc * %s FROM ts_stat(%s) AS stat"
            " WHERE ndoc * %s >= %s AND NOT EXISTS ("
            "   SELECT FROM statements_championterm AS term WHERE term.lexeme = stat.word)",
            [scale, _vectors_sql(config, sample=sample), scale, min_statements / 2],
        )
        counts |= {(config, word): count for word, count in cursor.fetchall()}
    return counts


def _add_terms(cursor, words: list[str], counts: dict[tuple[str, str], int]) -> dict[int, str]:
    """Terms for these words in every configuration (as `_frequent_words` makes them), but
    for words that have them already; returns the new terms' ids and words."""
    rows = [(config, word, counts.get((config, word), 0)) for word in words for config in CONFIGS]
    configs, lexemes, statements = (list(column) for column in zip(*rows, strict=True))
    cursor.execute(
        """
        INSERT INTO statements_championterm
            (config, lexeme, query, statement_count, cutoff_rank, cutoff_date,
             cutoff_statement, min_occurrences, outside_rank, built_at)
        SELECT config, lexeme, statements_lexeme_query(lexeme), statements, -1, NULL, 0, 1, 0,
               now()
        FROM unnest(%s::regconfig[], %s::text[], %s::int[]) AS new (config, lexeme, statements)
        ON CONFLICT (config, lexeme) DO NOTHING
        RETURNING id, lexeme
        """,
        [configs, lexemes, statements],
    )
    return dict(cursor.fetchall())


def trim(*, depth: int = DEPTH, longest: int | None = None) -> int:
    """Settle every list that grew past `longest` (MAX_LIST) entries again: back to a
    tier of `depth` or more, or to its `depth` best. Returns the number of lists cut."""
    longest = MAX_LIST if longest is None else longest
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT term.id FROM statements_championterm AS term
            WHERE term.id IN (
                SELECT term_id FROM statements_champion GROUP BY term_id HAVING count(*) > %s
            )
            ORDER BY term.id FOR UPDATE
            """,
            [longest],
        )
        grown = [row[0] for row in cursor.fetchall()]
        if grown:
            cursor.execute(
                """
                CREATE TEMPORARY TABLE champion_entries ON COMMIT DROP AS
                WITH taken AS (
                    DELETE FROM statements_champion WHERE term_id = ANY (%s) RETURNING *
                )
                SELECT term_id, statement_id, rank, date, occurrences FROM taken
                """,
                [grown],
            )
            _settle(cursor, "champion_entries", depth, longest)
        return len(grown)


def _settle(cursor, source: str, depth: int, longest: int) -> None:
    """Make the lists of the terms in the table `source` from their entries there, and
    set their cutoffs. `source` holds, for each term, every statement with at least its
    min_occurrences — or, for a list already cut by ranking key, that list.

    Each list becomes a *tier* where it can: every statement with at least m occurrences,
    for the largest m that gives `depth` of them, if that is at most `longest`; its cutoff
    then admits any statement with m, and none outside has more than m - 1 (outside_rank).
    Otherwise it keeps its `depth` best, cut by ranking key. A word in fewer than `depth`
    statements keeps them all."""
    _settle_kinds(cursor, source, depth, longest)
    _keep_tiers(cursor, source)
    _keep_best(cursor, source, depth)
    cursor.execute("DROP TABLE settled")


ENTRY_COLUMNS = "term_id, statement_id, rank, date, occurrences"


def _settle_kinds(cursor, source: str, depth: int, longest: int) -> None:
    """The table `settled`: for each term of `source`, its list's kind — 'whole' (fewer
    than `depth` statements), 'tier' (and its occurrences m), or 'best' (cut by ranking
    key; a list already cut so stays so)."""
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE settled ON COMMIT DROP AS
        WITH levels AS (
            SELECT term_id, occurrences, count(*) AS statements FROM {source}
            GROUP BY term_id, occurrences
        ), cumulated AS (
            SELECT term_id, occurrences,
                   sum(statements) OVER (PARTITION BY term_id ORDER BY occurrences DESC)
                       AS at_least
            FROM levels
        ), tiers AS (
            -- the most occurrences that still give `depth` statements, else the fewest
            SELECT DISTINCT ON (term_id) term_id, occurrences, at_least FROM cumulated
            ORDER BY term_id, (at_least >= %(depth)s) DESC,
                     CASE WHEN at_least >= %(depth)s THEN occurrences ELSE -occurrences END DESC
        )
        SELECT tiers.term_id, tiers.occurrences AS tier,
               CASE WHEN term.cutoff_statement <> 0 THEN 'best'
                    WHEN tiers.at_least < %(depth)s THEN 'whole'
                    WHEN tiers.at_least <= %(longest)s THEN 'tier'
                    ELSE 'best' END AS kind
        FROM tiers JOIN statements_championterm AS term ON term.id = tiers.term_id
        """,
        {"depth": depth, "longest": longest},
    )


def _keep_tiers(cursor, source: str) -> None:
    """The lists that are tiers or whole: their entries, and cutoffs at the tier's rank."""
    columns = ENTRY_COLUMNS
    cursor.execute(
        f"""
        INSERT INTO statements_champion ({columns})
        SELECT {", ".join(f"entry.{column}" for column in columns.split(", "))}
        FROM {source} AS entry JOIN settled USING (term_id)
        WHERE (settled.kind = 'tier' AND entry.occurrences >= settled.tier)
            OR settled.kind = 'whole'
        """
    )
    cursor.execute(
        """
        UPDATE statements_championterm AS term SET
            cutoff_rank = CASE WHEN settled.kind = 'whole' THEN -1
                               ELSE statements_occurrence_rank(settled.tier) END,
            cutoff_date = NULL, cutoff_statement = 0,
            min_occurrences = CASE WHEN settled.kind = 'whole' THEN 1 ELSE settled.tier END,
            outside_rank = CASE WHEN settled.kind = 'whole' THEN 0
                                ELSE statements_occurrence_rank(settled.tier - 1) END
        FROM settled WHERE settled.term_id = term.id AND settled.kind IN ('tier', 'whole')
        """
    )


def _keep_best(cursor, source: str, depth: int) -> None:
    """The lists cut by ranking key: their `depth` best, and cutoffs at the last one."""
    columns = ENTRY_COLUMNS
    cursor.execute(
        f"""
        INSERT INTO statements_champion ({columns})
        SELECT {columns} FROM (
            SELECT entry.*, row_number() OVER (
                PARTITION BY entry.term_id ORDER BY {RANKING_ORDER}
            ) AS place
            FROM {source} AS entry JOIN settled USING (term_id) WHERE settled.kind = 'best'
        ) AS ranked
        WHERE place <= %s
        """,
        [depth],
    )
    cursor.execute(
        """
        UPDATE statements_championterm AS term SET
            cutoff_rank = last.rank, cutoff_date = last.date,
            cutoff_statement = last.statement_id, min_occurrences = last.occurrences,
            outside_rank = last.rank
        FROM (
            SELECT DISTINCT ON (champion.term_id) champion.*
            FROM statements_champion AS champion JOIN settled USING (term_id)
            WHERE settled.kind = 'best'
            ORDER BY champion.term_id, champion.rank, champion.date NULLS FIRST,
                     champion.statement_id
        ) AS last
        WHERE last.term_id = term.id
        """
    )


def _frequent_words(cursor, min_statements: int) -> int:
    """Champion terms for every word in at least `min_statements` statements of some
    configuration, in every configuration: where it is rare or absent too, so that a search
    finds its few statements there from that short list, not through a GIN index that
    holds all its statements in every language."""
    cursor.execute(
        "CREATE TEMPORARY TABLE word_counts (config regconfig, word text, statements int)"
        " ON COMMIT DROP"
    )
    for config in CONFIGS:
        cursor.execute(
            "INSERT INTO word_counts SELECT %s::regconfig, word, ndoc FROM ts_stat(%s)",
            [config, _vectors_sql(config)],
        )
    cursor.execute(
        """
        INSERT INTO statements_championterm
            (config, lexeme, query, statement_count, cutoff_rank, cutoff_date,
             cutoff_statement, min_occurrences, outside_rank, built_at)
        SELECT configs.config, frequent.word, statements_lexeme_query(frequent.word),
               coalesce(counted.statements, 0), -1, NULL, 0, 1, 0, now()
        FROM (SELECT DISTINCT word FROM word_counts WHERE statements >= %s) AS frequent
        CROSS JOIN unnest(%s::regconfig[]) AS configs (config)
        LEFT JOIN word_counts AS counted
            ON counted.word = frequent.word AND counted.config = configs.config
        """,
        [min_statements, CONFIGS],
    )
    cursor.execute("SELECT count(DISTINCT lexeme) FROM statements_championterm")
    return cursor.fetchone()[0]


class Term(NamedTuple):
    id: int
    outside_rank: float  # no statement outside the list ranks higher for the lexeme
    cutoff_rank: float
    tier: bool  # the list also answers for its cutoff rank (cutoff_statement 0)


def entries(terms) -> tuple[str, list]:
    """SQL for the entries (id, rank, date) these lists answer for, each list best first —
    read from its index in that order, so that a search can stop after a page.

    A list answers for the ranks above its cutoff, and a tier for its cutoff rank too:
    every statement of such a rank is in the list. (A list cut by ranking key holds only
    some of the statements at its cutoff rank, the newest when it was cut; the trigger does
    not add later ones there, or each import would add its statements to hundreds of lists
    only for recency to break ties.) The rule is the SQL function
    statements_champion_answers (migration 0014), which the trigger keeping the lists
    applies too."""
    selects, params = [], []
    for term in terms:
        selects.append(
            "(SELECT statement_id AS id, rank, date FROM statements_champion"
            " WHERE term_id = %s AND statements_champion_answers(rank, %s, %s)"
            f" ORDER BY {RANKING_ORDER})"
        )
        params += [term.id, term.cutoff_rank, term.tier]
    return " UNION ALL ".join(selects), params


def terms(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], Term]:
    """The champion terms among these (config, lexeme) pairs."""
    if not pairs:
        return {}
    configs, lexemes = zip(*pairs, strict=True)
    with read_connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT term.config::text, term.lexeme, term.id, term.outside_rank,
                   term.cutoff_rank, term.cutoff_statement = 0
            FROM unnest(%s::regconfig[], %s::text[]) AS wanted (config, lexeme)
            JOIN statements_championterm AS term
                ON term.config = wanted.config AND term.lexeme = wanted.lexeme
            """,
            [list(configs), list(lexemes)],
        )
        return {(config, lexeme): Term(*fields) for config, lexeme, *fields in cursor.fetchall()}


def _languages(config: str) -> tuple[list[str], str]:
    """The languages whose statements `config` indexes, as (codes, SQL operator)."""
    if config == FALLBACK_CONFIG:
        return list(SEARCH_CONFIGS), "<> ALL"
    return languages_of(config), "= ANY"


def _vectors_sql(config: str, sample: bool = False) -> str:
    """The ts_stat query over one configuration's statements, or its sample's (codes are
    our own constants)."""
    codes, operator = _languages(config)
    listed = ", ".join(f"'{code}'" for code in codes)
    in_sample = f" AND mod(id, {SAMPLE_EVERY}) = 0" if sample else ""
    return (
        f"SELECT search_vector FROM statements_statement"
        f" WHERE language {operator} (ARRAY[{listed}]::text[]){in_sample}"
    )
