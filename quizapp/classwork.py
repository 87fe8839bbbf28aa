"""Rules of classes and assignments: plain Python, no Flask, no database; ``now`` is a parameter.

Join codes
    Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L): 31^8, about
    8.5 * 10^11 codes. Learners may type them in any case, with spaces or a hyphen
    ("abcd-efgh"). A code is usable while its class keeps it open and it has not expired.
    Every tried code counts against the learner and the network address like a failed login
    (``quizapp.services.throttle``); a code that works forgives its own count.

Windows and attempts
    An assignment may be started from ``opens_at`` (inclusive) until ``due_at`` (exclusive).
    An attempt ends at the earlier of its start plus the time limit and the deadline; answers
    that arrive later are not counted and the attempt closes itself. ``max_attempts`` counts
    every attempt begun, finished or not.

Feedback
    "immediate": right answers after each question; "after_due": only once the deadline has
    passed (for tests). The score itself is always shown once an attempt is finished.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

#: Characters of a join code: no 0/O, 1/I/L, which readers mix up.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: Tried join codes free of delay in the throttle's window, per learner and per address.
#: The address gets more: a whole class behind one school router joins at once.
JOIN_FREE_PER_LEARNER = 5
JOIN_FREE_PER_ADDRESS = 50
#: How long overdue and finished assignments stay on a learner's home page.
RECENT_DAYS = 14


def new_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """Return a fresh join code (``choice`` picks one character; a seeded one in tests)."""
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """Return the code a learner typed in its stored form, or None if it cannot be one."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def format_code(code: str) -> str:
    """Return a code as shown to people: "ABCD-EFGH"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def code_usable(join_open: bool, expires_at: datetime | None, now: datetime) -> bool:
    """Return whether a class's code lets learners join now."""
    return join_open and (expires_at is None or now < expires_at)


def join_throttle_keys(user_id: int | None, address: str) -> tuple[tuple[str, int], ...]:
    """Return the throttle counters (key, free tries) a tried join code counts against.

    A learner's own tries, and the network address's (registering with a code has no
    learner yet). A guesser from elsewhere never slows a class down; one behind the school's
    router does after 50 wrong codes in 15 minutes.
    """
    keys = [(f"join-addr:{address}", JOIN_FREE_PER_ADDRESS)]
    if user_id is not None:
        keys.insert(0, (f"join-user:{user_id}", JOIN_FREE_PER_LEARNER))
    return tuple(keys)


# --------------------------------------------------------------------------- windows


def window_problem(opens_at: datetime | None, due_at: datetime | None, now: datetime) -> str | None:
    """Return "not_open" or "closed" when an assignment cannot be started now, else None."""
    if opens_at is not None and now < opens_at:
        return "not_open"
    if due_at is not None and now >= due_at:
        return "closed"
    return None


def attempt_end(
    started_at: datetime, time_limit_minutes: int | None, due_at: datetime | None
) -> datetime | None:
    """Return when an attempt begun at ``started_at`` stops counting answers (None: never)."""
    ends = [due_at] if due_at is not None else []
    if time_limit_minutes is not None:
        ends.append(started_at + timedelta(minutes=time_limit_minutes))
    return min(ends, default=None)


def time_is_up(ends_at: datetime | None, now: datetime) -> bool:
    """Return whether an attempt ending at ``ends_at`` no longer counts answers."""
    return ends_at is not None and now >= ends_at


def seconds_left(ends_at: datetime, now: datetime) -> int:
    """Return the whole seconds an attempt still has (0 once its time is up)."""
    return max(0, int((ends_at - now).total_seconds()))


def attempts_left(max_attempts: int | None, used: int) -> int | None:
    """Return how many more attempts may be begun (None: no limit)."""
    return None if max_attempts is None else max(0, max_attempts - used)


def feedback_visible(policy: str, due_at: datetime | None, now: datetime) -> bool:
    """Return whether right answers may be shown now for an assignment's attempts."""
    return policy != "after_due" or due_at is None or now >= due_at


# --------------------------------------------------------------------------- learners' view

#: Statuses of an assignment for one learner, in the order a home page lists them.
STATUS_ORDER = ("overdue", "in_progress", "open", "upcoming", "done")


