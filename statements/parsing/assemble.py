"""The parser core shared by every reader: paragraphs → statements with speakers and kinds.

Readers turn their format into a title, metadata and body paragraphs; this module finds the
speaker labels, groups paragraphs into statements, resolves labels to people named in the
title or in earlier labels, and works out the transcript's place, date, kind and language.
"""

import re
from datetime import date

from . import dates, names
from .cast import Cast
from .labels import Label, match_label, prints_speakers_in_capitals
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
    ("briefing", ("briefing", "press gaggle", "press call", "брифинг")),
    ("interview", ("interview", "интервью")),
    ("speech", ("speech", "address", "lecture", "remarks at", "выступлени", "речь")),
    ("statement", ("statement", "comment", "заявлени", "комментари")),
    ("article", ("article", "op-ed", "статья", "статьи")),
]
CYRILLIC_SHARE_FOR_RUSSIAN = 0.3
LETTERS = re.compile(r"[^\W\d_]+")  # counted by the run: far fewer matches than letters
CYRILLIC_LETTERS = re.compile(f"{names.CYRILLIC_LETTER.pattern}+")
SAMPLE_CHARACTERS = 5000  # enough letters to tell the language


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
    assembly = _Assembly(transcript)
    _read_title(assembly)
    assembly.split_statements(paragraphs)
    _pair_questions(transcript)
    _check_statements(transcript)
    if transcript.date and dates.out_of_range(transcript.date):
        transcript.warnings.append(
            f"the date {transcript.date.isoformat()} is "
            f"{dates.out_of_range(transcript.date)}: left out, set it by hand"
        )
        transcript.date = None
    if transcript.date is None:
        transcript.warnings.append("no date found in the text or its title")
    return transcript


def detect_language(title: str, paragraphs: list[Paragraph]) -> str:
    """'ru' when Cyrillic dominates the letters, else 'en'."""
    sample = (title + " ".join(paragraph.text for paragraph in paragraphs[:20]))[:SAMPLE_CHARACTERS]
    if not names.is_cyrillic(sample):
        return "en"  # told by one scan; counting the letters is the slow part
    letters = sum(map(len, LETTERS.findall(sample)))
    cyrillic = sum(map(len, CYRILLIC_LETTERS.findall(sample)))
    return "ru" if letters and cyrillic / letters >= CYRILLIC_SHARE_FOR_RUSSIAN else "en"


def transcript_kind(title: str) -> str:
    lowered = title.casefold()
    for kind, keywords in KIND_KEYWORDS:
        if any(keyword in lowered for keyword in keywords):
            return kind
    return "other"


def _read_title(assembly: "_Assembly") -> None:
    """Place and date from the title's tail; main speaker and participants from its names."""
    transcript = assembly.transcript
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
        person = assembly.register(name, role)
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
    for person in transcript.speakers:
        # "Briefing by Foreign Ministry Spokeswoman Maria Zakharova", "Press Briefing by …"
        if any(f"by {form}" in transcript.title for form in person.forms):
            return person.name
    first = transcript.speakers[0] if transcript.speakers else None
    if first and first.forms and transcript.title.startswith(first.forms[0]):
        role_words = first.forms[0].split()[: -len(first.name.split())]
        if role_words and all(names.is_role_word(word) for word in role_words):
            return first.name  # "Foreign Minister Sergey Lavrov: interview to …"
    return None


