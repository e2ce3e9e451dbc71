"""The one import service: a parsed transcript becomes rows, all or nothing.

The management command and the admin's import view both call `import_source` (or
`import_transcript` after showing a preview of the parse); the admin's re-parse calls
`reparse`. Every save applies the topics' queries to the new statements (`topics`).
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from statements import topics
from statements.models import Speaker, Statement, Transcript
from statements.parsing import ParsedSpeaker, ParsedTranscript, decode, parse_source
from statements.parsing.names import full_name, split_role
from statements.slugs import ascii_slug, unique_slug


@dataclass
class ImportResult:
    transcript: Transcript | None  # the new transcript; for a duplicate, the existing one
    duplicate: bool = False
    dry_run: bool = False
    statement_count: int = 0
    new_speakers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def created(self) -> bool:
        return not self.duplicate and not self.dry_run


def content_hash(source_text: str) -> str:
    """SHA-256 of the text with line endings, trailing spaces and Unicode forms evened out,
    so the same transcript saved by another editor or OS is still recognised."""
    text = unicodedata.normalize("NFC", source_text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_source(
    raw: bytes | str,
    *,
    filename: str = "",
    language: str | None = None,
    source_url: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Parse one file's content and save it. Raises ParseError for unparseable input."""
    text = decode(raw) if isinstance(raw, bytes) else raw
    parsed = parse_source(text, filename=filename, language=language)
    return import_transcript(parsed, source_text=text, source_url=source_url, dry_run=dry_run)


def import_transcript(
    parsed: ParsedTranscript, *, source_text: str, source_url: str = "", dry_run: bool = False
) -> ImportResult:
    """Save `parsed` with its statements and speakers in one transaction.

    A transcript whose source text was imported before is not saved again: the result
    says `duplicate` and points to the existing transcript. With `dry_run` everything is
    written and then rolled back, so the counts are the real ones.
    """
    digest = content_hash(source_text)
    existing = Transcript.objects.filter(content_hash=digest).first()
    if existing:
        return ImportResult(existing, duplicate=True, warnings=list(parsed.warnings))
    try:
        with transaction.atomic():
            result = _save(parsed, source_text, source_url or parsed.source_url, digest)
            topics.tag_new_statements(result.transcript.statements.all())
            if dry_run:
                result.dry_run = True
                transaction.set_rollback(True)
    except IntegrityError:
        # Another import of the same text committed between our check and our insert.
        existing = Transcript.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return ImportResult(existing, duplicate=True, warnings=list(parsed.warnings))
    return result


def reparse(transcript: Transcript, parsed: ParsedTranscript) -> ImportResult:
    """Replace `transcript`'s statements with `parsed`, its source parsed again after the
    parser improved. The transcript keeps its slug, title, kind, language and source; a
    date or place it lacks is taken from the parse. Topics an editor added or removed by
    hand follow the statements whose text is unchanged."""
    with transaction.atomic():
        result = ImportResult(transcript, warnings=list(parsed.warnings))
        speakers = _speakers(parsed, result)
        editors_topics = topics.snapshot_by_text(transcript)
        transcript.statements.all().delete()
        transcript.date = transcript.date or parsed.date
        transcript.place = transcript.place or parsed.place
        transcript.tags = parsed.tags
        transcript.other_languages = ",".join(parsed.other_languages)
        transcript.parse_warnings = parsed.warnings
        transcript.save()
        _create_statements(transcript, parsed, speakers)
        topics.tag_statements(transcript.statements.all())
        topics.restore_by_text(transcript, editors_topics)
        result.statement_count = len(parsed.statements)
    return result


def existing_speakers(parsed: ParsedTranscript) -> list[tuple[ParsedSpeaker, Speaker | None]]:
    """The people who speak in `parsed`, each with the archive's speaker an import would
    attribute them to, or None where it would create a new one. Reads only."""
    return [(person, _known_speaker(person)) for person in _speaking(parsed)]


