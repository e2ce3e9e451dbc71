"""gunicorn's production configuration, read by `gunicorn archive.wsgi` from the current
folder (the repository's root). Every value can be changed from the environment without
editing this file: the variables below, or any gunicorn option in GUNICORN_CMD_ARGS.

Sizing: a page spends part of its time waiting for PostgreSQL (and Redis), part in
Python. Processes use the cores for the Python part (2 × cores + 1, gunicorn's own
advice); two threads in each keep a process busy while one of its requests waits for the
database. Each thread holds its own database connection (CONN_MAX_AGE), so a machine opens
at most workers × threads connections.
"""

import gc
import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name}={value!r}: expected a whole number of at least 1")
    return int(value)


# WEB_CONCURRENCY is the name hosting platforms and gunicorn itself use for the processes.
workers = _env_int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _env_int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is a stuck worker: it is killed and replaced.
# Searches stop themselves long before (SEARCH_TIMEOUT_MS, 5 s).
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30  # on restart, requests in flight get this long to finish
keepalive = 5  # seconds an idle keep-alive connection stays open (behind a proxy)

# Each process is replaced after about this many requests, so that memory grown by a rare
# huge page does not stay; the jitter keeps the processes from all restarting at once.
# Not fewer: without REDIS_URL a replaced process starts with an empty page cache (at
# 2,000 the five processes of `bench/load.py` restarted every ~12 s under 800 requests/s).
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10

# Load Django once in the master and fork the workers from it: settings errors stop the
# start-up at once, a recycled worker starts in milliseconds, and memory is shared.
preload_app = True

# The heartbeat files in memory, not on a disk that may be slow or read-only.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log on standard output (GUNICORN_ACCESS_LOG: a file instead; empty: none), with
# the time taken (%(M)s: milliseconds).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"


def pre_fork(server, worker):
    """What the master has loaded (Django, the app) lives as long as the workers: frozen
    out of the garbage collector before each fork, it is not walked by the workers' full
    collections — one took ~80 ms of a page every ~200 requests, in process — and its
    memory pages stay shared (Python's advice for pre-forking servers, `gc.freeze`)."""
    gc.collect()
    gc.freeze()
