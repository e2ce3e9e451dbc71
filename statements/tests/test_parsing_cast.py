"""The index of a transcript's people (statements.parsing.cast) finds exactly whom
`names.same_person` would, comparing each label with everyone, in the order they were met."""

import pytest

from statements.parsing import names
from statements.parsing.cast import Cast
from statements.parsing.model import ParsedSpeaker

PEOPLE = [
    ("Sergey Lavrov", "Foreign Minister"),
    ("Nikolai Lavrov", ""),
    ("С.В.Лавров", ""),
    ("Lee Hsien Loong", "Prime Minister"),
    ("Vivian Balakrishnan", "Minister for Foreign Affairs"),
    ("Christiane Amanpour", ""),
    ("Mohammad Javad Zarif", "Foreign Minister"),
    ("Ann Smith", ""),
    ("Bob Smith", "Press Secretary"),
]
FORMS = [
    "Lavrov", "Sergey Lavrov", "S. Lavrov", "Лавров", "Лаврова", "С.В.Лавров", "Б.Лавров",
    "Lee", "PM Lee", "Hsien Loong", "Balakrishnan", "Amanpour", "Javad Zarif", "Zarif",
    "Smith", "Ann Smith", "Carl Smith", "Nobody", "",
]  # fmt: skip


def brute_force(people: list[ParsedSpeaker], form: str) -> list[str]:
    return [person.name for person in people if names.same_person(form, person.name)]


@pytest.fixture
def cast():
    return Cast([ParsedSpeaker(name, role) for name, role in PEOPLE])


@pytest.mark.parametrize("form", FORMS)
def test_matching_finds_whom_comparing_with_everyone_finds(cast, form):
    assert [p.name for p in cast.matching(form)] == brute_force(cast.speakers, form)


@pytest.mark.parametrize("form", FORMS)
def test_matching_after_a_rename_finds_the_new_name(cast, form):
    zarif = next(p for p in cast.speakers if p.name == "Mohammad Javad Zarif")
    cast.rename(zarif, "Zarif Mohammad Javad")
    cast.add(ParsedSpeaker("Sergei Lavrov"))
    assert [p.name for p in cast.matching(form)] == brute_force(cast.speakers, form)


def test_surname_stems_are_everyones(cast):
    assert set(cast.surname_stems) == {
        names.surname_stem(names.surname(name)) for name, _ in PEOPLE
    }


@pytest.mark.parametrize("role", ["Minister", "foreign minister", "Press", "Ambassador"])
def test_with_role_finds_everyone_whose_role_says_it_including_roles_learnt_later(cast, role):
    cast.with_role(role)  # remembered, then brought up to date
    amanpour = next(p for p in cast.speakers if p.name == "Christiane Amanpour")
    cast.give_role(amanpour, "Ambassador and anchor")
    cast.add(ParsedSpeaker("Maria Zakharova", "Foreign Ministry Spokeswoman"))
    expected = [p.name for p in cast.speakers if role.casefold() in p.role.casefold()]
    assert [p.name for p in cast.with_role(role)] == expected
