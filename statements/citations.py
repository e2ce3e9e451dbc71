"""How a statement or a transcript is cited — as text, CSL-JSON, BibTeX and RIS — with the
speaker (by what they were, when unnamed) and role, the occasion, date and place, the
publisher (the ministry or office, from the source's site), the original source URL, the
archive's permalink and the date it was accessed."""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateformat import format as format_date

from statements.models import StatementKind
from statements.slugs import ascii_slug
from statements.sources import publisher_for

ARCHIVE = "Diplomatic Statements Archive"
TITLE_WORDS = 12

# Labels that name a role, not a person: cited as "Unnamed moderator", "Unnamed senior
# administration official". Any other generic label ("Q", "Response") is an unnamed
# speaker; a label that names someone the parser could not resolve is cited as printed.
ROLE_LABEL = re.compile(
    r"^((senior|administration|state|department|white|house|nsc|u\.s\.|defense|military|"
    r"treasury)\s+)*(official|spokesperson|spokesman|moderator|operator|aide|interpreter)"
    r"(\s+(one|two|three|\d))?$",
    re.IGNORECASE,
)
GENERIC_LABELS = {
    "q",
    "question",
    "reporter",
    "journalist",
    "answer",
    "response",
    "reply",
    "remark",
    "comment",
    "voice",
    "вопрос",
    "журналист",
    "ответ",
    "реплика",
    "модератор",
    "ведущий",
}
UNNAMED_QUESTIONER = "Unnamed questioner"
UNNAMED_SPEAKER = "Unnamed speaker"


def cited_speaker(statement) -> str | None:
    """Who said it, as a citation names them: the speaker's name, the journalist asking, or
    what they were ("Unnamed questioner") — never a bare label like "Q". None for narrative
    (the publisher's own words)."""
    if statement.speaker_id:
        return statement.speaker.name
    if statement.questioner:
        return statement.questioner
    if statement.kind == StatementKind.NARRATIVE:
        return None
    label = " ".join(statement.speaker_label.split())
    if statement.kind == StatementKind.QUESTION and (
        not label or label.casefold() in GENERIC_LABELS
    ):
        return UNNAMED_QUESTIONER
    if ROLE_LABEL.match(label):
        return f"Unnamed {label.lower()}"
    if not label or label.casefold() in GENERIC_LABELS:
        return UNNAMED_SPEAKER
    return label


def speaker_role(statement) -> str:
    """The role printed with the name in this transcript, else the speaker's latest."""
    if statement.speaker_role:
        return statement.speaker_role
    return statement.speaker.role if statement.speaker_id else ""


@dataclass(frozen=True)
class Work:
    """What a citation names, in whichever format: a statement, or a whole transcript."""

    key: str  # a citation key: "lavrov2019-5"
    author: str | None  # cited_speaker, or the publisher for a transcript; None: nobody
    person: bool  # whether `author` is a person's name (split as family, given)
    role: str
    title: str
    container: str | None  # the transcript, for a statement
    occasion: str  # "Press conference"
    date: datetime.date | None
    place: str
    publisher: str | None
    source_url: str
    permalink: str
    accessed: datetime.date
    language: str
    position: int | None = None

    @property
    def family_given(self) -> tuple[str, str]:
        """("Lavrov", "Sergey") for a person; (the whole name, "") otherwise."""
        if not self.person or " " not in self.author:
            return self.author or "", ""
        given, family = self.author.rsplit(" ", 1)
        return family, given


def statement_work(statement, permalink: str, accessed: datetime.date | None = None) -> Work:
    transcript = statement.transcript
    author = cited_speaker(statement)
    publisher = publisher_for(transcript.source_url)
    words = " ".join(statement.text.split()[:TITLE_WORDS])
    more = len(statement.text.split()) > TITLE_WORDS
    return Work(
        key=_key(
            author or (publisher.name if publisher else "statement"), transcript.date, statement.pk
        ),
        author=author,
        person=bool(statement.speaker_id),
        role=speaker_role(statement),
        title=f"{words}{' …' if more else ''}",
        container=transcript.title,
        occasion=transcript.get_kind_display(),
        date=transcript.date,
        place=transcript.place,
        publisher=publisher.name if publisher else None,
        source_url=transcript.source_url,
        permalink=permalink,
        accessed=accessed or timezone.localdate(),
        language=statement.language,
        position=statement.position,
    )


def transcript_work(transcript, permalink: str, accessed: datetime.date | None = None) -> Work:
    publisher = publisher_for(transcript.source_url)
    name = publisher.name if publisher else None
    return Work(
        key=_key(name or "transcript", transcript.date, transcript.pk),
        author=name,
        person=False,
        role="",
        title=transcript.title,
        container=None,
        occasion=transcript.get_kind_display(),
        date=transcript.date,
        place=transcript.place,
        publisher=name,
        source_url=transcript.source_url,
        permalink=permalink,
        accessed=accessed or timezone.localdate(),
        language=transcript.language,
    )


