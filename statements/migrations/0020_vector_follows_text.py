"""A statement's vector goes when its words change, whoever changes them (an editor's
edit, a split or merge, a re-parse's bulk update, psql): the statement is then pending
again and `embed_statements` embeds its new words. A trigger, because several writers
update statements in bulk and none of them must leave a vector of words no longer there."""

from django.db import migrations

FORGET_VECTOR_SQL = r"""
CREATE FUNCTION statements_forget_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM statements_statementembedding WHERE statement_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER statements_forget_vector
    AFTER UPDATE OF text ON statements_statement
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION statements_forget_vector();
"""

DROP_SQL = r"""
DROP TRIGGER statements_forget_vector ON statements_statement;
DROP FUNCTION statements_forget_vector();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0019_embeddings_version_links"),
    ]

    operations = [migrations.RunSQL(FORGET_VECTOR_SQL, DROP_SQL)]
