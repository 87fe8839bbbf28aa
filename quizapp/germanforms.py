"""Dates, year ranges and numbers as a German reader writes them: plain Python, no Flask.

Grading (``quizapp.grading``) reads a learner's answer with these functions, so that every
common German way of writing the same thing counts the same.

Dates (:func:`parse_date`)
    "5. September 1905", "5 September 1905", "5. Sept. 1905", "am 5. September 1905",
    "05.09.1905", "5.9.1905", "5. 9. 1905", "1905-09-05"; month and year: "September 1905",
    "Sept. 1905", "im September 1905", "09.1905", "9/1905", "1905-09"; a year: "1905",
    "im Jahr 1905", "im Jahre 1905". A leading "am", "im", "im Jahr(e)" or "den" and a trailing
    full stop are ignored. Impossible dates ("31. Februar 1905", "13/1905") are no dates.
    A *two-digit year* is read only in the fully numeric day form ("5.9.05", "05.09.05"); the
    reading says so (``short_year``) and the grader decides by the question whether the century
    is clear (see :func:`resolve_short_year`). A bare "05" is never a year.

Year ranges (:func:`parse_year_range`)
    "1904-1905", "1904–1905", "1904 – 1905", "1904–05", "1904-05", "1904/05", "1904/1905",
    "1904 bis 1905", "1904 bis 05", "von 1904 bis 1905", "zwischen 1904 und 1905". A
    two-digit end year lies in the start year's century, or the next one if that would not be
    later ("1999/00" is 1999 to 2000). The end must lie after the start. "1904-05" is also an
    ISO month ("Mai 1904"); which reading counts is the grader's choice, by what was asked.

Numbers (:func:`parse_number`, :func:`split_number`)
    Decimal comma "3,5", thousands dots "1.905" and "1.905,5", spaces or apostrophes as
    thousands separators ("1 905", "10'000", also thin and no-break spaces), a Unicode minus
    "−3", a leading "+". Plain decimal points ("3.5", "1905.5") are read too; a dot followed by
    groups of exactly three digits is a thousands separator ("1.905" is 1905). NaN and
    infinities are no numbers. :func:`split_number` also takes a unit or a per-cent sign after
    the number ("17,3 km", "90 %", "90 Prozent"); :func:`number_readings` also gives the
    decimal-point reading of "3.141" (German: 3141). A number a question *stores* is read by
    :func:`parse_stored_number`: a decimal comma as above, else a plain decimal point as
    GIFT writes it ("3.141").
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass

from quizapp.bank.dates import MONTHS


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date as written: year, and month and day where given."""

    year: int
    month: int | None = None
    day: int | None = None
    short_year: bool = False  # the year was written with two digits ("5.9.05")

    @property
    def precision(self) -> str:
        """Return what the date gives: "day", "month" or "year"."""
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    def with_year(self, year: int) -> DateReading:
        """Return the same day and month in another (four-digit) year."""
        return DateReading(year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class YearRange:
    """A span of years, e.g. 1904 to 1905; ``end`` is always after ``start``."""

    start: int
    end: int


_PREFIX = re.compile(r"(?:am|im\s+jahre?|im|den|jahr)\s+", re.IGNORECASE)
_YEAR = r"(?P<year>\d{3,4})"
_NUMERIC = re.compile(r"(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})\.\s*" + _YEAR, re.ASCII)
_NUMERIC_SHORT = re.compile(
    r"(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})\.\s*(?P<year>\d{2})", re.ASCII
)
_WORDY = re.compile(r"(?:(?P<day>\d{1,2})\.?\s*)?(?P<month>[^\W\d_]+)\.?\s*" + _YEAR)
_ISO = re.compile(r"(?P<year>\d{3,4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?", re.ASCII)
_MONTH_YEAR = re.compile(r"(?P<month>\d{1,2})\s*[./]\s*" + _YEAR, re.ASCII)
_YEAR_ONLY = re.compile(_YEAR, re.ASCII)


def _clean(text: str) -> str:
    """Collapse white space and drop a trailing full stop or comma."""
    return " ".join(text.split()).rstrip(".,;").strip()


def _checked(
    year: int, month: int | None, day: int | None, short: bool = False
) -> DateReading | None:
    """Return the reading if month and day exist (in that year), else None."""
    if month is None:
        return DateReading(year) if year >= 1 else None
    if not 1 <= month <= 12:
        return None
    # A two-digit year's leap years are unknown: allow 29 February, the grader checks again.
    days = calendar.monthrange(2000 if short else max(year, 1), month)[1]
    if day is not None and not 1 <= day <= days:
        return None
    if not short and year < 1:
        return None
    return DateReading(year, month, day, short)


def parse_date(text: str) -> DateReading | None:
    """Read a German date (see the module docstring); None if ``text`` is none."""
    cleaned = _clean(text)
    if (prefix := _PREFIX.match(cleaned)) is not None:
        cleaned = cleaned[prefix.end() :]
    if not cleaned or len(cleaned) > 40:
        return None
    if match := _NUMERIC.fullmatch(cleaned):
        return _checked(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _NUMERIC_SHORT.fullmatch(cleaned):
        return _checked(int(match["year"]), int(match["month"]), int(match["day"]), short=True)
    if match := _WORDY.fullmatch(cleaned):
        month = MONTHS.get(match["month"].casefold())
        if month is None:
            return None
        day = int(match["day"]) if match["day"] else None
        return _checked(int(match["year"]), month, day)
    if match := _ISO.fullmatch(cleaned):
        day = int(match["day"]) if match["day"] else None
        return _checked(int(match["year"]), int(match["month"]), day)
    if match := _MONTH_YEAR.fullmatch(cleaned):
        return _checked(int(match["year"]), int(match["month"]), None)
    if _YEAR_ONLY.fullmatch(cleaned):
        return _checked(int(cleaned), None, None)
    return None


def resolve_short_year(reading: DateReading, century_years: set[int]) -> DateReading | None:
    """Give a two-digit year its century, if the question's years leave only one.

    ``century_years`` are the years the question's answers and options name. The two-digit
    year ``yy`` becomes the one of them ending in ``yy`` if exactly one century has such a
    year; if none has, it lies in the questions' century when all its years share one.
    Otherwise the year is ambiguous and None is returned ("05" where the options are 1805
    and 1905). A reading with a four-digit year is returned as it is.
    """
    if not reading.short_year:
        return reading
    centuries = {year // 100 for year in century_years}
    named = {year // 100 for year in century_years if year % 100 == reading.year}
    if len(named) == 1:
        century = named.pop()
    elif not named and len(centuries) == 1:
        century = next(iter(centuries))
    else:
        return None
    return _checked(century * 100 + reading.year, reading.month, reading.day)


_RANGE = re.compile(
    r"(?:(?:von|vom)\s+)?(?P<start>\d{3,4})\s*(?:-|–|—|/|bis)\s*(?P<end>\d{2}|\d{3,4})"
    r"|zwischen\s+(?P<start2>\d{3,4})\s+und\s+(?P<end2>\d{2}|\d{3,4})",
    re.IGNORECASE,
)


def parse_year_range(text: str) -> YearRange | None:
    """Read a span of years (see the module docstring); None if ``text`` is none."""
    cleaned = _clean(text)
    if (prefix := _PREFIX.match(cleaned)) is not None and not cleaned.lower().startswith("den"):
        cleaned = cleaned[prefix.end() :]
    if len(cleaned) > 40:
        return None
    match = _RANGE.fullmatch(cleaned)
    if match is None:
        return None
    start_text = match["start"] or match["start2"]
    end_text = match["end"] or match["end2"]
    start = int(start_text)
    if len(end_text) == 2:
        end = start - start % 100 + int(end_text)
        if end <= start:
            end += 100
    else:
        end = int(end_text)
    if start < 1 or end <= start:
        return None
    return YearRange(start, end)


# --- numbers -----------------------------------------------------------------------------------

_GROUPING = re.compile(r"[\s\u202f\u00a0\u2009'’]")
_GERMAN_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER_START = re.compile(r"[+\-−]?\s*[\d.,][\d.,\s\u202f\u00a0\u2009'’]*")


def parse_number(text: str) -> float | None:
    """Read a number as Germans write it ("1.905,5", "1905,5", "−3") or plainly ("1905.5")."""
    if not isinstance(text, str) or len(text) > 100:
        return None
    cleaned = _GROUPING.sub("", text).replace("−", "-")
    if "," in cleaned:
        if cleaned.count(",") != 1:
            return None
        whole, _, fraction = cleaned.partition(",")
        # Dots before a decimal comma must be thousands separators ("1.905,5").
        if "." in whole and not _GERMAN_THOUSANDS.fullmatch(whole):
            return None
        cleaned = whole.replace(".", "") + "." + fraction
        if cleaned.endswith("."):
            cleaned += "0"
    elif _GERMAN_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


_STORED_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


def parse_stored_number(text: str) -> float | None:
    """Read a number a question stores (its answer, tolerance, range or a listed answer).

    With a comma it is read as Germans write it ("17,3", "1.905,5"); without one the dot is a
    decimal point, as GIFT, CSV and JSON files write numbers ("3.141" is about pi, not 3141).
    What a *learner* types is read by :func:`parse_number` instead.
    """
    if not isinstance(text, str) or len(text) > 100:
        return None
    cleaned = _GROUPING.sub("", text).replace("−", "-")
    if "," in cleaned:
        return parse_number(cleaned)
    if not _STORED_NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


_UNIT = re.compile(r"%|[^\W\d_][^\d]*", re.UNICODE)


def split_number(text: str) -> tuple[float, str] | None:
    """Read a number with an optional unit after it: "17,3 km" -> (17.3, "km").

    The unit is returned as written (trimmed); "" when there is none. None if the text does
    not start with a number or has more than a unit after it.
    """
    if not isinstance(text, str) or len(text) > 100:
        return None
    cleaned = " ".join(text.split())
    match = _NUMBER_START.match(cleaned)
    if match is None:
        return None
    number, unit = match.group().strip(), cleaned[match.end() :].strip()
    value = parse_number(number)
    if value is None:
        # "1.905 km": the greedy match may have taken a trailing dot or comma of a sentence.
        value = parse_number(number.rstrip(".,"))
        if value is None:
            return None
    if unit and not _UNIT.fullmatch(unit):
        return None
    return value, unit


def number_readings(text: str) -> tuple[float, ...]:
    """Return the values a learner may mean by a number with an optional unit.

    Usually one. A dot before exactly three digits and no comma ("3.141", "1.905") is a
    German thousands separator, but pocket calculators and English write a decimal point
    there: both readings are returned, the German one first. Empty when it is no number.
    """
    parsed = split_number(text)
    if parsed is None:
        return ()
    readings = [parsed[0]]
    number = " ".join(text.split())
    number = number[: len(number) - len(parsed[1])].strip() if parsed[1] else number
    if "," not in number and "." in number:
        plain = parse_stored_number(number)
        if plain is not None and plain != parsed[0]:
            readings.append(plain)
    return tuple(readings)
