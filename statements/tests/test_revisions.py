"""Revisions (statements/revisions.py): what a change to a transcript's statements keeps."""

import pytest

from statements import editing, revisions
from statements.models import Revision

pytestmark = pytest.mark.django_db


def test_a_block_that_changes_nothing_records_no_revision(seed):
    with revisions.recording(seed, Revision.Kind.EDIT):
        pass
    assert not Revision.objects.exists()


def test_a_merge_is_kept_with_the_statement_changed_and_the_one_removed(seed):
    question, answer = seed.statements.filter(position__in=[2, 3]).order_by("position")
    with revisions.recording(seed, Revision.Kind.MERGE, note="One turn, printed as two"):
        editing.merge_with_next(question)
    revision = Revision.objects.get()
    assert [(c["change"], c["statement"]) for c in revision.changes] == [
        ("changed", question.pk),
        ("removed", answer.pk),
    ]
    removed = revision.changes[1]
    assert (removed["successor"], removed["successor_position"]) == (question.pk, 2)
    assert removed["before_text"] == answer.text and revision.note == "One turn, printed as two"


def test_a_split_is_kept_as_one_statement_changed_and_one_added(seed):
    opening = seed.statements.get(position=1)
    with revisions.recording(seed, Revision.Kind.SPLIT):
        at = opening.text.index("We are delighted")
        new = editing.split(opening, at, speaker=opening.speaker, kind="opening")
    changes = Revision.objects.get().changes
    assert [(c["change"], c["statement"], c["position"]) for c in changes] == [
        ("changed", opening.pk, 1),
        ("added", new.pk, 2),
    ]


def test_a_failed_change_keeps_no_revision(seed):
    with pytest.raises(ValueError), revisions.recording(seed, Revision.Kind.SPLIT):
        seed.statements.filter(position=2).update(text="Changed, then undone.")
        raise ValueError("the change failed")
    assert not Revision.objects.exists()
    assert seed.statements.get(position=2).text != "Changed, then undone."


def test_the_word_difference_escapes_the_text_and_marks_words():
    diff = revisions.word_diff("Say <b>no</b> now", "Say <b>yes</b> now")
    assert diff == "Say <del>&lt;b&gt;no&lt;/b&gt;</del><ins>&lt;b&gt;yes&lt;/b&gt;</ins> now"


def test_a_public_name_is_never_the_login_name(seed, django_user_model):
    user = django_user_model.objects.create_user("login-name")
    revision = Revision.objects.create(transcript=seed, kind="edit", user=user)
    assert revision.editor_name == "an editor"
