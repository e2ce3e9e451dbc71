"""The data generation: which state of the archive's data a page was made from.

A number that moves on whenever a transaction that changed any of the archive's tables
commits — whatever wrote it: the import service (COPY included), the admin, a re-parse, a
merge, a topic's tagging, a test, psql — because database triggers move it, not the code
that writes (migration 0013 says how). A cached page is keyed by it (archive/pagecache.py):
the first request after a change makes the page anew.

Only what the triggers cannot see must say so itself (`note_change`): a materialized
view refreshed (SpeakerStats).
"""

from datetime import datetime
from typing import NamedTuple

from django.db import connections


class Generation(NamedTuple):
    value: int
    changed_at: datetime  # when it moved on


def current(using: str = "default") -> Generation:
    """The generation of the data the database `using` shows now. Read before a page's
    data, the page is at least as new as the generation it is filed under."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT value, changed_at FROM statements_data_generation")
        return Generation(*cursor.fetchone())


def note_change(using: str = "default") -> None:
    """Move the generation on as the current transaction commits (at once in autocommit),
    for a change that no table trigger sees."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT statements_note_data_change()")


def watch_new_tables(using: str = "default", **kwargs) -> None:
    """Put the data-change trigger on every table of the app that lacks it: after each
    migrate, so that tables added by later migrations are watched with no one thinking
    of it. (A post_migrate receiver.)"""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'statements_watch_data_tables'")
        if cursor.fetchone():  # not when migrated back before 0013
            cursor.execute("SELECT statements_watch_data_tables()")