class _Assembly:
    """A transcript being built: its statements, its cast (`cast.Cast`) and what the kind
    of the next turn depends on, kept up to date so that each label costs about the same
    however many came before it."""

    def __init__(self, transcript: ParsedTranscript):
        self.transcript = transcript
        self.cast = Cast(transcript.speakers)
        self.asked = False  # a question came already
        self.turns: dict[str, list[ParsedStatement]] = {}  # each speaker's statements

    def append(self, statement: ParsedStatement) -> None:
        self.transcript.statements.append(statement)
        self.asked = self.asked or statement.kind == QUESTION
        if statement.speaker is not None:
            self.turns.setdefault(statement.speaker, []).append(statement)

    def register(
        self, name: str, role: str = "", *, printed_alone: bool = False, known=None
    ) -> ParsedSpeaker:
        """The person called `name` in this transcript, added if new.

        A longer form of a known name replaces it only when printed on its own ("Mohammad
        Javad Zarif:" after a title's "Javad Zarif"): split from a role ("CEO of French
        Energy Company Total Patrick Pouyanne"), its extra words may still be the role's.
        """
        if known is None:  # `known`: who `name` matches, when the caller just asked
            known = self.cast.matching(name)
        if known:
            person = known[0]
            if printed_alone and len(name.split()) > len(person.name.split()):
                self.rename(person, name)
            self.cast.give_role(person, role)
            return person
        person = ParsedSpeaker(name=name, role=role)
        self.cast.add(person)
        return person

    def rename(self, person: ParsedSpeaker, name: str) -> None:
        if self.transcript.main_speaker == person.name:
            self.transcript.main_speaker = name
        for statement in self.turns.get(person.name, []):
            statement.speaker = name
        if person.name in self.turns:
            self.turns.setdefault(name, []).extend(self.turns.pop(person.name))
        self.cast.rename(person, name)

    def split_statements(self, paragraphs: list[Paragraph]) -> None:
        current: ParsedStatement | None = None
        in_lead = False  # inside an editorial lead the reader marked (Kremlin, before * * *)
        upper_case_only = prints_speakers_in_capitals(
            [p.text for p in paragraphs if not p.emphasis]
        )
        for paragraph in paragraphs:
            if paragraph.narrative:
                if not in_lead:
                    current = ParsedStatement("", None, NARRATIVE, line=paragraph.line)
                    self.append(current)
                    in_lead = True
                current.paragraphs.append(paragraph.text)
                continue
            label = match_label(
                paragraph.text,
                self.cast.surname_stems,
                emphasized=bool(paragraph.emphasis),
                upper_case_only=upper_case_only,
            )
            if label is None:
                if current is None or in_lead:
                    current = self.opening(paragraph.line)
                    self.append(current)
                in_lead = False
                current.paragraphs.append(paragraph.text)
                continue
            in_lead = False
            current = self.labelled(label, paragraph.line)
            self.append(current)
            if label.rest:
                current.paragraphs.append(label.rest)

    def opening(self, line: int) -> ParsedStatement:
        """Text before the first label: the title's speaker opening, or narrative if none."""
        if self.transcript.main_speaker:
            return ParsedStatement("", self.transcript.main_speaker, OPENING, line=line)
        return ParsedStatement("", None, NARRATIVE, line=line)

    def labelled(self, label: Label, line: int) -> ParsedStatement:
        statement = ParsedStatement(label.label, None, REMARKS, note=label.note, line=line)
        if label.generic:
            statement.kind = label.kind or self.named_kind()
            return statement
        person = self.resolve(label, line)
        if person and person.outlet:
            statement.kind, statement.questioner = QUESTION, person.name
            statement.outlet = label.outlet or person.outlet  # "Dawn Tan (Reuters)" later
            return statement
        statement.speaker = person.name if person else None
        statement.kind = self.named_kind(statement.speaker)
        return statement

    def named_kind(self, speaker: str | None = None) -> str:
        """A turn after a question answers it; each speaker's first turn before any
        question opens the event; any other turn is remarks."""
        statements = self.transcript.statements
        if statements and statements[-1].kind == QUESTION:
            return ANSWER
        spoke = speaker is not None and speaker in self.turns
        return REMARKS if self.asked or spoke else OPENING

    def resolve(self, label: Label, line: int) -> ParsedSpeaker | None:
        """The person a label names: someone already known, or a new person if the label
        is a full name. A lone surname or "MR PRICE" that matches nobody stays unresolved."""
        # Asides inside a long bold label ("(Turkey)", "(2012–2017)", commas) are not the name.
        printed = re.sub(r"\s*\([^()]*\)|,", " ", label.label)
        role, person_text = names.split_role(" ".join(printed.split()))
        if not person_text:
            return self.by_role(role, label.label, line)
        matches = self.cast.matching(person_text)
        if len(matches) > 1:
            self.transcript.warnings.append(
                f"line {line}: label {label.label!r} could be any of "
                f"{_some_names(matches)}; left unresolved"
            )
            return None
        full_name = names.full_name(person_text)
        if full_name:
            known = matches if full_name == person_text else None
            person = self.register(full_name, role, printed_alone=not role, known=known)
        elif matches:
            person = matches[0]
        else:
            self.transcript.warnings.append(
                f"line {line}: label {label.label!r} does not name a known person; kept as printed"
            )
            return None
        person.add_form(label.label)
        person.outlet = person.outlet or label.outlet
        return person

    def by_role(self, role: str, label: str, line: int) -> ParsedSpeaker | None:
        """ "Minister:" for the one person of this transcript whose role says Minister."""
        matches = self.cast.with_role(role)
        if len(matches) == 1:
            matches[0].add_form(label)
            return matches[0]
        self.transcript.warnings.append(
            f"line {line}: label {label!r} names a role, not one known person; kept as printed"
        )
        return None


NAMES_IN_A_WARNING = 5


def _some_names(people: list[ParsedSpeaker]) -> str:
    """ "A, B, C" — or the first few and how many more, for a label that fits thousands."""
    shown = ", ".join(person.name for person in people[:NAMES_IN_A_WARNING])
    more = len(people) - NAMES_IN_A_WARNING
    return f"{shown} and {more:,} more" if more > 0 else shown


def _pair_questions(transcript: ParsedTranscript) -> None:
    """Link each answer to the question before it, and read who asks from the question's
    opening words when the label does not say ("Question: Ksenia Sokolova, Snob magazine.")."""
    question = None
    for index, statement in enumerate(transcript.statements):
        if statement.kind == QUESTION:
            question = index
            if not statement.questioner and statement.paragraphs:
                statement.questioner, statement.outlet = _introduced_questioner(
                    statement.paragraphs[0]
                )
        elif statement.kind == ANSWER and question is not None:
            statement.reply_to = question
            question = None


QUESTIONER = re.compile(
    r"^(?P<name>[A-ZА-ЯЁ][\w’'-]+(?: [A-ZА-ЯЁ][\w’'-]+){1,3}), "
    r"(?P<outlet>[A-ZА-ЯЁ«\"“][^.?!,]{1,80})\.(\s|$)"
)


def _introduced_questioner(text: str) -> tuple[str, str]:
    """("Ksenia Sokolova", "Snob magazine") from "Ksenia Sokolova, Snob magazine. …"; not
    from "Mr President, I represent …", which is an address, not an introduction."""
    match = QUESTIONER.match(text)
    if not match or any(
        names.is_role_word(w) or names.is_honorific(w) for w in match["name"].split()
    ):
        return "", ""
    return (match["name"], match["outlet"]) if match else ("", "")


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
