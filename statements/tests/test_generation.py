"""The data generation moves on with every committed change, whoever writes it."""

import pytest
from django.db import connection, transaction

from statements import generation, speakers
from statements.importing import import_source
from statements.models import Topic
from statements.tests.conftest import SEED

pytestmark = pytest.mark.django_db(transaction=True)  # the generation moves as changes commit


def test_an_import_moves_the_generation_on_as_it_commits():
    before = generation.current()
    with transaction.atomic():
        import_source(SEED.read_bytes(), filename=SEED.name)  # statements go in with COPY
        assert generation.current() == before  # not before the data is visible to others
    after = generation.current()
    assert after.value > before.value and after.changed_at > before.changed_at


def test_a_rolled_back_change_leaves_the_generation_as_it_was():
    before = generation.current()
    with transaction.atomic():
        Topic.objects.create(name="Syria", query="Syria")
        transaction.set_rollback(True)
    assert generation.current() == before


def test_every_change_moves_it_on_once_per_transaction():
    first = generation.current()
    Topic.objects.create(name="Syria", query="Syria")
    second = generation.current()
    with transaction.atomic():
        Topic.objects.update(query="Idlib")
        Topic.objects.create(name="Energy", query="gas")
        Topic.objects.filter(name="Energy").delete()
    third = generation.current()
    assert first.value < second.value < third.value
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM statements_data_change")
        assert cursor.fetchone() == (0,)  # each transaction's note is gone with it


def test_refreshed_speaker_counts_move_it_on():
    before = generation.current()
    speakers.refresh_stats()  # a materialized view: no table trigger sees it
    assert generation.current().value > before.value


def test_a_table_added_by_a_later_migration_is_watched_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE statements_later (id int)")
    try:
        generation.watch_new_tables()  # what post_migrate runs
        before = generation.current()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO statements_later VALUES (1)")
        assert generation.current().value > before.value
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE statements_later")
