#!/usr/bin/env python3
"""Public traffic: the production configuration (gunicorn.conf.py) under wrk, 16 clients
for 60 s over a Zipf mix of 1,000 public URLs, with Redis as the shared cache and without
(each process's memory).

Usage:
    DATABASE_URL=postgres://…/bench60k .venv/bin/python bench/load.py \\
        [--urls 1000] [--clients 16] [--seconds 60] [--redis redis://127.0.0.1:6379/7]

The database should hold an archive imported with import_transcripts
(bench/import_corpus.py --statements 60000). The URLs: searches (common and rare words,
phrases, OR, with a speaker, a date range, a kind, newest first, deeper pages),
transcript, statement and speaker pages, topic and listing pages, the API, CSV and
feeds — drawn from the database, ranked at random and requested with Zipf weights (the
k-th URL 1/k as often as the first), as an archive people link to is: bursts of the same
few searches, and crawlers walking the rest. Each configuration gets --warmup seconds of
the same load first (printed too: the figures from a cold cache), then the measured run.
Prints wrk's requests/s, latency percentiles and errors per run, with the machine's load
average.
"""

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import psycopg2

PROJECT = Path(__file__).resolve().parent.parent
WORDS = [
    "cooperation",
    "security",
    "President",
    "sanctions",
    "agreement",
    "economic",
    "Ukraine",
    "Syria",
    "energy",
    "сотрудничество",
    "безопасности",
    "Idlib",
    "Astana",
    "nuclear",
    "trade",
    "dialogue",
    "investment",
    "terrorism",
    "visa",
    "climate",
]
PHRASES = [
    '"strategic partnership"',
    '"United Nations"',
    '"foreign minister"',
    '"Security Council"',
    '"press conference"',
]


def urls(conn, count: int, rng: random.Random) -> list[str]:
    """`count` public URLs of the archive, in a random order (their Zipf ranks)."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT slug FROM statements_speaker ORDER BY random() LIMIT 60")
        speakers = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT slug FROM statements_transcript ORDER BY random() LIMIT 150")
        transcripts = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT id FROM statements_statement TABLESAMPLE SYSTEM (5) ORDER BY random() LIMIT 250"
        )
        statements = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT slug FROM statements_topic")
        topics = [row[0] for row in cursor.fetchall()]
    found: set[str] = {"/", "/speakers/", "/transcripts/", "/topics/", "/feeds/latest/"}
    found |= {f"/transcripts/{slug}/" for slug in transcripts}
    found |= {f"/statements/{pk}/" for pk in statements}
    found |= {f"/speakers/{slug}/" for slug in speakers}
    found |= {f"/topics/{slug}/" for slug in topics}
    while len(found) < count:
        found.add(_search(rng, speakers))
    chosen = sorted(found)
    rng.shuffle(chosen)
    return chosen[:count]


def _search(rng: random.Random, speakers: list[str]) -> str:
    kind = rng.random()
    word = rng.choice(WORDS)
    params: dict = {"q": word}
    if kind < 0.1:
        params["q"] = rng.choice(PHRASES)
    elif kind < 0.2:
        params["q"] = f"{word} OR {rng.choice(WORDS)}"
    elif kind < 0.3:
        params["q"] = f"{word} {rng.choice(WORDS)}"
    elif kind < 0.45:
        params["speaker"] = rng.choice(speakers)
    elif kind < 0.55:
        year = rng.randint(2000, 2024)
        params |= {"date_from": f"{year}-01-01", "date_to": f"{year + 1}-12-31"}
    elif kind < 0.6:
        params |= {"kind": rng.choice(["question", "answer", "remarks"])}
    elif kind < 0.65:
        params = {"speaker": rng.choice(speakers)}
    if rng.random() < 0.15:
        params["sort"] = "newest"
    if rng.random() < 0.2:
        params["page"] = str(rng.randint(2, 20))
    where = rng.random()
    if where < 0.15:  # the API pages with cursors, not page numbers
        return "/api/statements/?" + urlencode({k: v for k, v in params.items() if k != "page"})
    if where < 0.18:
        return "/search/export.csv?" + urlencode(params)
    if where < 0.21:
        return "/search/feed/?" + urlencode(params)
    return "/search/?" + urlencode(params)


def zipf_script(paths: list[str], draws: int, rng: random.Random) -> str:
    """wrk's Lua script: `draws` paths drawn with Zipf weights, each thread walking them
    from its own starting point."""
    weights = [1 / rank for rank in range(1, len(paths) + 1)]
    drawn = rng.choices(paths, weights=weights, k=draws)
    table = ",\n".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in drawn)
    return f"""
paths = {{
{table}
}}
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("id", counter) end
init = function(args) position = (id * 7919) % #paths end
request = function()
    position = position % #paths + 1
    return wrk.format("GET", paths[position])
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, environment: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(PROJECT / ".venv" / "bin" / "gunicorn"), "archive.wsgi", f"--bind=127.0.0.1:{port}"],
        cwd=PROJECT,
        env=os.environ | environment,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def run_wrk(port: int, script: Path, clients: int, seconds: int) -> str:
    return subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def summary(output: str) -> str:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    total = re.search(r"(\d+) requests in", output).group(1)
    return (
        f"{float(rate):.1f} requests/s ({total} requests), p50 {percentiles.get('50')}, "
        f"p90 {percentiles.get('90')}, p99 {percentiles.get('99')}, "
        f"non-2xx/3xx: {non2xx.group(1) if non2xx else 0}, "
        f"socket errors: {sockets.group(1) if sockets else 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["redis", "memory"])
    parser.add_argument(
        "--warmup", type=int, default=60, help="seconds of the same load before the measured run"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    paths = urls(conn, args.urls, rng)
    conn.close()
    script = Path(tempfile.mkdtemp()) / "zipf.lua"
    script.write_text(zipf_script(paths, 50_000, rng))
    print(f"{len(paths)} URLs; most requested: {paths[:5]}")
    runs = {
        "redis": {"REDIS_URL": args.redis, "CACHE_KEY_PREFIX": f"bench-load-{time.time():.0f}"},
        "memory": {"REDIS_URL": ""},
    }
    for name, environment in runs.items():
        if args.only and name != args.only:
            continue
        port = free_port()
        environment |= {
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
            "GUNICORN_ACCESS_LOG": str(PROJECT / "var" / f"bench-load-{name}.log"),
        }
        server = serve(port, environment)
        try:
            if args.warmup:
                cold = run_wrk(port, script, args.clients, args.warmup)
                print(f"\n== {name} cache, from cold ({args.warmup} s): {summary(cold)}")
            load_before = os.getloadavg()
            output = run_wrk(port, script, args.clients, args.seconds)
            load_after = os.getloadavg()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        print(f"\n== {name} cache, measured ({args.seconds} s): {summary(output)}")
        print(
            f"   load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
            f"(1 min; {os.cpu_count()} CPUs shared with other work)"
        )
        sys.stdout.write(output)


if __name__ == "__main__":
    main()
