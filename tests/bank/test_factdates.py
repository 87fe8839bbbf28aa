"""Dates at the precision a source gives them."""

from __future__ import annotations

import pytest

from quizapp.bank.factdates import FactDate, range_phrase, range_text, year_range_variants


@pytest.mark.parametrize(
    ("text", "precision", "shown", "phrase"),
    [
        ("5. September 1905", "day", "5. September 1905", "am 5. September 1905"),
        ("05.09.1905", "day", "5. September 1905", "am 5. September 1905"),
        ("Juni 1905", "month", "Juni 1905", "im Juni 1905"),
        ("Sept. 1905", "month", "September 1905", "im September 1905"),
        ("1918", "year", "1918", "im Jahr 1918"),
        ("Herbst 1940", "season", "Herbst 1940", "im Herbst 1940"),
        ("Frühjahr 1996", "season", "Frühjahr 1996", "im Frühjahr 1996"),
        ("Ende 1942", "season", "Ende 1942", "Ende 1942"),
    ],
)
def test_dates_keep_their_precision_and_read_as_germans_write_them(text, precision, shown, phrase):
    date = FactDate.parse(text)
    assert date is not None
    assert (date.precision, date.text, date.phrase()) == (precision, shown, phrase)


@pytest.mark.parametrize("text", ["31. Februar 1905", "Brumaire 1905", "im Jahr", "5.13.1905", ""])
def test_what_is_no_date_is_refused(text):
    assert FactDate.parse(text) is None


def test_a_season_is_asked_as_its_year_and_sorts_inside_it():
    autumn = FactDate.parse("Herbst 1940")
    assert autumn is not None
    assert autumn.asked() == FactDate(1940)
    assert FactDate(1940, 9).sort_key < autumn.sort_key < FactDate(1940, 11).sort_key


def test_dates_differ_only_at_the_precision_asked():
    a, b = FactDate(1905, 9, 5), FactDate(1905, 9, 23)
    assert a.differs_at(b, "day")
    assert not a.differs_at(b, "month")
    assert not a.differs_at(FactDate(1905, 1, 1), "year")


def test_within_treats_a_year_as_every_day_of_it():
    office = (FactDate(1940, 10), FactDate(1942, 3))
    assert FactDate(1940).within(*office)  # in office for part of 1940
    assert FactDate(1940, 11, 21).within(*office)
    assert not FactDate(1940, 9).within(*office)
    assert FactDate(2023).within(FactDate(2004, 3, 9), None)  # still in office
    assert not FactDate(1999).within(FactDate(2000), None)


def test_spans_read_as_germans_write_them():
    assert range_phrase(FactDate(1904), FactDate(1905)) == "von 1904 bis 1905"
    assert range_phrase(FactDate(1943, 11, 28), FactDate(1943, 12, 1)) == (
        "vom 28. November bis 1. Dezember 1943"
    )
    assert range_phrase(FactDate(1905, 2), FactDate(1905, 3)) == "von Februar bis März 1905"
    assert range_text(FactDate(1908), FactDate(1913)) == "1908–1913"
    assert range_text(FactDate(1905, 2), FactDate(1905, 3)) == "Februar – März 1905"


def test_year_ranges_have_every_common_german_form():
    assert set(year_range_variants(1904, 1905)) >= {
        "1904–1905",
        "1904-1905",
        "1904/05",
        "1904/1905",
        "1904-05",
        "1904 bis 1905",
    }
    assert "1999/00" not in year_range_variants(1999, 2000)  # a century apart: no short form


def test_a_span_within_one_month_names_the_month_once():
    assert (
        range_phrase(FactDate(1943, 1, 14), FactDate(1943, 1, 24)) == "vom 14. bis 24. Januar 1943"
    )