def _save(parsed: ParsedTranscript, source_text: str, source_url: str, digest: str) -> ImportResult:
    result = ImportResult(None, warnings=list(parsed.warnings))
    speakers = _speakers(parsed, result)
    transcript = Transcript.objects.create(
        title=parsed.title,
        slug=unique_slug(Transcript, _transcript_slug(parsed)),
        date=parsed.date,
        time=parsed.time,
        place=parsed.place,
        kind=parsed.kind,
        language=parsed.language,
        source_url=source_url,
        source_format=parsed.source_format,
        source_text=source_text,
        content_hash=digest,
        other_languages=",".join(parsed.other_languages),
        tags=parsed.tags,
        parse_warnings=parsed.warnings,
    )
    _create_statements(transcript, parsed, speakers)
    result.transcript = transcript
    result.statement_count = len(parsed.statements)
    return result


def _speakers(parsed: ParsedTranscript, result: ImportResult) -> dict[str, Speaker]:
    """Name in `parsed` → the archive's speaker, created where new (listed in `result`)."""
    speakers = {}
    for person in _speaking(parsed):
        speakers[person.name], created = _speaker_for(person)
        if created:
            result.new_speakers.append(person.name)
    return speakers


def _create_statements(
    transcript: Transcript, parsed: ParsedTranscript, speakers: dict[str, Speaker]
) -> None:
    statements = Statement.objects.bulk_create(
        Statement(
            transcript=transcript,
            position=position,
            speaker=speakers.get(statement.speaker),
            speaker_label=statement.speaker_label,
            speaker_role=_role(parsed, statement.speaker),
            note=statement.note,
            kind=statement.kind,
            questioner=statement.questioner,
            outlet=statement.outlet,
            date=transcript.date,
            language=transcript.language,
            text=statement.text,
        )
        for position, statement in enumerate(parsed.statements, start=1)
    )
    _link_answers(statements, parsed)


def _link_answers(statements: list[Statement], parsed: ParsedTranscript) -> None:
    answers = []
    for row, statement in zip(statements, parsed.statements, strict=True):
        if statement.reply_to is not None:
            row.reply_to = statements[statement.reply_to]
            answers.append(row)
    Statement.objects.bulk_update(answers, ["reply_to"])


def _speaking(parsed: ParsedTranscript) -> list[ParsedSpeaker]:
    """The people with at least one statement (a participant who never speaks gets no row)."""
    names = {statement.speaker for statement in parsed.statements if statement.speaker}
    people = [person for person in parsed.speakers if person.name in names]
    known = {person.name for person in people}
    people += [ParsedSpeaker(name) for name in sorted(names - known)]
    return people


def _speaker_for(person: ParsedSpeaker) -> tuple[Speaker, bool]:
    """The archive's speaker for a person of this transcript, found by any full-name spelling
    met before, or created; either way every full-name spelling becomes an alias.

    Lone surnames ("Lavrov") are never used to look a speaker up across transcripts: the
    parser resolved them within their transcript, where they are unambiguous.
    """
    spellings = _full_name_spellings(person)
    speaker = _known_speaker(person)
    created = speaker is None
    if created:
        speaker = Speaker.objects.create(name=person.name, role=person.role)
    elif person.role and not speaker.role:
        speaker.role = person.role
        speaker.save(update_fields=["role"])
    for spelling in spellings:
        speaker.add_alias(spelling)
    return speaker, created


def _known_speaker(person: ParsedSpeaker) -> Speaker | None:
    return next(filter(None, map(Speaker.objects.by_alias, _full_name_spellings(person))), None)


def _full_name_spellings(person: ParsedSpeaker) -> list[str]:
    spellings = [person.name]
    for form in person.forms:
        _, name_part = split_role(form)
        if full_name(name_part or form):
            spellings += [form, name_part] if name_part and name_part != form else [form]
    return list(dict.fromkeys(spellings))


def _role(parsed: ParsedTranscript, name: str | None) -> str:
    person = parsed.speaker_named(name)
    return person.role if person else ""


def _transcript_slug(parsed: ParsedTranscript) -> str:
    title = re.sub(r",[^,]*\d{4}( года)?\s*$", "", parsed.title)  # the date is in the prefix
    slug = ascii_slug(title, max_length=90)
    return f"{parsed.date.isoformat()}-{slug}" if parsed.date else slug
