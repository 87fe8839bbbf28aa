"""Password rules and the login delay, tested as plain functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.security import (
    DEVICE_ACCOUNTS,
    DEVICE_FREE_FAILURES,
    MAX_DELAY_SECONDS,
    MIN_PASSWORD_SCORE,
    PAIR_FREE_FAILURES,
    Device,
    account_tag,
    check_password,
    local_path,
    login_delay,
    password_message,
    password_problem,
    throttle_keys,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("kurz", "too_short"),
        ("password", "weak"),
        ("12345678", "weak"),
        ("Passwort", "weak"),
        ("passwort123", "weak"),
        ("qwertz123", "weak"),
        ("aaaaaaaa", "weak"),
        ("Sonnenblume7", None),
        ("anna-lena", "username"),
        ("Tsushima-Mai-1905", None),
    ],
)
def test_password_problem(password: str, problem: str | None) -> None:
    assert password_problem(password, "Anna-Lena") == problem


def test_a_refused_password_is_explained_in_german() -> None:
    assert password_message("kurz") == "Das Passwort braucht mindestens 8 Zeichen."
    message = password_message("qwertz123")
    assert message.startswith("Dieses Passwort ist zu leicht zu erraten.")
    assert "Füge ein oder zwei Wörter hinzu" in message
    assert check_password("Tsushima-Mai-1905").score >= MIN_PASSWORD_SCORE
    assert all(english not in message for english in ("Add", "password", "common"))


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/quiz/3/2/feedback", "/quiz/3/2/feedback"),
        ("/cards/review?show=q-1", "/cards/review?show=q-1"),
        ("//evil.example/", None),
        ("https://evil.example/", None),
        ("/\\evil.example", None),
        ("/a\r\nSet-Cookie: x", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_local_path_keeps_only_paths_of_this_site(target, expected) -> None:
    assert local_path(target) == expected


def test_no_delay_below_the_free_failures() -> None:
    failures = [NOW - timedelta(seconds=i) for i in range(PAIR_FREE_FAILURES - 1)]
    assert login_delay(failures, NOW, PAIR_FREE_FAILURES) == 0


def test_delay_doubles_and_is_capped() -> None:
    free = PAIR_FREE_FAILURES
    delays = [login_delay([NOW] * (free + k), NOW, free) for k in range(12)]
    assert delays[:4] == [1, 2, 4, 8]
    assert max(delays) == MAX_DELAY_SECONDS


def test_delay_runs_out_and_old_failures_expire() -> None:
    failures = [NOW] * (PAIR_FREE_FAILURES + 3)
    assert login_delay(failures, NOW + timedelta(seconds=8), PAIR_FREE_FAILURES) == 0
    assert login_delay(failures, NOW + timedelta(minutes=16), PAIR_FREE_FAILURES) == 0


def test_an_attempt_counts_against_its_account_and_address_pair() -> None:
    tag = account_tag("secret", "anna")
    assert throttle_keys(tag, "10.0.0.1", None) == ((f"pair:10.0.0.1|{tag}", PAIR_FREE_FAILURES),)
    other = throttle_keys(account_tag("secret", "ben"), "10.0.0.1", None)
    assert other != throttle_keys(tag, "10.0.0.1", None)  # classmates behind one NAT
    assert throttle_keys(tag, "10.0.0.2", None) != throttle_keys(tag, "10.0.0.1", None)


def test_a_browser_that_logged_in_before_has_its_own_counter() -> None:
    tag = account_tag("secret", "anna")
    device = Device("n0nce").with_account(tag)
    assert throttle_keys(tag, "10.0.0.1", device) == (
        (f"device:n0nce:{tag}", DEVICE_FREE_FAILURES),
    )
    # for another account the same browser is just an address
    ben = account_tag("secret", "ben")
    assert throttle_keys(ben, "10.0.0.1", device)[0][0].startswith("pair:")


def test_account_tags_hide_names_and_depend_on_the_secret() -> None:
    tag = account_tag("secret", "anna")
    assert "anna" not in tag and len(tag) == 20
    assert tag != account_tag("other-secret", "anna") and tag != account_tag("secret", "ann")


def test_a_device_remembers_the_latest_accounts() -> None:
    device = Device("n")
    for i in range(DEVICE_ACCOUNTS + 5):
        device = device.with_account(f"t{i}")
    device = device.with_account("t10")
    assert len(device.accounts) == DEVICE_ACCOUNTS and device.accounts[-1] == "t10"
    assert not device.knows("t0") and device.knows(f"t{DEVICE_ACCOUNTS + 4}")


def test_a_very_long_password_is_judged_by_its_beginning_not_refused_with_an_error() -> None:
    # zxcvbn 4.5 raises for more than 72 characters; a pass phrase may well be longer.
    long = "Der Frieden von Portsmouth wurde am 5. September 1905 unterzeichnet, " * 5
    result = check_password(long, "kim")
    assert result.problem is None and result.score >= MIN_PASSWORD_SCORE
    assert check_password("ÄÖÜß" * 200).score >= 0
