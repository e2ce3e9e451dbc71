"""People in a query: when its words are, or contain, a speaker's name — any spelling met,
in either script, transliterated (Lavrov = Лавров), misspelt (Lavrof, Zaharova) or only
the surname — the speakers it names, each with the same search limited to them
(`Lavrov Syria` → Syria, by Sergey Lavrov)."""

from dataclasses import dataclass

from statements.person_match import latin, loose, read_name
from statements.search import syntax
from statements.speakers import Directory, Known, directory

SUGGESTED = 3  # speakers offered at most
# How a speaker was found, best first.
BY_NAME, BY_SURNAME, BY_SPELLING = "name", "surname", "spelling"
_ORDER = {BY_NAME: 0, BY_SURNAME: 1, BY_SPELLING: 2}
MIN_SURNAME = 4  # letters a lone word needs to be taken for a surname
MIN_MISSPELT = 5  # … and to be taken for a misspelt one


@dataclass(frozen=True)
class Suggestion:
    speaker: Known
    how: str  # BY_NAME, BY_SURNAME or BY_SPELLING
    rest: str  # the query without the name: what to search for among their statements


def suggest(text: str) -> list[Suggestion]:
    """The speakers the query `text` names, the likeliest first."""
    tree = syntax.read(text).tree
    words = [term.text for term in _searched_terms(tree)]
    if not words:
        return []
    people = directory()
    found: dict[int, tuple[Known, str, list[str]]] = {}
    used: set[int] = set()  # words already taken for a name (a longer run first)
    for start, window in _windows(words):
        places = set(range(start, start + len(window)))
        if places & used:
            continue
        for person, how in _named_by(" ".join(window), len(window), people):
            used |= places
            if person.pk not in found:
                found[person.pk] = (person, how, window)
    ranked = sorted(found.values(), key=lambda hit: (_ORDER[hit[1]], -hit[0].statements))
    return [Suggestion(person, how, _without(text, window)) for person, how, window in ranked][
        :SUGGESTED
    ]


def _searched_terms(tree) -> list[syntax.Term]:
    """The terms a statement is looked for by (not those excluded), prefixes left out."""
    if tree is None or isinstance(tree, syntax.Not):
        return []
    if isinstance(tree, syntax.Term):
        return [tree] if tree.kind != "prefix" else []
    return [term for node in tree.operands for term in _searched_terms(node)]


def _windows(words: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of one to three consecutive words (with where they start), longest first."""
    return [(i, words[i : i + n]) for n in (3, 2, 1) for i in range(len(words) - n + 1)]


def _named_by(words: str, count: int, people: Directory) -> list[tuple[Known, str]]:
    spelt = latin(words)
    if spelt in people.by_spelling:
        return [(person, BY_NAME) for person in people.by_spelling[spelt]]
    name = read_name(words)
    if name is None:
        return []
    if count > 1 or " " in words:  # a full name: surely someone's, or likely someone's
        surely = people.surely(name)
        if surely:
            return [(surely, BY_NAME)]
        likely = people.likely(name)
        return [(likely[0], BY_SPELLING)] if likely else []
    if len(loose(words)) < MIN_SURNAME:
        return []
    if name.surname in people.by_surname:
        return [(person, BY_SURNAME) for person in people.by_surname[name.surname]]
    if len(name.surname) < MIN_MISSPELT:
        return []
    return [
        (person, BY_SPELLING)
        for surname, _, _ in people.similar_surnames(name.surname, limit=2)
        for person in people.by_surname[surname]
    ]


def _without(text: str, window: list[str]) -> str:
    """The query with the words that name the speaker taken out."""
    phrase = " ".join(window)
    if f'"{phrase}"' in text:
        return " ".join(text.replace(f'"{phrase}"', " ").split())
    tokens = text.split()
    for word in window:
        if word in tokens:
            tokens.remove(word)
    return " ".join(tokens)
