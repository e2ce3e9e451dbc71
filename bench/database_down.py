#!/usr/bin/env python3
"""How long a page and the API take to answer while the database is stopped or frozen.

Usage:
    python bench/database_down.py

Makes a throwaway PostgreSQL 15 cluster under var/ (statements/tests/postgres.py), migrates
it, serves the project from it with gunicorn (one worker, gunicorn.conf.py's threads), then
times `/` and `/api/statements/` (wall clock, one request each, in order): with the
database up; frozen (every PostgreSQL process SIGSTOPped: the worker's open connection
first, then a new one); thawed; stopped (pg_ctl stop); started again. Prints the status and
seconds of each and the machine's load. The target: 503 within a few seconds, never a
request held until gunicorn kills its worker, and 200 again as soon as the database is back.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django

django.setup()

from statements.tests.postgres import Cluster  # noqa: E402
from statements.tests.servers import get, gunicorn, project_env  # noqa: E402


def probe(base: str, state: str) -> None:
    for path in ("/", "/api/statements/"):
        started = time.monotonic()
        try:
            outcome = get(base + path, timeout=120).status
        except OSError as error:  # the worker was killed under the request
            outcome = type(error).__name__
        print(f"{state:<10} {path:<18} {outcome!s:<20} {time.monotonic() - started:6.2f} s")


def main() -> None:
    cluster = Cluster()
    try:
        cluster.start()
        url = cluster.url("postgres")
        migrate = [sys.executable, "manage.py", "migrate", "--verbosity", "0"]
        subprocess.run(migrate, check=True, env=project_env(DATABASE_URL=url))
        with gunicorn(DATABASE_URL=url) as base:
            probe(base, "up")
            cluster.freeze()
            probe(base, "frozen")
            cluster.thaw()
            probe(base, "thawed")
            cluster.stop()
            probe(base, "stopped")
            cluster.start()
            probe(base, "started")
    finally:
        cluster.remove()
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
