"""The bulk dump: written by `dump_archive`, complete, and downloadable from /dumps/."""

import gzip
import json

import pytest
from django.core.management import call_command

from statements import dumps
from statements.models import Speaker, Statement, Topic, Transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def dump_dir(settings, tmp_path):
    settings.DUMP_DIR = tmp_path / "dumps"
    return settings.DUMP_DIR


def read(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_dump_has_every_row_once_with_its_stable_id(archive, dump_dir):
    call_command("dump_archive", "--base-url", "https://archive.example.org/")
    (path,) = dump_dir.glob("*.jsonl.gz")
    lines = read(path)
    assert lines[0]["type"] == "archive"
    by_type = {}
    for line in lines[1:]:
        by_type.setdefault(line["type"], []).append(line)
    assert [s["id"] for s in by_type["statement"]] == list(
        Statement.objects.order_by("id").values_list("id", flat=True)
    )
    assert len(by_type["transcript"]) == Transcript.objects.count()
    assert len(by_type["speaker"]) == Speaker.objects.count()
    assert [t["slug"] for t in by_type["topic"]] == list(
        Topic.objects.values_list("slug", flat=True)
    )
    first = by_type["statement"][0]
    assert first["url"] == f"https://archive.example.org/statements/{first['id']}/"


def test_dump_transcripts_carry_source_publisher_and_licence(archive, dump_dir):
    Transcript.objects.filter(title__startswith="Foreign Minister").update(
        source_url="https://www.mid.ru/en/foreign_policy/news/1234/"
    )
    lines = read(dumps.write_dump().path)
    transcripts = {t["title"][:16]: t for t in lines if t["type"] == "transcript"}
    seed = transcripts["Foreign Minister"]
    assert seed["source_url"] == "https://www.mid.ru/en/foreign_policy/news/1234/"
    assert seed["publisher"] == "Ministry of Foreign Affairs of the Russian Federation"
    assert seed["licence"]
    gaggle = next(t for t in transcripts.values() if "whitehouse" in (t["source_url"] or ""))
    assert gaggle["licence"].startswith("Public domain")


def test_dump_statements_carry_role_question_and_topics(archive, dump_dir):
    lines = read(dumps.write_dump().path)
    statements = [line for line in lines if line["type"] == "statement"]
    answers = [s for s in statements if s["reply_to_id"]]
    assert answers and {s["reply_to_id"] for s in answers} <= {s["id"] for s in statements}
    assert any("syria" in s["topics"] for s in statements)
    assert any(s["speaker_role"] for s in statements)


def test_dumps_page_links_the_newest_and_serves_it(client, archive, dump_dir):
    assert "No dump has been written yet" in client.get("/dumps/").content.decode()
    written = dumps.write_dump()
    page = client.get("/dumps/").content.decode()
    assert f'href="/dumps/{written.name}"' in page
    response = client.get(f"/dumps/{written.name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"] == f'attachment; filename="{written.name}"'
    assert b"".join(response.streaming_content) == written.path.read_bytes()


@pytest.mark.parametrize(
    "name", ["..%2Fsecret_key", "archive.jsonl.gz", "archive-20260101T000000Z.jsonl.gz.partial"]
)
def test_only_dumps_can_be_downloaded(client, dump_dir, name):
    dump_dir.mkdir(parents=True)
    (dump_dir / "archive-20260101T000000Z.jsonl.gz.partial").write_bytes(b"half")
    assert client.get(f"/dumps/{name}").status_code == 404


def test_only_the_last_dumps_are_kept(archive, dump_dir):
    dump_dir.mkdir(parents=True)
    for day in range(1, 6):
        (dump_dir / f"archive-2020010{day}T000000Z.jsonl.gz").write_bytes(b"old")
    written = dumps.write_dump()
    assert len(list(dump_dir.glob("*.jsonl.gz"))) == dumps.KEEP
    assert dumps.latest().name == written.name
