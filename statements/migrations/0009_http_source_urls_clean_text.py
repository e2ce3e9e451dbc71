"""Stored rows cleaned as every entry point now cleans what comes in: source addresses
that are not absolute http(s) URLs blanked (issue 10.1), and control characters and
CR / CRLF / U+2028 line endings taken out of statements' and transcripts' text as
`statements.parsing.text.clean_text` does (issues 10.3, 11.1). The text is cleaned in SQL,
only in the rows that need it, so that it takes one pass over a million statements; the
search vectors are generated columns and follow."""

import statements.models
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import migrations, models

# As `clean_text`, in PostgreSQL's regular-expression syntax: the line breaks it turns into
# "\n", the control characters it removes (no NUL: PostgreSQL text cannot hold it), and
# either, to find the rows to clean.
LINE_BREAKS = r"\r\n|[\r\u2028\u2029\x85]"
CONTROLS = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"
TO_CLEAN = r"[\x01-\x08\x0b-\x1f\x7f\u2028\u2029\x85]"

TEXT_COLUMNS = {
    "statements_statement": ["text", "speaker_label", "speaker_role", "note", "questioner", "outlet"],
    "statements_transcript": ["title", "place"],
}


def clean_stored_rows(apps, schema_editor):
    blank_unsafe_source_urls(apps)
    with schema_editor.connection.cursor() as cursor:
        for table, columns in TEXT_COLUMNS.items():
            cursor.execute(_cleaning_update(table, columns), _cleaning_params(columns))


def blank_unsafe_source_urls(apps):
    Transcript = apps.get_model("statements", "Transcript")
    valid = URLValidator(schemes=["http", "https"])
    unsafe = []
    for pk, url in Transcript.objects.exclude(source_url="").values_list("pk", "source_url"):
        try:
            valid(url)
        except ValidationError:
            unsafe.append(pk)
    Transcript.objects.filter(pk__in=unsafe).update(source_url="")


def _cleaning_update(table: str, columns: list[str]) -> str:
    cleaned = ", ".join(
        f"{column} = regexp_replace(regexp_replace({column}, %s, E'\\n', 'g'), %s, '', 'g')"
        for column in columns
    )
    dirty = " OR ".join(f"{column} ~ %s" for column in columns)
    return f"UPDATE {table} SET {cleaned} WHERE {dirty}"


def _cleaning_params(columns: list[str]) -> list[str]:
    return [LINE_BREAKS, CONTROLS] * len(columns) + [TO_CLEAN] * len(columns)


class Migration(migrations.Migration):

    dependencies = [
        ('statements', '0008_statementtopic_index'),
    ]

    operations = [
        migrations.RunPython(clean_stored_rows, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='transcript',
            name='source_url',
            field=statements.models.HttpURLField(blank=True, max_length=500),
        ),
        migrations.AddConstraint(
            model_name='transcript',
            constraint=models.CheckConstraint(condition=models.Q(('source_url', ''), ('source_url__iregex', '^https?://'), _connector='OR'), name='transcript_source_url_http', violation_error_message='Enter an absolute http:// or https:// address.'),
        ),
    ]
