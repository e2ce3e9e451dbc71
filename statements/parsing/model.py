"""The parser's output: plain dataclasses, no Django."""

import datetime as dt
from dataclasses import dataclass, field

# Statement kinds, in the order a transcript usually goes.
OPENING = "opening"  # a speaker's remarks before the first question
QUESTION = "question"
ANSWER = "answer"  # a named speaker's turn right after a question
REMARKS = "remarks"  # any other turn
NARRATIVE = "narrative"  # editorial text that is nobody's words

STATEMENT_KINDS = (OPENING, QUESTION, ANSWER, REMARKS, NARRATIVE)

TRANSCRIPT_KINDS = (
    "press_conference",
    "interview",
    "briefing",
    "speech",
    "statement",
    "article",
    "other",
)


class ParseError(ValueError):
    """Input that cannot be turned into a transcript; says what is wrong and where."""

    def __init__(self, message: str, *, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Paragraph:
    """One paragraph of the body as the reader found it, with its 1-based source line.

    `emphasis` is the bold text the paragraph opens with, if any: in HTML and Markdown a
    speaker label is printed in bold, which tells it from a sentence that happens to start
    with a capitalised phrase and a colon. `narrative` marks editorial text (a Kremlin lead
    before its `* * *`) that must never be read as anybody's words.
    """

    text: str
    line: int
    emphasis: str = ""
    narrative: bool = False


@dataclass
class ParsedSpeaker:
    """A person the transcript names: canonical name, role when given, and every form met."""

    name: str
    role: str = ""
    forms: list[str] = field(default_factory=list)
    outlet: str = ""  # set for journalists: their turns are questions, not statements
    # the forms again, to tell a new one at once (a person may be printed thousands of ways)
    _known: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def add_form(self, form: str) -> None:
        if form and form not in self._known:
            self._known.add(form)
            self.forms.append(form)


@dataclass
class ParsedStatement:
    speaker_label: str  # exactly as printed; "" for an opening taken from the title, or narrative
    speaker: str | None  # the resolved person's name, None for questioners and narrative
    kind: str
    paragraphs: list[str] = field(default_factory=list)
    note: str = ""  # e.g. "retranslated from Russian"
    questioner: str = ""  # who asks, when the text says: "Dawn Tan", "Ksenia Sokolova"
    outlet: str = ""  # the questioner's outlet: "CNA", "Snob magazine"
    reply_to: int | None = None  # for an answer: the index of the question it answers
    line: int = 0  # where the statement starts in the source

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class ParsedTranscript:
    title: str
    date: dt.date | None = None
    time: dt.time | None = None
    place: str = ""
    language: str = "en"
    kind: str = "other"
    source_url: str = ""
    source_format: str = "text"
    speakers: list[ParsedSpeaker] = field(default_factory=list)
    main_speaker: str | None = None
    statements: list[ParsedStatement] = field(default_factory=list)
    # Other languages the source says this transcript exists in (mid.ru's "en-GB1 ru-RU1").
    other_languages: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # the source's own subject tags
    # Lines recognised as site furniture and left out of the statements, kept to be shown.
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def participants(self) -> list[str]:
        return [
            speaker.name
            for speaker in self.speakers
            if speaker.name != self.main_speaker and not speaker.outlet
        ]

    def speaker_named(self, name: str | None) -> ParsedSpeaker | None:
        return next((s for s in self.speakers if s.name == name), None)

    def to_dict(self) -> dict:
        """The JSON shape of `parse_transcript` (and of the JSON input form)."""
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "time": self.time.strftime("%H:%M") if self.time else None,
            "place": self.place,
            "language": self.language,
            "kind": self.kind,
            "statements": [
                {
                    "speaker": statement.speaker,
                    "speaker_label": statement.speaker_label,
                    "note": statement.note,
                    "kind": statement.kind,
                    "paragraphs": statement.paragraphs,
                }
                for statement in self.statements
            ],
        }
