"""Schedule flashcard reviews with FSRS: plain Python, no Flask, no database, no clock.

Every approved question is a flashcard. A learner's memory of one card is a :class:`Memory`
(one ``CardState`` row: state, step, stability, difficulty, due, last_review, reps, lapses);
:func:`review` turns a memory plus a rating (1 Again, 2 Hard, 3 Good, 4 Easy) into a
:class:`ReviewOutcome` with the next memory and what a review log needs. Quiz answers count as
reviews too: :func:`rating_for_quiz` maps right to Good and wrong to Again.

The time is always a parameter (``now``); nothing here reads the clock. All datetimes must be
timezone-aware and are normalised to UTC (``datetime.UTC``); naive datetimes raise ValueError.

Mapping to ``fsrs`` (v6)
    fsrs has no "new" state: a fresh ``fsrs.Card`` is ``State.Learning`` at step 0 with no
    stability, difficulty or last review. We call that state ``"new"`` so the UI can count new
    cards; :meth:`Memory.new` gives ``step=0`` (the learning step a first review starts from).
    After any review the card has a last review, so fsrs' Learning maps to ``"learning"``;
    Review and Relearning map to ``"review"`` and ``"relearning"``. fsrs keeps no reps or lapses:
    we count them here. ``reps`` counts every review (learning steps included); a lapse is Again
    on a card in the review state (Again while learning or relearning is no lapse).
    Stability and difficulty are exactly fsrs'. Intervals are too, with one Anki rule on top:
    ratings that schedule in whole days keep Hard < Good < Easy by at least a day (fsrs rounds
    a weak card's Hard, Good and Easy all to 1 day); see :func:`_next_cards`.

Leeches
    As in Anki, a lapse makes a card a leech when its lapse count reaches ``leech_threshold``
    (8) and again every ``leech_threshold // 2`` lapses after that (12, 16, ...), so a leech
    that was unsuspended and keeps lapsing is flagged again.

Days
    A study day rolls over at ``rollover_hour`` (4 a.m.) in the learner's time zone, not at
    midnight: a session after midnight still belongs to the evening's day. Review intervals are
    whole days after the moment of the review (not aligned to day starts), so "due today" means
    ``due < day_bounds(today)[1]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import Card, Rating, Scheduler, State

MemoryState = Literal["new", "learning", "review", "relearning"]

STATES: tuple[MemoryState, ...] = ("new", "learning", "review", "relearning")
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS: tuple[int, ...] = (AGAIN, HARD, GOOD, EASY)

QUIZ_RATING: dict[bool, int] = {True: GOOD, False: AGAIN}

MIN_DESIRED_RETENTION = 0.80
MAX_DESIRED_RETENTION = 0.97

# fsrs' defaults (Scheduler.__init__), repeated here so Settings stays hashable and explicit.
DEFAULT_LEARNING_STEPS: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
DEFAULT_RELEARNING_STEPS: tuple[timedelta, ...] = (timedelta(minutes=10),)
DEFAULT_MAXIMUM_INTERVAL_DAYS = 36500

_FSRS_STATE: dict[str, State] = {
    "new": State.Learning,
    "learning": State.Learning,
    "review": State.Review,
    "relearning": State.Relearning,
}
_OUR_STATE: dict[State, MemoryState] = {
    State.Learning: "learning",
    State.Review: "review",
    State.Relearning: "relearning",
}

# Only to build the fsrs Card; never stored. Passing it also stops fsrs from reading the clock
# and sleeping 1 ms, which Card() does when card_id is None.
_CARD_ID = 0


def _utc(value: datetime, name: str) -> datetime:
    """Return ``value`` in UTC; raise ValueError for a naive datetime."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Memory:
    """A learner's memory of one card: the scheduling fields of a ``CardState`` row."""

    state: MemoryState
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0

    def __post_init__(self) -> None:
        """Check the fields fit together and normalise the datetimes to UTC."""
        if self.state not in STATES:
            raise ValueError(f"state must be one of {STATES}, got {self.state!r}")
        object.__setattr__(self, "due", _utc(self.due, "due"))
        if self.last_review is not None:
            object.__setattr__(self, "last_review", _utc(self.last_review, "last_review"))
        if self.reps < 0 or self.lapses < 0:
            raise ValueError("reps and lapses must not be negative")
        if self.step is not None and self.step < 0:
            raise ValueError("step must not be negative")
        if self.state == "new":
            if self.last_review is not None or self.stability is not None:
                raise ValueError("a new card has no last review and no stability")
            if self.difficulty is not None:
                raise ValueError("a new card has no difficulty")
        else:
            if self.last_review is None or self.stability is None or self.difficulty is None:
                raise ValueError(f"a {self.state} card needs last_review, stability and difficulty")
            if self.stability <= 0:
                raise ValueError("stability must be positive")
            if self.state == "review" and self.step is not None:
                raise ValueError("a review card has no step")
            if self.state in ("learning", "relearning") and self.step is None:
                raise ValueError(f"a {self.state} card needs a step")

    @classmethod
    def new(cls, now: datetime) -> Memory:
        """Return the memory of a card never seen: state "new", due now."""
        return cls(
            state="new",
            step=0,
            stability=None,
            difficulty=None,
            due=now,
            last_review=None,
            reps=0,
            lapses=0,
        )

    @property
    def is_new(self) -> bool:
        """Tell whether the card was never reviewed."""
        return self.state == "new"

    def to_card(self) -> Card:
        """Return the equivalent ``fsrs.Card`` (a new card is fsrs' Learning at step 0)."""
        step = self.step
        if self.state == "new":
            step = 0
        return Card(
            card_id=_CARD_ID,
            state=_FSRS_STATE[self.state],
            step=step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )


