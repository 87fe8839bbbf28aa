"""Password rules and login throttling: plain Python, the clock is a parameter."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

MIN_PASSWORD_LENGTH = 8
#: zxcvbn's score (0 = guessed at once .. 4 = very hard) a password needs: 2 means more than
#: a million guesses, which the login throttle turns into years of online guessing.
MIN_PASSWORD_SCORE = 2
#: German words an English estimator does not know; a password built on them scores lower.
GERMAN_COMMON = (
    "passwort", "kennwort", "geheim", "hallo", "schalke", "fussball", "fußball", "bayern",
    "dortmund", "schatz", "liebe", "sommer", "winter", "sonne", "hund", "katze", "qwertz",
    "asdfgh", "schule", "deutschland", "berlin", "hamburg", "muenchen", "mausi", "engel",
)  # fmt: skip

#: zxcvbn's English feedback in German.
ZXCVBN_GERMAN = dict(
    [
        (
            "Use a few words, avoid common phrases.",
            "Nimm mehrere Wörter, aber keine bekannten Redewendungen.",
        ),
        (
            "No need for symbols, digits, or uppercase letters.",
            "Sonderzeichen, Ziffern oder Großbuchstaben sind dann nicht nötig.",
        ),
        (
            "Add another word or two. Uncommon words are better.",
            "Füge ein oder zwei Wörter hinzu; ungewöhnliche Wörter sind besser.",
        ),
        (
            "Straight rows of keys are easy to guess.",
            "Tastenreihen wie „qwertz“ sind leicht zu erraten.",
        ),
        (
            "Short keyboard patterns are easy to guess.",
            "Kurze Tastaturmuster sind leicht zu erraten.",
        ),
        (
            "Use a longer keyboard pattern with more turns.",
            "Nimm lieber kein Tastaturmuster.",
        ),
        (
            'Repeats like "aaa" are easy to guess.',
            "Wiederholungen wie „aaa“ sind leicht zu erraten.",
        ),
        (
            'Repeats like "abcabcabc" are only slightly harder to guess than "abc".',
            "Wiederholungen wie „abcabc“ sind kaum schwerer zu erraten als „abc“.",
        ),
        (
            "Avoid repeated words and characters.",
            "Vermeide wiederholte Wörter und Zeichen.",
        ),
        (
            'Sequences like "abc" or "6543" are easy to guess.',
            "Folgen wie „abc“ oder „6543“ sind leicht zu erraten.",
        ),
        (
            "Avoid sequences.",
            "Vermeide Folgen.",
        ),
        (
            "Recent years are easy to guess.",
            "Jahreszahlen sind leicht zu erraten.",
        ),
        (
            "Avoid recent years.",
            "Vermeide Jahreszahlen.",
        ),
        (
            "Avoid years that are associated with you.",
            "Vermeide Jahre, die mit dir zu tun haben.",
        ),
        (
            "Dates are often easy to guess.",
            "Daten sind oft leicht zu erraten.",
        ),
        (
            "Avoid dates and years that are associated with you.",
            "Vermeide Daten und Jahre, die mit dir zu tun haben.",
        ),
        (
            "This is a top-10 common password.",
            "Das ist eines der zehn häufigsten Passwörter.",
        ),
        (
            "This is a top-100 common password.",
            "Das ist eines der hundert häufigsten Passwörter.",
        ),
        (
            "This is a very common password.",
            "Das ist ein sehr verbreitetes Passwort.",
        ),
        (
            "This is similar to a commonly used password.",
            "Das ähnelt einem sehr verbreiteten Passwort.",
        ),
        (
            "A word by itself is easy to guess.",
            "Ein einzelnes Wort ist leicht zu erraten.",
        ),
        (
            "Names and surnames by themselves are easy to guess.",
            "Vor- und Nachnamen allein sind leicht zu erraten.",
        ),
        (
            "Common names and surnames are easy to guess.",
            "Verbreitete Namen sind leicht zu erraten.",
        ),
        (
            "Capitalization doesn't help very much.",
            "Großbuchstaben helfen kaum.",
        ),
        (
            "All-uppercase is almost as easy to guess as all-lowercase.",
            "Nur Großbuchstaben sind fast so leicht zu erraten wie nur kleine.",
        ),
        (
            "Reversed words aren't much harder to guess.",
            "Rückwärts geschriebene Wörter sind kaum schwerer zu erraten.",
        ),
        (
            "Predictable substitutions like '@' instead of 'a' don't help very much.",
            "Ersetzungen wie „@“ statt „a“ helfen kaum.",
        ),
    ]
)


@dataclass(frozen=True)
class PasswordCheck:
    """What the strength estimator says about a password, in German."""

    problem: str | None  # "too_short", "username", "weak" or None
    score: int  # zxcvbn's 0..4
    advice: tuple[str, ...] = ()  # why it is weak and what helps, in German


#: The longest password zxcvbn (4.5) scores; a longer one is judged by its beginning.
ZXCVBN_MAX_LENGTH = 72


def check_password(password: str, username: str = "") -> PasswordCheck:
    """Estimate a password's strength with zxcvbn (its score, not a list of exact matches)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return PasswordCheck("too_short", 0)
    if username and password.casefold() == username.casefold():
        return PasswordCheck("username", 0)
    from zxcvbn import zxcvbn

    # zxcvbn refuses more than 72 characters (its run time grows with the length); the first
    # 72 are plenty to judge.
    result = zxcvbn(
        password[:ZXCVBN_MAX_LENGTH],
        user_inputs=[username, *GERMAN_COMMON] if username else list(GERMAN_COMMON),
    )
    score = int(result["score"])
    if score >= MIN_PASSWORD_SCORE:
        return PasswordCheck(None, score)
    feedback = result.get("feedback") or {}
    lines = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    advice = tuple(dict.fromkeys(ZXCVBN_GERMAN.get(line, "") for line in lines if line))
    return PasswordCheck("weak", score, tuple(a for a in advice if a))


def password_problem(password: str, username: str = "") -> str | None:
    """Return why a password is unacceptable ("too_short", "username", "weak"), or None."""
    return check_password(password, username).problem


def password_message(password: str, username: str = "") -> str | None:
    """Return a German sentence or two saying why a password is refused, or None."""
    verdict = check_password(password, username)
    if verdict.problem is None:
        return None
    if verdict.problem == "too_short":
        return f"Das Passwort braucht mindestens {MIN_PASSWORD_LENGTH} Zeichen."
    if verdict.problem == "username":
        return "Das Passwort darf nicht dein Benutzername sein."
    advice = " ".join(verdict.advice) or "Füge ein oder zwei ungewöhnliche Wörter hinzu."
    return f"Dieses Passwort ist zu leicht zu erraten. {advice}"


#: Failures in the window before a delay applies: per account and network address, and per
#: account on a browser that logged in to it before (its device cookie).
PAIR_FREE_FAILURES = 5
DEVICE_FREE_FAILURES = 10
MAX_DELAY_SECONDS = 300.0
WINDOW_SECONDS = 15 * 60
#: Accounts a device cookie remembers (a classroom computer is shared by many).
DEVICE_ACCOUNTS = 30


def local_path(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site fit for a link or a Location header.

    Anything pointing elsewhere ("//host", "https://..."), or holding control characters or
    backslashes (which browsers read as slashes), is None.
    """
    if (
        target
        and target.startswith("/")
        and "//" not in target
        and "\\" not in target
        and target.isprintable()
        and ":" not in target.split("?", 1)[0]
        and len(target) <= 500
    ):
        return target
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
