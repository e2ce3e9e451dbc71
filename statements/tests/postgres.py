"""A throwaway PostgreSQL cluster for the tests that stop the database or fill its disk:
made with the machine's PostgreSQL 15 binaries under var/, on a free port, run as the
postgres user when the tests run as root (PostgreSQL refuses to run as root)."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from contextlib import suppress
from pathlib import Path

import psycopg2
from django.conf import settings

BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    return (BIN / "initdb").exists() and (os.geteuid() != 0 or shutil.which("runuser") is not None)


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """initdb, start, stop, a database in it, and a psycopg2 connection to it."""

    def __init__(self):
        root = Path(settings.BASE_DIR) / "var"
        root.mkdir(exist_ok=True)
        self.home = Path(tempfile.mkdtemp(prefix="throwaway-pg-", dir=root))
        self.data = self.home / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
        self._run(BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync")

    def _run(self, *command) -> None:
        subprocess.run(_as_postgres(*map(str, command)), check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = self.home / "server.log"
        self._run(BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        connection = psycopg2.connect(self.url(database))
        connection.autocommit = True
        return connection

    def execute(self, sql: str, database: str = "postgres") -> list[tuple]:
        connection = self.connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def processes(self) -> list[int]:
        """The postmaster and its children (backends, checkpointer, …)."""
        postmaster = (self.data / "postmaster.pid").read_text().split()[0]
        found = subprocess.run(["pgrep", "-P", postmaster], capture_output=True, text=True)
        return [int(postmaster), *map(int, found.stdout.split())]

    def freeze(self) -> None:
        """What a hung server looks like: every process stopped, its sockets still open."""
        for pid in self.processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.processes():
            os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        with suppress(subprocess.CalledProcessError):  # stopped already
            self.stop("immediate")
        shutil.rmtree(self.home, ignore_errors=True)
