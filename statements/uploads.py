"""Editors' uploads in the admin: each file read, previewed without writing anything, and
— once the editor confirms — imported through the import service.

Between preview and confirm an upload is held as plain data (`Upload.as_dict`) so the
admin can keep it in the session; on confirm it is parsed again, which is cheap and means
exactly what was previewed is saved.
"""

import datetime as dt
import logging
import re
import secrets
from dataclasses import asdict, dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from statements import speakers
from statements.duplicates import NearDuplicate, near_duplicates
from statements.importing import content_hash, existing_speakers, import_transcript
from statements.languages import LANGUAGES
from statements.models import (
    HeldUpload,
    ImportRun,
    Speaker,
    StatementKind,
    Transcript,
    TranscriptKind,
)
from statements.parsing import ParsedStatement, ParsedTranscript, ParseError, parse_source
from statements.parsing.labels import FIELD_WORDS, SENTENCE_STARTS

PASTED = "Pasted text"
logger = logging.getLogger(__name__)


@dataclass
class Overrides:
    """What the editor set on the form; empty values leave the parser's reading."""

    language: str = ""
    source_url: str = ""
    date: dt.date | None = None
    kind: str = ""

    def as_dict(self) -> dict:
        return asdict(self) | {"date": self.date.isoformat() if self.date else None}

    @classmethod
    def from_dict(cls, data: dict) -> "Overrides":
        date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        return cls(**data | {"date": date})


@dataclass
class Upload:
    """One file (or the pasted text) as received. `error` is set when it was refused before
    parsing: wrong type, too large, not UTF-8."""

    name: str
    text: str = ""
    error: str = ""

    @property
    def filename(self) -> str:
        # Pasted text has no extension: the parser then tells the format from the content.
        return "" if self.name == PASTED else self.name

    def as_dict(self) -> dict:
        return asdict(self)


def parse_upload(upload: Upload, overrides: Overrides) -> ParsedTranscript:
    """The upload parsed, with the editor's overrides applied. Raises ParseError."""
    if upload.error:
        raise ParseError(upload.error)
    parsed = parse_source(
        upload.text, filename=upload.filename, language=overrides.language or None
    )
    if overrides.date:
        parsed.date = overrides.date
        parsed.warnings = [w for w in parsed.warnings if not w.startswith("no date")]
    if overrides.kind:
        parsed.kind = overrides.kind
    return parsed


@dataclass
class SpeakerPreview:
    name: str
    role: str
    existing: Speaker | None  # None: the import will create this speaker
    likely: Speaker | None = None  # for a new one: the known speaker they may be

    @property
    def is_new(self) -> bool:
        return self.existing is None


@dataclass
class StatementPreview:
    """A statement as the public page would show it, with its speaker's preview."""

    position: int
    heading: str  # the speaker's name, else the label as printed, else the kind
    kind: str
    note: str
    paragraphs: list[str]
    speaker: SpeakerPreview | None


@dataclass
class FilePreview:
    """What importing one upload would do, worked out without writing anything."""

    upload: Upload
    parsed: ParsedTranscript | None = None
    error: str = ""
    duplicate_of: Transcript | None = None  # already in the archive
    same_as: str = ""  # an earlier upload of this batch with the same text
    near_duplicate: NearDuplicate | None = None  # nearly the same words, in the archive
    speakers: list[SpeakerPreview] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """error, duplicate (both not saved), near-duplicate (saved if the editor says so),
        warning or ok (both saved on confirm)."""
        if self.error:
            return "error"
        if self.duplicate_of or self.same_as:
            return "duplicate"
        if self.near_duplicate:
            return "near-duplicate"
        return "warning" if self.warnings else "ok"

    @property
    def importable(self) -> bool:
        return self.status in ("ok", "warning")

    @property
    def kind(self) -> str:
        return TranscriptKind(self.parsed.kind).label

    @property
    def language(self) -> str:
        return dict(LANGUAGES).get(self.parsed.language, self.parsed.language)

    @property
    def statements(self) -> list[StatementPreview]:
        by_name = {speaker.name: speaker for speaker in self.speakers}
        return [
            _statement_preview(position, statement, by_name.get(statement.speaker))
            for position, statement in enumerate(self.parsed.statements, start=1)
        ]


def _statement_preview(
    position: int, statement: ParsedStatement, speaker: SpeakerPreview | None
) -> StatementPreview:
    kind = StatementKind(statement.kind).label
    return StatementPreview(
        position,
        statement.speaker or statement.speaker_label or kind,
        kind,
        statement.note,
        statement.paragraphs,
        speaker,
    )


def preview(uploads: list[Upload], overrides: Overrides) -> list[FilePreview]:
    """One FilePreview per upload, in order. Reads the database, writes nothing."""
    previews, seen = [], {}
    for upload in uploads:
        item = _preview_one(upload, overrides)
        if item.parsed and not item.duplicate_of:
            digest = content_hash(upload.text)
            item.same_as = seen.get(digest, "")
            seen.setdefault(digest, upload.name)
        previews.append(item)
    return previews


def _preview_one(upload: Upload, overrides: Overrides) -> FilePreview:
    item = FilePreview(upload)
    try:
        item.parsed = parse_upload(upload, overrides)
        item.error = unstorable(item.parsed)
    except ParseError as error:
        item.error = _parse_error(error)
    except Exception:  # any content, however hostile, fails its own file, never the page
        logger.exception("the parser failed on %s", upload.name)
        item.error = "the parser could not read this file (the error is logged)"
    if item.error:
        item.parsed = None
        return item
    try:
        with transaction.atomic():  # a refused query must not spoil the next file's
            _look_up(item)
    except DatabaseError as error:
        item.error = f"the database refused it: {error}".strip()
    return item


