import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from statements.importing import import_source
from statements.models import Speaker, SpeakerAlias, StatementTopic, Topic
from statements.parsing.names import normalize
from statements.search import matching

TRANSCRIPTS = Path(settings.BASE_DIR) / "fixtures" / "transcripts"
SEED = TRANSCRIPTS / "lavrov-atamkulov-2019-01-28.en.txt"
# The seed's Russian version, written for the tests: the original the seed translates.
SEED_RU = TRANSCRIPTS / "lavrov-atamkulov-2019-01-28.ru.txt"

# A small Russian transcript in mid.ru's layout, written for the tests.
RUSSIAN = """28 января 201915:30

Выступление и ответы на вопросы СМИ Министра иностранных дел России С.В.Лаврова в ходе совместной пресс-конференции по итогам переговоров с Министром иностранных дел Республики Казахстан Б.Атамкуловым, Москва, 28 января 2019 года

Дамы и господа,

Мы провели очень продуктивные переговоры с казахстанскими коллегами.

Вопрос: Когда состоится следующая встреча в Астане?

С.В.Лавров: Встреча состоится в середине февраля. Договорённости о дате уже достигнуты.

Б.Атамкулов (говорит по-казахски, перевод): Мы подтверждаем эти договорённости.
"""


CORPUS = Path(settings.BASE_DIR) / "fixtures" / "corpus"
KIRBY_GAGGLE_NAME = (
    "2024-08-07-on-the-record-press-gaggle-by-white-house-national-security-"
    "communications-advisor-john-kirby-19.md"
)
SCRIPT = {
    "title": "Briefing with <b>markup</b> in it",
    "date": "2021-05-05",
    "statements": [
        {
            "speaker": "Mallory Tester",
            "speaker_label": "Mallory Tester",
            "kind": "remarks",
            "paragraphs": ["Idlib <script>alert('x')</script> and =HYPERLINK(\"http://evil\")"],
        }
    ],
}


@pytest.fixture(autouse=True)
def _pgvector_for_vector_tests(request):
    """Tests marked `vector` need pgvector: skipped on a database without it, unless
    REQUIRE_PGVECTOR is set (as `make test` sets it for their session on pgserver), where
    its absence is a failure."""
    if request.node.get_closest_marker("vector") is None:
        return
    request.getfixturevalue("db")
    from statements import vectors

    if not vectors.available():
        if os.environ.get("REQUIRE_PGVECTOR"):
            pytest.fail("REQUIRE_PGVECTOR is set and the test database has no pgvector")
        pytest.skip("the test database has no pgvector (make test runs these on pgserver)")


@pytest.fixture
def archive(seed, russian):
    """The seed (2019, Lavrov), the Russian test transcript (2019), a White House gaggle
    (2024, Kirby) and a statement full of markup (2021), with one topic."""
    gaggle = CORPUS / "whitehouse-press-briefings" / KIRBY_GAGGLE_NAME
    import_source(gaggle.read_bytes(), filename=gaggle.name)
    import_source(json.dumps(SCRIPT), filename="script.json")
    syria = Topic.objects.create(name="Syria", query="Idlib OR Astana")
    for statement in matching("Idlib OR Astana"):
        StatementTopic.objects.create(statement=statement, topic=syria)
    return syria


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed(db):
    """The seed transcript, imported."""
    return import_source(SEED.read_bytes(), filename=SEED.name).transcript


@pytest.fixture
def versions_pair(db):
    """The seed and its Russian version, imported (and so linked and aligned)."""
    return imported(SEED), imported(SEED_RU)


@pytest.fixture
def embedded(versions_pair):
    """The seed and its Russian version, linked, aligned and every statement embedded."""
    from statements import embedder

    embedder.embed_pending()
    return versions_pair


def imported(path, **kwargs):
    """The transcript of a file, imported."""
    return import_source(path.read_bytes(), filename=path.name, **kwargs).transcript


@pytest.fixture
def russian(db):
    """The Russian test transcript, imported."""
    return import_source(RUSSIAN, filename="lavrov-ru.txt").transcript


@pytest.fixture
def russian_lavrov(seed, russian):
    """A second Lavrov, as imports made them before they told one person across scripts:
    the Russian transcript's Lavrov statements and spelling moved to a speaker of their own."""
    english = Speaker.objects.get(name="Sergey Lavrov")
    duplicate = Speaker.objects.create(name="С.В.Лавров", slug="s-v-lavrov")
    russian.statements.filter(speaker=english).update(speaker=duplicate)
    SpeakerAlias.objects.filter(speaker=english, key=normalize("С.В.Лавров")).update(
        speaker=duplicate
    )
    return duplicate


CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright cannot download browsers here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The browser tests take the README's screenshots. They land in docs/screenshots/ only when
# asked (`make screenshots`), so that an ordinary test run leaves the checkout unchanged.
SCREENSHOTS = Path(settings.BASE_DIR) / (
    "docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else "var/screenshots"
)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright, shared by the browser tests."""
    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls are
    # still synchronous, so Django's guard against ORM calls from async code must be lifted.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) at a desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def csp_violations(page) -> list[str]:
    """Every Content-Security-Policy violation the page reports (the event, and Chromium's
    console message for a refused script or style), and every uncaught script error."""
    found = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )

    def on_console(message):
        if message.type == "error" and re.search("CSP|Content Security Policy", message.text):
            found.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


@pytest.fixture
def live_site(live_server, settings):
    """The live server's address, with static files found as in development: the test
    server's static handler looks files up by their plain names, which the manifest
    storage's hashed URLs would miss (production serves them with whitenoise)."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    return live_server.url


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages made afresh for every request. Most tests change data inside a transaction
    that never commits, so the data generation, which moves as changes commit, would not
    tell their pages apart; test_pagecache.py commits its changes and turns the cache on."""
    settings.PAGE_CACHE_SECONDS = 0
