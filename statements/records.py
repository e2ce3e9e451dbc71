"""A statement as data: the fields the API, the CSV export and the bulk dump all carry —
with the source URL, the speaker's role, the occasion, the question an answer replies to
and the topics, which researchers ask for."""

from collections import defaultdict

from statements.citations import cited_speaker, speaker_role
from statements.models import StatementTopic, Transcript, quick_reverse


def mark_topics(statements: list) -> None:
    """Set `topic_slugs` on each of `statements`: the sorted slugs of its topics, its own
    and its transcript's. Two queries of (id, slug) pairs for any number of statements —
    not prefetch_related, whose related managers and Topic instances cost more per row
    than the rest of a CSV line."""
    own = defaultdict(set)
    for statement_id, slug in StatementTopic.objects.filter(
        statement__in=[statement.pk for statement in statements]
    ).values_list("statement_id", "topic__slug"):
        own[statement_id].add(slug)
    inherited = defaultdict(set)
    for transcript_id, slug in Transcript.topics.through.objects.filter(
        transcript__in={statement.transcript_id for statement in statements}
    ).values_list("transcript_id", "topic__slug"):
        inherited[transcript_id].add(slug)
    for statement in statements:
        statement.topic_slugs = sorted(own[statement.pk] | inherited[statement.transcript_id])


def absolute_maker(request):
    """`absolute(path)` for a site path ("/statements/5/"): the request's scheme and host
    worked out once, not per address as `request.build_absolute_uri` does (a CSV of ten
    thousand rows makes fifty thousand addresses)."""
    root = request.build_absolute_uri("/").rstrip("/")
    return lambda path: root + path


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
            "url": absolute(quick_reverse("statement_detail", statement.reply_to_id)),
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
        "topics": statement.topic_slugs,  # set by mark_topics
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
