"""Dates, spans of years and numbers as German readers write them (quizapp.germanforms)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.bank.dates import MONTH_NAMES
from quizapp.germanforms import (
    DateReading,
    YearRange,
    parse_date,
    parse_number,
    parse_year_range,
    resolve_short_year,
    split_number,
)

FAST = settings(max_examples=300, deadline=None)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "5. September 1905",
        "5 September 1905",
        "5. september 1905",
        "5. Sept. 1905",
        "5. Sep 1905",
        "05.09.1905",
        "5.9.1905",
        "5. 9. 1905",
        "1905-09-05",
        "am 5. September 1905",
        "Am 5.9.1905",
        "den 5. September 1905",
        "5. September 1905.",
        "  am   5.   September   1905 ",
    ],
)
def test_a_full_date_in_every_german_form(text: str) -> None:
    assert parse_date(text) == DateReading(1905, 9, 5)


@pytest.mark.parametrize(
    "text", ["September 1905", "Sept. 1905", "im September 1905", "09.1905", "9/1905", "1905-09"]
)
def test_month_and_year(text: str) -> None:
    reading = parse_date(text)
    assert reading == DateReading(1905, 9) and reading.precision == "month"


@pytest.mark.parametrize("text", ["1905", "im Jahr 1905", "im Jahre 1905", "Jahr 1905", "1905."])
def test_a_year(text: str) -> None:
    reading = parse_date(text)
    assert reading == DateReading(1905) and reading.precision == "year"


@pytest.mark.parametrize(
    "text",
    ["31. Februar 1905", "29.02.1905", "13/1905", "1905-13", "5.9.", "05", "12", "", "irgendwann",
     "5. Septober 1905", "am", "im Jahr", "0"],
)  # fmt: skip
def test_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_a_leap_day_exists_only_in_leap_years() -> None:
    assert parse_date("29.02.1904") == DateReading(1904, 2, 29)
    assert parse_date("29.02.1900") is None  # 1900 was no leap year


def test_two_digit_years_only_in_the_numeric_day_form() -> None:
    assert parse_date("5.9.05") == DateReading(5, 9, 5, short_year=True)
    assert parse_date("05.09.05") == DateReading(5, 9, 5, short_year=True)
    assert parse_date("September 05") is None
    assert parse_date("9/05") is None


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ({1905}, 1905),  # the question's only year
        ({1904, 1905, 1906}, 1905),  # the year the learner names is one of them
        ({1805, 1904}, 1805),  # only 1805 ends in 05
        ({1903, 1904}, 1905),  # none ends in 05, all in one century: that century
        ({1805, 1905}, None),  # two centuries end in 05: ambiguous
        ({1899, 1901}, None),  # none ends in 05 and two centuries: ambiguous
        (set(), None),  # nothing to go by
    ],
)
def test_a_two_digit_year_counts_only_where_the_question_leaves_its_century_clear(
    years: set[int], expected: int | None
) -> None:
    resolved = resolve_short_year(DateReading(5, 9, 5, short_year=True), years)
    assert (resolved.year if resolved else None) == expected
    if resolved is not None:
        assert not resolved.short_year


def test_a_four_digit_reading_is_left_as_it_is() -> None:
    reading = DateReading(1905, 9, 5)
    assert resolve_short_year(reading, {1805}) is reading


def test_a_short_leap_day_is_checked_once_the_century_is_known() -> None:
    reading = parse_date("29.2.00")
    assert reading is not None
    assert resolve_short_year(reading, {2000}) == DateReading(2000, 2, 29)
    assert resolve_short_year(reading, {1900}) is None


def _forms(day: dt.date) -> list[str]:
    month = MONTH_NAMES[day.month - 1]
    return [
        f"{day.day}. {month} {day.year}",
        f"{day.day} {month} {day.year}",
        f"am {day.day}. {month} {day.year}",
        f"{day.day}. {month[:3]}. {day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"am {day.day}.{day.month}.{day.year}",
        day.isoformat(),
    ]


@FAST
@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)), st.data())
def test_every_form_of_every_date_reads_the_same(day: dt.date, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(_forms(day)))
    assert parse_date(text) == DateReading(day.year, day.month, day.day)
    short = f"{day.day}.{day.month}.{day.year % 100:02d}"
    assert resolve_short_year(parse_date(short), {day.year}) == DateReading(
        day.year, day.month, day.day
    )


@FAST
@given(st.text(max_size=50))
def test_reading_dates_never_raises(text: str) -> None:
    reading = parse_date(text)
    if reading is not None:
        assert reading.month is None or 1 <= reading.month <= 12
        assert reading.day is None or reading.month is not None


# --- spans of years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["1904-1905", "1904–1905", "1904 – 1905", "1904—1905", "1904–05", "1904-05", "1904/05",
     "1904/1905", "1904 bis 1905", "1904 bis 05", "von 1904 bis 1905", "Von 1904 bis 1905",
     "vom 1904 bis 1905", "zwischen 1904 und 1905", "im Jahr 1904/05", "1904/05."],
)  # fmt: skip
def test_a_span_of_years_in_every_german_form(text: str) -> None:
    assert parse_year_range(text) == YearRange(1904, 1905)


def test_a_two_digit_end_may_cross_into_the_next_century() -> None:
    assert parse_year_range("1999/00") == YearRange(1999, 2000)
    assert parse_year_range("1899–1901") == YearRange(1899, 1901)


@pytest.mark.parametrize(
    "text", ["1905-1904", "1905/1905", "1904", "1904-", "bis 1905", "04/05", "1904/5", "Krieg"]
)
def test_no_span_of_years(text: str) -> None:
    assert parse_year_range(text) is None


@FAST
@given(st.integers(1000, 9898), st.integers(1, 99), st.data())
def test_every_form_of_every_span_reads_the_same(start: int, length: int, data) -> None:
    end = start + length
    forms = [
        f"{start}-{end}",
        f"{start}–{end}",
        f"{start} bis {end}",
        f"von {start} bis {end}",
        f"zwischen {start} und {end}",
        f"{start}/{end}",
    ]
    if end // 100 == start // 100 or end % 100 < start % 100:
        forms += [f"{start}/{end % 100:02d}", f"{start}–{end % 100:02d}"]
    assert parse_year_range(data.draw(st.sampled_from(forms))) == YearRange(start, end)


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("1905", 1905.0), ("1905,5", 1905.5), ("1.905,5", 1905.5), ("1.905", 1905.0),
     ("1 905", 1905.0), ("1\u202f905", 1905.0), ("10'000", 10000.0), ("1905.5", 1905.5),
     ("3,1415", 3.1415), ("0,5", 0.5), (",5", 0.5), ("-3", -3.0), ("−3", -3.0), ("+3", 3.0),
     ("3,", 3.0), ("abc", None), ("1,2,3", None), ("1.90,5", None), ("", None), ("nan", None),
     ("inf", None), ("1e5", None), ("--3", None)],
)  # fmt: skip
def test_numbers_as_germans_write_them(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("17,3 km", (17.3, "km")), ("90 %", (90.0, "%")), ("90%", (90.0, "%")),
     ("90 Prozent", (90.0, "Prozent")), ("1.905", (1905.0, "")), ("500 Meter", (500.0, "Meter")),
     ("km 5", None), ("5 km 3", None), ("", None), ("siebzehn", None)],
)  # fmt: skip
def test_a_number_may_carry_a_unit(text: str, expected: tuple[float, str] | None) -> None:
    assert split_number(text) == expected


@FAST
@given(st.integers(-(10**9), 10**9), st.integers(0, 99))
def test_german_notation_reads_back(whole: int, cents: int) -> None:
    grouped = f"{abs(whole):,}".replace(",", ".")
    sign = "-" if whole < 0 else ""
    value = parse_number(f"{sign}{grouped},{cents:02d}")
    expected = abs(whole) + cents / 100
    assert value is not None
    assert math.isclose(abs(value), expected, rel_tol=1e-12)
    assert (value < 0) == (whole < 0 and expected > 0)


@FAST
@given(st.text(max_size=30))
def test_reading_numbers_never_raises(text: str) -> None:
    value = parse_number(text)
    assert value is None or math.isfinite(value)
    split_number(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3.141", 3.141), ("1905", 1905.0), ("17,3", 17.3), ("1.905,5", 1905.5), ("-0.5", -0.5),
     ("1e3", 1000.0), ("0.3", 0.3), ("abc", None), ("", None), ("1..2", None)],
)  # fmt: skip
def test_a_stored_number_has_a_decimal_point_unless_it_has_a_comma(
    text: str, value: float | None
) -> None:
    from quizapp.germanforms import parse_stored_number

    assert parse_stored_number(text) == value


@pytest.mark.parametrize(
    ("text", "readings"),
    [("3.141", (3141.0, 3.141)), ("1.905", (1905.0, 1.905)), ("3,141", (3.141,)),
     ("1905", (1905.0,)), ("17.3 km", (17.3,)), ("1.905 km", (1905.0, 1.905)), ("x", ())],
)  # fmt: skip
def test_a_dot_before_three_digits_may_mean_either(text: str, readings: tuple) -> None:
    from quizapp.germanforms import number_readings

    assert number_readings(text) == readings
