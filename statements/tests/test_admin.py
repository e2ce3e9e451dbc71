"""The editors' admin, through Django's test client: import with preview, statements on
their transcript's page, re-parse, speakers, topics, history and permissions."""

import html
import json
import re

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from statements import editing, topics
from statements.importing import import_source
from statements.models import (
    ImportRun,
    Revision,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementTopic,
    Topic,
    TopicRemoval,
    Transcript,
)
from statements.tests.conftest import RUSSIAN, SEED
from statements.tests.editors import make_editor

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:statements_transcript_import")
CONFIRM = reverse("admin:statements_transcript_import_confirm")
TRANSCRIPTS = reverse("admin:statements_transcript_changelist")


@pytest.fixture
def editor():
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def seed_file(name=SEED.name):
    return SimpleUploadedFile(name, SEED.read_bytes(), content_type="text/plain")


def preview(client, files=(), **data):
    """Post the import form; the preview response."""
    response = client.post(IMPORT, {"files": list(files), **data})
    assert response.status_code == 200, response.content[:500]
    return response


def confirm(client, preview_response, action="confirm"):
    return client.post(CONFIRM, {"token": preview_response.context["token"], action: "1"})


def text_of(response) -> str:
    """The page's visible text, tags dropped and spaces evened out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    page = re.sub(r"</?(a|span|strong|em|b|i)\b[^>]*>", "", page)  # inline: no word break
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def statuses(response) -> dict[str, str]:
    return {item.upload.name: item.status for item in response.context["previews"]}


def inline_data(transcript, rows, **changes):
    """The POST of a transcript's change page: its fields as they are (or `changes`), and
    the statements inline from `rows` — dicts of the inline's fields, "id" for existing."""
    data = {
        "title": transcript.title,
        "slug": transcript.slug,
        "date": transcript.date.isoformat() if transcript.date else "",
        "time": transcript.time.strftime("%H:%M") if transcript.time else "",
        "place": transcript.place,
        "kind": transcript.kind,
        "language": transcript.language,
        "source_url": transcript.source_url,
        "other_languages": transcript.other_languages,
        "tags": ",".join(transcript.tags),
        "statements-TOTAL_FORMS": str(len(rows)),
        "statements-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
        **changes,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"statements-{index}-{key}"] = "" if value is None else str(value)
        data[f"statements-{index}-transcript"] = str(transcript.pk)
    return data


def rows_of(transcript):
    return [
        {
            "id": s.pk,
            "order": s.position,
            "speaker": s.speaker_id,
            "speaker_label": s.speaker_label,
            "kind": s.kind,
            "text": s.text,
        }
        for s in transcript.statements.order_by("position")
    ]


def save_transcript(client, transcript, rows, **changes):
    url = reverse("admin:statements_transcript_change", args=[transcript.pk])
    response = client.post(url, inline_data(transcript, rows, **changes))
    assert response.status_code == 302, _form_errors(response)
    return response


def _form_errors(response):
    context = response.context
    errors = [context["adminform"].form.errors] if context else []
    errors += [formset.formset.errors for formset in context["inline_admin_formsets"]]
    errors += [formset.formset.non_form_errors() for formset in context["inline_admin_formsets"]]
    return errors


# Import: preview, confirm, cancel ------------------------------------------------------


def test_transcript_changelist_links_to_the_import_page(editor_client):
    page = editor_client.get(TRANSCRIPTS).content.decode()
    assert f'href="{IMPORT}"' in page and "Import transcripts" in page


def test_upload_shows_the_parsed_transcript_and_saves_nothing(editor_client):
    response = preview(editor_client, [seed_file()])
    (item,) = response.context["previews"]
    assert item.status == "ok"
    assert [s.heading for s in item.statements] == [
        "Sergey Lavrov",
        "Question",
        "Sergey Lavrov",
        "Question",
        "Sergey Lavrov",
    ]
    page = text_of(response)
    assert "Foreign Minister Sergey Lavrov’s remarks and answers" in page
    assert "28 January 2019, 13:56 · Moscow · Press conference · English · 5 statements" in page
    assert "Sergey Lavrov new Foreign Minister" in page
    assert "Ladies and gentlemen," in page
    assert (Transcript.objects.count(), Statement.objects.count(), Speaker.objects.count()) == (
        0,
        0,
        0,
    )
    assert ImportRun.objects.count() == 0


