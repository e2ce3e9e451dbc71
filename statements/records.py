"""A statement as data: the fields the API, the CSV export and the bulk dump all carry —
with the source URL, the speaker's role, the occasion, the question an answer replies to
and the topics, which researchers ask for."""

from django.db.models import Prefetch

from statements.citations import cited_speaker, speaker_role
from statements.models import Topic

# What the records read besides the statement's own row (prefetch_related_objects /
# QuerySet.prefetch_related): its topics and its transcript's.
PREFETCH = (
    Prefetch("topics", queryset=Topic.objects.only("slug", "name")),
    Prefetch("transcript__topics", queryset=Topic.objects.only("slug", "name")),
)


def topics_of(statement) -> list[str]:
    """The slugs of the statement's topics, its own and its transcript's, sorted."""
    slugs = {topic.slug for topic in statement.topics.all()}
    slugs |= {topic.slug for topic in statement.transcript.topics.all()}
    return sorted(slugs)


def other_version(statement, absolute) -> dict | None:
    """The statement's aligned counterpart in its transcript's other language version, as
    `versions.mark_other_versions` marked it: None where there is none (or it was not
    marked)."""
    other = getattr(statement, "other_version", None)
    if other is None:
        return None
    return {
        "id": other.statement.pk,
        "url": absolute(other.statement.get_absolute_url()),
        "language": other.statement.language,
        "original": other.original,
    }


def statement_record(statement, absolute) -> dict:
    """The statement as JSON-ready data; `absolute(path)` makes an address absolute."""
    transcript = statement.transcript
    speaker = statement.speaker
    return {
        "id": statement.pk,
        "url": absolute(statement.get_absolute_url()),
        "position": statement.position,
        "date": statement.date.isoformat() if statement.date else None,
        "kind": statement.kind,
        "speaker": {
            "name": speaker.name,
            "slug": speaker.slug,
            "url": absolute(speaker.get_absolute_url()),
        }
        if speaker
        else None,
        "speaker_label": statement.speaker_label,
        "speaker_role": speaker_role(statement),
        "cited_as": cited_speaker(statement),
        "questioner": statement.questioner,
        "outlet": statement.outlet,
        "reply_to": {
            "id": statement.reply_to_id,
            "url": absolute(statement.reply_to.get_absolute_url()),
        }
        if statement.reply_to_id
        else None,
        "transcript": {
            "title": transcript.title,
            "url": absolute(transcript.get_absolute_url()),
            "occasion": transcript.kind,
            "date": transcript.date.isoformat() if transcript.date else None,
            "time": transcript.time.isoformat("minutes") if transcript.time else None,
            "place": transcript.place,
            "source_url": transcript.source_url or None,
        },
        "language": statement.language,
        "other_version": other_version(statement, absolute),
        "topics": topics_of(statement),
        "text": statement.text,
    }


CSV_COLUMNS = [
    "id",
    "url",
    "date",
    "speaker",
    "speaker_label",
    "speaker_role",
    "kind",
    "reply_to_url",
    "occasion",
    "transcript",
    "transcript_url",
    "place",
    "source_url",
    "language",
    "other_version_url",
    "topics",
    "text",
]


def csv_row(record: dict) -> list:
    """A statement_record as one CSV row in CSV_COLUMNS' order."""
    transcript = record["transcript"]
    return [
        record["id"],
        record["url"],
        record["date"] or "",
        record["cited_as"] or "",
        record["speaker_label"],
        record["speaker_role"],
        record["kind"],
        record["reply_to"]["url"] if record["reply_to"] else "",
        transcript["occasion"],
        transcript["title"],
        transcript["url"],
        transcript["place"],
        transcript["source_url"] or "",
        record["language"],
        record["other_version"]["url"] if record["other_version"] else "",
        " ".join(record["topics"]),
        record["text"],
    ]
