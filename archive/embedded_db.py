"""Embedded PostgreSQL for machines without a database server.

When DATABASE_URL is unset, settings call `database_url()`, which starts a pgserver
(PostgreSQL 16 shipped as a Python package) with its data under var/pgdata, or reuses
the one already running there, and returns its connection URL. The server keeps
running after the process exits so the next command (migrate, runserver, pytest)
reuses it; `make db-stop` stops it.
"""

import warnings
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PGDATA = PROJECT_DIR / "var" / "pgdata"


def database_url() -> str:
    """Start (or reuse) the embedded server and return a URL for its `postgres` database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here.
        warnings.simplefilter("ignore", UserWarning)
        import pgserver

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: do not stop the server when this process exits, so that
    # every manage.py command does not pay for a PostgreSQL start and stop.
    # As root, pgserver runs PostgreSQL as its own unprivileged `pgserver` user.
    server = pgserver.get_server(PGDATA, cleanup_mode=None)
    return server.get_uri()


def stop() -> None:
    """Stop the embedded server if one is running under var/pgdata."""
    if not (PGDATA / "postmaster.pid").exists():
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import pgserver

    pgserver.get_server(PGDATA, cleanup_mode="stop").cleanup()
