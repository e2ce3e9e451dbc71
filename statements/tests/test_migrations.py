"""The data migrations, run on rows as they were stored before them."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from statements.models import Statement, Transcript

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migration(suffix: str):
    """The migration module whose name ends with `suffix` (its number changes as others land)."""
    (path,) = MIGRATIONS.glob(f"[0-9]*_{suffix}.py")
    return importlib.import_module(f"statements.migrations.{path.stem}")


def clean_stored_rows() -> None:
    with connection.schema_editor() as editor:
        migration("http_source_urls_clean_text").clean_stored_rows(apps, editor)


def store(table: str, pk: int, **values) -> None:
    """Write `values` as a row held them before the migration (past every check in Python)."""
    columns = ", ".join(f"{column} = %s" for column in values)
    with connection.cursor() as cursor:
        if table == "statements_transcript":  # the constraint the migration adds comes later
            cursor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS transcript_source_url_http"
            )
        cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*values.values(), pk])


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "ftp://example.org/file",
        "//example.org/relative",
        "not a url",
    ],
)
def test_the_migration_blanks_source_urls_that_are_not_http(seed, url):
    store("statements_transcript", seed.pk, source_url=url)
    clean_stored_rows()
    seed.refresh_from_db()
    assert seed.source_url == ""


def test_the_migration_keeps_http_and_https_source_urls(seed, russian):
    store("statements_transcript", seed.pk, source_url="https://mid.ru/en/press/1/")
    store("statements_transcript", russian.pk, source_url="HTTP://mid.ru/ru/press/1/")
    clean_stored_rows()
    assert sorted(Transcript.objects.values_list("source_url", flat=True)) == [
        "HTTP://mid.ru/ru/press/1/",
        "https://mid.ru/en/press/1/",
    ]


def test_the_migration_cleans_line_endings_and_control_characters_in_statements(seed):
    statement = seed.statements.get(position=2)
    store(
        "statements_statement",
        statement.pk,
        text="One\r\n\r\nTwo\rThree\u2028Four\x08 five\tsix\x7f",
        speaker_label="Ques\x0ction",
        note="retranslated\x1b",
    )
    clean_stored_rows()
    statement.refresh_from_db()
    assert statement.text == "One\n\nTwo\nThree\nFour five\tsix"
    assert (statement.speaker_label, statement.note) == ("Question", "retranslated")


def test_the_migration_leaves_clean_statements_untouched(seed):
    before = list(Statement.objects.order_by("id").values_list("id", "text", "speaker_label"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM statements_statement ORDER BY id")
        versions = cursor.fetchall()
        clean_stored_rows()
        cursor.execute("SELECT xmin::text FROM statements_statement ORDER BY id")
        assert cursor.fetchall() == versions  # no row rewritten
    assert (
        list(Statement.objects.order_by("id").values_list("id", "text", "speaker_label")) == before
    )


def test_the_migration_cleans_transcript_titles(seed):
    store("statements_transcript", seed.pk, title="A\r\ntitle\x07")
    clean_stored_rows()
    seed.refresh_from_db()
    assert seed.title == "A\ntitle"


def test_the_search_vector_follows_the_cleaned_text(seed):
    statement = seed.statements.get(position=2)
    store("statements_statement", statement.pk, text="zebra\x08crossing")
    clean_stored_rows()
    assert Statement.objects.filter(pk=statement.pk, search_vector="zebracrossing").exists()