def _key(name: str, day: datetime.date | None, pk: int) -> str:
    word = ascii_slug(name.split()[-1] if name.split() else "") or "item"
    return f"{word}{day.year if day else 'nd'}-{pk}"


def _long_date(day: datetime.date) -> str:
    return format_date(day, "j F Y")


def citation_text(work: Work) -> str:
    """Sergey Lavrov (Minister of Foreign Affairs of Russia), “Thank you …”, statement 5 in
    “Foreign Minister Sergey Lavrov’s remarks …”, press conference, Moscow, 28 January
    2019. Ministry of Foreign Affairs of the Russian Federation. Original source: https://….
    Diplomatic Statements Archive: https://…/statements/42/ (accessed 2 December 2026)."""
    parts = []
    if work.author:
        parts.append(f"{work.author} ({work.role})" if work.role else work.author)
    if work.container:
        parts.append(f"“{work.title}”, statement {work.position} in “{work.container}”")
    else:
        parts.append(f"“{work.title}”")
    parts.append(work.occasion.lower() if parts else work.occasion)
    parts += [work.place] if work.place else []
    parts += [_long_date(work.date)] if work.date else []
    text = ", ".join(parts) + "."
    if work.publisher:
        text += f" {work.publisher}."
    if work.source_url:
        text += f" Original source: {work.source_url}."
    return f"{text} {ARCHIVE}: {work.permalink} (accessed {_long_date(work.accessed)})."


def citation(statement, url: str) -> str:
    """A statement's citation as text (see citation_text)."""
    return citation_text(statement_work(statement, url))


# --- CSL-JSON (Zotero, Mendeley, citeproc), BibTeX, RIS ----------------------------------


def _date_parts(day: datetime.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_json(work: Work) -> list[dict]:
    """The work as CSL-JSON (a list of one item): type "speech", the occasion as genre."""
    item = {
        "id": work.key,
        "type": "speech",
        "title": work.title,
        "genre": work.occasion,
        "URL": work.permalink,
        "accessed": _date_parts(work.accessed),
        "language": work.language,
    }
    if work.author:
        family, given = work.family_given
        item["author"] = [{"family": family, "given": given} if given else {"literal": family}]
    optional = {
        "container-title": work.container,
        "event": work.container,  # CSL 1.0.1's name (1.0.2 adds event-title)
        "event-place": work.place,
        "publisher": work.publisher,
        "publisher-place": work.place,
        "note": f"Original source: {work.source_url}" if work.source_url else None,
        "archive": ARCHIVE,
        "archive_location": f"statement {work.position}" if work.position else None,
    }
    item |= {name: value for name, value in optional.items() if value}
    if work.date:
        item["issued"] = _date_parts(work.date)
    return [item]


BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _bibtex_value(text: str) -> str:
    """A braced BibTeX value: LaTeX's special characters escaped, so braces always pair."""
    escaped = BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES[match[1]], " ".join(text.split()))
    return "{" + escaped + "}"


_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def bibtex(work: Work) -> str:
    """The work as one BibTeX @misc entry (biblatex reads url and urldate too)."""
    fields = []
    if work.author:
        family, given = work.family_given
        # A name that is not a person's goes in double braces: BibTeX must not split it.
        author = _bibtex_value(f"{family}, {given}") if given else "{" + _bibtex_value(family) + "}"
        fields.append(("author", author))
    fields.append(("title", _bibtex_value(work.title)))
    described = ", ".join(filter(None, [work.occasion, work.container, work.place]))
    fields.append(("howpublished", _bibtex_value(described)))
    if work.date:
        fields += [("year", str(work.date.year)), ("month", MONTHS[work.date.month - 1])]
        fields.append(("date", work.date.isoformat()))
    if work.publisher:
        fields.append(("publisher", _bibtex_value(work.publisher)))
    fields += [("url", "{" + work.permalink + "}"), ("urldate", work.accessed.isoformat())]
    note = f"Original source: {work.source_url}" if work.source_url else ARCHIVE
    fields.append(("note", _bibtex_value(note)))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{work.key},\n{body}\n}}\n"


def ris(work: Work) -> str:
    """The work as one RIS record (type GEN: RIS has no speech)."""
    lines = [("TY", "GEN")]
    if work.author:
        family, given = work.family_given
        lines.append(("AU", f"{family}, {given}" if given else family))
    lines.append(("TI", work.title))
    if work.container:
        lines.append(("T2", work.container))
    lines.append(("M3", work.occasion))
    if work.date:
        lines += [("PY", str(work.date.year)), ("DA", work.date.strftime("%Y/%m/%d"))]
    if work.place:
        lines.append(("CY", work.place))
    if work.publisher:
        lines.append(("PB", work.publisher))
    lines += [("UR", work.permalink), ("Y2", work.accessed.strftime("%Y/%m/%d"))]
    if work.source_url:
        lines.append(("N1", f"Original source: {work.source_url}"))
    lines += [("LA", work.language), ("DB", ARCHIVE), ("ER", "")]
    return "".join(f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines)
