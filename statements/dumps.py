"""The bulk dump: the whole archive as gzip-compressed JSON Lines, for researchers who want
everything at once rather than page by page.

One JSON object per line, each with a "type": first an "archive" line (when, what, the
licence note), then every "topic", "speaker", "transcript" (with its source URL, publisher
and licence) and "statement" (stable ids: the permalink's number). Written to a temporary
file and renamed when complete, so the download page never offers half a file."""

import datetime
import gzip
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from statements.citations import speaker_role
from statements.models import Speaker, Statement, StatementTopic, Topic, Transcript
from statements.sources import licence_for, publisher_for

NAME = re.compile(r"^archive-\d{8}T\d{6}Z\.jsonl\.gz$")
CHUNK = 2000
KEEP = 3  # older dumps beyond these are removed


@dataclass(frozen=True)
class DumpFile:
    path: Path
    size: int
    written: datetime.datetime

    @property
    def name(self) -> str:
        return self.path.name


def dump_dir() -> Path:
    return Path(getattr(settings, "DUMP_DIR", settings.VAR_DIR / "dumps"))


def write_dump(directory: Path | None = None, base_url: str = "") -> DumpFile:
    """Write the whole archive as a new dump in `directory`; return it."""
    directory = directory or dump_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    target = directory / f"archive-{now:%Y%m%dT%H%M%SZ}.jsonl.gz"
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
            for record in records(now, base_url):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _remove_old(directory)
    return latest(directory)


def latest(directory: Path | None = None) -> DumpFile | None:
    """The newest complete dump, or None."""
    found = sorted(_dumps(directory or dump_dir()))
    if not found:
        return None
    path = found[-1]
    stat = path.stat()
    return DumpFile(
        path, stat.st_size, datetime.datetime.fromtimestamp(stat.st_mtime, datetime.UTC)
    )


def find(name: str, directory: Path | None = None) -> Path | None:
    """The dump called `name` — only a name the dumps are given, inside the dump folder."""
    if not NAME.match(name):
        return None
    path = (directory or dump_dir()) / name
    return path if path.is_file() else None


def _dumps(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return [path for path in directory.iterdir() if NAME.match(path.name) and path.is_file()]


def _remove_old(directory: Path) -> None:
    for path in sorted(_dumps(directory))[:-KEEP]:
        path.unlink(missing_ok=True)


def records(now: datetime.datetime, base_url: str = ""):
    """Every line of a dump, in order."""
    yield {
        "type": "archive",
        "written_at": now.isoformat(),
        "format": "One JSON object per line; `type` is archive, topic, speaker, transcript or "
        "statement. Statement ids are permanent: /statements/<id>/ is each one's permalink.",
        "licence": "Each transcript keeps its publisher's licence (its `licence` field); cite "
        "the original source (`source_url`) with the archive's permalink.",
        "statements": Statement.objects.count(),
        "transcripts": Transcript.objects.count(),
    }
    for topic in Topic.objects.order_by("id"):
        yield _topic(topic)
    aliases = Prefetch("aliases")
    for speaker in Speaker.objects.order_by("id").prefetch_related(aliases).iterator(CHUNK):
        yield _speaker(speaker)
    transcripts = Transcript.objects.order_by("id").defer("source_text")
    for transcript in transcripts.prefetch_related("topics", "translations").iterator(CHUNK):
        yield _transcript(transcript, base_url)
    yield from _statements(base_url)


def _topic(topic) -> dict:
    return {
        "type": "topic",
        "id": topic.pk,
        "slug": topic.slug,
        "name": topic.name,
        "description": topic.description,
        "query": topic.query,
    }


def _speaker(speaker) -> dict:
    return {
        "type": "speaker",
        "id": speaker.pk,
        "slug": speaker.slug,
        "name": speaker.name,
        "role": speaker.role,
        "country": speaker.country,
        "aliases": sorted(alias.name for alias in speaker.aliases.all()),
    }


def _transcript(transcript, base_url: str) -> dict:
    publisher = publisher_for(transcript.source_url)
    return {
        "type": "transcript",
        "id": transcript.pk,
        "slug": transcript.slug,
        "url": base_url + transcript.get_absolute_url(),
        "title": transcript.title,
        "date": transcript.date.isoformat() if transcript.date else None,
        "time": transcript.time.isoformat("minutes") if transcript.time else None,
        "place": transcript.place,
        "kind": transcript.kind,
        "language": transcript.language,
        "source_url": transcript.source_url or None,
        "publisher": publisher.name if publisher else None,
        "licence": licence_for(transcript.source_url),
        "topics": sorted(topic.slug for topic in transcript.topics.all()),
        "translations": sorted(other.pk for other in transcript.translations.all()),
        "tags": transcript.tags,
    }


def _statements(base_url: str):
    """Statements in id order, in chunks: each with its own topics (a transcript's are on
    the transcript line)."""
    statements = Statement.objects.order_by("id").select_related("speaker").defer("search_vector")
    last = 0
    while True:
        chunk = list(statements.filter(id__gt=last)[:CHUNK])
        if not chunk:
            return
        tags = {}
        for statement_id, slug in StatementTopic.objects.filter(
            statement_id__in=[s.pk for s in chunk]
        ).values_list("statement_id", "topic__slug"):
            tags.setdefault(statement_id, []).append(slug)
        for statement in chunk:
            yield _statement(statement, sorted(tags.get(statement.pk, [])), base_url)
        last = chunk[-1].pk


def _statement(statement, topics: list[str], base_url: str) -> dict:
    return {
        "type": "statement",
        "id": statement.pk,
        "url": base_url + statement.get_absolute_url(),
        "transcript_id": statement.transcript_id,
        "position": statement.position,
        "date": statement.date.isoformat() if statement.date else None,
        "speaker_id": statement.speaker_id,
        "speaker_label": statement.speaker_label,
        "speaker_role": speaker_role(statement),
        "note": statement.note,
        "kind": statement.kind,
        "questioner": statement.questioner,
        "outlet": statement.outlet,
        "reply_to_id": statement.reply_to_id,
        "language": statement.language,
        "topics": topics,
        "text": statement.text,
    }
