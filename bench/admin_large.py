#!/usr/bin/env python3
"""How long does the admin take to open and save a large transcript, as an editor sees it?

Usage:
    DATABASE_URL=postgres://… .venv/bin/python bench/admin_large.py [--runs N] [--keep]

Imports the corpus's longest transcript (fixtures/corpus/kremlin-en-news/17173.html, 338
statements) if it is not in the database yet, makes a staff editor, serves the site with
gunicorn on a free port of 127.0.0.1, and drives Debian's Chromium (Playwright) through:

1. open: the transcript's change page, from the request to the page's `load` event (every
   script and style sheet loaded, the form ready to type in);
2. save: press Save with nothing changed, until the transcript list has loaded again;
3. save with an edit: one statement's text changed, the same way.

Each is run N times (default 5); the median and the slowest are printed, with the page's
size and the number of text boxes, and the load average. The transcript and the editor are
deleted at the end unless --keep (or unless the transcript was there before).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402

from statements.importing import import_source  # noqa: E402
from statements.tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LARGE = ROOT / "fixtures" / "corpus" / "kremlin-en-news" / "17173.html"
EDITOR, PASSWORD = "bench-large-editor", "a long benchmark passphrase"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "archive.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def open_page(page, url: str) -> None:
    """Go to `url` until the page has loaded and its scripts are done: the browser answers
    a script of ours only once the page's own have run (select2, the inlines)."""
    page.goto(url, wait_until="load")
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => resolve()))")


def measure(page, site: str, transcript, runs: int) -> dict[str, list[float]]:
    change = f"{site}/admin/statements/transcript/{transcript.pk}/change/"
    save = page.get_by_role("button", name="Save", exact=True)
    figures = {"open": [], "save unchanged": [], "save with an edit": []}
    for run in range(runs):
        figures["open"].append(timed(lambda: open_page(page, change)))
        figures["save unchanged"].append(
            timed(lambda: (save.click(), page.wait_for_url("**/transcript/", wait_until="load")))
        )
        open_page(page, change)
        box = page.locator("textarea[name='statements-1-text']")
        box.fill(box.input_value() + f" (edit {run})")
        figures["save with an edit"].append(
            timed(lambda: (save.click(), page.wait_for_url("**/transcript/", wait_until="load")))
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    result = import_source(LARGE.read_bytes(), filename=LARGE.name)
    transcript, imported = result.transcript, result.created
    User.objects.filter(username=EDITOR).delete()
    User.objects.create_superuser(EDITOR, "", PASSWORD)
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(port)
    site = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{site}/admin/login/")
            page.get_by_label("Username").fill(EDITOR)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/admin/")
            figures = measure(page, site, transcript, args.runs)
            page.goto(f"{site}/admin/statements/transcript/{transcript.pk}/change/")
            boxes = page.locator("#statements-group textarea").count()
            size = len(page.content().encode())
            browser.close()
    finally:
        server.terminate()
        server.wait()
        if not args.keep:
            User.objects.filter(username=EDITOR).delete()
            if imported:
                transcript.delete()
    print(f"{LARGE.name}: {transcript.statements.count() if args.keep else boxes} statements, ")
    print(f"change page {size / 1024:.0f} KB, {boxes} text boxes; {args.runs} runs each")
    for name, times in figures.items():
        print(f"  {name:18} median {statistics.median(times):.2f} s, slowest {max(times):.2f} s")
    print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
