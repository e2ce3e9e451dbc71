"""The editors' review queue of speakers (statements/reviews.py and its admin): one-click
merges into the candidate or into a nearest known speaker, "different people" remembered,
and the scan that queues the likely pairs already in the archive."""

import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse

from statements import reviews
from statements.importing import import_source
from statements.models import Speaker, SpeakerAlias, SpeakerReview
from statements.tests.editors import make_editor
from statements.tests.test_speakers import script

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:statements_speakerreview_changelist")
SCAN = reverse("admin:statements_speakerreview_scan")


def merge_url(review):
    return reverse("admin:statements_speakerreview_merge", args=[review.pk])


def different_url(review):
    return reverse("admin:statements_speakerreview_different", args=[review.pk])


def say(speaker, filename, title="Talks", date="2021-05-05"):
    import_source(script(title, [(speaker, f"Words of {speaker}.")], date), filename=filename)


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


@pytest.fixture
def vucic():
    say("Aleksandar Vucic", "a.json")
    say("Alexandar Vucic", "b.json", "More", "2021-06-06")
    return SpeakerReview.objects.get(speaker__name="Alexandar Vucic")


@pytest.fixture
def lone_lavrov():
    """A label that matched nobody: a lone surname is nobody's for sure, nor likely anyone's."""
    say("Sergey Lavrov", "a.json")
    say("Lavrov", "b.json", "More", "2021-06-06")
    return SpeakerReview.objects.get(speaker__name="Lavrov")


