"""Speaker labels: the short "Name:" that opens a paragraph and starts a new statement.

A label is a name or a generic role ("Question", "Q", "Вопрос"), optionally followed by a
note in parentheses, then a colon. A colon inside a sentence ("… two tasks: …") is not one:
the words before it must read as a name.
"""

import re
from dataclasses import dataclass

from . import names
from .model import ANSWER, QUESTION, REMARKS

# Generic labels: the speaker is not a person we can name. The value is the statement kind
# the label implies; None for unnamed officials, whose turns are classed like named ones.
GENERIC_LABELS = {
    "question": QUESTION,
    "q": QUESTION,
    "reporter": QUESTION,
    "journalist": QUESTION,
    "вопрос": QUESTION,
    "журналист": QUESTION,
    "answer": ANSWER,
    "response": ANSWER,
    "reply": ANSWER,
    "ответ": ANSWER,
    "remark": REMARKS,
    "comment": REMARKS,
    "voice": REMARKS,
    "moderator": REMARKS,
    "operator": REMARKS,
    "aide": REMARKS,
    "реплика": REMARKS,
    "модератор": REMARKS,
    "ведущий": REMARKS,
}
# "SENIOR ADMINISTRATION OFFICIAL", "NSC SPOKESPERSON", "SENIOR STATE DEPARTMENT OFFICIAL ONE"
UNNAMED_OFFICIAL = re.compile(
    r"^((senior|administration|adminstration|state|department|white|house|nsc|u\.s\.|"
    r"defense|military|treasury)\s+)*(official|spokesperson|spokesman)(\s+(one|two|three|\d))?$",
    re.IGNORECASE,
)
# "Question 1:", "Question 2:" in a numbered Q&A.
NUMBERED_QUESTION = re.compile(r"^(question|q)\s*\d+$", re.IGNORECASE)
# A bold label: everything up to the first colon (the name, role and notes), up to 300
# characters; the colon may be followed directly by the speech.
BOLD_LABEL = re.compile(r"^(?P<head>[^\W\d_][^:\n]{0,299}?)\s*:(?P<rest>.*)$", re.DOTALL)
# The White House prints a reporter's turn as a bare Q and spaces, with no colon.
BARE_Q = re.compile(r"^Q\s+(?=\S)")
# A parenthetical after a name is a note about the delivery, else the speaker's outlet.
DELIVERY_NOTE = re.compile(
    r"retranslat|translat|interpret|via |speaks|speaking|in (english|russian|french|arabic)|"
    r"перев|по-(русски|английски|казахски)|говорит",
    re.IGNORECASE,
)
# A role alone stands for the one person of the transcript who holds it ("Minister:").
ROLE_LABELS = {
    "minister",
    "president",
    "chairman",
    "secretary",
    "ambassador",
    "spokesperson",
    "министр",
    "президент",
    "посол",
}
# Nouns of headings and form fields ("Photo Caption:", "Tel:", "BORN:"): never a person.
FIELD_WORDS = {
    "address",
    "agenda",
    "annex",
    "attachment",
    "born",
    "caption",
    "career",
    "contact",
    "date",
    "education",
    "email",
    "fax",
    "links",
    "note",
    "notes",
    "photo",
    "photos",
    "points",
    "programme",
    "program",
    "registration",
    "source",
    "tel",
    "telephone",
    "time",
    "venue",
    "website",
}

# fmt: off
# Words that begin sentences, never names: "In Syria:", "As for Idlib:" are not labels.
SENTENCE_STARTS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "here", "how", "i", "if", "in",
    "it", "let", "my", "no", "now", "on", "our", "so", "that", "the", "there", "these",
    "this", "those", "to", "we", "what", "when", "where", "why", "with", "yes", "you",
    "в", "и", "мы", "на", "но", "по", "с", "что", "это", "я",
}
# fmt: on

MAX_LABEL_WORDS = 8
MAX_BOLD_LABEL_WORDS = 30  # long roles: "Chairman of the National Council for the …"
LABEL = re.compile(
    r"""^(?P<name>[^\W\d_][^:()\n]{0,99}?)      # the name, starting with a letter
        \s*(?:\((?P<note>[^()\n]{1,150})\)\s*)?  # an optional (note)
        :(?:\s+|$)(?P<rest>.*)$                  # the colon, then the statement's first words
    """,
    re.VERBOSE | re.DOTALL,
)

WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Label:
    label: str  # the name part as printed, e.g. "Sergey Lavrov", "Question"
    note: str  # about the delivery, e.g. "retranslated from Russian"
    outlet: str  # the speaker's outlet, e.g. "CNA" in "Dawn Tan (CNA):"
    rest: str  # text after the colon in the same paragraph
    generic: bool  # no person is named ("Question", "Q", "SENIOR ADMINISTRATION OFFICIAL")
    kind: str | None  # the kind a generic label implies; None to class it like a named one


