"""The search box's syntax read into a tree (statements/search/syntax.py): plain Python."""

import pytest

from statements.search.syntax import AllOf, AnyOf, Not, Term, read, shown


def word(text):
    return Term(text, "word")


def test_brackets_group_alternatives():
    tree = read("Idlib AND (Turkey OR Russia)").tree
    assert tree == AllOf((word("Idlib"), AnyOf((word("Turkey"), word("Russia")))))


def test_operators_are_read_in_any_case():
    assert read("Idlib and (Turkey or Russia)").tree == read("Idlib AND (Turkey OR Russia)").tree
    assert read("Syria not Turkey").tree == AllOf((word("Syria"), Not(word("Turkey"))))


def test_a_minus_excludes_as_not_does():
    assert read("Syria -Turkey").tree == read("Syria NOT Turkey").tree
    assert read("Syria -(Turkey OR Iran)").tree == AllOf(
        (word("Syria"), Not(AnyOf((word("Turkey"), word("Iran")))))
    )


def test_a_hyphen_inside_a_word_is_part_of_it():
    assert read("co-operation").tree == word("co-operation")


def test_and_binds_before_or():
    assert read("Syria Turkey OR Russia").tree == AnyOf(
        (AllOf((word("Syria"), word("Turkey"))), word("Russia"))
    )


def test_phrases_and_prefixes():
    assert read('"strategic partnership" Syr*').tree == AllOf(
        (Term("strategic partnership", "phrase"), Term("Syr", "prefix"))
    )


def test_a_query_read_as_typed_has_no_notes():
    assert read('Idlib AND (Turkey OR Russia) -"Astana format" Syr*').notes == ()


@pytest.mark.parametrize(
    "typed, read_as, note",
    [
        ("Syria AND", "Syria", "AND with nothing on one side was left out"),
        ("OR Syria", "Syria", "OR with nothing on one side was left out"),
        ("Syria NOT", "Syria", "NOT with nothing after it was left out"),
        ("(Syria OR Turkey", "Syria OR Turkey", "a missing closing bracket was added"),
        ("Syria) Turkey", "Syria AND Turkey", "an unmatched closing bracket was left out"),
        ('"strategic partnership', '"strategic partnership"', "a missing closing quote was added"),
    ],
)
def test_a_mended_query_says_how_it_was_read(typed, read_as, note):
    found = read(typed)
    assert shown(found.tree) == read_as
    assert note in found.notes


@pytest.mark.parametrize("typed", ["", "OR", "AND NOT", "()", '""', "*", "-", "(("])
def test_nothing_to_search_for_reads_as_no_tree(typed):
    assert read(typed).tree is None
