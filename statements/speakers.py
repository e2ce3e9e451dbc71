"""Curating speakers: merging the duplicates imports created; their statement counts."""

from django.db import connection, transaction

from statements import generation
from statements.models import Speaker


def refresh_stats() -> None:
    """Count every speaker's statements again (SpeakerStats). Readers keep the old counts
    until the new ones are in: about a second at a million statements."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY statements_speakerstats")
    generation.note_change()  # no trigger sees a materialized view refreshed


def merge(keep: Speaker, duplicates: list[Speaker]) -> None:
    """Fold `duplicates` into `keep`: their statements and aliases move to it, their names
    become aliases of it, a role or country `keep` lacks is taken from them, and they are
    deleted. Nothing else is lost: statements keep the role printed with them."""
    with transaction.atomic():
        for duplicate in duplicates:
            if duplicate.pk == keep.pk:
                continue
            duplicate.statements.update(speaker=keep)
            duplicate.aliases.update(speaker=keep)
            keep.add_alias(duplicate.name)
            keep.role = keep.role or duplicate.role
            keep.country = keep.country or duplicate.country
            duplicate.delete()
        keep.save()
    refresh_stats()