def test_confirm_saves_the_previewed_file_and_records_who_imported_it(editor_client, editor):
    response = confirm(editor_client, preview(editor_client, [seed_file()]))
    assert response.status_code == 302 and response.url == TRANSCRIPTS
    transcript = Transcript.objects.get()
    assert transcript.statements.count() == 5
    run = ImportRun.objects.get()
    assert (run.via, run.user, run.transcript_count, run.statement_count) == (
        "admin",
        editor,
        1,
        5,
    )
    assert run.files[0]["name"] == SEED.name and run.files[0]["new_speakers"] == ["Sergey Lavrov"]
    assert list(run.transcripts.all()) == [transcript]
    entry = LogEntry.objects.get(object_id=str(transcript.pk))
    assert (entry.user, entry.action_flag) == (editor, ADDITION)
    assert f"Imported from {SEED.name} (import #{run.pk})" in entry.change_message
    changelist = text_of(editor_client.get(response.url))
    assert "Imported 1 transcript(s) with 5 statement(s) and 1 new speaker(s)" in changelist
    assert "Foreign Minister Sergey Lavrov’s remarks" in changelist


def test_cancel_saves_nothing(editor_client):
    response = confirm(editor_client, preview(editor_client, [seed_file()]), action="cancel")
    assert response.status_code == 302
    assert (Transcript.objects.count(), Speaker.objects.count(), ImportRun.objects.count()) == (
        0,
        0,
        0,
    )
    assert "Import cancelled: nothing was saved." in text_of(editor_client.get(response.url))


def test_a_preview_can_be_confirmed_only_once(editor_client):
    shown = preview(editor_client, [seed_file()])
    confirm(editor_client, shown)
    again = confirm(editor_client, shown)
    assert again.url == IMPORT
    assert Transcript.objects.count() == 1 and ImportRun.objects.count() == 1


def test_a_duplicate_upload_is_reported_and_not_saved(editor_client, seed):
    response = preview(editor_client, [seed_file("copy-of-seed.txt")])
    assert statuses(response) == {"copy-of-seed.txt": "duplicate"}
    admin_url = reverse("admin:statements_transcript_change", args=[seed.pk])
    assert f'href="{admin_url}"' in response.content.decode()
    assert "A duplicate of “Foreign Minister Sergey Lavrov’s remarks" in text_of(response)
    assert "Import 0" not in text_of(response) and 'name="confirm"' not in text_of(response)
    confirm(editor_client, response)
    assert Transcript.objects.count() == 1
    assert ImportRun.objects.get().duplicate_count == 1


def test_a_duplicate_is_checked_again_on_confirm(editor_client):
    shown = preview(editor_client, [seed_file()])
    import_source(SEED.read_bytes(), filename=SEED.name)  # someone else was quicker
    confirm(editor_client, shown)
    assert Transcript.objects.count() == 1
    run = ImportRun.objects.get()
    assert (run.transcript_count, run.duplicate_count) == (0, 1)


def test_the_same_file_twice_in_one_upload_is_saved_once(editor_client):
    response = preview(editor_client, [seed_file("a.txt"), seed_file("b.txt")])
    assert statuses(response) == {"a.txt": "ok", "b.txt": "duplicate"}
    assert "The same text as a.txt in this upload" in text_of(response)
    confirm(editor_client, response)
    assert Transcript.objects.count() == 1


