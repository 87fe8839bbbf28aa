"""Password rules and login throttling: plain Python, the clock is a parameter."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_PASSWORD_LENGTH = 8
#: How many of the most common passwords (zxcvbn's list, from real leaks) are refused.
COMMON_PASSWORD_COUNT = 10_000
#: German favourites that an English list misses.
GERMAN_COMMON = ("passwort", "passwort1", "hallo123", "schalke04", "geheim123", "fussball")

#: Failures in the window before a delay applies: per account and network address, and per
#: account on a browser that logged in to it before (its device cookie).
PAIR_FREE_FAILURES = 5
DEVICE_FREE_FAILURES = 10
MAX_DELAY_SECONDS = 300.0
WINDOW_SECONDS = 15 * 60
#: Accounts a device cookie remembers (a classroom computer is shared by many).
DEVICE_ACCOUNTS = 30


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


def account_tag(secret: str, name_key: str) -> str:
    """Return a short keyed hash of an account name: what device cookies and keys hold.

    A device cookie lists the accounts that logged in on the browser; a classroom computer's
    next user must not read their classmates' names from it.
    """
    digest = hmac.new(secret.encode(), f"account:{name_key}".encode(), hashlib.sha256)
    return digest.hexdigest()[:20]


@dataclass(frozen=True)
class Device:
    """What a browser's device cookie says: its random id and the accounts it logged in to."""

    nonce: str
    accounts: tuple[str, ...] = ()  # account tags, most recent last

    def knows(self, tag: str) -> bool:
        """Return whether this browser has logged in to the account before."""
        return tag in self.accounts

    def with_account(self, tag: str) -> Device:
        """Return the device remembering one more account (the oldest is forgotten)."""
        kept = tuple(t for t in self.accounts if t != tag) + (tag,)
        return Device(self.nonce, kept[-DEVICE_ACCOUNTS:])


def throttle_keys(tag: str, address: str, device: Device | None) -> tuple[tuple[str, int], ...]:
    """Return the counters (key, free failures) a login attempt is checked and counted against.

    A browser that logged in to the account before counts only against its own counter, so
    a guesser elsewhere - even behind the same school address - never slows the owner down.
    Any other attempt counts against the pair of account and address: failures from one
    address neither slow the account elsewhere nor the other accounts of the address (a
    school behind one NAT).
    """
    if device is not None and device.knows(tag):
        return ((f"device:{device.nonce}:{tag}", DEVICE_FREE_FAILURES),)
    return ((f"pair:{address}|{tag}", PAIR_FREE_FAILURES),)