@dataclass(frozen=True)
class Progress:
    """What a learner has done of an assignment."""

    attempts: int = 0  # begun, finished or not
    in_progress: bool = False  # an attempt still counts answers
    done: bool = False  # quiz: an attempt ended; deck: every card learned once


def learner_status(
    opens_at: datetime | None, due_at: datetime | None, progress: Progress, now: datetime
) -> str:
    """Return the status of an assignment for a learner (one of STATUS_ORDER).

    "overdue": past its deadline and not done (a deck can still be learned, a quiz no
    longer be started); "upcoming": not open yet; "done": a quiz attempt ended, or every
    card of a deck learned once.
    """
    if progress.in_progress:
        return "in_progress"
    problem = window_problem(opens_at, due_at, now)
    if problem == "not_open":
        return "upcoming"
    if progress.done:
        return "done"
    return "overdue" if problem == "closed" else "open"


def can_start(
    opens_at: datetime | None,
    due_at: datetime | None,
    max_attempts: int | None,
    progress: Progress,
    now: datetime,
) -> bool:
    """Return whether a learner may begin a new attempt at a quiz now."""
    if progress.in_progress or window_problem(opens_at, due_at, now) is not None:
        return False
    return attempts_left(max_attempts, progress.attempts) != 0


def on_home_page(status: str, due_at: datetime | None, now: datetime) -> bool:
    """Return whether an assignment still belongs on the learner's home page.

    Everything to do, and what was due or done in the last RECENT_DAYS days.
    """
    if status in ("open", "in_progress", "upcoming"):
        return True
    return due_at is None or now - due_at <= timedelta(days=RECENT_DAYS)


_LAST = datetime.max.replace(tzinfo=UTC)


def home_order(status: str, due_at: datetime | None) -> tuple[int, datetime]:
    """Sort key of the home page: overdue first, then due soonest first, undated last."""
    rank = {"overdue": 0, "in_progress": 1, "open": 1, "upcoming": 2, "done": 3}
    return rank[status], due_at or _LAST


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class AttemptFigures:
    """One attempt as the results count it."""

    attempt_id: int
    started_at: datetime
    finished_at: datetime | None  # None while answers still count
    score: float  # points of the answers given
    max_score: int  # questions that count (skipped ones do not)
    answered: int


def effective_end(
    state: str, finished_at: datetime | None, ends_at: datetime | None, now: datetime
) -> datetime | None:
    """Return when an attempt ended: finished, or its time is up (None: still running).

    An attempt whose time ran out while nobody looked is closed at ``ends_at`` the next
    time its learner opens it; the teacher's results count it as ended already.
    """
    if state == "finished":
        return finished_at
    if time_is_up(ends_at, now):
        return ends_at
    return None


def best_attempt(attempts: Sequence[AttemptFigures]) -> AttemptFigures | None:
    """Return the finished attempt that counts: the highest share, the earlier on a tie."""
    finished = [a for a in attempts if a.finished_at is not None]
    if not finished:
        return None
    return max(finished, key=lambda a: (_share(a), -a.started_at.timestamp()))


def _share(attempt: AttemptFigures) -> float:
    return attempt.score / attempt.max_score if attempt.max_score else 0.0


# --------------------------------------------------------------------------- teachers' input


def parse_local_time(text: str, tz: str) -> datetime | None:
    """Return the UTC moment of a local date and time as a teacher types it, None if empty.

    A browser's date-time field sends "2026-11-21T14:30"; typed by hand, "21.11.2026 14:30"
    works too. Raises ValueError for anything else.
    """
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M"):
        try:
            naive = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return naive.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
    raise ValueError(text)


def local_input(value: datetime | None, tz: str) -> str:
    """Return a stored moment as a date-time field's value in local time ("" for None)."""
    if value is None:
        return ""
    return f"{value.astimezone(ZoneInfo(tz)):%Y-%m-%dT%H:%M}"


def parse_count(text: str, low: int, high: int) -> int | None:
    """Return a whole number typed in low..high, None if empty; raises ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ValueError(text)
    return int(text)


def parse_question_ids(text: str) -> list[str]:
    """Return the question ids a teacher listed (lines, commas or spaces), each once, in order."""
    ids = text.replace(",", " ").split()
    return list(dict.fromkeys(ids))
