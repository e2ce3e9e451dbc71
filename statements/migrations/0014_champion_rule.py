"""The rule for which statements a champion list answers for, in one place: the SQL
function statements_champion_answers, which both the trigger that keeps the lists
(statements_champions_add, of migration 0005) and the search's reading of them
(champions.entries) call. An IMMUTABLE one-expression SQL function (not STRICT, which
would keep it from being inlined): PostgreSQL inlines it, so the search's index scan
reads as before."""

from django.db import migrations

# The configuration of a statement's search_vector, as of migration 0005 (the trigger must
# read its words the same way).
STATEMENT_CONFIG = """CASE statement.language
    WHEN 'en' THEN 'english'::regconfig WHEN 'ru' THEN 'russian'::regconfig
    WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig
    WHEN 'es' THEN 'spanish'::regconfig ELSE 'simple'::regconfig END"""

RULE_SQL = f"""
-- A list answers for every statement ranking above its cutoff rank, and a tier (every
-- statement with at least m occurrences) for those at its cutoff rank too.
CREATE FUNCTION statements_champion_answers(
    rank double precision, cutoff_rank double precision, tier boolean
) RETURNS boolean IMMUTABLE LANGUAGE sql AS $$
    SELECT rank > cutoff_rank OR (tier AND rank >= cutoff_rank)
$$;

CREATE OR REPLACE FUNCTION statements_champions_add(statement_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO statements_champion (term_id, statement_id, rank, date, occurrences)
    SELECT term_id, statement_id, rank, date, occurrences FROM (
        SELECT term.id AS term_id, statement.id AS statement_id, statement.date,
               cardinality(word.positions) AS occurrences,
               ts_rank(statement.search_vector, term.query) AS rank,
               term.cutoff_rank, term.cutoff_statement
        FROM statements_statement AS statement
        CROSS JOIN LATERAL unnest(statement.search_vector) AS word (lexeme, positions, weights)
        JOIN statements_championterm AS term
            ON term.lexeme = word.lexeme AND term.config = {STATEMENT_CONFIG}
        WHERE statement.id = ANY (statement_ids)
            -- fewer occurrences rank lower: most words of a statement stop here, unranked
            AND cardinality(word.positions) >= term.min_occurrences
        OFFSET 0
    ) AS candidate
    WHERE statements_champion_answers(rank, cutoff_rank, cutoff_statement = 0)
    ON CONFLICT DO NOTHING
$$;
"""

OLD_SQL = f"""
CREATE OR REPLACE FUNCTION statements_champions_add(statement_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO statements_champion (term_id, statement_id, rank, date, occurrences)
    SELECT term_id, statement_id, rank, date, occurrences FROM (
        SELECT term.id AS term_id, statement.id AS statement_id, statement.date,
               cardinality(word.positions) AS occurrences,
               ts_rank(statement.search_vector, term.query) AS rank,
               term.cutoff_rank, term.cutoff_statement
        FROM statements_statement AS statement
        CROSS JOIN LATERAL unnest(statement.search_vector) AS word (lexeme, positions, weights)
        JOIN statements_championterm AS term
            ON term.lexeme = word.lexeme AND term.config = {STATEMENT_CONFIG}
        WHERE statement.id = ANY (statement_ids)
            -- fewer occurrences rank lower: most words of a statement stop here, unranked
            AND cardinality(word.positions) >= term.min_occurrences
        OFFSET 0
    ) AS candidate
    -- what the list holds: every statement ranking above its cutoff, and for a tier
    -- (cutoff_statement 0) every one reaching it (champions.entries)
    WHERE rank > cutoff_rank OR (cutoff_statement = 0 AND rank >= cutoff_rank)
    ON CONFLICT DO NOTHING
$$;
DROP FUNCTION statements_champion_answers(double precision, double precision, boolean);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("statements", "0013_data_generation"),
    ]

    operations = [migrations.RunSQL(RULE_SQL, OLD_SQL)]