def test_a_broken_file_among_good_ones_is_reported_and_the_good_ones_saved(editor_client):
    files = [
        seed_file(),
        SimpleUploadedFile("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),
        SimpleUploadedFile(
            "latin1.txt", "Déclaration, 1 mars 2019\n\nQuestion: Où?".encode("latin-1")
        ),
        SimpleUploadedFile("slides.pdf", b"%PDF-1.4"),
        SimpleUploadedFile("empty.md", b""),
        SimpleUploadedFile("lavrov-ru.txt", RUSSIAN.encode()),
    ]
    response = preview(editor_client, files)
    assert statuses(response) == {
        SEED.name: "ok",
        "binary.txt": "error",
        "latin1.txt": "error",
        "slides.pdf": "error",
        "empty.md": "error",
        "lavrov-ru.txt": "ok",
    }
    page = text_of(response)
    assert "the input looks like a binary file (it contains NUL bytes)" in page
    assert "not UTF-8 text (byte 0xe9 at offset 1); save the file as UTF-8" in page
    assert "not a transcript file type" in page
    assert "the input is empty" in page
    assert 'value="Import 2 transcripts"' in response.content.decode()

    done = confirm(editor_client, response)
    assert sorted(Transcript.objects.values_list("language", flat=True)) == ["en", "ru"]
    run = ImportRun.objects.get()
    assert (run.transcript_count, run.failure_count) == (2, 4)
    errors = {entry["name"]: entry["error"] for entry in run.files if entry["error"]}
    assert errors["binary.txt"] == "the input looks like a binary file (it contains NUL bytes)"
    assert errors["latin1.txt"].startswith("line 1: not UTF-8 text")
    messages = text_of(editor_client.get(done.url))
    assert "2 transcript(s) with 9 statement(s)" in messages and "4 failed" in messages
    assert "slides.pdf: not a transcript file type" in messages.lower()


def test_pasted_text_is_imported_with_the_overrides(editor_client):
    response = preview(
        editor_client,
        text=RUSSIAN,
        date="2019-01-29",
        kind="briefing",
        source_url="https://mid.ru/ru/1",
        language="ru",
    )
    assert statuses(response) == {"Pasted text": "ok"}
    assert "29 January 2019" in text_of(response)
    confirm(editor_client, response)
    transcript = Transcript.objects.get()
    assert (transcript.date.isoformat(), transcript.kind, transcript.source_url) == (
        "2019-01-29",
        "briefing",
        "https://mid.ru/ru/1",
    )
    assert transcript.statements.filter(date=transcript.date).count() == 4


def test_the_form_asks_for_a_file_or_text(editor_client):
    response = editor_client.post(IMPORT, {})
    assert response.status_code == 200
    assert "Choose one or more files, or paste a transcript." in text_of(response)


BRIEFING = """Press briefing by Spokesperson Ned Price

MR PRICE: Good afternoon.

QUESTION: Hi.

MR PRICE: Hello.

MR KIRBY: Me too.

QUESTION: Quote?

MR PRICE: He said:

Speaker McCarthy: we will see.

QUESTION: Thanks.

MR PRICE: Thank you.
"""


def test_preview_lists_the_parsers_doubts(editor_client):
    response = preview(editor_client, text=BRIEFING)
    (item,) = response.context["previews"]
    assert item.status == "warning"
    assert item.warnings == [
        "line 9: label 'MR KIRBY' does not name a known person; kept as printed",
        "no date found in the text or its title",
        "statement 6: the paragraph “Speaker McCarthy: …” looks like a speaker label but was "
        "kept as text",
    ]
    assert all(warning in text_of(response) for warning in item.warnings)
    no_labels = preview(editor_client, text="A speech, 1 May 2020\n\nFriends, welcome.")
    assert no_labels.context["previews"][0].warnings == ["no speaker labels found"]


def test_preview_links_speakers_already_in_the_archive(editor_client, seed):
    lavrov = Speaker.objects.get()
    text = "Interview of Sergey Lavrov, March 1, 2019\n\nQuestion: Hello?\n\nSergey Lavrov: Hello."
    response = preview(editor_client, text=text)
    (speaker,) = response.context["previews"][0].speakers
    assert speaker.existing == lavrov
    page = response.content.decode()
    assert f'href="{reverse("admin:statements_speaker_change", args=[lavrov.pk])}"' in page
    assert "badge-new" not in page.split("<h4>Speakers</h4>")[1].split("</dl>")[0]


def test_preview_escapes_everything_it_parsed(editor_client):
    data = {
        "title": "A <script>alert(1)</script> title",
        "date": "2020-01-01",
        "statements": [
            {"speaker_label": "<b>Q</b>", "kind": "question", "paragraphs": ["<i>x</i>"]}
        ],
    }
    upload = SimpleUploadedFile("evil.json", json.dumps(data).encode())
    page = preview(editor_client, [upload]).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>Q</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;i&gt;x&lt;/i&gt;" in page


# Permissions ---------------------------------------------------------------------------


def test_non_staff_users_get_no_access_to_the_import_view(client):
    assert client.get(IMPORT).status_code == 302  # anonymous: to the login page
    user = User.objects.create_user("reader", password="a long reader passphrase")
    user.user_permissions.add(Permission.objects.get(codename="import_transcripts"))
    client.force_login(user)
    for response in (client.get(IMPORT), client.post(IMPORT, {"text": RUSSIAN})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert Transcript.objects.count() == 0


def test_staff_without_the_import_permission_are_refused(client):
    staff = User.objects.create_user("clerk", password="a long clerk passphrase", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_transcript"))
    client.force_login(staff)
    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert "Import transcripts" not in client.get(TRANSCRIPTS).content.decode()


def test_the_migration_gives_editors_curation_but_not_history_rewriting():
    group = Group.objects.get(name="Editors")  # made by migration 0004, not by a fixture
    granted = set(group.permissions.values_list("codename", flat=True))
    for model in ["transcript", "statement", "speaker", "speakeralias", "topic", "statementtopic"]:
        assert {f"{action}_{model}" for action in ["add", "change", "delete", "view"]} <= granted
    assert {"import_transcripts", "view_importrun"} <= granted
    assert not {"change_importrun", "delete_importrun", "add_user", "change_user"} & granted


def test_the_public_site_shows_nothing_of_the_admins_records(client, editor_client):
    confirm(editor_client, preview(editor_client, text="A speech, 1 May 2020\n\nPetrov: Hi."))
    transcript = Transcript.objects.get()
    assert transcript.parse_warnings  # "Petrov" is an unknown label
    client.logout()
    page = client.get(transcript.get_absolute_url()).content.decode()
    assert "editor" not in page and "does not name a known person" not in page
    assert "Import #" not in page


# The transcript's page: statements inline ------------------------------------------------


def test_the_change_page_lists_the_statements_inline_in_order(editor_client, seed):
    response = editor_client.get(reverse("admin:statements_transcript_change", args=[seed.pk]))
    forms = response.context["inline_admin_formsets"][0].formset.forms
    assert [form.instance.position for form in forms] == [1, 2, 3, 4, 5]
    page = response.content.decode()
    assert "Re-parse from source" in page
    assert reverse("admin:statements_statement_split", args=[forms[0].instance.pk]) in page


def row_versions(transcript) -> list[tuple]:
    """Each row's PostgreSQL version (xmin changes with every UPDATE, even to equal values)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 't', id, xmin::text FROM statements_transcript WHERE id = %s "
            "UNION ALL SELECT 's', id, xmin::text FROM statements_statement "
            "WHERE transcript_id = %s ORDER BY 1, 2",
            [transcript.pk, transcript.pk],
        )
        return cursor.fetchall()


def test_a_save_with_the_browsers_crlf_line_endings_changes_no_row_and_logs_nothing(
    editor_client, seed
):
    rows = rows_of(seed)
    for row in rows:
        row["text"] = row["text"].replace("\n", "\r\n")
    before = row_versions(seed)
    save_transcript(editor_client, seed, rows, title=seed.title.replace(" ", " ", 1))
    assert row_versions(seed) == before
    assert not LogEntry.objects.filter(object_id=str(seed.pk)).exists()
    assert not Revision.objects.exists()


def test_text_typed_with_crlf_is_stored_with_newlines(editor_client, seed):
    rows = rows_of(seed)
    rows[0]["text"] = "Ladies and gentlemen,\r\n\r\nWelcome.\rThank you.\u2028Yes."
    save_transcript(editor_client, seed, rows)
    assert (
        seed.statements.get(position=1).text
        == "Ladies and gentlemen,\n\nWelcome.\nThank you.\nYes."
    )


def test_a_statements_own_page_saved_unchanged_changes_nothing(editor_client, seed):
    statement = seed.statements.get(position=1)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["text"] = statement.text.replace("\n", "\r\n")
    data |= {
        f"statementtopic_set-{k}": v for k, v in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
    }
    before = row_versions(seed)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert row_versions(seed) == before
    assert not LogEntry.objects.exists()


def test_statements_are_edited_reassigned_and_deleted_inline(editor_client, seed):
    atamkulov = Speaker.objects.create(name="Beibut Atamkulov")
    rows = rows_of(seed)
    rows[0]["text"] = "Ladies and gentlemen, welcome."
    rows[2]["speaker"] = atamkulov.pk
    rows[3]["DELETE"] = "on"
    save_transcript(editor_client, seed, rows)
    assert list(seed.statements.order_by("position").values_list("position", "speaker__name")) == [
        (1, "Sergey Lavrov"),
        (2, None),
        (3, "Beibut Atamkulov"),
        (4, "Sergey Lavrov"),
    ]
    assert seed.statements.get(position=1).text == "Ladies and gentlemen, welcome."
    assert LogEntry.objects.filter(object_id=str(seed.pk), action_flag=CHANGE).exists()


def test_an_inline_edit_is_kept_as_a_public_revision_with_its_note(editor_client, seed, editor):
    rows = rows_of(seed)
    rows[2]["text"] = rows[2]["text"].replace("12th", "twelfth")
    rows[4]["DELETE"] = "on"
    save_transcript(editor_client, seed, rows, revision_note="Checked against the video")
    revision = Revision.objects.get()
    assert (revision.kind, revision.user, revision.note) == (
        "edit",
        editor,
        "Checked against the video",
    )
    assert [change["change"] for change in revision.changes] == ["changed", "removed"]


def test_a_new_title_gives_a_new_address_and_the_old_one_redirects(editor_client, client, seed):
    old = seed.get_absolute_url()
    save_transcript(editor_client, seed, rows_of(seed), title="Lavrov and Atamkulov, Moscow")
    seed.refresh_from_db()
    assert seed.slug == "2019-01-28-lavrov-and-atamkulov-moscow"
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == seed.get_absolute_url()


def test_a_slug_another_transcript_had_is_refused(editor_client, seed, russian):
    taken = russian.slug
    russian.slug = "moved-away"
    russian.save()
    url = reverse("admin:statements_transcript_change", args=[seed.pk])
    response = editor_client.post(url, inline_data(seed, rows_of(seed), slug=taken))
    assert response.status_code == 200
    assert "was the address of another transcript" in str(response.context["adminform"].form.errors)


def test_statements_are_reordered_by_the_numbers_typed(editor_client, seed):
    texts = dict(seed.statements.values_list("position", "text"))
    rows = rows_of(seed)
    rows[4]["order"] = 2  # the last answer moves up, before the first question
    save_transcript(editor_client, seed, rows)
    order = list(seed.statements.order_by("position").values_list("text", flat=True))
    assert order == [texts[1], texts[5], texts[2], texts[3], texts[4]]


def test_a_statement_is_inserted_where_its_number_says(editor_client, seed):
    rows = rows_of(seed)
    rows.append({"order": 2, "speaker_label": "Moderator", "kind": "remarks", "text": "Next."})
    save_transcript(editor_client, seed, rows)
    inserted = seed.statements.get(position=2)
    assert (inserted.text, inserted.date, inserted.language) == ("Next.", seed.date, "en")
    assert seed.statements.count() == 6


def test_a_long_transcript_can_be_saved(editor_client):
    statements = [
        {"speaker_label": "Q" if n % 2 else "A", "kind": "remarks", "paragraphs": [f"Turn {n}."]}
        for n in range(150)
    ]
    long = {"title": "A long briefing", "date": "2020-01-01", "statements": statements}
    transcript = import_source(json.dumps(long), filename="long.json").transcript
    rows = rows_of(transcript)
    rows[0]["text"] = "Turn zero."
    save_transcript(editor_client, transcript, rows)
    assert transcript.statements.get(position=1).text == "Turn zero."


def test_changing_the_transcripts_date_and_language_moves_its_statements(editor_client, seed):
    save_transcript(editor_client, seed, rows_of(seed), date="2019-02-01", language="ru")
    assert set(seed.statements.values_list("date", "language")) == {
        (seed.date.replace(month=2, day=1), "ru")
    }


def test_a_statement_is_split_in_two(editor_client, seed):
    opening = seed.statements.get(position=1)
    url = reverse("admin:statements_statement_split", args=[opening.pk])
    assert "¶2: We are delighted" in text_of(editor_client.get(url))
    at = opening.text.index("We are delighted")
    response = editor_client.post(url, {"at": at, "speaker_label": "Moderator", "kind": "remarks"})
    assert response.status_code == 302
    first, second = seed.statements.order_by("position")[:2]
    assert first.text == "Ladies and gentlemen,"
    assert second.text.startswith("We are delighted") and second.speaker_label == "Moderator"
    assert seed.statements.count() == 6


def test_two_adjacent_statements_are_merged(editor_client, seed):
    question = seed.statements.get(position=2)
    answer_text = seed.statements.get(position=3).text
    url = reverse("admin:statements_statement_merge_next", args=[question.pk])
    assert editor_client.get(url).status_code == 200
    editor_client.post(url, {"confirm": "on"})  # a question and its answer: two speakers
    question.refresh_from_db()
    assert question.text.endswith(answer_text)
    assert list(seed.statements.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_merging_two_speakers_statements_asks_to_confirm_and_names_who_keeps_them(
    editor_client, seed
):
    question = seed.statements.get(position=2)
    url = reverse("admin:statements_statement_merge_next", args=[question.pk])
    shown = text_of(editor_client.get(url))
    assert "the merged statement will carry the name Question" in shown
    assert "Sergey Lavrov's words would be attributed to Question" in shown
    refused = editor_client.post(url, {"revision_note": "One turn"})
    assert refused.status_code == 200 and seed.statements.count() == 5
    assert "Tick the box to merge statements of two speakers." in text_of(refused)
    editor_client.post(url, {"confirm": "on", "revision_note": "One turn"})
    assert seed.statements.count() == 4
    assert Revision.objects.get().note == "One turn"


def test_merging_one_speakers_two_statements_needs_no_confirmation(editor_client, seed):
    opening = seed.statements.get(position=1)
    at = opening.text.index("We are delighted")
    editing.split(opening, at, speaker=opening.speaker, kind="opening")
    url = reverse("admin:statements_statement_merge_next", args=[opening.pk])
    assert editor_client.post(url).status_code == 302
    assert seed.statements.count() == 5


def test_the_split_page_offers_sentences_as_well_as_paragraphs(editor_client, seed):
    answer = seed.statements.get(position=3)
    page = text_of(editor_client.get(reverse("admin:statements_statement_split", args=[answer.pk])))
    assert "¶2: Now we are finishing up" in page
    assert "¶2, sentence 2: An international meeting on Syria" in page


def test_reparse_shows_the_difference_then_replaces_the_statements(editor_client, seed, editor):
    Statement.objects.filter(transcript=seed, position__gte=4).delete()  # a mangled transcript
    url = reverse("admin:statements_transcript_reparse", args=[seed.pk])
    shown = editor_client.get(url)
    assert shown.status_code == 200
    diff = "\n".join(shown.context["diff"])
    assert "+— Question [question]" in diff and "+— Sergey Lavrov [answer]" in diff
    assert "reads the stored source as 5 statements (3 stored now)" in text_of(shown)
    assert seed.statements.count() == 3  # showing saves nothing
    editor_client.post(url, {"revision_note": "The parser reads the answers now"})
    assert seed.statements.count() == 5
    revision = Revision.objects.get()
    assert (revision.kind, revision.note, revision.statement_count) == (
        "reparse",
        "The parser reads the answers now",
        2,
    )
    run = ImportRun.objects.get()
    assert (run.via, run.user, run.statement_count) == ("reparse", editor, 5)
    unchanged = editor_client.get(url)
    assert unchanged.context["diff"] == []
    assert "nothing to re-parse" in text_of(unchanged)


# Speakers --------------------------------------------------------------------------------


def test_the_speaker_list_shows_statement_counts(editor_client, seed, russian):
    response = editor_client.get(reverse("admin:statements_speaker_changelist"))
    rows = {s.name: s.statement_count for s in response.context["cl"].result_list}
    assert rows == {"Sergey Lavrov": 5, "Б.Атамкулов": 1}  # С.В.Лавров is Sergey Lavrov


def test_speakers_are_found_by_any_alias_including_cyrillic(editor_client, seed, russian):
    url = reverse("admin:statements_speaker_changelist")

    def found(term):
        response = editor_client.get(url, {"q": term})
        return sorted(speaker.name for speaker in response.context["cl"].result_list)

    assert found("лавров") == ["Sergey Lavrov"]  # С.В.Лавров: his alias since the import
    assert found("С.В.ЛАВРОВ") == ["Sergey Lavrov"]
    assert found("foreign minister sergey") == ["Sergey Lavrov"]
    assert found("Lavrov") == ["Sergey Lavrov"]


def test_merging_two_speakers_moves_every_statement_and_alias(editor_client, russian_lavrov):
    english = Speaker.objects.get(name="Sergey Lavrov")
    aliases = set(
        SpeakerAlias.objects.filter(speaker__in=[english, russian_lavrov]).values_list(
            "key", flat=True
        )
    )
    statements = set(
        Statement.objects.filter(speaker__in=[english, russian_lavrov]).values_list("pk", flat=True)
    )
    url = reverse("admin:statements_speaker_changelist")
    selection = {"action": "merge_speakers", "_selected_action": [english.pk, russian_lavrov.pk]}
    asked = editor_client.post(url, selection)
    assert asked.status_code == 200 and "Choose the speaker to keep" in text_of(asked)
    assert Speaker.objects.filter(pk=russian_lavrov.pk).exists()  # nothing done yet
    done = editor_client.post(url, {**selection, "keep": english.pk})
    assert done.status_code == 302
    assert not Speaker.objects.filter(pk=russian_lavrov.pk).exists()
    assert set(english.statements.values_list("pk", flat=True)) == statements
    assert set(english.aliases.values_list("key", flat=True)) >= aliases | {"с.в.лавров"}
    assert Speaker.objects.by_alias("С.В.Лавров") == english
    assert LogEntry.objects.filter(object_id=str(english.pk), action_flag=CHANGE).exists()


def test_an_alias_of_another_speaker_is_refused(editor_client, russian_lavrov):
    url = reverse("admin:statements_speaker_change", args=[russian_lavrov.pk])
    data = {
        "name": russian_lavrov.name,
        "slug": russian_lavrov.slug,
        "kind": "official",
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-0-name": "sergey lavrov",
        "aliases-0-speaker": str(russian_lavrov.pk),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "“sergey lavrov” is already an alias of Sergey Lavrov." in text_of(response)
    data["aliases-0-name"] = "Сергей Лавров"
    assert editor_client.post(url, data).status_code == 302
    assert Speaker.objects.by_alias("сергей лавров") == russian_lavrov


# Topics ----------------------------------------------------------------------------------


def topic_data(**fields):
    return {
        "name": "Syria",
        "slug": "syria",
        "query": 'Syria OR Idlib OR "Astana format"',
        "description": "",
        "removals-TOTAL_FORMS": "0",
        "removals-INITIAL_FORMS": "0",
        **fields,
    }


def test_saving_a_topic_tags_the_statements_its_query_matches(editor_client, seed):
    response = editor_client.post(reverse("admin:statements_topic_add"), topic_data())
    assert response.status_code == 302
    syria = Topic.objects.get()
    assert sorted(syria.statements.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert "“Syria” now tags 5 statement(s), 5 new." in text_of(editor_client.get(response.url))


def test_a_topic_taken_off_a_statement_by_hand_stays_off(editor_client, seed, editor):
    syria = Topic.objects.create(name="Syria", slug="syria", query="Syria")
    topics.tag(syria)
    statement = seed.statements.get(position=2)
    tag = StatementTopic.objects.get(statement=statement, topic=syria)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    data = {
        "speaker": "",
        "speaker_label": statement.speaker_label,
        "speaker_role": "",
        "kind": statement.kind,
        "note": "",
        "questioner": "",
        "outlet": "",
        "reply_to": "",
        "text": statement.text,
        "statementtopic_set-TOTAL_FORMS": "1",
        "statementtopic_set-INITIAL_FORMS": "1",
        "statementtopic_set-0-id": str(tag.pk),
        "statementtopic_set-0-statement": str(statement.pk),
        "statementtopic_set-0-topic": str(syria.pk),
        "statementtopic_set-0-DELETE": "on",
    }
    assert editor_client.post(url, data).status_code == 302
    assert TopicRemoval.objects.get().removed_by == editor
    editor_client.post(reverse("admin:statements_topic_change", args=[syria.pk]), topic_data())
    assert not statement.topics.exists()


def test_a_topic_added_to_a_statement_by_hand_is_the_editors(editor_client, seed):
    energy = Topic.objects.create(name="Energy", slug="energy", query="")
    statement = seed.statements.get(position=1)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    data = {
        "speaker": statement.speaker_id,
        "speaker_label": "",
        "speaker_role": statement.speaker_role,
        "kind": statement.kind,
        "text": statement.text,
        "statementtopic_set-TOTAL_FORMS": "1",
        "statementtopic_set-INITIAL_FORMS": "0",
        "statementtopic_set-0-topic": str(energy.pk),
        "statementtopic_set-0-statement": str(statement.pk),
    }
    assert editor_client.post(url, data).status_code == 302
    assert StatementTopic.objects.get().source == "editor"


def test_a_topic_taken_off_a_whole_transcript_stays_off(editor_client, seed):
    syria = Topic.objects.create(name="Syria", slug="syria", query="Syria")
    tagged = topics.tag(syria)
    assert tagged == 3
    save_transcript(editor_client, seed, rows_of(seed), remove_topics=[str(syria.pk)])
    assert not Statement.objects.filter(topics=syria).exists()
    assert TopicRemoval.objects.count() == tagged
    topics.tag(syria)
    assert not Statement.objects.filter(topics=syria).exists()


def test_topics_are_set_on_a_whole_transcript_by_hand(editor_client, seed):
    syria = Topic.objects.create(name="Syria", slug="syria", query="")
    save_transcript(editor_client, seed, rows_of(seed), topics=[str(syria.pk)])
    assert list(seed.topics.all()) == [syria]


# History ---------------------------------------------------------------------------------


def test_an_import_runs_page_lists_its_files_and_errors(editor_client):
    files = [seed_file(), SimpleUploadedFile("broken.txt", b"")]
    confirm(editor_client, preview(editor_client, files))
    run = ImportRun.objects.get()
    page = text_of(editor_client.get(reverse("admin:statements_importrun_change", args=[run.pk])))
    assert f"{SEED.name} Imported Foreign Minister Sergey Lavrov’s" in page
    assert "5 · Sergey Lavrov" in page
    assert "broken.txt Failed — the input is empty" in page
    transcript = Transcript.objects.get()
    change = text_of(
        editor_client.get(reverse("admin:statements_transcript_change", args=[transcript.pk]))
    )
    assert f"Import #{run.pk} (Admin upload," in change and "by editor" in change
