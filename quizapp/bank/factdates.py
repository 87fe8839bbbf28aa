"""Dates of facts as history writes them: a day, a month, a season or a year, and how to say them.

A fact's date keeps the precision its source gives ("5. September 1905", "Juni 1905", "1918",
"Frühjahr 1996", "Ende 1942"). Questions ask at that precision, wrong options differ at it, and
the timeline shows it. Plain Python: no clock, no Flask.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from quizapp.bank.dates import MONTH_NAMES, MONTHS

#: Seasons and parts of a year a source may date an event by, with the month they stand for
#: when events are sorted (a season is never compared at month precision).
QUALIFIERS: dict[str, int] = {
    "Anfang": 1,
    "Frühjahr": 4,
    "Frühling": 4,
    "Mitte": 6,
    "Sommer": 7,
    "Herbst": 10,
    "Ende": 12,
    "Winter": 12,
}
#: Qualifiers that take "im" in an adverbial ("im Frühjahr 1996"); the others stand alone.
_WITH_IM = frozenset({"Frühjahr", "Frühling", "Sommer", "Herbst", "Winter"})

PRECISIONS = ("day", "month", "season", "year")

_DAY = re.compile(r"(?P<day>\d{1,2})\.\s*(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{3,4})")
_NUMERIC_DAY = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{3,4})")
_MONTH = re.compile(r"(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{3,4})")
_YEAR = re.compile(r"(?P<year>\d{3,4})")


@dataclass(frozen=True, order=False)
class FactDate:
    """A date at the precision a source gives it."""

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str | None = None  # a key of QUALIFIERS; only with neither month nor day

    @classmethod
    def parse(cls, text: str) -> FactDate | None:
        """Parse "5. September 1905", "05.09.1905", "Juni 1905", "1918", "Herbst 1940".

        Returns None for anything else, and for days that do not exist.
        """
        cleaned = " ".join(text.split())
        for pattern in (_DAY, _NUMERIC_DAY):
            if match := pattern.fullmatch(cleaned):
                month = _month_number(match["month"])
                year, day = int(match["year"]), int(match["day"])
                if month is None or not 1 <= day <= calendar.monthrange(year, month)[1]:
                    return None
                return cls(year, month, day)
        if match := _MONTH.fullmatch(cleaned):
            word = match["month"]
            year = int(match["year"])
            if word in QUALIFIERS:
                return cls(year, qualifier=word)
            month = _month_number(word)
            return cls(year, month) if month is not None else None
        if _YEAR.fullmatch(cleaned):
            return cls(int(cleaned))
        return None

    @property
    def precision(self) -> str:
        """Return "day", "month", "season" (a qualified year) or "year"."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "season" if self.qualifier else "year"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Return a chronological sort key; a season sorts at the month it stands for."""
        month = self.month or (QUALIFIERS[self.qualifier] if self.qualifier else 0)
        return (self.year, month, self.day or 0)

    @property
    def ordinal(self) -> int:
        """Return the sort key as one integer (yyyymmdd), for a database column."""
        year, month, day = self.sort_key
        return year * 10000 + month * 100 + day

    @property
    def text(self) -> str:
        """Return the date as Germans write it: "5. September 1905", "Herbst 1940"."""
        if self.day is not None and self.month is not None:
            return f"{self.day}. {MONTH_NAMES[self.month - 1]} {self.year}"
        if self.month is not None:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        if self.qualifier:
            return f"{self.qualifier} {self.year}"
        return str(self.year)

    def phrase(self) -> str:
        """Return the date as an adverbial inside a sentence: "am 5. September 1905",
        "im Juni 1905", "im Jahr 1918", "im Herbst 1940", "Ende 1942"."""
        if self.day is not None:
            return f"am {self.text}"
        if self.month is not None:
            return f"im {self.text}"
        if self.qualifier:
            return f"im {self.text}" if self.qualifier in _WITH_IM else self.text
        return f"im Jahr {self.year}"

    def asked(self) -> FactDate:
        """Return the date a "Wann?" question asks for: a season or part is asked as its year."""
        return FactDate(self.year) if self.qualifier else self

    def key_at(self, precision: str) -> tuple[int, ...]:
        """Return what identifies this date at ``precision`` (day, month or year)."""
        if precision == "day":
            return (self.year, self.month or 0, self.day or 0)
        if precision == "month":
            return (self.year, self.month or 0)
        return (self.year,)

    def differs_at(self, other: FactDate, precision: str) -> bool:
        """Tell whether two dates differ at ``precision`` (a learner could tell them apart)."""
        return self.key_at(precision) != other.key_at(precision)

    def within(self, start: FactDate | None, end: FactDate | None) -> bool:
        """Tell whether this date lies in [start, end]; an open end is unbounded, and a bound
        known only to its year counts from the year's first to its last day."""
        low, high = self.span()
        if start is not None and high < start.span()[0]:
            return False
        return not (end is not None and low > end.span()[1])

    def span(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """Return the first and last day this date may stand for, as (year, month, day)."""
        if self.day is not None and self.month is not None:
            point = (self.year, self.month, self.day)
            return point, point
        if self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            return (self.year, self.month, 1), (self.year, self.month, last)
        return (self.year, 1, 1), (self.year, 12, 31)


def range_phrase(start: FactDate, end: FactDate) -> str:
    """Return "von 1904 bis 1905", "vom 28. November bis 1. Dezember 1943" and the like."""
    if start.precision == "day" and end.precision == "day" and start.year == end.year:
        if start.month == end.month:
            return f"vom {start.day}. bis {end.text}"  # "vom 14. bis 24. Januar 1943"
        first = f"{start.day}. {MONTH_NAMES[(start.month or 1) - 1]}"
        return f"vom {first} bis {end.text}"
    if start.precision == end.precision == "month" and start.year == end.year:
        return f"von {MONTH_NAMES[(start.month or 1) - 1]} bis {end.text}"
    prefix = "vom" if start.precision == "day" else "von"
    return f"{prefix} {start.text} bis {end.text}"


def range_text(start: FactDate, end: FactDate) -> str:
    """Return a range as a timeline shows it: "1904–1905", "28. November – 1. Dezember 1943"."""
    if start.precision == end.precision == "year":
        return f"{start.year}–{end.year}"
    if start.precision == end.precision == "month" and start.year == end.year:
        return f"{MONTH_NAMES[(start.month or 1) - 1]} – {end.text}"
    return f"{start.text} – {end.text}"


def year_range_variants(start: int, end: int) -> list[str]:
    """Return the ways Germans write a range of years: "1904–1905", "1904/05", "1904 bis 1905"."""
    short = f"{end % 100:02d}" if start // 100 == end // 100 else str(end)
    forms = [
        f"{start}–{end}",
        f"{start}-{end}",
        f"{start}/{end}",
        f"{start}/{short}",
        f"{start}-{short}",
        f"{start} bis {end}",
        f"von {start} bis {end}",
    ]
    return list(dict.fromkeys(forms))


def _month_number(word: str) -> int | None:
    if word.isdigit():
        number = int(word)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(word.casefold().rstrip("."))
