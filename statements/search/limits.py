"""Every query of a public search in one transaction, under a statement timeout."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, transaction

# The routed database's connection: a public search reads from a replica (archive/routers.py).
from archive.routers import read_connection as connection

QUERY_CANCELED = "57014"  # PostgreSQL's error code when statement_timeout stops a query


class SearchTimeout(Exception):
    """A public search ran past its statement timeout."""


@contextmanager
def public_query_limits() -> Iterator[None]:
    """One transaction for a search's queries, each capped by SEARCH_TIMEOUT_MS, without
    JIT compilation (it costs a broad query ~100 ms and pays back only on far longer ones)
    and without parallel workers (on a small server busy with many searches, starting them
    costs more than they save)."""
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET LOCAL statement_timeout = %s; SET LOCAL jit = off;"
                    " SET LOCAL max_parallel_workers_per_gather = 0",
                    [settings.SEARCH_TIMEOUT_MS],
                )
            yield
    except OperationalError as error:
        if canceled(error):
            raise SearchTimeout(str(error)) from error
        raise


def canceled(error: OperationalError) -> bool:
    """Whether statement_timeout stopped the query."""
    return getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED
