"""The parser core shared by every reader: paragraphs → statements with speakers and kinds.

Readers turn their format into a title, metadata and body paragraphs; this module finds the
speaker labels, groups paragraphs into statements, resolves labels to people named in the
title or in earlier labels, and works out the transcript's place, date, kind and language.
"""

from datetime import date

from . import dates, names
from .labels import Label, match_label
from .model import (
    ANSWER,
    NARRATIVE,
    OPENING,
    QUESTION,
    REMARKS,
    Paragraph,
    ParsedSpeaker,
    ParsedStatement,
    ParsedTranscript,
)

# Transcript kinds by words in the title, first match wins: a "news conference" where
# someone gives "remarks" is a press conference.
KIND_KEYWORDS = [
    (
        "press_conference",
        ("press conference", "news conference", "press-conference", "пресс-конференц"),
    ),
    ("briefing", ("briefing", "брифинг")),
    ("interview", ("interview", "интервью")),
    ("speech", ("speech", "address", "lecture", "remarks at", "выступлени", "речь")),
    ("statement", ("statement", "comment", "заявлени", "комментари")),
    ("article", ("article", "op-ed", "статья", "статьи")),
]
CYRILLIC_SHARE_FOR_RUSSIAN = 0.3


def assemble(
    *,
    title: str,
    paragraphs: list[Paragraph],
    language: str | None = None,
    published: date | None = None,
    **metadata,
) -> ParsedTranscript:
    """Build the ParsedTranscript from a reader's title, paragraphs and metadata."""
    transcript = ParsedTranscript(title=title, date=published, **metadata)
    transcript.language = language or detect_language(title, paragraphs)
    transcript.kind = transcript_kind(title)
    _read_title(transcript)
    _split_statements(transcript, paragraphs)
    if transcript.date is None:
        transcript.warnings.append("no date found in the text or its title")
    return transcript


def detect_language(title: str, paragraphs: list[Paragraph]) -> str:
    """'ru' when Cyrillic dominates the letters, else 'en'."""
    sample = title + " ".join(paragraph.text for paragraph in paragraphs[:20])
    letters = [ch for ch in sample if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if names.is_cyrillic(ch))
    return "ru" if letters and cyrillic / len(letters) >= CYRILLIC_SHARE_FOR_RUSSIAN else "en"


def transcript_kind(title: str) -> str:
    lowered = title.casefold()
    for kind, keywords in KIND_KEYWORDS:
        if any(keyword in lowered for keyword in keywords):
            return kind
    return "other"


def _read_title(transcript: ParsedTranscript) -> None:
    """Place and date from the title's tail; main speaker and participants from its names."""
    tail = dates.trailing_date(transcript.title)
    if tail:
        before, title_date = tail
        if transcript.date is None:
            transcript.date = title_date
        elif transcript.date != title_date:
            transcript.warnings.append(
                f"the title is dated {title_date.isoformat()}, the page "
                f"{transcript.date.isoformat()}; kept the page's date"
            )
        transcript.place = transcript.place or _place(before)
    for name, role, form in names.title_people(transcript.title):
        person = _register(transcript, name, role)
        person.add_form(form)
    transcript.main_speaker = _main_speaker(transcript)


def _place(before_date: str) -> str:
    """ "…, Moscow, " → "Moscow": a short capitalised segment just before the title's date."""
    segment = before_date.rstrip(" ,").rpartition(",")[2].strip()
    words = segment.split()
    if 1 <= len(words) <= 3 and all(word[:1].isupper() for word in words):
        return segment
    return ""


def _main_speaker(transcript: ParsedTranscript) -> str | None:
    possessive = names.possessive_person(transcript.title)
    if possessive:
        return possessive
    if names.is_cyrillic(transcript.title) and transcript.speakers:
        return transcript.speakers[0].name  # "Выступление … С.В.Лаврова …"
    first_words = transcript.title.split()[:1]
    if transcript.speakers and first_words and names.is_role_word(first_words[0]):
        return transcript.speakers[0].name  # "Foreign Minister Sergey Lavrov: interview …"
    return None


