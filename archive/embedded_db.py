"""Embedded PostgreSQL for machines without a database server.

When DATABASE_URL is unset, settings call `database_url()`, which starts a pgserver
(PostgreSQL 16 shipped as a Python package) with its data under var/pgdata, or reuses
the one already running there, and returns its connection URL. The server keeps
running after the process exits so the next command (migrate, runserver, pytest)
reuses it; `make db-stop` stops it.

PostgreSQL's own defaults (128 MB of shared buffers, 4 MB per sort) suit a machine of
twenty years ago; the server's memory settings are sized from this machine's memory
instead (`memory_settings`), written with ALTER SYSTEM the first time and whenever the
memory changes.
"""

import os
import warnings
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PGDATA = PROJECT_DIR / "var" / "pgdata"
# The settings last applied to the server, so that later starts need no connection.
APPLIED = ".archive-memory"
MB = 1024 * 1024
MAX_CONNECTIONS = 100  # PostgreSQL's default, kept


def database_url(pgdata: Path = PGDATA) -> str:
    """Start (or reuse) the embedded server and return a URL for its `postgres` database."""
    pgserver = _pgserver()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: do not stop the server when this process exits, so that
    # every manage.py command does not pay for a PostgreSQL start and stop.
    # As root, pgserver runs PostgreSQL as its own unprivileged `pgserver` user.
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    url = server.get_uri()
    wanted = memory_settings(total_memory())
    if _applied(pgdata) != wanted:
        _apply(url, wanted)
        # shared_buffers is read only at start: restart (once per machine, in practice).
        pgserver._commands.pg_ctl(
            ["-w", "-m", "fast", "restart"], pgdata=pgdata, user=server.system_user, timeout=60
        )
        (pgdata / APPLIED).write_text(_serialise(wanted))
    return url


def memory_settings(total: int) -> dict[str, str]:
    """PostgreSQL's memory settings for a machine with `total` bytes of memory, by the usual
    rules: a quarter for shared buffers (at most 4 GB: beyond, the kernel's cache does as
    well), three quarters as the planner's idea of what is cached, sorts and hashes a share
    of the memory each connection could use at once, maintenance (index builds, VACUUM) a
    sixteenth."""
    megabytes = total // MB

    def clamp(value: int, low: int, high: int) -> str:
        return f"{max(low, min(high, value))}MB"

    return {
        "shared_buffers": clamp(megabytes // 4, 128, 4096),
        "effective_cache_size": clamp(megabytes * 3 // 4, 512, 1 << 20),
        "work_mem": clamp(megabytes // (4 * MAX_CONNECTIONS), 4, 64),
        "maintenance_work_mem": clamp(megabytes // 16, 64, 1024),
    }


def total_memory() -> int:
    """This machine's memory in bytes, or the container's limit (cgroup v2 or v1) if lower."""
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            limit = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if limit.isdigit():
            return min(physical, int(limit))
    return physical


def stop(pgdata: Path = PGDATA) -> None:
    """Stop the embedded server if one is running under `pgdata`."""
    if not (pgdata / "postmaster.pid").exists():
        return
    _pgserver().get_server(pgdata, cleanup_mode="stop").cleanup()


def _pgserver():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here.
        warnings.simplefilter("ignore", UserWarning)
        import pgserver
        import pgserver._commands  # pg_ctl, for the restart

    return pgserver


def _apply(url: str, settings: dict[str, str]) -> None:
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        connection.autocommit = True  # ALTER SYSTEM cannot run in a transaction
        with connection.cursor() as cursor:
            for name, value in settings.items():  # names and values are our own constants
                cursor.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    finally:
        connection.close()


def _serialise(settings: dict[str, str]) -> str:
    return "".join(f"{name} = {value}\n" for name, value in sorted(settings.items()))


def _applied(pgdata: Path) -> dict[str, str]:
    try:
        lines = (pgdata / APPLIED).read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(" = ", 1) for line in lines if " = " in line)