def test_one_click_merges_a_duplicate_and_the_review_is_gone(editor_client, vucic):
    keep = vucic.candidate
    response = editor_client.post(merge_url(vucic), follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "Merged Alexandar Vucic into Aleksandar Vucic." in response.content.decode()
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Aleksandar Vucic"]
    assert keep.statements.count() == 2
    assert SpeakerAlias.objects.filter(speaker=keep, name="Alexandar Vucic").exists()
    assert not SpeakerReview.objects.filter(pk=vucic.pk).exists()


def test_different_people_is_remembered_across_a_rescan(editor_client, vucic):
    editor_client.post(different_url(vucic))
    assert reviews.scan().queued == 0
    assert not SpeakerReview.objects.filter(reason="duplicate", decision="").exists()
    assert "Possible duplicates (0)" in editor_client.get(QUEUE).content.decode()


def test_different_people_is_remembered_across_a_reimport(editor_client, vucic):
    editor_client.post(different_url(vucic))
    say("Alexandar Vucic", "c.json", "Again", "2021-07-07")
    say("Aleksandar Vucic", "d.json", "And again", "2021-08-08")
    assert Speaker.objects.filter(name__endswith="Vucic").count() == 2
    assert not SpeakerReview.objects.filter(reason="duplicate", decision="").exists()


def test_an_unmatched_label_is_offered_its_nearest_known_speaker(editor_client, lone_lavrov):
    page = editor_client.get(QUEUE).content.decode()
    assert "Labels that matched nobody (2)" in page  # Sergey Lavrov was new once too
    assert "Merge into Sergey Lavrov</button>" in page
    assert "(alike 1.00)" in page


def test_one_click_merges_an_unmatched_label_into_the_offered_speaker(editor_client, lone_lavrov):
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    (offered, _score), *_ = reviews.nearest("Lavrov", lone_lavrov.speaker_id)
    assert offered.pk == lavrov.pk
    editor_client.post(merge_url(lone_lavrov), {"into": offered.slug})
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Sergey Lavrov"]
    assert lavrov.statements.count() == 2
    assert SpeakerAlias.objects.filter(speaker=lavrov, name="Lavrov").exists()
    assert not SpeakerReview.objects.filter(pk=lone_lavrov.pk).exists()


def test_a_speaker_is_never_merged_into_itself(editor_client, lone_lavrov):
    editor_client.post(merge_url(lone_lavrov), {"into": lone_lavrov.speaker.slug})
    assert Speaker.objects.filter(name="Lavrov").exists()
    assert SpeakerReview.objects.filter(pk=lone_lavrov.pk, decision="").exists()


def test_at_most_three_nearest_speakers_are_offered_most_alike_first():
    for name in ["Sergey Lavrov", "Sergei Lavrova", "Nikolai Lavrov", "Ivan Lavrenov", "Ann Smith"]:
        Speaker.objects.create(name=name)
    label = Speaker.objects.create(name="S. Lavrof")
    offered = reviews.nearest(label.name, label.pk)
    assert len(offered) == 3
    assert [score for _, score in offered] == sorted((score for _, score in offered), reverse=True)
    assert "Ann Smith" not in {known.name for known, _ in offered}


def test_the_scan_queues_a_pair_already_in_the_archive_and_not_distinct_people(editor_client):
    for name in ["Aleksandar Vucic", "Alexandar Vucic", "Sergey Lavrov", "Nikolai Lavrov"]:
        Speaker.objects.create(name=name)
    out = io.StringIO()
    call_command("review_speakers", stdout=out)
    assert "Scanned 4 speakers in" in out.getvalue() and "1 newly queued" in out.getvalue()
    review = SpeakerReview.objects.get()
    assert (review.speaker.name, review.candidate.name) == ("Alexandar Vucic", "Aleksandar Vucic")
    assert review.reason == SpeakerReview.Reason.DUPLICATE and review.score >= 0.9
    assert "Merge into Aleksandar Vucic" in editor_client.get(QUEUE).content.decode()


def test_the_scan_queues_a_pair_surely_one_person_made_before_imports_knew(editor_client):
    english = Speaker.objects.create(name="Sergey Lavrov")
    Speaker.objects.create(name="С.В.Лавров")
    (pair,) = reviews.likely_pairs(reviews.directory())
    assert pair.candidate.pk == english.pk and pair.score == 1.0


def test_a_rescan_queues_nothing_twice(vucic):
    assert reviews.scan().queued == 0
    assert SpeakerReview.objects.filter(reason="duplicate").count() == 1


def test_a_scan_takes_a_speaker_out_of_matched_nobody(lone_lavrov):
    renamed = lone_lavrov.speaker  # an editor gives the label its full name
    renamed.name = "Sergei Lavrov"
    renamed.save()
    renamed.add_alias(renamed.name)
    scanned = reviews.scan()
    assert scanned.queued == 1
    assert SpeakerReview.objects.get(speaker=renamed).reason == SpeakerReview.Reason.DUPLICATE


def test_the_scan_button_queues_and_comes_back_with_a_message(editor_client):
    for name in ["Aleksandar Vucic", "Alexandar Vucic"]:
        Speaker.objects.create(name=name)
    response = editor_client.post(SCAN, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    page = response.content.decode()
    assert "Scanned 2 speakers: 1 likely pair(s), 1 newly queued" in page
    assert "Possible duplicates (1)" in page


def test_the_scan_and_the_decisions_need_a_post(editor_client, vucic):
    assert editor_client.get(SCAN).status_code == 403
    assert editor_client.get(different_url(vucic)).status_code == 403
    assert not SpeakerReview.objects.exclude(decision="").exists()


def test_deciding_needs_the_right_to_delete_speakers(client, vucic):
    staff = User.objects.create_user("reader", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_speakerreview", "change_speakerreview"])
    )
    client.force_login(staff)
    assert "Merge into" not in client.get(QUEUE).content.decode()
    assert client.post(merge_url(vucic)).status_code == 403
    assert Speaker.objects.filter(name__endswith="Vucic").count() == 2


def test_the_queue_is_for_staff_only(client, vucic):
    client.force_login(User.objects.create_user("public"))
    assert client.post(merge_url(vucic)).status_code == 302  # to the admin's login
    assert Speaker.objects.filter(name__endswith="Vucic").count() == 2
