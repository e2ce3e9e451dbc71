"""Speaker labels: the short "Name:" that opens a paragraph and starts a new statement.

A label is a name or a generic role ("Question", "Q", "Вопрос"), optionally followed by a
note in parentheses, then a colon. A colon inside a sentence ("… two tasks: …") is not one:
the words before it must read as a name.
"""

import re
from dataclasses import dataclass

from . import names
from .model import ANSWER, QUESTION, REMARKS

# Generic labels: who speaks is not a person we can name, but what they do is known.
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
    "moderator": REMARKS,
    "реплика": REMARKS,
    "модератор": REMARKS,
    "ведущий": REMARKS,
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
LABEL = re.compile(
    r"""^(?P<name>[^\W\d_][^:()\n]{0,79}?)       # the name, starting with a letter
        \s*(?:\((?P<note>[^()\n]{1,150})\)\s*)?  # an optional (note)
        :(?:\s+|$)(?P<rest>.*)$                  # the colon, then the statement's first words
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Label:
    label: str  # the name part as printed, e.g. "Sergey Lavrov", "Question"
    note: str  # the parenthetical, e.g. "retranslated from Russian"
    rest: str  # text after the colon in the same paragraph
    generic_kind: str | None  # QUESTION/ANSWER/REMARKS for generic labels, None for names


def match_label(paragraph: str, known_surnames: set[str] = frozenset()) -> Label | None:
    """The label opening `paragraph`, or None if the paragraph continues the current turn.

    `known_surnames` (surname stems of people already named) lets a lone surname such as
    "Putin:" count as a label; an unknown single word ("Syria:") does not.
    """
    match = LABEL.match(paragraph.replace("\u00a0", " "))
    if not match:
        return None
    name = match["name"].strip()
    note = (match["note"] or "").strip()
    name, note = _split_addressee(name, note)
    generic = GENERIC_LABELS.get(name.casefold())
    if generic is None and not _reads_as_name(name, known_surnames):
        return None
    return Label(label=name, note=note, rest=match["rest"].strip(), generic_kind=generic)


def _split_addressee(name: str, note: str) -> tuple[str, str]:
    """ "Question to both ministers" is the generic "Question" with a note, as "(to …)" is."""
    first, _, rest = name.partition(" ")
    if first.casefold() in GENERIC_LABELS and rest.split()[:1] in (["to"], ["for"]) and not note:
        return first, rest
    return name, note


def _reads_as_name(name: str, known_surnames: set[str]) -> bool:
    words = name.split()
    if not words or len(words) > MAX_LABEL_WORDS:
        return False
    if words[0].lower().rstrip(".") in SENTENCE_STARTS:
        return False
    if re.search(r"[,;!?\"«»“”]", name):
        return False
    if not all(_name_word(word) for word in words):
        return False
    if len(words) > 1 or names.RUSSIAN_INITIALS_NAME.fullmatch(name):
        return True
    # A single word is a name only if we already know it, or it is printed in capitals
    # the way briefings print speakers ("LAVROV:"); "Syria:" or "Note:" is not a label.
    return names.surname_stem(name) in known_surnames or (name.isupper() and len(name) > 2)


def _name_word(word: str) -> bool:
    if word.lower() in names.NAME_PARTICLES or word.lower() in {"of", "the", "for"}:
        return True
    first = word.lstrip("(\"'‘“")[:1]
    return first.isupper() or ("." in word and first.isalpha() and word.replace(".", "").isupper())
