"""Parse the German date texts used in date questions and typed answers."""

from __future__ import annotations

import calendar
import re

#: Lower-case month names and abbreviations (without the trailing dot) -> month number.
MONTHS: dict[str, int] = {
    "januar": 1,
    "jänner": 1,  # Austrian
    "jan": 1,
    "jän": 1,
    "februar": 2,
    "feber": 2,  # Austrian
    "feb": 2,
    "febr": 2,
    "märz": 3,
    "maerz": 3,  # typed without umlaut
    "mär": 3,
    "mrz": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "dez": 12,
}

MONTH_NAMES: tuple[str, ...] = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

# Years need three or four digits so that a stray "5" or "12" is never read as a year.
_YEAR = r"(?P<year>\d{3,4})"
_NUMERIC = re.compile(r"(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})\.\s*" + _YEAR)
_WORDY = re.compile(
    r"(?:(?P<day>\d{1,2})\.?\s*)?(?P<month>[^\W\d_]+)\.?\s*" + _YEAR,
)
_YEAR_ONLY = re.compile(_YEAR)


def parse_german_date(text: str) -> tuple[int, int | None, int | None] | None:
    """Parse a German date into (year, month, day); missing parts are None.

    Understands "5. September 1905", "05.09.1905", "5.9.1905", "September 1905",
    "Sept. 1905" and "1905". Returns None for anything else, including impossible
    dates such as "31. Februar 1905".
    """
    cleaned = " ".join(text.split())
    if match := _NUMERIC.fullmatch(cleaned):
        return _checked(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _WORDY.fullmatch(cleaned):
        month = MONTHS.get(match["month"].casefold())
        if month is None:
            return None
        day = int(match["day"]) if match["day"] else None
        return _checked(int(match["year"]), month, day)
    if _YEAR_ONLY.fullmatch(cleaned):
        return (int(cleaned), None, None)
    return None


def format_german_date(year: int, month: int | None = None, day: int | None = None) -> str:
    """Format (year, month, day) the way the bank writes dates: "5. September 1905"."""
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTH_NAMES[month - 1]} {year}"
    return f"{day}. {MONTH_NAMES[month - 1]} {year}"


def _checked(year: int, month: int, day: int | None) -> tuple[int, int | None, int | None] | None:
    """Return the triple if month and day exist in that year, else None."""
    if year < 1 or not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return (year, month, day)
