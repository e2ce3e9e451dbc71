"""An editor's import in a real browser: headless Debian Chromium driven by Playwright,
against pytest-django's live server on real PostgreSQL."""

import re

import pytest
from playwright.sync_api import expect

from statements.models import Speaker, Transcript
from statements.tests.conftest import RUSSIAN, SCREENSHOTS, SEED, csp_violations
from statements.tests.editors import PASSWORD, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, site, username):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Transcripts")).to_be_visible()


def open_import_page(page, site):
    page.goto(site + "/admin/statements/transcript/")
    page.get_by_role("link", name="Import transcripts").click()
    expect(page.get_by_role("heading", name="Import transcripts")).to_be_visible()


def test_an_editor_uploads_checks_the_preview_and_imports(page, live_site):
    make_editor("editor")
    log_in(page, live_site, "editor")

    open_import_page(page, live_site)
    page.get_by_label("Files").set_input_files(SEED)
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".transcript-preview")
    expect(preview.locator(".statement")).to_have_count(5)
    expect(preview.locator(".speaker-preview")).to_have_text(["Sergey Lavrov new"])
    expect(preview.locator(".meta")).to_contain_text("28 January 2019, 13:56 · Moscow")
    assert Transcript.objects.count() == 0  # the preview saved nothing
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-import-preview.png", full_page=True)

    page.get_by_role("button", name="Import 1 transcript").click()
    page.wait_for_url("**/admin/statements/transcript/")
    expect(page.locator(".messagelist")).to_contain_text("Imported 1 transcript(s) with 5")
    title = "Foreign Minister Sergey Lavrov’s remarks and answers to media questions"
    page.locator("#result_list").get_by_role("link", name=re.compile(title)).click()
    expect(page.locator("#statements-group tbody tr.has_original")).to_have_count(5)
    page.screenshot(path=SCREENSHOTS / "admin-transcript-change.png", full_page=True)

    transcript = Transcript.objects.get()
    page.goto(live_site + transcript.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator(".statement")).to_have_count(5)

    open_import_page(page, live_site)
    page.get_by_label("Or paste a transcript").fill(RUSSIAN)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".transcript-preview .statement")).to_have_count(4)
    # С.В.Лавров is the English version's Sergey Lavrov: the same surname, initials agreeing.
    expect(page.locator(".speaker-preview")).to_have_text(
        ["Sergey Lavrov (in the archive)", "Б.Атамкулов new"]
    )
    page.get_by_role("button", name="Import 1 transcript").click()
    page.wait_for_url("**/admin/statements/transcript/")
    expect(page.locator("#result_list")).to_contain_text("Выступление и ответы на вопросы СМИ")
    assert sorted(Transcript.objects.values_list("language", flat=True)) == ["en", "ru"]


def test_the_admins_scripts_run_under_the_content_security_policy(page, live_site, seed):
    errors = csp_violations(page)
    make_editor("editor")
    log_in(page, live_site, "editor")
    page.goto(live_site + f"/admin/statements/transcript/{seed.pk}/change/")
    rows = page.locator("#statements-group tbody tr.has_original")
    expect(rows).to_have_count(5)

    # The speaker's autocomplete (select2, started on first use, with its JSON requests) …
    rows.first.locator("select[name$='-speaker']").click(force=True)
    page.locator(".select2-container--open .select2-search__field").fill("Lavr")
    expect(page.locator(".select2-results__option")).to_contain_text(["Sergey Lavrov"])
    page.keyboard.press("Escape")
    # … and the inline formset's "Add another" (inlines.js) both work.
    page.get_by_role("button", name="Add another Statement").click()
    added = "#statements-group tbody tr.form-row:not(.has_original):not(.empty-form)"
    expect(page.locator(added)).to_have_count(1)
    assert errors == []


def test_saving_a_transcript_unchanged_keeps_every_statement_byte_for_byte(page, live_site, seed):
    make_editor("editor")
    texts = dict(seed.statements.values_list("pk", "text"))
    assert any("\n" in text for text in texts.values())  # paragraphs: the browser sends CRLF
    updated_at = seed.updated_at
    log_in(page, live_site, "editor")

    page.goto(f"{live_site}/admin/statements/transcript/{seed.pk}/change/")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    assert dict(seed.statements.values_list("pk", "text")) == texts
    seed.refresh_from_db()
    assert seed.updated_at == updated_at
    page.goto(f"{live_site}/admin/statements/transcript/{seed.pk}/history/")
    expect(page.locator("#content-main")).to_contain_text("doesn’t have a change history")


def test_an_editor_gives_a_statement_another_speaker_in_the_speaker_box(page, live_site, seed):
    make_editor("editor")
    atamkulov = Speaker.objects.create(name="Beibut Atamkulov")
    log_in(page, live_site, "editor")
    page.goto(f"{live_site}/admin/statements/transcript/{seed.pk}/change/")
    box = page.locator("select[name='statements-2-speaker']")
    expect(box.locator("option:checked")).to_have_text("Sergey Lavrov")
    box.click(force=True)  # select2 starts on first use, and opens
    page.locator(".select2-dropdown .select2-search__field").fill("Atam")
    page.locator(".select2-results__option", has_text="Beibut Atamkulov").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert seed.statements.get(position=3).speaker == atamkulov


def test_an_editor_merges_a_likely_duplicate_from_the_review_queue(page, live_site):
    from statements.importing import import_source
    from statements.models import Speaker
    from statements.tests.test_speakers import script

    import_source(script("Talks", [("Aleksandar Vucic", "Welcome.")]), filename="a.json")
    import_source(script("More", [("Alexandar Vucic", "Again.")], "2021-06-06"), filename="b.json")
    make_editor("editor")
    log_in(page, live_site, "editor")
    page.goto(live_site + "/admin/statements/speakerreview/")
    expect(page.get_by_role("heading", name="Possible duplicates (1)")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-speaker-review.png", full_page=True)
    page.get_by_role("button", name="Merge into Aleksandar Vucic").click()
    expect(page.locator(".messagelist")).to_contain_text("Merged Alexandar Vucic into Aleksandar")
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Aleksandar Vucic"]
