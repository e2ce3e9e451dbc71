"""Read replicas for real (archive/routers.py): a primary and a streaming replica (two
PostgreSQL 15 clusters on loopback, the replica made with `pg_basebackup -R`), the site
migrated and imported into the primary and served by gunicorn with DATABASE_REPLICA_URLS.

Which database answered is told by what it shows: the replica's replay is paused, so that
what is imported meanwhile is on the primary only."""

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from statements.tests.conftest import SEED
from statements.tests.postgres import BIN, Cluster, _free_port, available

pytestmark = pytest.mark.skipif(
    not available(), reason=f"needs PostgreSQL 15's initdb in {BIN} (and runuser as root)"
)

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PASSWORD = "a long editor passphrase"


class Replica(Cluster):
    """A streaming replica of `primary`: its base backup with the standby's settings (-R)."""

    def __init__(self, primary: Cluster):  # no initdb: the data is the primary's
        self.home = Path(tempfile.mkdtemp(prefix="throwaway-replica-", dir=primary.home.parent))
        self.data = self.home / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
        self._run(
            BIN / "pg_basebackup",
            *("-h", "127.0.0.1", "-p", primary.port, "-U", "postgres", "-D", self.data),
            *("-R", "-X", "stream", "--no-sync", "--checkpoint=fast"),
        )


class Site:
    """The site on the primary and its replica, served by one gunicorn process (one
    process: one view of the replica's health)."""

    def __init__(self, primary: Cluster, replica: Replica, **environment):
        self.environment = os.environ | {
            "DATABASE_URL": primary.url("archive"),
            "DATABASE_REPLICA_URLS": replica.url("archive"),
            "REPLICA_CHECK_SECONDS": "1",
            "REPLICA_MAX_LAG_SECONDS": "600",  # the paused replica stays in use
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "2",
            "GUNICORN_ACCESS_LOG": "",
            "ALLOWED_HOSTS": "127.0.0.1",
            **environment,
        }
        self.server = None

    def manage(self, *arguments: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=self.environment,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def serve(self) -> "Site":
        self.port = _free_port()
        self.server = subprocess.Popen(
            [GUNICORN, "archive.wsgi", f"--bind=127.0.0.1:{self.port}"],
            cwd=settings.BASE_DIR,
            env=self.environment,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/healthz")
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def get(self, path: str, opener=None) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with (opener or urllib.request.build_opener()).open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)


def transcript_file(folder: Path, word: str) -> Path:
    """A small transcript whose one statement holds `word`."""
    path = folder / f"{word}.json"
    path.write_text(
        json.dumps(
            {
                "title": f"Briefing on {word}",
                "date": "2024-05-05",
                "statements": [
                    {
                        "speaker": "Maria Zakharova",
                        "speaker_label": "Maria Zakharova",
                        "kind": "remarks",
                        "paragraphs": [f"We discussed {word} at length."],
                    }
                ],
            }
        )
    )
    return path


@pytest.fixture(scope="module")
def cluster():
    primary = Cluster()
    replica = None
    try:
        primary.start()
        primary.execute("CREATE DATABASE archive")
        replica = Replica(primary)
        replica.start()
        yield primary, replica
    finally:
        for server in (replica, primary):
            if server is not None:
                server.remove()


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    primary, replica = cluster
    site = Site(primary, replica)
    site.folder = tmp_path_factory.mktemp("transcripts")
    site.manage("migrate", "--noinput")
    site.manage("import_transcripts", "--jobs", "1", str(SEED))
    site.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('editor', 'editor@example.org', {PASSWORD!r})",
    )
    wait_for_replay(primary, replica)
    yield site.serve()
    site.stop()


def wait_for_replay(primary: Cluster, replica: Replica) -> None:
    """Until the replica has replayed all the primary has written."""
    [(written,)] = primary.execute("SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        [(behind,)] = replica.execute(
            f"SELECT pg_last_wal_replay_lsn() < '{written}'::pg_lsn", "postgres"
        )
        if not behind:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up in 30 s")


def editor_opener(site: Site):
    """A cookie-keeping opener logged in to the admin as the editor."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, page = site.get("/admin/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "username": "editor",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{site.port}/admin/login/",
        data=data,
        headers={"Referer": f"http://127.0.0.1:{site.port}/admin/login/"},
    )
    with opener.open(request, timeout=30) as response:
        assert "/admin/login/" not in response.url, "the editor could not log in"
    return opener


def test_searches_are_answered_by_the_replica_and_imports_go_to_the_primary(cluster, site):
    primary, replica = cluster
    replica.execute("SELECT pg_wal_replay_pause()")
    try:
        site.manage(
            "import_transcripts", "--jobs", "1", str(transcript_file(site.folder, "pistachios"))
        )
        [(on_primary,)] = primary.execute(
            "SELECT count(*) FROM statements_statement WHERE text LIKE '%pistachios%'", "archive"
        )
        assert on_primary == 1
        _, page = site.get("/search/?q=pistachios")
        assert "Briefing on pistachios" not in page  # the replica has not replayed it
    finally:
        replica.execute("SELECT pg_wal_replay_resume()")


def test_an_import_on_the_primary_shows_on_the_replicas_pages(cluster, site):
    primary, replica = cluster
    site.manage("import_transcripts", "--jobs", "1", str(transcript_file(site.folder, "walnuts")))
    wait_for_replay(primary, replica)
    _, page = site.get("/search/?q=walnuts")
    assert "Briefing on walnuts" in page


def test_a_logged_in_editor_reads_the_primary(cluster, site):
    _, replica = cluster
    opener = editor_opener(site)
    replica.execute("SELECT pg_wal_replay_pause()")
    try:
        site.manage(
            "import_transcripts", "--jobs", "1", str(transcript_file(site.folder, "almonds"))
        )
        _, public = site.get("/search/?q=almonds")
        _, editors = site.get("/search/?q=almonds", opener)
        assert "Briefing on almonds" not in public and "Briefing on almonds" in editors
    finally:
        replica.execute("SELECT pg_wal_replay_resume()")


def test_a_replica_lagging_beyond_the_bound_is_skipped(cluster, site):
    primary, replica = cluster
    strict = Site(primary, replica, REPLICA_MAX_LAG_SECONDS="1").serve()
    replica.execute("SELECT pg_wal_replay_pause()")
    try:
        site.manage(
            "import_transcripts", "--jobs", "1", str(transcript_file(site.folder, "hazelnuts"))
        )
        time.sleep(2.5)  # past the bound, and past the last check of the replica
        _, page = strict.get("/search/?q=hazelnuts")
        assert "Briefing on hazelnuts" in page  # from the primary
    finally:
        replica.execute("SELECT pg_wal_replay_resume()")
        strict.stop()


def test_pages_keep_working_when_the_replica_is_stopped(cluster, site):
    _, replica = cluster
    site.manage("import_transcripts", "--jobs", "1", str(transcript_file(site.folder, "cashews")))
    replica.stop()
    for path in ("/", "/search/?q=cashews", "/speakers/", "/api/statements/?q=cashews"):
        status, page = site.get(path)
        assert status == 200, (path, page[:300])
    assert "Briefing on cashews" in site.get("/search/?q=cashews")[1]  # the primary's data


def test_healthz_answers_503_with_the_database_stopped(cluster, site):
    primary, _ = cluster
    assert site.get("/healthz")[0] == 200
    primary.stop()
    status, body = site.get("/healthz")
    assert status == 503 and json.loads(body)["database"] == "unavailable"
