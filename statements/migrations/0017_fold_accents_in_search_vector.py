"""Search folds accents: the search_vector column is built from the text with its accented
Latin letters folded (statements.folding), so that "Erdogan" finds "Erdoğan".

PostgreSQL cannot change a generated column's expression in place: the column is dropped
and added again (a rewrite of the table), with its two GIN indexes. Then the champion lists
are made anew, since the words (and the counts of words) of every statement with an accent
have changed.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.comparison
import django.db.models.functions.math
import django.db.models.lookups
from django.db import migrations, models

import statements.models


def vector():
    config = models.Case(
        *[
            models.When(
                language=code,
                then=django.db.models.functions.comparison.Cast(
                    models.Value(name), statements.models.RegConfigField()
                ),
            )
            for code, name in [
                ("en", "english"),
                ("ru", "russian"),
                ("fr", "french"),
                ("de", "german"),
                ("es", "spanish"),
            ]
        ],
        default=django.db.models.functions.comparison.Cast(
            models.Value("simple"), statements.models.RegConfigField()
        ),
        output_field=statements.models.RegConfigField(),
    )
    text = statements.models.Folded("text")
    return models.GeneratedField(
        db_persist=True,
        expression=django.contrib.postgres.search.SearchVector(text, config=config),
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


SAMPLE = models.Q(
    django.db.models.lookups.Exact(django.db.models.functions.math.Mod("id", 100), 0)
)


def rebuild_champions(apps, schema_editor):
    from statements import champions

    if apps.get_model("statements", "Statement").objects.exists():
        champions.rebuild()


class Migration(migrations.Migration):
    # Not in one transaction: champions.rebuild VACUUMs its tables, which no transaction may
    # hold (an interrupted run is finished by `manage.py build_champions`).
    atomic = False
    dependencies = [("statements", "0016_statement_words_digest")]

    operations = [
        migrations.RemoveIndex(model_name="statement", name="statement_search_gin"),
        migrations.RemoveIndex(model_name="statement", name="statement_sample_gin"),
        migrations.RemoveField(model_name="statement", name="search_vector"),
        migrations.AddField(model_name="statement", name="search_vector", field=vector()),
        migrations.AddIndex(
            model_name="statement",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="statement_search_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=SAMPLE, fields=["search_vector"], name="statement_sample_gin"
            ),
        ),
        migrations.RunPython(rebuild_champions, migrations.RunPython.noop),
    ]
