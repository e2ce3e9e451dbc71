"""Whether two printed names are one person, across scripts, initials and spellings: plain
Python (transliteration by Unidecode, similarity by RapidFuzz), no Django.

Every name is read into its `Name`: the surname and the given names (or initials) in one
loose Latin spelling — "С.В.Лаврова" gives lavrov, [s, v]; "Sergey Lavrov" lavrov,
[sergei] — so that `same_person` can say "surely one" and `likely_same` "perhaps one".
"""

import functools
import re
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

from statements.parsing.names import (
    initials,
    is_cyrillic,
    is_honorific,
    russian_nominative,
    split_role,
    strip_possessive,
)

# Similarity (Jaro-Winkler, 0 to 1) above which two names are likely one person's.
LIKELY = 0.9
# Transliterations disagree on these; one spelling for each makes Sergey = Sergei and
# Aleksandr = Alexandr, Zakharova = Zaharova.
_LOOSE = [("x", "ks"), ("kh", "h"), ("y", "i"), ("ii", "i"), ("j", "i"), ("w", "v")]
_NOT_LETTERS = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class Name:
    surname: str  # loose Latin, without a feminine or case ending: "lavrov", "zaharov"
    given: tuple[str, ...]  # Latin given names, or one letter for an initial
    cyrillic: bool  # as printed

    @property
    def key(self) -> str:
        """The whole name in one loose Latin string, for fuzzy comparison."""
        return " ".join([*(loose(part) for part in self.given), self.surname])


def latin(text: str) -> str:
    """`text` in lower-case Latin letters and spaces: transliterated, accents dropped."""
    return _NOT_LETTERS.sub(" ", unidecode(text).lower()).strip()


def loose(text: str) -> str:
    """latin(`text`), with the spellings that transliterations disagree on made one."""
    text = latin(text)
    for spelling, same in _LOOSE:
        text = text.replace(spelling, same)
    return text


@functools.lru_cache(maxsize=16384)
def read_name(printed: str) -> Name | None:
    """The person's name in `printed` ("Foreign Minister Sergey Lavrov’s", "С.В.Лаврова",
    "Mr PRICE"), or None when there is none to read."""
    _, person = split_role(printed)
    words = [strip_possessive(word) for word in (person or printed).split()]
    words = [word for word in words if not is_honorific(word)]
    if not words:
        return None
    letters = initials(words[-1])  # "С.В.Лавров" is one word
    last = words[-1][len(letters) :] if letters else words[-1]
    last = last.rsplit(".", 1)[-1]
    if is_cyrillic(last):
        last = russian_nominative(last)
    given = [*_initial_letters(letters), *(latin(word) for word in words[:-1])]
    surname = re.sub("a$", "", loose(last).replace(" ", ""))  # Zakharova, Zakharov: one stem
    if not surname:
        return None
    given = tuple(part.replace(" ", "") for part in given if part.strip())
    return Name(surname, given, is_cyrillic(printed))


def _initial_letters(letters: str) -> list[str]:
    return [latin(letter)[:1] for letter in letters.split(".") if letter]


def same_person(a: Name, b: Name) -> bool:
    """Surely one person: the same surname, and given names that agree on both sides — as
    initials (С.В. = Sergey), or in full, spelt alike (Sergei = Сергей = Sergey across
    scripts, where transliterations differ; Alexandar ≠ Aleksandar within one). A lone
    surname is nobody's for sure."""
    if a.surname != b.surname or not a.given or not b.given:
        return False
    across = a.cyrillic != b.cyrillic
    return all(_agree(x, y, across) for x, y in zip(a.given, b.given, strict=False))


def _agree(x: str, y: str, across_scripts: bool) -> bool:
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return loose(x) == loose(y) if across_scripts else x == y


def likely_same(a: Name, b: Name) -> float:
    """How likely one person (0 to 1, worth a look from LIKELY up): not surely one, but
    alike as wholes (Alexandar Vucic ~ Aleksandar Vucic)."""
    if same_person(a, b) or not a.given or not b.given:
        return 0.0
    if a.given[0][0] != b.given[0][0]:
        return 0.0  # Nikolai Lavrov is not Sergey Lavrov
    return JaroWinkler.similarity(a.key, b.key)


def resemblance(a: Name, b: Name) -> float:
    """How alike two names look (0 to 1), to offer the nearest known speakers to a label
    that matched nobody: the whole names where both have given names, else the surnames
    (a lone "Lavrov" is nearest to Sergey Lavrov)."""
    if a.given and b.given:
        return JaroWinkler.similarity(a.key, b.key)
    return JaroWinkler.similarity(a.surname, b.surname)
