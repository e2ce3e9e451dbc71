"""Editors' uploads: every file previewed on its own, whatever it holds; the preview's size
bounded; the held texts kept out of the session."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile

from statements import uploads
from statements.importing import import_source
from statements.models import HeldUpload, ImportRun, Transcript
from statements.tests.conftest import RUSSIAN, SEED
from statements.tests.editors import make_editor
from statements.tests.test_admin import (
    CONFIRM,
    IMPORT,
    confirm,
    preview,
    seed_file,
    statuses,
    text_of,
)
from statements.tests.test_speakers import script

pytestmark = pytest.mark.django_db

STATEMENTS = [{"speaker_label": "Ann Smith", "paragraphs": ["Words."]}]


def record(**fields) -> str:
    return json.dumps(
        {"title": "Briefing", "date": "2021-05-05", "statements": STATEMENTS} | fields
    )


# Each answered 500 in the preview (issue 10.6).
HOSTILE = {
    "brackets.json": b"[" * 1_000_000,
    "nested-arrays.json": ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}").encode(),
    "nested-yaml.md": (
        "---\ntitle: " + "[" * 50_000 + "]" * 50_000 + "\n---\n\nAnn Smith: Words.\n"
    ).encode(),
    "long-number.json": record(n=0).replace('"n": 0', '"n": ' + "9" * 5000).encode(),
    "long-number.md": (
        "---\ntitle: Briefing\nn: " + "9" * 5000 + "\n---\n\nAnn Smith: Words.\n"
    ).encode(),
    "nul.json": record(title="Brief\u0000ing").encode(),
    "surrogate.json": record().replace("Briefing", "Brief\\ud800ing").encode(),
    "control.html": (
        b"<html><head><title>Briefing, Moscow, 5 May 2021</title></head><body>"
        b"<h1>Briefing, Moscow, 5 May 2021</h1><p>Ann Smith: a\x08b</p></body></html>"
    ),
}


@pytest.fixture
def editor():
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def good_files():
    return [seed_file(), SimpleUploadedFile("lavrov-ru.txt", RUSSIAN.encode())]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_among_good_ones_does_not_take_the_preview_down(editor_client, name):
    hostile = SimpleUploadedFile(name, HOSTILE[name])
    response = preview(editor_client, [good_files()[0], hostile, good_files()[1]])
    found = statuses(response)
    assert (found[SEED.name], found["lavrov-ru.txt"]) == ("ok", "ok")
    assert "Sergey Lavrov" in text_of(response)  # the good ones are previewed in full
    if found[name] == "error":
        assert response.context["previews"][1].error


def test_a_file_the_parser_fails_on_says_so_in_its_own_row(editor_client):
    hostile = SimpleUploadedFile("brackets.json", HOSTILE["brackets.json"])
    response = preview(editor_client, [hostile, seed_file()])
    assert statuses(response) == {"brackets.json": "error", SEED.name: "ok"}
    assert "Cannot be imported" in text_of(response)


@pytest.mark.parametrize("name", ["nul.json", "surrogate.json"])
def test_text_the_database_cannot_hold_is_an_error_in_the_preview(editor_client, name):
    response = preview(editor_client, [SimpleUploadedFile(name, HOSTILE[name]), seed_file()])
    assert statuses(response) == {name: "error", SEED.name: "ok"}


def test_the_good_files_are_saved_beside_a_hostile_one(editor_client):
    files = [seed_file(), SimpleUploadedFile("nested.json", HOSTILE["nested-arrays.json"])]
    confirm(editor_client, preview(editor_client, files))
    assert Transcript.objects.get().title.startswith("Foreign Minister Sergey Lavrov")
    assert ImportRun.objects.get().failure_count == 1


def test_saving_text_the_database_cannot_hold_fails_that_file_only(editor):
    held = [
        uploads.Upload("surrogate.json", HOSTILE["surrogate.json"].decode()),
        uploads.Upload(SEED.name, SEED.read_text()),
    ]
    run = uploads.save(held, uploads.Overrides(), editor)
    assert (run.transcript_count, run.failure_count) == (1, 1)
    assert "lone surrogate" in run.files[0]["error"]


def test_a_preview_larger_than_the_cap_is_refused_with_a_message(editor_client):
    big = [SimpleUploadedFile(f"{n}.txt", b"x" * (4 * 1024 * 1024)) for n in range(3)]
    response = editor_client.post(IMPORT, {"files": big})
    assert response.status_code == 200
    assert "These come to 12.0 MB; one preview takes at most 8.0 MB" in text_of(response)
    assert not HeldUpload.objects.exists()


def test_the_held_upload_is_not_in_the_session(editor_client):
    large = SEED.read_text() + "\n\n".join(f"Sergey Lavrov: Paragraph {n}." for n in range(20_000))
    response = preview(editor_client, [SimpleUploadedFile("large.txt", large.encode())])
    assert len(large) > 500_000
    assert max(len(s.session_data) for s in Session.objects.all()) < 2_000
    assert len(HeldUpload.objects.get(token=response.context["token"]).uploads[0]["text"]) == len(
        large
    )


def test_another_editor_cannot_confirm_a_held_upload(editor_client, client):
    token = preview(editor_client, [seed_file()]).context["token"]
    assert uploads.release(make_editor("other"), token) is None
    assert HeldUpload.objects.filter(token=token).exists()


def test_only_the_latest_previews_are_held(editor_client, editor):
    for _ in range(uploads.MAX_HELD_PREVIEWS + 2):
        preview(editor_client, [seed_file()])
    assert HeldUpload.objects.filter(user=editor).count() == uploads.MAX_HELD_PREVIEWS


def reheaded_seed() -> bytes:
    return (
        SEED.read_text()
        .replace("28 January 201913:56", "29 January 201909:10", 1)
        .replace("remarks and answers to media questions", "statement and replies to the press", 1)
        .encode()
    )


def test_the_preview_flags_a_near_duplicate_and_names_it(editor_client, seed):
    response = preview(editor_client, [SimpleUploadedFile("again.txt", reheaded_seed())])
    assert statuses(response) == {"again.txt": "near-duplicate"}
    page = response.content.decode()
    assert (
        f'A near duplicate: 100 % of its words are those of “<a href="/admin/statements/transcript/{seed.pk}/change/">'
        in page
    )
    assert f'href="{seed.get_absolute_url()}"' in page


def test_a_near_duplicate_is_skipped_unless_the_editor_ticks_it(editor_client, seed):
    confirm(
        editor_client, preview(editor_client, [SimpleUploadedFile("again.txt", reheaded_seed())])
    )
    assert Transcript.objects.count() == 1
    assert ImportRun.objects.get().files[0]["outcome"] == "near_duplicate"


def test_the_editor_can_import_a_near_duplicate_anyway(editor_client, seed):
    response = preview(editor_client, [SimpleUploadedFile("again.txt", reheaded_seed())])
    editor_client.post(
        CONFIRM,
        {"token": response.context["token"], "confirm": "1", "allow_near_duplicate": "0"},
    )
    assert Transcript.objects.count() == 2


def test_the_preview_shows_the_likely_match_beside_a_new_speaker(editor_client):
    import_source(script("Talks", [("Aleksandar Vucic", "Welcome.")]), filename="a.json")
    upload = script("More talks", [("Alexandar Vucic", "Again.")], "2021-06-06")
    response = preview(editor_client, [SimpleUploadedFile("b.json", upload.encode())])
    (speaker,) = response.context["previews"][0].speakers
    assert speaker.is_new and speaker.likely.name == "Aleksandar Vucic"
    assert (
        "Alexandar Vucic new likely Aleksandar Vucic: kept apart and put in the review queue"
        in text_of(response)
    )
