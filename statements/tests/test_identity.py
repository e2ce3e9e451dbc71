"""Permanent statement identity (statements/identity.py): which stored statement a
re-parsed one continues, and what a retired id or an old slug leads to."""

import pytest

from statements import identity
from statements.importing import import_source
from statements.models import OldSlug, RetiredStatement, Statement

OPENING = "Ladies and gentlemen, we held very productive talks with our colleagues today."
QUESTION = "Question: When will the next meeting in Astana take place?"
ANSWER = "It will take place in mid-February. The dates have already been agreed upon."


def test_identical_statements_are_paired_in_order_around_an_insertion():
    old = [OPENING, QUESTION, ANSWER]
    new = [OPENING, "A new paragraph of remarks.", QUESTION, ANSWER]
    assert identity.match(old, new) == {0: 0, 2: 1, 3: 2}


def test_an_edited_statement_continues_its_old_self():
    edited = ANSWER.replace("mid-February", "the middle of February")
    assert identity.match([OPENING, ANSWER], [OPENING, edited]) == {0: 0, 1: 1}


def test_a_statement_with_different_words_continues_nothing():
    other = "Thank you very much for coming here this morning, friends."
    assert identity.match([OPENING, ANSWER], [OPENING, other]) == {0: 0}


def test_the_first_of_two_turns_joined_by_a_reparse_keeps_its_place():
    joined = f"{QUESTION}\n\n{ANSWER} {ANSWER} {ANSWER}"
    assert identity.match([OPENING, QUESTION, ANSWER], [OPENING, joined]) == {0: 0, 1: 1}
    assert identity.holder(ANSWER, [OPENING, joined], near=2) == 1


def test_a_turn_split_by_a_reparse_keeps_its_id_for_the_first_part():
    long = f"{OPENING}\n\n{ANSWER} {ANSWER}"
    assert identity.match([long], [OPENING, f"{ANSWER} {ANSWER}"]) == {0: 0}


def test_words_removed_everywhere_have_no_holder():
    assert identity.holder(ANSWER, [OPENING, QUESTION], near=1) is None


@pytest.mark.django_db
def test_a_retired_id_leads_through_later_retirements_to_the_live_statement(seed):
    first, second, third = seed.statements.order_by("position")[:3]
    identity.retire({first.pk: second.pk}, seed)
    Statement.objects.filter(pk=first.pk).delete()
    identity.retire({second.pk: third.pk}, seed)
    Statement.objects.filter(pk=second.pk).delete()
    gone = identity.find_retired(first.pk)
    assert gone.successor == third and gone.retired.transcript_id == seed.pk


@pytest.mark.django_db
def test_every_deleted_statement_is_retired_by_the_database_without_a_successor(seed):
    ids = list(seed.statements.values_list("pk", flat=True))
    seed.statements.all().delete()
    assert set(RetiredStatement.objects.values_list("pk", "successor")) == {
        (pk, None) for pk in ids
    }


@pytest.mark.django_db
def test_an_id_never_published_is_not_found(seed):
    assert identity.find_retired(10**9) is None


@pytest.mark.django_db
def test_a_renamed_slug_leads_to_its_transcript_and_is_never_given_to_another(seed, russian):
    old = seed.slug
    seed.slug = "renamed"
    seed.save()
    old_slug, transcript = identity.find_renamed(old)
    assert old_slug.slug == old
    assert transcript == seed
    assert identity.slug_taken(old, russian) and not identity.slug_taken(old, seed)
    assert identity.free_slug(old, russian) == f"{old}-2"


@pytest.mark.django_db
def test_a_deleted_transcripts_slug_is_kept_without_it(seed):
    slug, pk = seed.slug, seed.pk
    seed.delete()
    assert OldSlug.objects.get(slug=slug).transcript_id == pk
    assert identity.find_renamed(slug)[1] is None


@pytest.mark.django_db
def test_a_deleted_transcript_imported_again_gets_its_address_back(seed_text):
    first = import_source(seed_text, filename="seed.txt").transcript
    slug = first.slug
    first.delete()
    assert import_source(seed_text, filename="seed.txt").transcript.slug == slug
