"""Editors' language versions in the admin (statements/admin_versions.py)."""

import pytest
from django.urls import reverse

from statements import embedder
from statements.importing import import_source
from statements.models import VersionLink
from statements.tests.conftest import RUSSIAN
from statements.tests.editors import make_editor

LINKS = reverse("admin:statements_versionlink_changelist")


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor())
    return client


@pytest.fixture
def unlinked(seed):
    """The seed (which says a Russian version exists) and a Russian transcript of the same
    day whose turns differ: a suggestion, never an automatic link."""
    return seed, import_source(RUSSIAN, filename="lavrov-ru.txt").transcript


def test_editors_are_shown_the_versions_the_import_did_not_link(editor_client, unlinked):
    seed, russian = unlinked
    page = editor_client.get(LINKS).content.decode()
    assert "Suggested versions (not linked yet)" in page
    add = reverse("admin:statements_versionlink_add")
    assert f"{add}?original={russian.pk}&amp;translation={seed.pk}" in page


def test_an_editor_links_two_versions_and_they_are_aligned(editor_client, unlinked):
    seed, russian = unlinked
    response = editor_client.post(
        reverse("admin:statements_versionlink_add"),
        {"original": russian.pk, "translation": seed.pk},
    )
    assert response.status_code == 302
    link = VersionLink.objects.get()
    assert link.linked_by == VersionLink.LinkedBy.EDITOR
    assert link.aligned_at is not None and link.alignment
    assert list(seed.translations.all()) == [russian]
    assert "Suggested versions" not in editor_client.get(LINKS).content.decode()


def test_a_link_made_in_the_transcript_form_is_adopted_and_aligned(unlinked):
    seed, russian = unlinked
    seed.translations.add(russian)
    assert embedder.align_pending() == 1
    link = VersionLink.objects.get()
    assert link.linked_by == VersionLink.LinkedBy.EDITOR and link.aligned_at


def test_a_link_removed_in_the_transcript_form_is_removed(versions_pair):
    english, russian = versions_pair
    english.translations.remove(russian)
    embedder.align_pending()
    assert not VersionLink.objects.exists()


def test_an_editor_unlinks_versions_by_deleting_the_link(editor_client, versions_pair):
    english, _ = versions_pair
    link = VersionLink.objects.get()
    response = editor_client.post(
        reverse("admin:statements_versionlink_delete", args=[link.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not VersionLink.objects.exists() and not english.translations.exists()
