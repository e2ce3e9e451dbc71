"""gunicorn.conf.py: what `gunicorn archive.wsgi`, run from the repository, serves with."""

import gc
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def printed_config(**environment) -> dict[str, str]:
    output = subprocess.run(
        [GUNICORN, "--print-config", "archive.wsgi"],
        cwd=settings.BASE_DIR,
        env=os.environ | environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in output.splitlines())
    }


def test_processes_and_threads_are_sized_from_the_cpus():
    config = printed_config()
    assert config["workers"] == str(2 * os.cpu_count() + 1)
    assert (config["threads"], config["worker_class"]) == ("2", "gthread")


def test_workers_are_recycled_with_jitter_and_time_out():
    config = printed_config(GUNICORN_MAX_REQUESTS="500")
    assert (config["max_requests"], config["max_requests_jitter"]) == ("500", "50")
    assert (config["timeout"], config["preload_app"]) == ("30", "True")


def test_the_environment_sizes_it_too():
    config = printed_config(WEB_CONCURRENCY="3", GUNICORN_THREADS="1")
    assert (config["workers"], config["threads"], config["worker_class"]) == ("3", "1", "sync")


def test_workers_start_with_what_the_master_loaded_frozen_out_of_collection():
    hooks = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        hooks["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        gc.unfreeze()


def test_gunicorn_serves_the_site_and_logs_each_request_with_its_time(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [GUNICORN, "archive.wsgi", f"--bind=127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=os.environ | {"WEB_CONCURRENCY": "1", "GUNICORN_ACCESS_LOG": str(log)},
    )
    try:
        status = _get_when_up(f"http://127.0.0.1:{port}/healthz")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert status in (200, 503)  # served by gunicorn; the database's test copy is not its own
    assert f'"GET /healthz HTTP/1.1" {status}' in log.read_text()
    assert "ms " in log.read_text()


def _get_when_up(url: str) -> int:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