def _look_up(item: FilePreview) -> None:
    """What the archive already holds of `item`: the same text, its speakers."""
    item.duplicate_of = Transcript.objects.filter(
        content_hash=content_hash(item.upload.text)
    ).first()
    if not item.duplicate_of:
        (item.near_duplicate,) = near_duplicates([item.parsed])
    item.speakers = [
        SpeakerPreview(person.name, person.role, speaker, likely)
        for person, speaker, likely in existing_speakers(item.parsed)
    ]
    item.warnings = item.parsed.warnings + label_lookalikes(item.parsed)


def _parse_error(error: ParseError) -> str:
    return f"line {error.line}: {error.message}" if error.line else error.message


def unstorable(parsed: ParsedTranscript) -> str:
    """Why `parsed` holds text that neither PostgreSQL nor a web page can take — a NUL
    character, a lone UTF-16 surrogate (both can come from JSON escapes) — or ""."""
    for text in _strings(asdict(parsed)):
        if "\x00" in text:
            return "the text contains a NUL character"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "the text contains a lone surrogate (\\ud800–\\udfff): not valid Unicode"
    return ""


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for each in value.values():
            yield from _strings(each)
    elif isinstance(value, list | tuple):
        for each in value:
            yield from _strings(each)


# "Speaker McCarthy:", "Minister-PresidentofBavariaHorstSeehofer (retranslated):" — a
# capitalised head and a colon opening a paragraph the parser kept as text.
LOOKS_LIKE_LABEL = re.compile(
    r"^(?P<head>[^\W\d_][^:.!?\n]{0,60}?)\s*(?P<note>\([^()\n]{1,80}\))?\s*:(?:\s|$)"
)


def label_lookalikes(parsed: ParsedTranscript) -> list[str]:
    """Warnings for paragraphs that open like a speaker label but were not taken as one —
    a missed turn or a quotation, for the editor to judge. Single words ("Second:") and
    form fields ("Photo Credit:") are common in running text and not reported."""
    warnings = []
    for position, statement in enumerate(parsed.statements, start=1):
        for paragraph in statement.paragraphs:
            head = _lookalike_head(paragraph)
            if head:
                warnings.append(
                    f"statement {position}: the paragraph “{head}: …” looks like a speaker "
                    "label but was kept as text"
                )
    return warnings


def _lookalike_head(paragraph: str) -> str:
    match = LOOKS_LIKE_LABEL.match(paragraph)
    if not match:
        return ""
    words = match["head"].split()
    if not all(word[:1].isupper() for word in words):
        return ""
    if words[0].lower() in SENTENCE_STARTS or any(w.lower() in FIELD_WORDS for w in words):
        return ""
    return match["head"] if match["note"] or 2 <= len(words) <= 5 else ""


def save(
    uploads: list[Upload], overrides: Overrides, user, *, near_duplicates_allowed=frozenset()
) -> ImportRun:
    """Import the confirmed uploads, each whole or not at all, and record the run (each
    file saved in the transaction that saves it). Files that fail to parse, or turn out to
    be duplicates now, are recorded and skipped; so are near duplicates, but for the
    uploads whose positions the editor put in `near_duplicates_allowed`."""
    run = ImportRun.objects.create(via=ImportRun.Via.ADMIN, user=user)
    for position, upload in enumerate(uploads):
        allowed = position in near_duplicates_allowed
        error = _save_one(upload, overrides, run, position, allowed)
        if error:
            run.record(upload.name, error=error, position=position)
    if run.transcript_count:
        speakers.refresh_stats()
    return run


def _save_one(
    upload: Upload, overrides: Overrides, run: ImportRun, position: int, allowed: bool
) -> str:
    """Save `upload` (recorded in `run`); why it failed, or ""."""
    try:
        parsed = parse_upload(upload, overrides)
        refused = unstorable(parsed)
        if refused:
            return refused
        import_transcript(
            parsed,
            source_text=upload.text,
            source_url=overrides.source_url,
            run=run,
            name=upload.name,
            position=position,
            allow_near_duplicate=allowed,
        )
    except ParseError as error:
        return _parse_error(error)
    except (DatabaseError, ValueError) as error:  # a value the database refuses: this file only
        return f"the database refused it: {error}".strip()
    except Exception:  # as in the preview: the file fails, never the page
        logger.exception("importing %s failed", upload.name)
        return "the import failed (the error is logged)"
    return ""


# Previews an editor may have open at once (two tabs, say); older ones expire, as do any
# left for a day.
MAX_HELD_PREVIEWS = 3
HELD_FOR = dt.timedelta(days=1)


def hold(user, held: list[Upload], overrides: Overrides) -> str:
    """Keep `held` for `user` until they confirm or cancel; the token that releases it."""
    token = secrets.token_urlsafe(16)
    HeldUpload.objects.create(
        token=token,
        user=user,
        uploads=[upload.as_dict() for upload in held],
        overrides=overrides.as_dict(),
    )
    kept = HeldUpload.objects.filter(user=user).order_by("-created_at", "-id")
    recent = kept.values_list("id", flat=True)[:MAX_HELD_PREVIEWS]
    expired = HeldUpload.objects.filter(created_at__lt=timezone.now() - HELD_FOR)
    (kept.exclude(id__in=list(recent)) | expired).delete()
    return token


def release(user, token: str) -> tuple[list[Upload], Overrides] | None:
    """The upload held under `token` for `user`, now forgotten; None if there is none (used
    already, expired, or another editor's)."""
    held = HeldUpload.objects.filter(user=user, token=token).first()
    if held is None:
        return None
    held.delete()
    return [Upload(**upload) for upload in held.uploads], Overrides.from_dict(held.overrides)
