"""Password rules and login throttling: plain Python, the clock is a parameter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_PASSWORD_LENGTH = 8
#: How many of the most common passwords (zxcvbn's list, from real leaks) are refused.
COMMON_PASSWORD_COUNT = 10_000
#: German favourites that an English list misses.
GERMAN_COMMON = ("passwort", "passwort1", "hallo123", "schalke04", "geheim123", "fussball")

#: Failures in the window before a delay applies, per account and per network address.
ACCOUNT_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
MAX_DELAY_SECONDS = 300.0
WINDOW_SECONDS = 15 * 60


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORD_COUNT]) | set(GERMAN_COMMON)


def password_problem(password: str, username: str = "") -> str | None:
    """Return why a password is unacceptable ("too_short", "common", "username"), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    lowered = password.lower()
    if lowered in _common_passwords():
        return "common"
    if username and lowered == username.lower():
        return "username"
    return None


def login_delay(failures: Sequence[datetime], now: datetime, free: int) -> float:
    """Return how many seconds must still pass before the next login attempt is checked.

    The first ``free`` failures in the window cost nothing; each further one doubles the wait
    after the latest failure (1 s, 2 s, 4 s ... capped), so a guesser is slowed to a crawl
    while the real owner, who tries a few times, waits seconds at most and is never locked out.
    """
    recent = sorted(t for t in failures if (now - t).total_seconds() < WINDOW_SECONDS)
    excess = len(recent) - free
    if excess < 0:
        return 0.0
    wait = min(2.0**excess, MAX_DELAY_SECONDS)
    elapsed = (now - recent[-1]).total_seconds()
    return max(0.0, wait - elapsed)
