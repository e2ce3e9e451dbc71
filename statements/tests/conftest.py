from pathlib import Path

import pytest
from django.conf import settings

from statements.importing import import_source

TRANSCRIPTS = Path(settings.BASE_DIR) / "fixtures" / "transcripts"
SEED = TRANSCRIPTS / "lavrov-atamkulov-2019-01-28.en.txt"

# A small Russian transcript in mid.ru's layout, written for the tests.
RUSSIAN = """28 января 201915:30

Выступление и ответы на вопросы СМИ Министра иностранных дел России С.В.Лаврова в ходе совместной пресс-конференции по итогам переговоров с Министром иностранных дел Республики Казахстан Б.Атамкуловым, Москва, 28 января 2019 года

Дамы и господа,

Мы провели очень продуктивные переговоры с казахстанскими коллегами.

Вопрос: Когда состоится следующая встреча в Астане?

С.В.Лавров: Встреча состоится в середине февраля. Договорённости о дате уже достигнуты.

Б.Атамкулов (говорит по-казахски, перевод): Мы подтверждаем эти договорённости.
"""


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed(db):
    """The seed transcript, imported."""
    return import_source(SEED.read_bytes(), filename=SEED.name).transcript


@pytest.fixture
def russian(db):
    """The Russian test transcript, imported."""
    return import_source(RUSSIAN, filename="lavrov-ru.txt").transcript
