"""Search at scale: indexes in the order listings sort by, the estimation sample's partial
indexes, and the champion lists of frequent words with the trigger that keeps them."""

import django.contrib.postgres.indexes
import django.db.models.deletion
import django.db.models.functions.math
import django.db.models.lookups
import statements.models
from django.db import migrations, models


# The configuration each statement's search_vector is built with (models.search_config_expression
# as of this migration); the trigger below must read a statement's words the same way.
STATEMENT_CONFIG = """CASE statement.language
    WHEN 'en' THEN 'english'::regconfig WHEN 'ru' THEN 'russian'::regconfig
    WHEN 'fr' THEN 'french'::regconfig WHEN 'de' THEN 'german'::regconfig
    WHEN 'es' THEN 'spanish'::regconfig ELSE 'simple'::regconfig END"""

CHAMPIONS_SQL = f"""
-- The champion lists follow the statements whatever writes them (the import service, the
-- admin, a re-parse, COPY): a statement deleted takes its entries with it ...
ALTER TABLE statements_champion ADD CONSTRAINT statements_champion_statement_fk
    FOREIGN KEY (statement_id) REFERENCES statements_statement (id) ON DELETE CASCADE;

-- A lexeme as a tsquery of that one lexeme, taken as it is (quotes doubled, backslashes
-- escaped for tsquery's input).
CREATE FUNCTION statements_lexeme_query(lexeme text) RETURNS tsquery
IMMUTABLE STRICT LANGUAGE sql AS $$
    SELECT ('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery
$$;

-- ts_rank of a one-lexeme query for a statement that has the lexeme this many times (all
-- that it depends on: PostgreSQL's calc_rank_or, statements' vectors carry no weights).
CREATE FUNCTION statements_occurrence_rank(occurrences integer) RETURNS real
IMMUTABLE STRICT LANGUAGE sql AS $$
    SELECT CASE WHEN occurrences < 1 THEN 0 ELSE ts_rank(
        ('x:' || array_to_string(ARRAY(SELECT generate_series(1, least(occurrences, 256))), ','))::tsvector,
        'x'::tsquery) END
$$;

-- ... and a statement added or edited joins the list of each frequent word it contains
-- where its ranking key reaches the list's cutoff (see statements/champions.py).
CREATE FUNCTION statements_champions_add(statement_ids bigint[]) RETURNS void
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

CREATE FUNCTION statements_champions_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM statements_champions_add(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END
$$;

CREATE FUNCTION statements_champions_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[] := ARRAY(
        SELECT new_rows.id FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id
        WHERE new_rows.text IS DISTINCT FROM old_rows.text
            OR new_rows.language IS DISTINCT FROM old_rows.language
            OR new_rows.date IS DISTINCT FROM old_rows.date);
BEGIN
    IF cardinality(changed) > 0 THEN
        DELETE FROM statements_champion WHERE statement_id = ANY (changed);
        PERFORM statements_champions_add(changed);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER statements_champions_after_insert AFTER INSERT ON statements_statement
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_champions_after_insert();
CREATE TRIGGER statements_champions_after_update AFTER UPDATE ON statements_statement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_champions_after_update();
"""

DROP_CHAMPIONS_SQL = """
DROP TRIGGER statements_champions_after_update ON statements_statement;
DROP TRIGGER statements_champions_after_insert ON statements_statement;
DROP FUNCTION statements_champions_after_update();
DROP FUNCTION statements_champions_after_insert();
DROP FUNCTION statements_champions_add(bigint[]);
DROP FUNCTION statements_lexeme_query(text);
DROP FUNCTION statements_occurrence_rank(integer);
ALTER TABLE statements_champion DROP CONSTRAINT statements_champion_statement_fk;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('statements', '0004_editors_group'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChampionTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('config', statements.models.RegConfigField()),
                ('lexeme', models.TextField()),
                ('query', statements.models.TsQueryField(help_text='The lexeme as a tsquery, as ts_rank takes it.')),
                ('statement_count', models.PositiveIntegerField(help_text='Statements with it, when built.')),
                ('cutoff_rank', models.FloatField()),
                ('cutoff_date', models.DateField(null=True)),
                ('cutoff_statement', models.BigIntegerField()),
                ('min_occurrences', models.PositiveSmallIntegerField(default=1, help_text="Times the cutoff statement has the lexeme: fewer ranks lower (the trigger's quick test).")),
                ('outside_rank', models.FloatField(default=0, help_text='The highest rank for the lexeme a statement outside the list can have.')),
                ('built_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='Champion',
            fields=[
                ('pk', models.CompositePrimaryKey('term_id', 'statement_id', blank=True, editable=False, primary_key=True, serialize=False)),
                ('rank', models.FloatField()),
                ('date', models.DateField(null=True)),
                ('occurrences', models.PositiveSmallIntegerField(help_text='Times the statement has the lexeme.')),
                ('term', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='champions', to='statements.championterm')),
                ('statement', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='statements.statement')),
            ],
        ),
        migrations.RemoveIndex(
            model_name='statement',
            name='statement_speaker_date',
        ),
        migrations.RemoveIndex(
            model_name='statement',
            name='statement_date',
        ),
        migrations.AlterField(
            model_name='statement',
            name='speaker',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='statements.speaker'),
        ),
        migrations.AlterField(
            model_name='statement',
            name='transcript',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='statements', to='statements.transcript'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(models.OrderBy(models.F('date'), descending=True, nulls_last=True), models.OrderBy(models.F('transcript'), descending=True), models.F('position'), name='statement_newest'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['date', 'transcript', 'position'], name='statement_oldest'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(models.F('speaker'), models.OrderBy(models.F('date'), descending=True, nulls_last=True), models.OrderBy(models.F('transcript'), descending=True), models.F('position'), name='statement_speaker_newest'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(django.db.models.lookups.Exact(django.db.models.functions.math.Mod('id', 100), 0)), fields=['search_vector'], name='statement_sample_gin'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(condition=models.Q(django.db.models.lookups.Exact(django.db.models.functions.math.Mod('id', 100), 0)), fields=['speaker', 'date'], name='statement_sample_speaker'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(condition=models.Q(django.db.models.lookups.Exact(django.db.models.functions.math.Mod('id', 100), 0)), fields=['date'], name='statement_sample_date'),
        ),
        migrations.AddConstraint(
            model_name='championterm',
            constraint=models.UniqueConstraint(fields=('config', 'lexeme'), name='champion_term_unique'),
        ),
        migrations.AddIndex(
            model_name='statementtopic',
            index=models.Index(condition=models.Q(django.db.models.lookups.Exact(django.db.models.functions.math.Mod('statement_id', 100), 0)), fields=['statement', 'topic'], name='statement_topic_sample'),
        ),
        migrations.AddIndex(
            model_name='champion',
            index=models.Index(models.F('term'), models.OrderBy(models.F('rank'), descending=True), models.OrderBy(models.F('date'), descending=True, nulls_last=True), models.OrderBy(models.F('statement'), descending=True), name='champion_ranking'),
        ),
        migrations.RunSQL(CHAMPIONS_SQL, DROP_CHAMPIONS_SQL),
    ]
