"""The people a transcript names, indexed so that finding who a label names does not mean
comparing it with everyone met so far (which made a page of thousands of names quadratic).

`names.same_person(form, known)` stays the one rule; the index only narrows the people it is
asked about to those who can pass it: the same surname stem, and — when both have given
names — the same last given name; or, for a one-word form, a three-word name that starts
with it ("Lee" for "Lee Hsien Loong").
"""

import functools
from collections import defaultdict

from . import names
from .model import ParsedSpeaker


# A label's name is looked up two or three times in a row (resolve, register, index).
@functools.lru_cache(maxsize=4096)
def _stem(name: str) -> str:
    return names.surname_stem(names.surname(name))


@functools.lru_cache(maxsize=4096)
def _given(name: str) -> str:
    """The key of the last given name ("" for none), as `same_person` compares them."""
    words = name.split()
    return names.normalize(words[-2]) if len(words) > 1 else ""


def _family_first(name: str) -> str | None:
    words = name.split()
    if len(words) == 3 and not names.is_cyrillic(name):
        return names.normalize(words[0])
    return None


class Cast:
    """`transcript.speakers` in order, with lookups by name form and role."""

    def __init__(self, speakers: list[ParsedSpeaker]):
        self.speakers = speakers
        self._position: dict[int, int] = {}
        # stem → given-name key → people; stem → everyone with that stem, in order
        self._by_given: dict[str, dict[str, list[ParsedSpeaker]]] = defaultdict(dict)
        self._by_stem: dict[str, list[ParsedSpeaker]] = defaultdict(list)
        self._by_family_first: dict[str, list[ParsedSpeaker]] = defaultdict(list)
        self._roles: dict[str, tuple[int, list[ParsedSpeaker]]] = {}
        self._role_changes: list[ParsedSpeaker] = []
        for person in list(speakers):
            self._index(person)

    @property
    def surname_stems(self):
        """The surname stems of everyone named (for `labels.match_label`)."""
        return self._by_stem.keys()

    def add(self, person: ParsedSpeaker) -> None:
        self.speakers.append(person)
        self._index(person)

    def rename(self, person: ParsedSpeaker, name: str) -> None:
        self._unindex(person)
        person.name = name
        self._index(person)

    def give_role(self, person: ParsedSpeaker, role: str) -> None:
        """Set `person`'s role if they have none yet (a role, once known, is kept)."""
        if role and not person.role:
            person.role = role
            self._role_changes.append(person)

    def matching(self, form: str) -> list[ParsedSpeaker]:
        """Everyone `form` can name (`names.same_person`), in the order they were met."""
        if not form:
            return []
        stem, given = _stem(form), _given(form)
        if given:
            by_given = self._by_given.get(stem, {})
            candidates = by_given.get(given, []) + by_given.get("", [])
        else:
            candidates = list(self._by_stem.get(stem, []))
        if len(form.split()) == 1:
            candidates += self._by_family_first.get(names.normalize(form), [])
        found = [person for person in candidates if names.same_person(form, person.name)]
        if len(found) < 2:
            return found
        unique = {id(person): person for person in found}.values()
        return sorted(unique, key=lambda person: self._position[id(person)])

    def with_role(self, role: str) -> list[ParsedSpeaker]:
        """Everyone whose role contains `role`, in order. Roles are only ever added, so the
        answer for a role grows: remembered, and brought up to date with who came since."""
        wanted = role.casefold()
        if not wanted:
            return list(self.speakers)  # as `"" in role` says of everyone
        seen, found = self._roles.get(wanted, (0, []))
        changes = len(self._role_changes)
        newcomers = [p for p in self._role_changes[seen:] if wanted in p.role.casefold()]
        if newcomers:
            known = {id(p) for p in found}
            found = found + [p for p in newcomers if id(p) not in known]
            found.sort(key=lambda person: self._position[id(person)])
        self._roles[wanted] = (changes, found)
        return found

    def _index(self, person: ParsedSpeaker) -> None:
        if id(person) not in self._position:
            self._position[id(person)] = len(self._position)
            if person.role:
                self._role_changes.append(person)
        stem = _stem(person.name)
        self._by_stem[stem].append(person)
        self._by_given[stem].setdefault(_given(person.name), []).append(person)
        family = _family_first(person.name)
        if family:
            self._by_family_first[family].append(person)

    def _unindex(self, person: ParsedSpeaker) -> None:
        stem = _stem(person.name)
        self._by_stem[stem].remove(person)
        self._by_given[stem][_given(person.name)].remove(person)
        if not self._by_stem[stem]:
            del self._by_stem[stem], self._by_given[stem]
        family = _family_first(person.name)
        if family:
            self._by_family_first[family].remove(person)
