"""The digest of a statement's words — lower-cased, punctuation and spacing ignored — and
an index on it, by which imports find near duplicates (statements/duplicates.py). The
function is the one definition: the index and the look-ups both call it, so the
statements' digests and the probes' are computed alike."""

from django.db import migrations, models

WORDS_DIGEST = r"""
CREATE FUNCTION statements_words_digest(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN md5(lower(regexp_replace($1, '\W+', ' ', 'g')));
"""


class Migration(migrations.Migration):

    dependencies = [
        ('statements', '0015_alerts'),
    ]

    operations = [
        migrations.RunSQL(WORDS_DIGEST, "DROP FUNCTION statements_words_digest(text)"),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(models.Func('text', function='statements_words_digest', output_field=models.TextField()), name='statement_words_digest'),
        ),
    ]