@dataclass(frozen=True)
class Settings:
    """A learner's scheduling settings.

    Fuzzing is off by default: fsrs fuzzes with the global ``random()``, so with it on the
    interval a button shows in :func:`preview` would not be the one :func:`review` gives, tests
    could not pin intervals, and replaying the review log would not reproduce the schedule.
    The cost is that cards learnt together stay due together.
    """

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = DEFAULT_LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = DEFAULT_RELEARNING_STEPS
    enable_fuzzing: bool = False
    leech_threshold: int = 8
    maximum_interval_days: int = DEFAULT_MAXIMUM_INTERVAL_DAYS
    parameters: tuple[float, ...] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Validate the settings; raise ValueError for values out of range."""
        retention = self.desired_retention
        if isinstance(retention, bool) or not isinstance(retention, int | float):
            raise ValueError(f"desired_retention must be a number, got {retention!r}")
        if not MIN_DESIRED_RETENTION <= retention <= MAX_DESIRED_RETENTION:
            raise ValueError(
                f"desired_retention must be between {MIN_DESIRED_RETENTION} and "
                f"{MAX_DESIRED_RETENTION}, got {retention!r}"
            )
        for name in ("learning_steps", "relearning_steps"):
            steps = tuple(getattr(self, name))
            if any(step <= timedelta(0) for step in steps):
                raise ValueError(f"{name} must be positive")
            object.__setattr__(self, name, steps)
        if self.leech_threshold < 1:
            raise ValueError("leech_threshold must be at least 1")
        if self.maximum_interval_days < 1:
            raise ValueError("maximum_interval_days must be at least 1")
        if self.parameters is not None:
            object.__setattr__(self, "parameters", tuple(float(p) for p in self.parameters))
            _scheduler(self)  # fsrs checks the 21 weights and their bounds (ValueError)

    def scheduler(self) -> Scheduler:
        """Return the fsrs Scheduler for these settings (cached; treat it as read-only)."""
        return _scheduler(self)


@lru_cache(maxsize=64)
def _scheduler(settings: Settings) -> Scheduler:
    """Build the fsrs Scheduler for ``settings``."""
    kwargs: dict[str, object] = {}
    if settings.parameters is not None:
        kwargs["parameters"] = settings.parameters
    return Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=settings.enable_fuzzing,
        **kwargs,
    )


@dataclass(frozen=True)
class ReviewOutcome:
    """The result of one review: the next memory plus what a review log row needs."""

    memory: Memory
    previous: Memory
    rating: int
    reviewed_at: datetime
    lapsed: bool
    leech: bool
    elapsed_days: int
    scheduled_days: int
    interval: timedelta
    retrievability: float

    @property
    def previous_state(self) -> MemoryState:
        """Return the state the card was in when it was reviewed (the log's review kind)."""
        return self.previous.state


def _check_rating(rating: int) -> int:
    """Return ``rating`` as a plain int 1..4; raise ValueError for anything else."""
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise ValueError(f"rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy): {rating!r}")
    return int(rating)


def _review_time(memory: Memory, now: datetime) -> datetime:
    """Return ``now`` in UTC; raise ValueError if it is naive or before the last review."""
    now = _utc(now, "now")
    if memory.last_review is not None and now < memory.last_review:
        raise ValueError(f"now ({now}) is before the last review ({memory.last_review})")
    return now


def _is_leech(lapses: int, threshold: int) -> bool:
    """Tell whether reaching ``lapses`` lapses flags a leech (Anki's rule)."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


def _next_cards(memory: Memory, now: datetime, settings: Settings) -> dict[int, Card]:
    """Return the fsrs card each rating would give, day intervals kept Hard < Good < Easy.

    fsrs rounds review intervals to whole days (at least 1) and does not keep them apart, so a
    weak card can get 1 day for Hard, Good and Easy alike. Like Anki, push each rating that
    schedules in days to at least one day more than the lower rating that does (up to the
    maximum interval). Only ``due`` changes; stability and difficulty stay as fsrs computed.
    """
    scheduler = settings.scheduler()
    card = memory.to_card()
    cards = {
        rating: scheduler.review_card(card, Rating(rating), review_datetime=now)[0]
        for rating in RATINGS
    }
    floor = 1
    for rating in (HARD, GOOD, EASY):
        nxt = cards[rating]
        if nxt.state != State.Review:
            continue
        days = min(max((nxt.due - now).days, floor), settings.maximum_interval_days)
        nxt.due = now + timedelta(days=days)
        floor = days + 1
    return cards


def review(memory: Memory, rating: int, now: datetime, settings: Settings) -> ReviewOutcome:
    """Review the card at ``now`` with ``rating`` (1 Again .. 4 Easy) and schedule it."""
    rating = _check_rating(rating)
    now = _review_time(memory, now)
    new_card = _next_cards(memory, now, settings)[rating]

    lapsed = memory.state == "review" and rating == AGAIN
    lapses = memory.lapses + (1 if lapsed else 0)
    assert new_card.stability is not None and new_card.difficulty is not None
    next_memory = Memory(
        state=_OUR_STATE[new_card.state],
        step=new_card.step,
        stability=float(new_card.stability),
        difficulty=float(new_card.difficulty),
        due=new_card.due,
        last_review=now,
        reps=memory.reps + 1,
        lapses=lapses,
    )
    interval = next_memory.due - now
    elapsed_days = (now - memory.last_review).days if memory.last_review is not None else 0
    return ReviewOutcome(
        memory=next_memory,
        previous=memory,
        rating=rating,
        reviewed_at=now,
        lapsed=lapsed,
        leech=lapsed and _is_leech(lapses, settings.leech_threshold),
        elapsed_days=elapsed_days,
        scheduled_days=interval.days,
        interval=interval,
        retrievability=retrievability(memory, now, settings),
    )


def preview(memory: Memory, now: datetime, settings: Settings) -> dict[int, timedelta]:
    """Return the interval each rating (1..4) would schedule, for the answer buttons."""
    now = _review_time(memory, now)
    return {rating: card.due - now for rating, card in _next_cards(memory, now, settings).items()}


def retrievability(memory: Memory, now: datetime, settings: Settings) -> float:
    """Return the predicted probability of recall at ``now`` (0.0 for a new card).

    fsrs counts only whole days since the last review, so it is 1.0 on the day of a review.
    """
    if memory.is_new:
        return 0.0
    now = _utc(now, "now")
    card = memory.to_card()
    return float(settings.scheduler().get_card_retrievability(card, current_datetime=now))


def rating_for_quiz(correct: bool) -> int:
    """Return the review rating a quiz answer counts as: Good if right, Again if wrong."""
    return QUIZ_RATING[bool(correct)]


# Interval display -------------------------------------------------------------------------------

_MINUTE = 60.0
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_YEAR = 365 * _DAY
_MONTH = _YEAR / 12


def _decimal(value: float) -> str:
    """Format ``value`` with at most one decimal and a German decimal comma."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def format_interval(interval: timedelta) -> str:
    """Format an interval in German short form, as on Anki's answer buttons.

    Minutes, hours and days are rounded to whole numbers, months and years to one decimal:
    "<1 min", "10 min", "1 Std.", "3 Tg.", "2 Mon.", "1,5 J." A month is a twelfth of a year
    of 365 days. Raise ValueError for a negative interval.
    """
    seconds = interval.total_seconds()
    if seconds < 0:
        raise ValueError(f"interval must not be negative, got {interval}")
    if seconds < _MINUTE:
        return "<1 min"
    minutes = round(seconds / _MINUTE)
    if minutes < 60:
        return f"{minutes} min"
    hours = round(seconds / _HOUR)
    if hours < 24:
        return f"{hours} Std."
    days = round(seconds / _DAY)
    if days < 30:
        return f"{days} Tg."
    months = seconds / _MONTH
    if round(months, 1) < 12:
        return f"{_decimal(months)} Mon."
    return f"{_decimal(seconds / _YEAR)} J."


# Study days -------------------------------------------------------------------------------------


def _zone(tz: str) -> ZoneInfo:
    """Return the ZoneInfo for ``tz``; raise ValueError for an unknown or invalid key."""
    if not isinstance(tz, str) or not tz:
        raise ValueError(f"unknown time zone: {tz!r}")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc


def _check_rollover(rollover_hour: int) -> None:
    """Raise ValueError unless ``rollover_hour`` is 0..23."""
    if isinstance(rollover_hour, bool) or not isinstance(rollover_hour, int):
        raise ValueError(f"rollover_hour must be an int 0..23, got {rollover_hour!r}")
    if not 0 <= rollover_hour <= 23:
        raise ValueError(f"rollover_hour must be 0..23, got {rollover_hour}")


def study_day(now: datetime, tz: str, rollover_hour: int = 4) -> date:
    """Return the learner's study day at ``now``: it starts at ``rollover_hour`` local time."""
    _check_rollover(rollover_hour)
    local = _utc(now, "now").astimezone(_zone(tz))
    day = local.date()
    if local.hour < rollover_hour:
        day -= timedelta(days=1)
    return day


def day_bounds(day: date, tz: str, rollover_hour: int = 4) -> tuple[datetime, datetime]:
    """Return the UTC instants [start, end) of study ``day``; DST days are 23 or 25 hours.

    A rollover time that does not exist locally (clocks skip it) starts the day at the
    moment of the jump; one that exists twice starts it at the first occurrence.
    """
    _check_rollover(rollover_hour)
    zone = _zone(tz)
    if isinstance(day, datetime):
        raise TypeError("day must be a date, not a datetime")
    start = datetime.combine(day, time(rollover_hour), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(rollover_hour), tzinfo=zone)
    return _start_instant(start), _start_instant(end)


def _start_instant(local: datetime) -> datetime:
    """Return the first UTC instant at which the local wall clock shows ``local``.

    An ambiguous wall time (clocks fall back) is first shown at its first occurrence, which
    ``fold=0`` gives. A wall time in a gap (clocks jump over it) is never shown; the day then
    starts at the jump: ``fold=1`` reads it with the offset after the jump (an instant before
    the jump), ``fold=0`` with the offset before it (an instant after), so bisect in between.
    """
    zone = local.tzinfo
    wall = local.replace(tzinfo=None)
    first = local.replace(fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    low = int(local.replace(fold=1).astimezone(UTC).timestamp())  # shows a time before wall
    high = int(first.timestamp())  # shows a time after wall
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


__all__ = [
    "AGAIN",
    "EASY",
    "GOOD",
    "HARD",
    "MAX_DESIRED_RETENTION",
    "MIN_DESIRED_RETENTION",
    "QUIZ_RATING",
    "RATINGS",
    "STATES",
    "Memory",
    "MemoryState",
    "ReviewOutcome",
    "Settings",
    "day_bounds",
    "format_interval",
    "preview",
    "retrievability",
    "review",
    "rating_for_quiz",
    "study_day",
]
