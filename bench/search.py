#!/usr/bin/env python3
"""How fast is search? Times the real search page and API served by gunicorn on loopback,
and the SQL floor (the page's own queries replayed straight through psycopg2), per class
of query, then a concurrent run; optionally the same queries on tantivy, in process.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/search.py [--repeat 20] [--concurrent 30] [--tantivy]

The database must hold a corpus (bench/make_corpus.py). Figures are printed as a table:
p50/p95/max milliseconds per class for page, API and SQL floor, the page/floor ratio at p95,
the number of matching statements, and the worker's resident memory. A warm-up request per
class comes first and is not counted (warm cache, as a busy site would have).
"""

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.timing import percentiles  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

# The classes of the issue. The words were chosen for the generated corpus (see
# bench/make_corpus.py): the script prints each class's share of matching rows.
# "President" is the corpus's most frequent word (English 'presid': 29.6 % of all rows).
CLASSES = {
    "rare word": {"q": "Idlib"},
    "common word": {"q": "cooperation"},
    "very common word": {"q": "President"},
    "phrase": {"q": '"strategic partnership"'},
    "OR of two common words": {"q": "security OR cooperation"},
    "query + speaker": {"q": "security", "speaker": "sergey-lavrov"},
    "query + date range": {"q": "security", "date_from": "2015-01-01", "date_to": "2016-12-31"},
    "speaker, no query": {"speaker": "vladimir-putin"},
    "page 50 of a common word": {"q": "cooperation", "page": "50"},
    "Russian common word": {"q": "сотрудничество"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR"}
    command = [
        str(PROJECT / ".venv" / "bin" / "gunicorn"),
        "archive.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--log-level=error",
    ]
    server = subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def timed_get(connection: http.client.HTTPConnection, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    return (time.perf_counter() - started) * 1000, response.status, len(body)


def time_http(port: int, path: str, repeat: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timed_get(connection, path)  # warm-up
    samples = []
    for _ in range(repeat):
        elapsed, status, _ = timed_get(connection, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        samples.append(elapsed)
    connection.close()
    return samples


def page_queries(params: dict) -> list[str]:
    """The SQL the search page runs for `params`, captured from the real code path."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from statements.search import Search

    with CaptureQueriesContext(connection) as captured:
        Search(QueryDict(urlencode(params))).results(params.get("page"))
    return [query["sql"] for query in captured.captured_queries]


def time_floor(queries: list[str], repeat: int) -> list[float]:
    import psycopg2.errors

    from bench.database import connect

    connection = connect()
    connection.autocommit = True
    samples = []
    with connection.cursor() as cursor:
        for attempt in range(repeat + 1):
            started = time.perf_counter()
            savepoint, skipping = None, None
            for sql in queries:
                if skipping:  # the rest of a savepoint given up, as the page gives it up
                    if sql.split()[-1].strip('"') == skipping and "SAVEPOINT" in sql:
                        skipping = None
                    continue
                if sql.startswith("SAVEPOINT"):
                    savepoint = sql.split()[-1].strip('"')
                try:
                    cursor.execute(sql)
                except psycopg2.errors.QueryCanceled:
                    # An exact count past its own short timeout (EXACT_TALLY_MS): the page
                    # rolls back to its savepoint and keeps the estimate; so does the floor.
                    cursor.execute(f'ROLLBACK TO SAVEPOINT "{savepoint}"')
                    skipping = savepoint
                    continue
                if cursor.description is not None:  # not BEGIN, SET or COMMIT
                    cursor.fetchall()
            if attempt:  # the first pass warms the cache
                samples.append((time.perf_counter() - started) * 1000)
    connection.close()
    return samples


def match_count(params: dict) -> int:
    from django.http import QueryDict

    from statements.search import Search

    return Search(
        QueryDict(urlencode({k: v for k, v in params.items() if k != "page"}))
    ).statements.count()


# Classes whose relevance order comes from the champion lists when the search is broad.
RELEVANCE_CLASSES = [
    "common word",
    "very common word",
    "OR of two common words",
    "page 50 of a common word",
    "Russian common word",
    "phrase",
    "query + speaker",
    "query + date range",
]


def relevance_overlap(params: dict) -> tuple[str, int, int]:
    """(how the page was ranked, how many of its statements the exact ranking — ts_rank
    over every match — also puts on that page, the page's size)."""
    from django.http import QueryDict

    from statements.search import PAGE_SIZE, Search, count, public_query_limits

    found = Search(QueryDict(urlencode(params)))
    offset = (int(params.get("page", 1)) - 1) * PAGE_SIZE
    with public_query_limits():
        fast = found.ranked_ids(offset, PAGE_SIZE, count(found.matches))
    exact = list(found.statements.values_list("id", flat=True)[offset : offset + PAGE_SIZE])
    return fast.method, len(set(fast.ids) & set(exact)), len(exact)


def explain(params: dict) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of each query the page runs for `params`."""
    from bench.database import connect

    connection = connect()
    connection.autocommit = True
    out = []
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off; SET max_parallel_workers_per_gather = 0")
        for sql in page_queries(params):
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            out.append(f"```sql\n{sql.strip()[:1500]}\n```\n```\n{plan}\n```")
    connection.close()
    return "\n\n".join(out)


def concurrent_run(port: int, seconds: float, clients: int) -> tuple[float, float, int, int]:
    """Requests/s, p95 ms, requests and errors over `seconds` with `clients` threads cycling
    through the classes' search pages."""
    paths = [f"/search/?{urlencode(params)}" for params in CLASSES.values()]
    samples, errors, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        index = offset
        while time.monotonic() < stop_at:
            try:
                elapsed, status, _ = timed_get(connection, paths[index % len(paths)])
            except (OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, elapsed = 0, 0.0
            with lock:
                if status == 200:
                    samples.append(elapsed)
                else:
                    errors[0] += 1
            index += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    return len(samples) / duration, percentiles(samples)[1], len(samples), errors[0]


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    import psutil

    return [child.memory_info().rss / 2**20 for child in psutil.Process(server.pid).children()]


def time_tantivy(classes: dict, repeat: int, rebuild: bool) -> dict[str, list[float]]:
    from bench import tantivy_reference

    if rebuild or not (tantivy_reference.INDEX_DIR / "meta.json").exists():
        seconds = tantivy_reference.build()
        print(f"tantivy index built in {seconds:.0f} s ({tantivy_reference.INDEX_DIR})")
    return tantivy_reference.time_classes(classes, repeat)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--concurrent", type=float, default=30.0, help="seconds; 0 to skip")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tantivy", action="store_true", help="also time the tantivy reference")
    parser.add_argument("--rebuild-tantivy", action="store_true", help="index the database again")
    parser.add_argument("--only", help="run only the classes whose name contains this")
    parser.add_argument("--explain", type=Path, help="write every class's query plans here")
    args = parser.parse_args(argv)

    import django

    django.setup()
    classes = {
        name: params for name, params in CLASSES.items() if not args.only or args.only in name
    }
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        rows = []
        for name, params in classes.items():
            query = urlencode(params)
            page = time_http(port, f"/search/?{query}", args.repeat)
            # The API pages by cursor: its first page (a page number is refused).
            first = urlencode({key: value for key, value in params.items() if key != "page"})
            api = time_http(port, f"/api/statements/?{first}", args.repeat)
            floor = time_floor(page_queries(params), args.repeat)
            rows.append((name, page, api, floor, match_count(params)))
            print_row(*rows[-1])
        print("\nrelevance: top 20 of the page against ts_rank over every match")
        for name in [name for name in RELEVANCE_CLASSES if name in classes]:
            ranking, same, size = relevance_overlap(classes[name])
            print(f"  {name:28} ranked by {ranking:12} {same:2}/{size} = {same / size:6.1%}")
        if args.explain:
            args.explain.write_text(
                "".join(
                    f"## {name}: `{urlencode(params)}`\n\n{explain(params)}\n\n"
                    for name, params in classes.items()
                )
            )
            print(f"query plans written to {args.explain}")
        if args.concurrent:
            rate, p95, done, errors = concurrent_run(port, args.concurrent, args.clients)
            print(
                f"\nconcurrent: {args.clients} clients, {args.concurrent:.0f} s, {args.workers} workers: "
                f"{rate:.1f} requests/s, p95 {p95:.0f} ms, {done} requests, {errors} errors"
            )
        print("worker RSS MB:", ", ".join(f"{rss:.0f}" for rss in worker_rss_mb(server)))
    finally:
        stop(server)
    if args.tantivy:
        for name, samples in time_tantivy(classes, args.repeat, args.rebuild_tantivy).items():
            p50, p95, worst = percentiles(samples)
            print(f"tantivy  {name:28} p50 {p50:7.1f}  p95 {p95:7.1f}  max {worst:7.1f} ms")
    return 0


def print_row(name, page, api, floor, count) -> None:
    (pp50, pp95, pmax), (ap50, ap95, _), (fp50, fp95, _) = map(percentiles, (page, api, floor))
    print(
        f"{name:28} page p50 {pp50:6.0f} p95 {pp95:6.0f} max {pmax:6.0f} | "
        f"api p50 {ap50:6.0f} p95 {ap95:6.0f} | floor p50 {fp50:6.0f} p95 {fp95:6.0f} | "
        f"page/floor {pp95 / fp95 if fp95 else float('nan'):4.2f} | {count:8d} matches"
    )


if __name__ == "__main__":
    sys.exit(main())
