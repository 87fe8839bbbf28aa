"""Tests for quizapp.memory: FSRS scheduling, interval display and study days (fixed clock)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from fsrs import Rating
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.memory import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    QUIZ_RATING,
    Memory,
    Settings,
    day_bounds,
    format_interval,
    preview,
    rating_for_quiz,
    retrievability,
    review,
    study_day,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DEFAULT = Settings()


def graduated(now: datetime = T0, settings_: Settings = DEFAULT) -> Memory:
    """Return a card taken through both learning steps with Good: in review, due in days."""
    memory = Memory.new(now)
    for _ in range(2):
        memory = review(memory, GOOD, now, settings_).memory
        now = memory.due
    assert memory.state == "review"
    return memory


def mature(settings_: Settings = DEFAULT, goods: int = 3) -> Memory:
    """Return a review card after ``goods`` further on-time Good reviews."""
    memory = graduated(settings_=settings_)
    for _ in range(goods):
        memory = review(memory, GOOD, memory.due, settings_).memory
    return memory


# Memory and the mapping to fsrs ---------------------------------------------------------------


def test_new_memory_is_due_now_and_unreviewed() -> None:
    memory = Memory.new(T0)
    assert memory.state == "new"
    assert memory.is_new
    assert memory.due == T0
    assert memory.last_review is None
    assert memory.stability is None and memory.difficulty is None
    assert (memory.reps, memory.lapses) == (0, 0)
    assert retrievability(memory, T0, DEFAULT) == 0.0


def test_new_card_maps_to_fsrs_learning_step_zero() -> None:
    card = Memory.new(T0).to_card()
    assert card.state.name == "Learning"
    assert card.step == 0
    assert card.last_review is None


def test_memory_is_frozen_and_normalised_to_utc() -> None:
    berlin = datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    memory = Memory.new(berlin)
    assert memory.due == T0
    assert memory.due.tzinfo is UTC
    with pytest.raises(dataclasses.FrozenInstanceError):
        memory.reps = 3  # type: ignore[misc]


def test_zoneinfo_utc_and_offsets_are_accepted_by_review() -> None:
    # fsrs itself insists on tzinfo == timezone.utc; we convert.
    for now in (
        datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 1, 5, 11, 0, tzinfo=timezone(timedelta(hours=2))),
    ):
        outcome = review(Memory.new(now), GOOD, now, DEFAULT)
        assert outcome.reviewed_at == T0
        assert outcome.memory.due == T0 + timedelta(minutes=10)


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 1, 5, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        Memory.new(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        review(Memory.new(T0), GOOD, naive, DEFAULT)
    with pytest.raises(ValueError, match="timezone-aware"):
        study_day(naive, "Europe/Berlin")


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "mature"},
        {"state": "review", "step": None},  # no stability / last review
        {"state": "new", "stability": 1.0},
        {"reps": -1},
    ],
)
def test_inconsistent_memories_are_rejected(fields: dict[str, object]) -> None:
    base = dataclasses.asdict(Memory.new(T0))
    with pytest.raises(ValueError):
        Memory(**{**base, **fields})  # type: ignore[arg-type]


def test_memory_round_trips_through_its_columns() -> None:
    memory = mature()
    assert Memory(**dataclasses.asdict(memory)) == memory


# Reviews ---------------------------------------------------------------------------------------


def test_first_reviews_walk_the_learning_steps() -> None:
    new = Memory.new(T0)
    intervals = preview(new, T0, DEFAULT)
    assert intervals == {
        AGAIN: timedelta(minutes=1),
        HARD: timedelta(minutes=5, seconds=30),  # fsrs: mean of the first two steps
        GOOD: timedelta(minutes=10),
        EASY: timedelta(days=8),
    }
    outcome = review(new, GOOD, T0, DEFAULT)
    assert outcome.memory.state == "learning"
    assert outcome.memory.step == 1
    assert outcome.memory.last_review == T0
    assert outcome.previous_state == "new"
    assert outcome.elapsed_days == 0
    assert outcome.scheduled_days == 0
    assert outcome.retrievability == 0.0
    assert not outcome.lapsed and not outcome.leech


def test_intervals_grow_for_repeated_good() -> None:
    memory = Memory.new(T0)
    now = T0
    intervals = []
    for _ in range(8):
        outcome = review(memory, GOOD, now, DEFAULT)
        intervals.append(outcome.interval)
        memory, now = outcome.memory, outcome.memory.due
    assert intervals[0] == timedelta(minutes=10)
    assert all(a < b for a, b in zip(intervals[1:], intervals[2:], strict=False)), intervals
    assert intervals[-1] > timedelta(days=60)
    assert memory.reps == 8
    assert memory.lapses == 0


def test_again_on_review_card_relearns_and_counts_a_lapse() -> None:
    memory = mature()
    outcome = review(memory, AGAIN, memory.due, DEFAULT)
    assert outcome.lapsed
    assert outcome.memory.state == "relearning"
    assert outcome.memory.step == 0
    assert outcome.interval == timedelta(minutes=10)
    assert outcome.memory.lapses == memory.lapses + 1
    assert outcome.memory.reps == memory.reps + 1
    assert outcome.memory.stability is not None and memory.stability is not None
    assert outcome.memory.stability < memory.stability
    assert outcome.previous_state == "review"
    assert outcome.scheduled_days == 0

    back = review(outcome.memory, GOOD, outcome.memory.due, DEFAULT)
    assert back.memory.state == "review"
    assert not back.lapsed
    assert back.memory.lapses == outcome.memory.lapses


def test_again_while_learning_is_no_lapse() -> None:
    outcome = review(Memory.new(T0), AGAIN, T0, DEFAULT)
    assert outcome.memory.state == "learning"
    assert not outcome.lapsed
    assert outcome.memory.lapses == 0


@pytest.mark.parametrize("make", [graduated, mature])
def test_hard_good_easy_are_ordered_from_the_same_state(make: object) -> None:
    memory = make()  # type: ignore[operator]
    intervals = preview(memory, memory.due, DEFAULT)
    assert intervals[AGAIN] < intervals[HARD] < intervals[GOOD] < intervals[EASY]
    assert all(intervals[r] >= timedelta(days=1) for r in (HARD, GOOD, EASY))


@pytest.mark.parametrize("delay", [timedelta(0), timedelta(hours=5), timedelta(days=20)])
def test_preview_matches_what_review_then_does(delay: timedelta) -> None:
    for memory in (Memory.new(T0), review(Memory.new(T0), AGAIN, T0, DEFAULT).memory, mature()):
        now = memory.due + delay
        for rating, interval in preview(memory, now, DEFAULT).items():
            outcome = review(memory, rating, now, DEFAULT)
            assert outcome.memory.due == now + interval
            assert outcome.interval == interval


def test_weak_card_keeps_hard_good_easy_a_day_apart() -> None:
    # fsrs alone rounds all three to whole days and gives Hard = Good = 1 day here (Anki's
    # rule, which we follow, keeps them apart); stability is still exactly fsrs'.
    last = datetime(2026, 1, 27, 14, 31, tzinfo=UTC)
    weak = Memory(
        state="review",
        step=None,
        stability=0.4115,
        difficulty=9.7295,
        due=last + timedelta(days=1),
        last_review=last,
        reps=6,
        lapses=1,
    )
    now = weak.due
    raw = {
        r: DEFAULT.scheduler().review_card(weak.to_card(), Rating(r), now)[0]
        for r in (HARD, GOOD, EASY)
    }
    assert raw[HARD].due == raw[GOOD].due == now + timedelta(days=1)
    intervals = preview(weak, now, DEFAULT)
    assert [intervals[r] for r in (HARD, GOOD, EASY)] == [
        timedelta(days=1),
        timedelta(days=2),
        timedelta(days=3),
    ]
    assert review(weak, GOOD, now, DEFAULT).memory.stability == raw[GOOD].stability


def test_intervals_stop_at_the_maximum_interval() -> None:
    # FSRS-6 default parameters grow intervals fast at low retention: 0.8 reaches the cap of
    # 100 years after seven Goods in a row; a smaller cap is a setting.
    capped = Settings(desired_retention=0.8, maximum_interval_days=365)
    memory = Memory.new(T0)
    for _ in range(8):
        memory = review(memory, GOOD, memory.due, capped).memory
    intervals = preview(memory, memory.due, capped)
    assert intervals[HARD] == intervals[GOOD] == intervals[EASY] == timedelta(days=365)


def test_review_log_fields_for_a_review_card() -> None:
    memory = mature()
    now = memory.due + timedelta(days=3)
    outcome = review(memory, GOOD, now, DEFAULT)
    assert memory.last_review is not None
    assert outcome.elapsed_days == (now - memory.last_review).days
    assert outcome.scheduled_days == outcome.interval.days
    assert outcome.interval == timedelta(days=outcome.scheduled_days)
    assert 0.0 < outcome.retrievability < 0.9  # overdue: below the desired retention
    assert outcome.previous == memory
    assert outcome.rating == GOOD


def test_leech_flagged_at_the_eighth_lapse() -> None:
    memory = graduated()
    flags: dict[int, bool] = {}
    for _ in range(13):
        lapse = review(memory, AGAIN, memory.due, DEFAULT)
        assert lapse.lapsed
        flags[lapse.memory.lapses] = lapse.leech
        memory = review(lapse.memory, GOOD, lapse.memory.due, DEFAULT).memory
        assert memory.state == "review"
    assert [n for n, leech in flags.items() if leech] == [8, 12]
    assert memory.lapses == 13


def test_leech_threshold_is_a_setting() -> None:
    strict = Settings(leech_threshold=1)
    outcome = review(mature(strict), AGAIN, mature(strict).due, strict)
    assert outcome.leech


def test_higher_retention_gives_shorter_intervals() -> None:
    low, high = Settings(desired_retention=0.8), Settings(desired_retention=0.95)
    memory = mature()
    now = memory.due
    assert preview(memory, now, high)[GOOD] < preview(memory, now, DEFAULT)[GOOD]
    assert preview(memory, now, DEFAULT)[GOOD] < preview(memory, now, low)[GOOD]


@pytest.mark.parametrize("retention", [0.8, 0.85, 0.9, 0.97])
def test_desired_retention_in_bounds(retention: float) -> None:
    assert Settings(desired_retention=retention).desired_retention == retention


@pytest.mark.parametrize("retention", [0.79, 0.975, 0.5, 1.0, 0.0, float("nan"), True])
def test_desired_retention_out_of_bounds(retention: float) -> None:
    with pytest.raises(ValueError, match="desired_retention"):
        Settings(desired_retention=retention)


def test_settings_defaults_mirror_fsrs_and_are_deterministic() -> None:
    assert DEFAULT.desired_retention == 0.9
    assert DEFAULT.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert DEFAULT.relearning_steps == (timedelta(minutes=10),)
    assert DEFAULT.enable_fuzzing is False
    assert DEFAULT.leech_threshold == 8
    scheduler = DEFAULT.scheduler()
    assert scheduler.enable_fuzzing is False
    assert scheduler is Settings().scheduler()  # cached per settings value
    memory = mature()
    assert len({review(memory, GOOD, memory.due, DEFAULT).memory.due for _ in range(20)}) == 1


def test_bad_fsrs_parameters_fail_when_settings_are_made() -> None:
    with pytest.raises(ValueError, match="parameters"):
        Settings(parameters=(1.0, 2.0))
    weights = DEFAULT.scheduler().parameters
    assert Settings(parameters=weights).scheduler().parameters == weights


def test_steps_given_as_list_become_a_tuple() -> None:
    custom = Settings(learning_steps=[timedelta(minutes=2)])  # type: ignore[arg-type]
    assert custom.learning_steps == (timedelta(minutes=2),)
    assert review(Memory.new(T0), AGAIN, T0, custom).interval == timedelta(minutes=2)


@pytest.mark.parametrize("rating", [0, 5, -1, True, 3.0, "3", None])
def test_bad_ratings_are_rejected(rating: object) -> None:
    with pytest.raises(ValueError, match="rating"):
        review(Memory.new(T0), rating, T0, DEFAULT)  # type: ignore[arg-type]


def test_review_before_the_last_review_is_rejected() -> None:
    memory = mature()
    assert memory.last_review is not None
    with pytest.raises(ValueError, match="before the last review"):
        review(memory, GOOD, memory.last_review - timedelta(seconds=1), DEFAULT)


def test_quiz_answers_count_as_good_or_again() -> None:
    assert QUIZ_RATING == {True: GOOD, False: AGAIN}
    assert rating_for_quiz(True) == GOOD == 3
    assert rating_for_quiz(False) == AGAIN == 1
    wrong = review(mature(), rating_for_quiz(False), mature().due, DEFAULT)
    assert wrong.lapsed


def test_retrievability_decays_and_counts_whole_days() -> None:
    memory = mature()
    assert memory.last_review is not None
    same_day = retrievability(memory, memory.last_review + timedelta(hours=20), DEFAULT)
    assert same_day == 1.0  # fsrs only counts whole days elapsed
    at_due = retrievability(memory, memory.due, DEFAULT)
    later = retrievability(memory, memory.due + timedelta(days=30), DEFAULT)
    assert at_due == pytest.approx(0.9, abs=0.01)
    assert 0.0 < later < at_due < 1.0


def test_nothing_reads_the_clock() -> None:
    memory = mature()
    with time_machine.travel(datetime(1999, 1, 1, tzinfo=UTC), tick=False):
        frozen = review(memory, GOOD, memory.due, DEFAULT)
    with time_machine.travel(datetime(2090, 1, 1, tzinfo=UTC), tick=False):
        later = review(memory, GOOD, memory.due, DEFAULT)
        new = Memory.new(T0)
    assert frozen == later
    assert new.due == T0


# Property: any sequence of ratings and gaps ----------------------------------------------------

RATING = st.sampled_from([AGAIN, HARD, GOOD, EASY])
GAP = st.one_of(
    st.just(None),  # exactly at due
    st.integers(min_value=0, max_value=60 * 24 * 400).map(lambda m: timedelta(minutes=m)),
)


@FAST
@given(
    steps=st.lists(st.tuples(RATING, GAP), min_size=1, max_size=30),
    retention=st.sampled_from([0.8, 0.9, 0.97]),
)
def test_any_rating_sequence_keeps_the_memory_sane(
    steps: list[tuple[int, timedelta | None]], retention: float
) -> None:
    config = Settings(desired_retention=retention)
    memory = Memory.new(T0)
    now = T0
    lapses = 0
    for count, (rating, gap) in enumerate(steps, start=1):
        if count > 1:
            now = max(now, memory.due) if gap is None else now + gap
        intervals = preview(memory, now, config)
        cap = timedelta(days=config.maximum_interval_days)
        ordered = [intervals[r] for r in (AGAIN, HARD, GOOD, EASY)]
        assert all(a < b or a == b == cap for a, b in zip(ordered, ordered[1:], strict=False))
        assert ordered[-1] <= cap
        was_review = memory.state == "review"
        fsrs_card, _ = config.scheduler().review_card(memory.to_card(), Rating(rating), now)
        outcome = review(memory, rating, now, config)
        memory = outcome.memory
        assert (memory.stability, memory.difficulty) == (fsrs_card.stability, fsrs_card.difficulty)
        assert (memory.state, memory.step) == (fsrs_card.state.name.lower(), fsrs_card.step)
        assert memory.due >= fsrs_card.due
        lapses += was_review and rating == AGAIN
        assert memory.due >= now
        assert memory.due == now + intervals[rating]
        assert memory.stability is not None and memory.stability > 0
        assert memory.difficulty is not None and 1.0 <= memory.difficulty <= 10.0
        assert memory.state in ("learning", "review", "relearning")
        assert memory.last_review == now
        assert memory.reps == count
        assert memory.lapses == lapses
        assert 0.0 <= outcome.retrievability <= 1.0
        assert 0.0 <= retrievability(memory, now, config) <= 1.0
    assert memory.reps == len(steps)


# Interval display ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(0), "<1 min"),
        (timedelta(seconds=59), "<1 min"),
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=5, seconds=30), "6 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(minutes=59, seconds=40), "1 Std."),
        (timedelta(hours=1), "1 Std."),
        (timedelta(hours=5, minutes=20), "5 Std."),
        (timedelta(hours=23, minutes=40), "1 Tg."),
        (timedelta(days=1), "1 Tg."),
        (timedelta(days=3), "3 Tg."),
        (timedelta(days=29), "29 Tg."),
        (timedelta(days=30), "1 Mon."),
        (timedelta(days=45), "1,5 Mon."),
        (timedelta(days=61), "2 Mon."),
        (timedelta(days=200), "6,6 Mon."),
        (timedelta(days=363), "11,9 Mon."),
        (timedelta(days=364), "1 J."),
        (timedelta(days=365), "1 J."),
        (timedelta(days=548), "1,5 J."),
        (timedelta(days=3650), "10 J."),
    ],
)
def test_format_interval(interval: timedelta, text: str) -> None:
    assert format_interval(interval) == text


def test_format_interval_rejects_negative() -> None:
    with pytest.raises(ValueError):
        format_interval(timedelta(seconds=-1))


def test_format_interval_for_the_buttons_of_a_new_card() -> None:
    labels = {r: format_interval(i) for r, i in preview(Memory.new(T0), T0, DEFAULT).items()}
    assert labels == {AGAIN: "1 min", HARD: "6 min", GOOD: "10 min", EASY: "8 Tg."}


# Study days ------------------------------------------------------------------------------------


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Berlin"))


def test_study_day_rolls_over_at_four_local() -> None:
    assert study_day(berlin(2026, 1, 5, 3, 59), "Europe/Berlin") == date(2026, 1, 4)
    assert study_day(berlin(2026, 1, 5, 4, 0), "Europe/Berlin") == date(2026, 1, 5)
    assert study_day(berlin(2026, 1, 5, 23, 59), "Europe/Berlin") == date(2026, 1, 5)
    assert study_day(berlin(2026, 1, 6, 0, 30), "Europe/Berlin") == date(2026, 1, 5)
    # 03:30 UTC is 04:30 in Berlin (new day) but 12:30 in Tokyo and 22:30 in New York
    now = datetime(2026, 1, 5, 3, 30, tzinfo=UTC)
    assert study_day(now, "Europe/Berlin") == date(2026, 1, 5)
    assert study_day(now, "Asia/Tokyo") == date(2026, 1, 5)
    assert study_day(now, "America/New_York") == date(2026, 1, 4)
    assert study_day(now, "UTC") == date(2026, 1, 4)
    assert study_day(now, "UTC", rollover_hour=0) == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("day", "hours", "start_utc"),
    [
        # Sunday 29 March 2026 02:00 CET -> 03:00 CEST: the study day that contains the jump
        # is Saturday's (04:00 CET Saturday to 04:00 CEST Sunday), so Saturday is 23 hours.
        (date(2026, 3, 27), 24, datetime(2026, 3, 27, 3, 0, tzinfo=UTC)),
        (date(2026, 3, 28), 23, datetime(2026, 3, 28, 3, 0, tzinfo=UTC)),
        (date(2026, 3, 29), 24, datetime(2026, 3, 29, 2, 0, tzinfo=UTC)),
        # Sunday 25 October 2026 03:00 CEST -> 02:00 CET: Saturday's study day is 25 hours.
        (date(2026, 10, 24), 25, datetime(2026, 10, 24, 2, 0, tzinfo=UTC)),
        (date(2026, 10, 25), 24, datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    ],
)
def test_day_bounds_berlin_dst(day: date, hours: int, start_utc: datetime) -> None:
    start, end = day_bounds(day, "Europe/Berlin")
    assert start == start_utc
    assert start.tzinfo is UTC and end.tzinfo is UTC
    assert end - start == timedelta(hours=hours)
    assert study_day(start, "Europe/Berlin") == day
    assert study_day(start - timedelta(microseconds=1), "Europe/Berlin") == day - timedelta(1)
    assert study_day(end - timedelta(microseconds=1), "Europe/Berlin") == day
    assert study_day(end, "Europe/Berlin") == day + timedelta(1)


def test_study_day_on_berlin_dst_change_days() -> None:
    # Sunday 29 March 2026: 02:00 CET jumps to 03:00 CEST; the day still starts at 04:00 CEST
    assert study_day(datetime(2026, 3, 29, 1, 59, tzinfo=UTC), "Europe/Berlin") == date(
        2026, 3, 28
    )  # 03:59 CEST
    assert study_day(datetime(2026, 3, 29, 2, 0, tzinfo=UTC), "Europe/Berlin") == date(
        2026, 3, 29
    )  # 04:00 CEST
    # Sunday 25 October 2026: 03:00 CEST falls back to 02:00 CET; the day starts at 04:00 CET
    assert study_day(datetime(2026, 10, 25, 2, 59, tzinfo=UTC), "Europe/Berlin") == date(
        2026, 10, 24
    )  # 03:59 CET (the 2:xx hour was lived twice)
    assert study_day(datetime(2026, 10, 25, 3, 0, tzinfo=UTC), "Europe/Berlin") == date(
        2026, 10, 25
    )  # 04:00 CET


def test_day_bounds_new_york_dst() -> None:
    # US DST 2026: 8 March (spring forward) and 1 November (fall back), both at 02:00 local
    start, end = day_bounds(date(2026, 3, 7), "America/New_York")
    assert start == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)  # 04:00 EST
    assert end == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)  # 04:00 EDT
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(date(2026, 10, 31), "America/New_York")
    assert start == datetime(2026, 10, 31, 8, 0, tzinfo=UTC)  # 04:00 EDT
    assert end == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # 04:00 EST
    assert end - start == timedelta(hours=25)
    assert study_day(datetime(2026, 11, 1, 8, 59, tzinfo=UTC), "America/New_York") == date(
        2026, 10, 31
    )  # 03:59 EST, after 01:xx was lived twice
    assert study_day(end, "America/New_York") == date(2026, 11, 1)


def test_day_bounds_when_the_rollover_hour_is_skipped() -> None:
    # Berlin with rollover 2: on 29 March 2026 02:00 local never happens; the day starts at
    # the jump (01:00 UTC) and the earlier day ends there.
    start, end = day_bounds(date(2026, 3, 29), "Europe/Berlin", rollover_hour=2)
    assert start == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)
    assert day_bounds(date(2026, 3, 28), "Europe/Berlin", rollover_hour=2)[1] == start
    # Santiago skips midnight (24:00 -> 01:00) on 6 September 2026
    start, _ = day_bounds(date(2026, 9, 6), "America/Santiago", rollover_hour=0)
    assert start == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
    assert study_day(start, "America/Santiago", rollover_hour=0) == date(2026, 9, 6)
    assert study_day(start - timedelta(seconds=1), "America/Santiago", 0) == date(2026, 9, 5)


ZONES = st.sampled_from(
    [
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "America/Santiago",
        "Australia/Sydney",
        "Asia/Tokyo",
        "Asia/Kolkata",
        "Pacific/Chatham",
    ]
)
INSTANTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@FAST
@given(now=INSTANTS, tz=ZONES, rollover=st.integers(min_value=0, max_value=23))
def test_study_day_and_day_bounds_agree(now: datetime, tz: str, rollover: int) -> None:
    day = study_day(now, tz, rollover)
    start, end = day_bounds(day, tz, rollover)
    assert start <= now < end
    assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
    assert day_bounds(day + timedelta(days=1), tz, rollover)[0] == end


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "", "Europe", "../etc/passwd", "berlin"])
def test_unknown_time_zone_raises_value_error(tz: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        study_day(T0, tz)
    with pytest.raises(ValueError, match="time zone"):
        day_bounds(date(2026, 1, 5), tz)


@pytest.mark.parametrize("hour", [-1, 24, True])
def test_bad_rollover_hour_raises(hour: int) -> None:
    with pytest.raises(ValueError, match="rollover_hour"):
        study_day(T0, "Europe/Berlin", hour)
