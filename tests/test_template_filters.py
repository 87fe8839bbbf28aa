"""German number and date formatting."""

from __future__ import annotations

from datetime import UTC, datetime

from quizapp.template_filters import german_date, german_datetime, german_number, german_percent


def test_numbers_use_a_decimal_comma() -> None:
    assert german_number(87.5) == "87,5"
    assert german_percent(0.875) == "87,5\u00a0%"
    assert german_percent(1.0, 0) == "100\u00a0%"


def test_dates_as_germans_write_them() -> None:
    assert german_date(datetime(1905, 9, 5)) == "5. September 1905"


def test_datetimes_are_shown_in_local_time(app) -> None:
    with app.app_context():
        summer = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
        winter = datetime(2026, 1, 1, 12, 30, tzinfo=UTC)
        assert german_datetime(summer) == "1. Juli 2026, 14:30"
        assert german_datetime(winter) == "1. Januar 2026, 13:30"
        assert german_datetime(winter, "Asia/Tokyo") == "1. Januar 2026, 21:30"
