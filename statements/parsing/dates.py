"""Dates and times as ministries print them, in English and Russian."""

import re
from datetime import date, time

ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

# Russian month names in the genitive ("28 января") and the nominative ("январь 2019").
RUSSIAN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("января", "январь"),
            ("февраля", "февраль"),
            ("марта", "март"),
            ("апреля", "апрель"),
            ("мая", "май"),
            ("июня", "июнь"),
            ("июля", "июль"),
            ("августа", "август"),
            ("сентября", "сентябрь"),
            ("октября", "октябрь"),
            ("ноября", "ноябрь"),
            ("декабря", "декабрь"),
        ],
        start=1,
    )
    for name in names
}

MONTHS = ENGLISH_MONTHS | RUSSIAN_MONTHS
_MONTH = r"(?P<month>[A-Za-zА-Яа-яЁё]+)\.?"
_YEAR_SUFFIX = r"(?:\s*(?:года|г\.))?"

# "28 January 2019", "28 января 2019 года"
DAY_MONTH_YEAR = re.compile(rf"(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}}){_YEAR_SUFFIX}")
# "January 28, 2019"
MONTH_DAY_YEAR = re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})")
ISO_DATE = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")

# mid.ru's first line: the publication date and time glued together, "28 January 201913:56".
DATELINE = re.compile(
    rf"^\s*(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}})\s*(?P<time>\d{{1,2}}:\d{{2}})?\s*$"
)
TIME = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})$")


def make_date(year: str, month: str, day: str) -> date | None:
    """A date from printed parts, or None when they do not make one (no guessing)."""
    month_number = int(month) if month.isdigit() else MONTHS.get(month.lower())
    if month_number is None:
        return None
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    match = TIME.match(text.strip())
    if not match:
        return None
    try:
        return time(int(match["hour"]), int(match["minute"]))
    except ValueError:
        return None


def parse_dateline(line: str) -> tuple[date, time | None] | None:
    """The publication line at the top of a mid.ru page: (date, time) or None."""
    match = DATELINE.match(line)
    if not match:
        return None
    found = make_date(match["year"], match["month"], match["day"])
    if found is None:
        return None
    return found, parse_time(match["time"]) if match["time"] else None


def parse_date(text: str) -> date | None:
    """A date written in full anywhere in `text`: ISO, "28 January 2019", "January 28, 2019"."""
    for pattern in (ISO_DATE, DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            found = make_date(match["year"], match["month"], match["day"])
            if found:
                return found
    return None


def trailing_date(text: str) -> tuple[str, date] | None:
    """A date that ends `text` (a title's tail): (text before it, date), or None."""
    for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        last = None
        for last in pattern.finditer(text):  # noqa: B007 - we want the last match
            pass
        if last and not text[last.end() :].strip(" .,"):
            found = make_date(last["year"], last["month"], last["day"])
            if found:
                return text[: last.start()], found
    return None


EARLIEST_YEAR = 1900  # the archive's transcripts are modern; an earlier year is a typo


def latest_year() -> int:
    return date.today().year + 1


def out_of_range(found: date) -> str:
    """Why `found` cannot be a transcript's date ("outside the years 1900–2027"), or ""."""
    if EARLIEST_YEAR <= found.year <= latest_year():
        return ""
    return f"outside the years {EARLIEST_YEAR}–{latest_year()}"
