"""The data generation: a number every transaction that changes the archive's data moves
on, as it commits, so that a cached page can be keyed by the data it was made from
(statements/generation.py, archive/pagecache.py).

Every table of this app gets a statement-level trigger (`statements_watch_data_tables`,
run here and after every migrate, so that tables added later are watched too) that notes
the transaction in statements_data_change; a deferred constraint trigger there moves the
generation on at commit, once per transaction. Deferred, because the generation's row is
then locked only for the moment of the commit: parallel imports do not queue behind each
other's whole transactions. In the same transaction as the data, so that the new
generation is visible exactly when the new data is (on a replica too: it is replayed with
it). The number comes from a sequence, which a rollback does not take back: a generation
once seen never stands for other data."""

from django.db import migrations

GENERATION_SQL = r"""
CREATE SEQUENCE statements_data_generation_seq;
CREATE TABLE statements_data_generation (
    single boolean PRIMARY KEY DEFAULT true CHECK (single),
    value bigint NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO statements_data_generation VALUES (true, nextval('statements_data_generation_seq'), clock_timestamp());

-- The transactions that changed data and have not committed yet (a row lives from the
-- first change to the commit).
CREATE TABLE statements_data_change (txid bigint PRIMARY KEY);

CREATE FUNCTION statements_note_data_change() RETURNS void LANGUAGE sql AS $$
    INSERT INTO statements_data_change VALUES (txid_current()) ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION statements_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM statements_note_data_change();
    RETURN NULL;
END
$$;

CREATE FUNCTION statements_data_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements_data_generation
        SET value = nextval('statements_data_generation_seq'), changed_at = clock_timestamp();
    DELETE FROM statements_data_change WHERE txid = NEW.txid;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER statements_data_generation_bump
    AFTER INSERT ON statements_data_change DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION statements_data_generation_bump();

-- Watch every table of the app (but the generation's own, and those no public page shows)
-- that is not watched yet; returns how many it started watching.
CREATE FUNCTION statements_watch_data_tables() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    watched regclass;
    added integer := 0;
BEGIN
    FOR watched IN
        SELECT class.oid::regclass FROM pg_class AS class
        JOIN pg_namespace AS namespace ON namespace.oid = class.relnamespace
        WHERE class.relkind = 'r' AND namespace.nspname = current_schema()
            AND class.relname LIKE 'statements\_%'
            AND class.relname NOT IN ('statements_data_generation', 'statements_data_change')
            -- what only the admin shows: import history, previews waiting for confirmation
            AND NOT class.relname LIKE ANY (ARRAY['statements\_importrun%', 'statements\_heldupload%'])
            AND NOT EXISTS (SELECT FROM pg_trigger AS trigger WHERE trigger.tgrelid = class.oid
                            AND trigger.tgname = 'statements_data_changed')
    LOOP
        EXECUTE format(
            'CREATE TRIGGER statements_data_changed'
            ' AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s'
            ' FOR EACH STATEMENT EXECUTE FUNCTION statements_data_changed()', watched);
        added := added + 1;
    END LOOP;
    RETURN added;
END
$$;

SELECT statements_watch_data_tables();
"""

DROP_GENERATION_SQL = r"""
DO $$
DECLARE watched regclass;
BEGIN
    FOR watched IN SELECT tgrelid::regclass FROM pg_trigger WHERE tgname = 'statements_data_changed'
    LOOP
        EXECUTE format('DROP TRIGGER statements_data_changed ON %s', watched);
    END LOOP;
END
$$;
DROP FUNCTION statements_watch_data_tables();
DROP TABLE statements_data_change;
DROP FUNCTION statements_data_generation_bump();
DROP FUNCTION statements_data_changed();
DROP FUNCTION statements_note_data_change();
DROP TABLE statements_data_generation;
DROP SEQUENCE statements_data_generation_seq;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("statements", "0012_import_run_files"),
    ]

    operations = [migrations.RunSQL(GENERATION_SQL, DROP_GENERATION_SQL)]
