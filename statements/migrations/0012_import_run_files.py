"""An import's file list as rows (ImportRunFile) instead of a JSON list on the run: a batch
records its files in its own transaction, so the list holds every file saved whatever
stops the import, and adding a file costs one row, not a rewrite of the whole list."""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models


def files_to_rows(apps, schema_editor):
    ImportRun = apps.get_model("statements", "ImportRun")
    ImportRunFile = apps.get_model("statements", "ImportRunFile")
    Transcript = apps.get_model("statements", "Transcript")
    for run in ImportRun.objects.exclude(files=[]).iterator():
        known = set(
            Transcript.objects.filter(
                pk__in=[entry.get("transcript") for entry in run.files if entry.get("transcript")]
            ).values_list("pk", flat=True)
        )
        ImportRunFile.objects.bulk_create(
            ImportRunFile(
                run=run,
                position=position,
                name=entry["name"],
                outcome=entry["outcome"],
                transcript_id=entry.get("transcript") if entry.get("transcript") in known else None,
                statements=entry.get("statements") or 0,
                new_speakers=entry.get("new_speakers") or [],
                error=entry.get("error") or "",
            )
            for position, entry in enumerate(run.files)
        )


def rows_to_files(apps, schema_editor):
    ImportRun = apps.get_model("statements", "ImportRun")
    for run in ImportRun.objects.all().iterator():
        run.files = [
            {
                "name": row.name,
                "outcome": row.outcome,
                "transcript": row.transcript_id,
                "error": row.error,
                **({"statements": row.statements, "new_speakers": row.new_speakers}
                   if row.outcome == "imported" else {}),
            }
            for row in run.file_entries.order_by("position", "id")
        ]
        run.save(update_fields=["files"])


class Migration(migrations.Migration):

    dependencies = [
        ('statements', '0011_permanent_record'),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportRunFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(help_text="The file's place in the import.")),
                ('name', models.TextField()),
                ('outcome', models.CharField(choices=[('imported', 'Imported'), ('duplicate', 'Duplicate, skipped'), ('near_duplicate', 'Near duplicate, skipped'), ('failed', 'Failed')], default='failed', max_length=20)),
                ('statements', models.PositiveIntegerField(default=0)),
                ('new_speakers', django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), blank=True, default=list, size=None)),
                ('error', models.TextField(blank=True)),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='file_entries', to='statements.importrun')),
                ('transcript', models.ForeignKey(blank=True, help_text='The transcript saved, or the one it duplicates.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='statements.transcript')),
            ],
            options={
                'indexes': [models.Index(fields=['run', 'position'], name='import_run_file_order')],
            },
        ),
        migrations.RunPython(files_to_rows, rows_to_files),
        migrations.RemoveField(
            model_name='importrun',
            name='files',
        ),
    ]
