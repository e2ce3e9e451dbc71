"""gunicorn serving the project, for the tests that need a real server (a throwaway
PostgreSQL cluster to serve from: statements/tests/postgres.py)."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from email.message import Message
from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Answer(NamedTuple):
    status: int
    headers: Message
    body: str


def get(url: str, headers: dict | None = None, timeout: float = 30) -> Answer:
    """A GET's answer, without following redirects; also for 4xx/5xx."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return Answer(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read().decode())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django's `settings_dict` describes (the test
    database, say), also when its host is a socket directory (the embedded server)."""
    user, host, port, name = (settings_dict[key] for key in ("USER", "HOST", "PORT", "NAME"))
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    if host.startswith("/"):
        return f"postgres://{quote(user)}{password}@/{name}?host={quote(host)}"
    return f"postgres://{quote(user)}{password}@{host}:{port or 5432}/{name}"


def project_env(**env) -> dict:
    """This process's environment for a child serving the project, plus `env`."""
    # The browser tests lift Django's async guard in this process; a server never has it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return inherited | env


@contextlib.contextmanager
def gunicorn(**env):
    """gunicorn serving archive.wsgi on a free port with `env`; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "archive.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--timeout", "60"]
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=project_env(**env), stderr=log, text=True
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(lambda: _answers(base), process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=1):
            return True
    except OSError:
        return False


def _wait_for(ready, process, log, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"gunicorn did not start:\n{log.read()}")
        time.sleep(0.1)