def _register(transcript: ParsedTranscript, name: str, role: str = "") -> ParsedSpeaker:
    """The person called `name` in this transcript, added if new; longer forms win."""
    for person in transcript.speakers:
        if names.same_person(name, person.name):
            if len(name.split()) > len(person.name.split()):
                _rename(transcript, person, name)
            person.role = person.role or role
            return person
    person = ParsedSpeaker(name=name, role=role)
    transcript.speakers.append(person)
    return person


def _rename(transcript: ParsedTranscript, person: ParsedSpeaker, name: str) -> None:
    if transcript.main_speaker == person.name:
        transcript.main_speaker = name
    for statement in transcript.statements:
        if statement.speaker == person.name:
            statement.speaker = name
    person.name = name


def _split_statements(transcript: ParsedTranscript, paragraphs: list[Paragraph]) -> None:
    current: ParsedStatement | None = None
    for paragraph in paragraphs:
        label = match_label(paragraph.text, _known_surnames(transcript))
        if label is None:
            if current is None:
                current = _opening(transcript, paragraph.line)
                transcript.statements.append(current)
            current.paragraphs.append(paragraph.text)
            continue
        current = _labelled(transcript, label, paragraph.line)
        transcript.statements.append(current)
        if label.rest:
            current.paragraphs.append(label.rest)
    _check_statements(transcript)


def _known_surnames(transcript: ParsedTranscript) -> set[str]:
    return {names.surname_stem(names.surname(person.name)) for person in transcript.speakers}


def _opening(transcript: ParsedTranscript, line: int) -> ParsedStatement:
    """Text before the first label: the title's speaker opening, or narrative if none."""
    if transcript.main_speaker:
        return ParsedStatement("", transcript.main_speaker, OPENING, line=line)
    return ParsedStatement("", None, NARRATIVE, line=line)


def _labelled(transcript: ParsedTranscript, label: Label, line: int) -> ParsedStatement:
    statement = ParsedStatement(label.label, None, REMARKS, note=label.note, line=line)
    if label.generic_kind:
        statement.kind = label.generic_kind
        return statement
    statement.speaker = _resolve(transcript, label.label, line)
    statement.kind = _named_kind(transcript)
    return statement


def _named_kind(transcript: ParsedTranscript) -> str:
    """Named turns before any question open the event; a turn after a question answers it."""
    kinds = [statement.kind for statement in transcript.statements]
    if QUESTION not in kinds:
        return OPENING
    return ANSWER if kinds[-1] == QUESTION else REMARKS


def _resolve(transcript: ParsedTranscript, label: str, line: int) -> str | None:
    """The person a label names: someone already known, or a new person if the label is a
    full name. A lone surname or "MR PRICE" that matches nobody stays unresolved."""
    role, person_text = names.split_role(label)
    person_text = person_text or label
    matches = [p for p in transcript.speakers if names.same_person(person_text, p.name)]
    if len(matches) > 1:
        transcript.warnings.append(
            f"line {line}: label {label!r} could be any of "
            f"{', '.join(p.name for p in matches)}; left unresolved"
        )
        return None
    full_name = names.full_name(person_text)
    if full_name:
        person = _register(transcript, full_name, role)
    elif matches:
        person = matches[0]
    else:
        transcript.warnings.append(
            f"line {line}: label {label!r} does not name a known person; kept as printed"
        )
        return None
    person.add_form(label)
    return person.name


def _check_statements(transcript: ParsedTranscript) -> None:
    if not transcript.statements:
        transcript.warnings.append("no text after the title")
    if not any(statement.speaker_label for statement in transcript.statements):
        transcript.warnings.append("no speaker labels found")
    for statement in transcript.statements:
        if not statement.paragraphs:
            transcript.warnings.append(
                f"line {statement.line}: {statement.speaker_label!r} has no text"
            )
