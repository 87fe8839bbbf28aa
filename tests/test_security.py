"""Password rules and the login delay, tested as plain functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.security import ACCOUNT_FREE_FAILURES, MAX_DELAY_SECONDS, login_delay, password_problem

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("kurz", "too_short"),
        ("password", "common"),
        ("12345678", "common"),
        ("Passwort", "common"),
        ("anna-lena", "username"),
        ("Tsushima-Mai-1905", None),
    ],
)
def test_password_problem(password: str, problem: str | None) -> None:
    assert password_problem(password, "Anna-Lena") == problem


def test_no_delay_below_the_free_failures() -> None:
    failures = [NOW - timedelta(seconds=i) for i in range(ACCOUNT_FREE_FAILURES - 1)]
    assert login_delay(failures, NOW, ACCOUNT_FREE_FAILURES) == 0


def test_delay_doubles_and_is_capped() -> None:
    free = ACCOUNT_FREE_FAILURES
    delays = [login_delay([NOW] * (free + k), NOW, free) for k in range(12)]
    assert delays[:4] == [1, 2, 4, 8]
    assert max(delays) == MAX_DELAY_SECONDS


def test_delay_runs_out_and_old_failures_expire() -> None:
    failures = [NOW] * (ACCOUNT_FREE_FAILURES + 3)
    assert login_delay(failures, NOW + timedelta(seconds=8), ACCOUNT_FREE_FAILURES) == 0
    assert login_delay(failures, NOW + timedelta(minutes=16), ACCOUNT_FREE_FAILURES) == 0