def match_label(
    paragraph: str,
    known_surnames: set[str] = frozenset(),
    *,
    emphasized: bool = False,
    upper_case_only: bool = False,
) -> Label | None:
    """The label opening `paragraph`, or None if the paragraph continues the current turn.

    `known_surnames` (surname stems of people already named) lets a lone surname such as
    "Putin:" count as a label; an unknown single word ("Syria:") does not. `emphasized`
    says the paragraph opens in bold, as labels do in HTML pages: longer role-and-name
    labels are then accepted. `upper_case_only` is for transcripts that print every speaker
    in capitals ("MR. KIRBY:"): there a mixed-case "Speaker McCarthy:" is someone quoted.
    """
    paragraph = paragraph.replace("\u00a0", " ")
    bare_q = BARE_Q.match(paragraph)
    if bare_q:
        return Label("Q", "", "", paragraph[bare_q.end() :].strip(), True, QUESTION)
    if ":" not in paragraph:
        return None  # every other label ends in a colon; most paragraphs have none
    parts = _bold_label_parts(paragraph) if emphasized else _label_parts(paragraph)
    if parts is None:
        return None
    name, note, rest = parts
    name, note = _split_addressee(name, note)
    if NUMBERED_QUESTION.match(name):
        return Label(name, note, "", rest, True, QUESTION)
    if name.casefold() in GENERIC_LABELS:
        return Label(name, note, "", rest, True, GENERIC_LABELS[name.casefold()])
    if UNNAMED_OFFICIAL.match(name):
        return Label(name, note, "", rest, True, None)
    if upper_case_only and not emphasized and not name.isupper():
        return None
    if not _reads_as_name(name, known_surnames, emphasized):
        return None
    if note and not DELIVERY_NOTE.search(note) and not _names_a_place(note):
        return Label(name, "", note, rest, False, None)
    return Label(name, note, "", rest, False, None)


def _label_parts(paragraph: str) -> tuple[str, str, str] | None:
    match = LABEL.match(paragraph)
    if not match:
        return None
    name = WHITESPACE.sub(" ", match["name"]).strip()
    return name, (match["note"] or "").strip(), match["rest"].strip()


def _bold_label_parts(paragraph: str) -> tuple[str, str, str] | None:
    """(name, notes, rest) of a bold label, which may be long and carry several notes:
    "Mayor of Ljubljana Zoran Jankovic (Republic of Slovenia) (retranslated):", and may be
    followed by the speech with no space ("<b>Megyn Kelly:</b>But …")."""
    match = BOLD_LABEL.match(paragraph)
    if not match:
        return None
    head, notes = match["head"].strip(), []
    while head.endswith(")") and "(" in head:
        opening = head.rindex("(")
        notes.insert(0, head[opening + 1 : -1].strip())
        head = head[:opening].strip()
    if not head:
        return None
    return WHITESPACE.sub(" ", head), "; ".join(notes), match["rest"].strip()


def _names_a_place(note: str) -> bool:
    """ "(France)", "(Republic of Slovenia)": where the speaker is from, not an outlet."""
    return all(names.is_role_word(word) for word in note.split())


def prints_speakers_in_capitals(paragraphs: list[str]) -> bool:
    """Whether a transcript's named labels are (nearly) all in capitals, as the White House
    prints them; then the few mixed-case "Name:" paragraphs are quotations, not turns."""
    if sum(map(_opens_with_capitals, paragraphs)) < 3:
        return False  # the usual case, told without judging every label
    upper = mixed = 0
    for paragraph in paragraphs:
        label = match_label(paragraph)
        if label and not label.generic:
            upper += label.label.isupper()
            mixed += not label.label.isupper()
    return upper >= 3 and mixed * 5 <= upper


def _opens_with_capitals(paragraph: str) -> bool:
    """Whether `paragraph` may open with a label in capitals. A label's name is what comes
    before its note's "(" or its colon, so a named label `match_label` finds in capitals
    always passes this (generic ones aside): fewer than three that pass means fewer than
    three such labels."""
    head, colon, _ = paragraph.partition(":")
    return bool(colon) and head.partition("(")[0].isupper()


def _split_addressee(name: str, note: str) -> tuple[str, str]:
    """ "Question to both ministers" is the generic "Question" with a note, as "(to …)" is."""
    first, _, rest = name.partition(" ")
    if first.casefold() in GENERIC_LABELS and rest.split()[:1] in (["to"], ["for"]) and not note:
        return first, rest
    return name, note


def _reads_as_name(name: str, known_surnames: set[str], emphasized: bool) -> bool:
    if emphasized:
        return _reads_as_bold_name(name, known_surnames)
    words = name.split()
    if not words or len(words) > MAX_LABEL_WORDS:
        return False
    if words[0].lower().rstrip(".") in SENTENCE_STARTS or re.search(r"[,;!?\"«»“”]", name):
        return False
    if not all(_name_word(word) for word in words):
        return False
    return _names_someone(name, known_surnames)


def _reads_as_bold_name(name: str, known_surnames: set[str]) -> bool:
    """A bold label may carry a long role, in lower case and with commas and asides
    ("Special Representative of the French Government on relations with Russia Jean-Pierre
    Chevenement"): the role is not judged, but the label must end with a person's name."""
    name = re.sub(r"\s*\([^()]*\)", "", name).replace(",", " ")
    name = re.sub(r"\s[–—-]\s", " ", name)
    words = name.split()
    if not words or len(words) > MAX_BOLD_LABEL_WORDS:
        return False
    if words[0].lower().rstrip(".") in SENTENCE_STARTS or re.search(r"[;!?\"«»“”]", name):
        return False
    _, person = names.split_role(name)
    if not all(_name_word(word) for word in (person or name).split()):
        return False
    return _names_someone(name, known_surnames)


def _names_someone(name: str, known_surnames: set[str]) -> bool:
    _, person = names.split_role(name)
    if any(word.lower().strip(".") in FIELD_WORDS for word in (person or name).split()):
        return False
    if len(name.split()) > 1 or names.RUSSIAN_INITIALS_NAME.fullmatch(name):
        return True
    # A single word is a name only if we already know it: "Putin:" after "Vladimir Putin:",
    # or a role word standing for a known person ("Minister:"); "Syria:" is not a label.
    return names.surname_stem(name) in known_surnames or name.lower() in ROLE_LABELS


def _name_word(word: str) -> bool:
    lowered = word.lower()
    if names.is_particle(word) or lowered in {"of", "the", "for"}:
        return True
    first = word.lstrip("(\"'‘“")[:1]
    return first.isupper() or ("." in word and first.isalpha() and word.replace(".", "").isupper())
