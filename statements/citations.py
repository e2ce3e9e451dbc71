"""How a statement is cited: speaker, title, place, date and the permanent address."""

import re

from django.utils.dateformat import format as format_date

from statements.models import StatementKind

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


def citation(statement, url: str) -> str:
    """“Sergey Lavrov, ‘Foreign Minister Sergey Lavrov’s remarks …’, Moscow, 28 January 2019,
    statement 3. https://…/statements/42/”"""
    transcript = statement.transcript
    who = statement.display_speaker or statement.get_kind_display()
    parts = [who, f"“{transcript.title}”"]
    if transcript.place:
        parts.append(transcript.place)
    if transcript.date:
        parts.append(format_date(transcript.date, "j F Y"))
    parts.append(f"statement {statement.position}")
    return f"{', '.join(parts)}. {url}"
