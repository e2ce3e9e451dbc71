"""The embedded PostgreSQL (archive/embedded_db.py) is sized for the machine."""

import psycopg2

from archive import embedded_db

GB = 1024**3


def test_memory_settings_follow_the_machines_memory():
    assert embedded_db.memory_settings(16 * GB) == {
        "shared_buffers": "4096MB",
        "effective_cache_size": "12288MB",
        "work_mem": "40MB",
        "maintenance_work_mem": "1024MB",
    }


def test_a_small_machine_keeps_workable_minimums():
    assert embedded_db.memory_settings(1 * GB) == {
        "shared_buffers": "256MB",
        "effective_cache_size": "768MB",
        "work_mem": "4MB",
        "maintenance_work_mem": "64MB",
    }


def test_the_machines_memory_is_read():
    assert 256 * 1024**2 < embedded_db.total_memory() < 64 * 1024 * GB


def test_the_embedded_server_runs_with_the_settings_for_this_machine(tmp_path):
    pgdata = tmp_path / "pgdata"
    url = embedded_db.database_url(pgdata)
    try:
        connection = psycopg2.connect(url)
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, setting, unit FROM pg_settings WHERE name = ANY (%s)",
                [list(embedded_db.memory_settings(0))],
            )
            running = {name: _megabytes(setting, unit) for name, setting, unit in cursor}
        connection.close()
        wanted = embedded_db.memory_settings(embedded_db.total_memory())
        assert running == {name: int(value.removesuffix("MB")) for name, value in wanted.items()}
    finally:
        embedded_db.stop(pgdata)


def _megabytes(setting: str, unit: str) -> int:
    factor = {"8kB": 8 / 1024, "kB": 1 / 1024, "MB": 1}[unit]
    return round(int(setting) * factor)
