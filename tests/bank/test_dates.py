"""Tests for parsing German dates."""

from __future__ import annotations

import pytest

from quizapp.bank.dates import format_german_date, parse_german_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5. September 1905", (1905, 9, 5)),
        ("05.09.1905", (1905, 9, 5)),
        ("5.9.1905", (1905, 9, 5)),
        ("5. 9. 1905", (1905, 9, 5)),
        ("September 1905", (1905, 9, None)),
        ("Sept. 1905", (1905, 9, None)),
        ("Sep 1905", (1905, 9, None)),
        ("1905", (1905, None, None)),
        ("875", (875, None, None)),
        ("Juli 1907", (1907, 7, None)),
        ("21. November 1940", (1940, 11, 21)),
        ("2. März 2022", (2022, 3, 2)),
        ("2. Maerz 2022", (2022, 3, 2)),
        ("Jänner 1945", (1945, 1, None)),
        ("1. Okt. 1946", (1946, 10, 1)),
        ("5 September 1905", (1905, 9, 5)),
        ("  5.  september\n1905 ", (1905, 9, 5)),
        ("29. Februar 1904", (1904, 2, 29)),  # 1904 is a leap year
    ],
)
def test_parses_german_dates(text, expected):
    assert parse_german_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Herbst 1940",
        "Mitte der 1980er Jahre",
        "1904-1905",
        "5",  # a bare number is no year
        "12",
        "5. Septober 1905",
        "31. Februar 1905",
        "29. Februar 1905",  # not a leap year
        "0. Mai 1905",
        "32.01.1905",
        "05.13.1905",
        "05.09.05",  # two-digit years are ambiguous
        "Mai",
        "am 5. September 1905",
        "5. September 1905 und 1906",
    ],
)
def test_rejects_anything_else(text):
    assert parse_german_date(text) is None


def test_equal_dates_parse_equal_whatever_the_notation():
    assert parse_german_date("05.09.1905") == parse_german_date("5. Sept. 1905")


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ((1905, 9, 5), "5. September 1905"),
        ((1907, 7, None), "Juli 1907"),
        ((1875, None, None), "1875"),
        ((1943, 3, 1), "1. März 1943"),
    ],
)
def test_format_round_trips(parts, text):
    assert format_german_date(*parts) == text
    assert parse_german_date(text) == parts
