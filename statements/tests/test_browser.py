"""The public site in a real browser: headless Debian Chromium driven by Playwright, against
pytest-django's live server on real PostgreSQL."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from statements.importing import import_source
from statements.models import Statement, StatementTopic, Topic
from statements.search import matching
from statements.tests.conftest import CORPUS, KIRBY_GAGGLE_NAME, SCREENSHOTS, csp_violations

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}
# A few real transcripts beside the seed, so that pages look like the archive's.
MORE = [
    "whitehouse-press-briefings/" + KIRBY_GAGGLE_NAME,
    "kremlin-en-news/57192.html",
    "kremlin-en-news/60370.html",
    "kremlin-en-news/62103.html",
    "whitehouse-press-briefings/2024-05-28-press-briefing-by-press-secretary-karine-jean-pierre-and-national-security-communications-advisor-john-kirby-5.md",
]


@pytest.fixture
def site(live_site, seed, russian):
    for name in MORE:
        path = CORPUS / name
        import_source(path.read_bytes(), filename=path.name)
    syria = Topic.objects.create(name="Syria", query="Syria OR Idlib OR Astana")
    StatementTopic.objects.bulk_create(
        StatementTopic(statement=statement, topic=syria) for statement in matching(syria.query)
    )
    return live_site


def test_search_narrow_open_and_cite(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()

    page.goto(site + "/")
    page.get_by_label("Search statements").fill("Idlib")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=Idlib")
    first_mark = page.locator(".result mark").first
    assert first_mark.inner_text() == "Idlib"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "search-results.png", full_page=True)

    page.locator(".facets").get_by_role("link", name="Sergey Lavrov").click()
    page.wait_for_url("**speaker=sergey-lavrov**")
    speakers = page.locator(".result__who").all_inner_texts()
    assert speakers and all(text.startswith("Sergey Lavrov") for text in speakers)

    page.locator(".result__source a").first.click()
    page.wait_for_url("**/transcripts/**#s*")
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"#{anchor}")
    assert "Idlib" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == anchor

    target.get_by_role("link", name="Cite").click()
    page.get_by_role("button", name="Copy citation").click()
    page.get_by_text("Citation copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Sergey Lavrov (")
    assert "in “Foreign Minister Sergey Lavrov’s remarks" in copied
    assert f"Diplomatic Statements Archive: {page.url} (accessed " in copied
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/search/?q=security", "/speakers/sergey-lavrov/", "/transcripts/", "/statements/1/"],
)
def test_no_horizontal_scroll_on_a_phone(site, browser, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_transcript_page_fits_a_phone(site, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role(
        "link", name="Foreign Minister Sergey Lavrov’s remarks", exact=False
    ).first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_accessibility_of_the_main_pages(site, page):
    axe = Axe()
    pages = {
        "home": "/",
        "search": "/search/?q=security&speaker=john-kirby",
        "speaker": "/speakers/vladimir-putin/",
    }
    page.goto(site + "/")
    page.get_by_role(
        "link", name="Foreign Minister Sergey Lavrov’s remarks", exact=False
    ).first.click()
    pages["transcript"] = page.url.removeprefix(site)
    problems = {}
    for name, path in pages.items():
        page.goto(site + path)
        violations = axe.run(page).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
        if serious:
            problems[name] = serious
        if name in {"home", "speaker"}:
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    assert problems == {}


def test_search_works_from_the_keyboard_alone(site, page):
    page.goto(site + "/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "home-q":
            break
    assert page.evaluate("document.activeElement.id") == "home-q"
    page.keyboard.type("Idlib")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Idlib")
    assert page.locator(".result").count() == 2


def test_a_query_naming_a_speaker_offers_the_search_limited_to_them(site, page):
    page.goto(site + "/search/?q=Lavrov+Idlib")
    people = page.locator(".people")
    assert "Sergey Lavrov" in people.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "search-speaker-suggestion.png", full_page=True)
    people.get_by_role("link", name="Idlib, by Sergey Lavrov").click()
    page.wait_for_url("**speaker=sergey-lavrov**")
    heading = page.locator("#results-heading").inner_text()
    assert "matching “Idlib” by Sergey Lavrov" in heading
    chosen = page.locator(".facets .facet--chosen")
    assert chosen.inner_text().startswith("Sergey Lavrov")
    chosen.click()  # a chosen facet is removed by clicking it
    page.wait_for_url("**/search/?q=Idlib")


def test_the_speaker_field_takes_a_name(site, page):
    page.goto(site + "/search/?q=Idlib")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Speaker", exact=True).fill("Lavrov")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**speaker=Lavrov**")
    assert "by Sergey Lavrov" in page.locator("#results-heading").inner_text()
    speakers = page.locator(".result__who").all_inner_texts()
    assert speakers and all(text.startswith("Sergey Lavrov") for text in speakers)


def test_facets_come_before_the_results_on_a_phone(site, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site + "/search/?q=Idlib&speaker=sergey-lavrov")
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".result-list").bounding_box()
    assert facets["y"] < results["y"]
    assert page.locator(".active-filters").is_visible()
    context.close()


def test_the_public_pages_run_under_the_content_security_policy(site, browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    errors = csp_violations(page)
    for path in ["/", "/search/?q=Astana", "/speakers/vladimir-putin/", "/no-such-page/"]:
        page.goto(site + path)
    page.goto(site + Statement.objects.first().get_absolute_url())  # copy.js, JSON-LD
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".copy-status")).to_have_text("Citation copied.")
    context.close()
    assert errors == []
