"""Champion entries without per-row foreign-key checks: an import that makes the lists of
the words it made frequent inserts ~100,000 entries, and each one's checks — the
statement's (a row lock on that statement) and the term's (deferred to the commit) — cost
~1 s of the step's 2.8 s (bench/RESULTS.md, 2026-12-03). Entries are written only by
champions.py, from statements and terms it has just read under a lock, and by migration
0005's insert trigger, for the statement being inserted.

A statement deleted still takes its entries with it, whoever deletes it (a re-parse, the
admin, psql): a statement-level trigger over the deleted rows replaces the foreign key's
ON DELETE CASCADE. A term deleted through Django takes its entries with it (the field's
on_delete); champions.py deletes entries before terms."""

import django.db.models.deletion
from django.db import migrations, models

FORGET_ENTRIES_SQL = r"""
ALTER TABLE statements_champion DROP CONSTRAINT statements_champion_statement_fk;

CREATE FUNCTION statements_forget_champions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM statements_champion WHERE statement_id IN (SELECT id FROM gone);
    RETURN NULL;
END
$$;

CREATE TRIGGER statements_forget_champions
    AFTER DELETE ON statements_statement
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION statements_forget_champions();
"""

KEEP_ENTRIES_SQL = r"""
DROP TRIGGER statements_forget_champions ON statements_statement;
DROP FUNCTION statements_forget_champions();
DELETE FROM statements_champion AS entry
    WHERE NOT EXISTS (SELECT FROM statements_statement WHERE id = entry.statement_id);
ALTER TABLE statements_champion ADD CONSTRAINT statements_champion_statement_fk
    FOREIGN KEY (statement_id) REFERENCES statements_statement (id) ON DELETE CASCADE;
"""


class Migration(migrations.Migration):
    dependencies = [("statements", "0020_vector_follows_text")]

    operations = [
        migrations.RunSQL(FORGET_ENTRIES_SQL, KEEP_ENTRIES_SQL),
        migrations.AlterField(
            model_name="champion",
            name="term",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="champions",
                to="statements.championterm",
            ),
        ),
    ]
