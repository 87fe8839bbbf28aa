"""The rules of classes and assignments, without an app: codes, windows, limits, statuses."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp import classwork
from quizapp.classwork import AttemptFigures, Progress

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_codes_use_only_unambiguous_characters() -> None:
    rng = random.Random(7)
    codes = {classwork.new_code(rng.choice) for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == classwork.CODE_LENGTH
        assert not set(code) & set("0O1IL")
        assert classwork.normalise_code(code) == code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ABCD-EFGH", "ABCDEFGH"),
        ("abcd efgh", "ABCDEFGH"),
        ("  abcd-efgh\n", "ABCDEFGH"),
        ("A B C D E F G H", "ABCDEFGH"),
        ("ABCD-EFG", None),  # too short
        ("ABCD-EFGHJ", None),  # too long
        ("ABCD-EF0H", None),  # 0 is never in a code
        ("ABCD-EFIH", None),  # nor I
        ("ÄBCD-EFGH", None),
        ("", None),
    ],
)
def test_typed_codes_are_normalised(typed: str, stored: str | None) -> None:
    assert classwork.normalise_code(typed) == stored


@given(st.text(max_size=20))
def test_normalising_any_text_gives_a_code_or_none(text: str) -> None:
    code = classwork.normalise_code(text)
    assert code is None or (
        len(code) == classwork.CODE_LENGTH and set(code) <= set(classwork.CODE_ALPHABET)
    )


def test_codes_are_shown_in_two_halves() -> None:
    assert classwork.format_code("ABCDEFGH") == "ABCD-EFGH"


def test_a_code_is_usable_while_open_and_not_expired() -> None:
    assert classwork.code_usable(True, None, NOW)
    assert classwork.code_usable(True, NOW + HOUR, NOW)
    assert not classwork.code_usable(True, NOW, NOW)  # expired at that very moment
    assert not classwork.code_usable(False, None, NOW)


def test_tried_codes_count_per_learner_and_per_address() -> None:
    assert classwork.join_throttle_keys(7, "192.0.2.1") == (
        ("join-user:7", classwork.JOIN_FREE_PER_LEARNER),
        ("join-addr:192.0.2.1", classwork.JOIN_FREE_PER_ADDRESS),
    )
    # Registering with a code: there is no learner yet.
    assert classwork.join_throttle_keys(None, "192.0.2.1") == (
        ("join-addr:192.0.2.1", classwork.JOIN_FREE_PER_ADDRESS),
    )


def test_window_opens_inclusive_and_closes_at_the_deadline() -> None:
    assert classwork.window_problem(None, None, NOW) is None
    assert classwork.window_problem(NOW + HOUR, None, NOW) == "not_open"
    assert classwork.window_problem(NOW, None, NOW) is None
    assert classwork.window_problem(None, NOW + HOUR, NOW) is None
    assert classwork.window_problem(None, NOW, NOW) == "closed"


def test_an_attempt_ends_at_its_time_limit_or_the_deadline_whichever_is_first() -> None:
    assert classwork.attempt_end(NOW, None, None) is None
    assert classwork.attempt_end(NOW, 30, None) == NOW + timedelta(minutes=30)
    assert classwork.attempt_end(NOW, None, NOW + HOUR) == NOW + HOUR
    assert classwork.attempt_end(NOW, 90, NOW + HOUR) == NOW + HOUR
    assert classwork.attempt_end(NOW, 30, NOW + HOUR) == NOW + timedelta(minutes=30)


def test_time_is_up_from_the_end_on() -> None:
    end = NOW + timedelta(minutes=10)
    assert not classwork.time_is_up(None, NOW)
    assert not classwork.time_is_up(end, end - timedelta(microseconds=1))
    assert classwork.time_is_up(end, end)
    assert classwork.seconds_left(end, NOW) == 600
    assert classwork.seconds_left(end, end + HOUR) == 0


def test_attempts_left() -> None:
    assert classwork.attempts_left(None, 99) is None
    assert classwork.attempts_left(2, 1) == 1
    assert classwork.attempts_left(2, 2) == 0
    assert classwork.attempts_left(1, 3) == 0


def test_feedback_after_the_deadline_only_for_tests() -> None:
    assert classwork.feedback_visible("immediate", NOW + HOUR, NOW)
    assert not classwork.feedback_visible("after_due", NOW + HOUR, NOW)
    assert classwork.feedback_visible("after_due", NOW, NOW)
    assert classwork.feedback_visible("after_due", None, NOW)


@pytest.mark.parametrize(
    ("opens", "due", "progress", "status"),
    [
        (None, NOW + HOUR, Progress(), "open"),
        (None, None, Progress(), "open"),
        (NOW + HOUR, NOW + 2 * HOUR, Progress(), "upcoming"),
        (None, NOW - HOUR, Progress(), "overdue"),
        (None, NOW - HOUR, Progress(attempts=1, done=True), "done"),
        (None, NOW + HOUR, Progress(attempts=1, in_progress=True), "in_progress"),
        (None, NOW + HOUR, Progress(attempts=1, done=True), "done"),
        (None, NOW - HOUR, Progress(done=True), "done"),  # a deck learned in time
    ],
)
def test_learner_status(
    opens: datetime | None, due: datetime | None, progress: Progress, status: str
) -> None:
    assert classwork.learner_status(opens, due, progress, NOW) == status


def test_a_new_attempt_needs_the_window_open_and_attempts_left() -> None:
    due = NOW + HOUR
    assert classwork.can_start(None, due, None, Progress(attempts=5, done=True), NOW)
    assert classwork.can_start(None, due, 2, Progress(attempts=1, done=True), NOW)
    assert not classwork.can_start(None, due, 2, Progress(attempts=2, done=True), NOW)
    assert not classwork.can_start(None, NOW, None, Progress(), NOW)
    assert not classwork.can_start(NOW + HOUR, None, None, Progress(), NOW)
    assert not classwork.can_start(None, due, None, Progress(attempts=1, in_progress=True), NOW)


def test_home_page_lists_overdue_first_then_due_soonest_undated_last() -> None:
    rows = [
        ("done", NOW + 3 * HOUR),
        ("open", None),
        ("open", NOW + 5 * HOUR),
        ("upcoming", NOW + 2 * HOUR),
        ("overdue", NOW - HOUR),
        ("in_progress", NOW + 4 * HOUR),
        ("open", NOW + HOUR),
    ]
    ordered = sorted(rows, key=lambda r: classwork.home_order(*r))
    assert ordered == [
        ("overdue", NOW - HOUR),
        ("open", NOW + HOUR),
        ("in_progress", NOW + 4 * HOUR),
        ("open", NOW + 5 * HOUR),
        ("open", None),
        ("upcoming", NOW + 2 * HOUR),
        ("done", NOW + 3 * HOUR),
    ]


def test_old_work_leaves_the_home_page_after_two_weeks() -> None:
    long_ago = NOW - timedelta(days=classwork.RECENT_DAYS + 1)
    assert classwork.on_home_page("open", None, NOW)
    assert classwork.on_home_page("overdue", NOW - timedelta(days=3), NOW)
    assert not classwork.on_home_page("overdue", long_ago, NOW)
    assert not classwork.on_home_page("done", long_ago, NOW)
    assert classwork.on_home_page("done", None, NOW)


def _figures(attempt_id: int, score: float, total: int, finished: bool = True) -> AttemptFigures:
    start = NOW + timedelta(minutes=attempt_id)
    end = start + timedelta(minutes=5) if finished else None
    return AttemptFigures(attempt_id, start, end, score, total, total)


def test_the_best_finished_attempt_counts_the_earlier_on_a_tie() -> None:
    assert classwork.best_attempt([]) is None
    assert classwork.best_attempt([_figures(1, 9, 10, finished=False)]) is None
    attempts = [
        _figures(1, 6, 10),
        _figures(2, 8, 10),
        _figures(3, 8, 10),
        _figures(4, 10, 10, False),
    ]
    assert classwork.best_attempt(attempts).attempt_id == 2
    # Shares, not points: 4 of 4 beats 8 of 10.
    assert classwork.best_attempt([_figures(1, 8, 10), _figures(2, 4, 4)]).attempt_id == 2


def test_an_attempt_ends_when_finished_or_when_its_time_is_up() -> None:
    end = NOW - HOUR
    assert classwork.effective_end("finished", NOW, end, NOW) == NOW
    assert classwork.effective_end("in_progress", None, end, NOW) == end
    assert classwork.effective_end("in_progress", None, NOW + HOUR, NOW) is None
    assert classwork.effective_end("in_progress", None, None, NOW) is None


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("2026-11-21T14:30", datetime(2026, 11, 21, 13, 30, tzinfo=UTC)),  # CET
        ("21.11.2026 14:30", datetime(2026, 11, 21, 13, 30, tzinfo=UTC)),
        ("2026-07-01T08:00", datetime(2026, 7, 1, 6, 0, tzinfo=UTC)),  # CEST
        ("  ", None),
    ],
)
def test_teachers_type_local_times(typed: str, utc: datetime | None) -> None:
    assert classwork.parse_local_time(typed, "Europe/Berlin") == utc
    if utc is not None:
        round_trip = classwork.local_input(utc, "Europe/Berlin")
        assert classwork.parse_local_time(round_trip, "Europe/Berlin") == utc


@pytest.mark.parametrize("typed", ["morgen", "2026-13-01T10:00", "31.02.2026 10:00", "14:30"])
def test_times_that_are_no_times_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        classwork.parse_local_time(typed, "Europe/Berlin")


def test_counts() -> None:
    assert classwork.parse_count("", 1, 20) is None
    assert classwork.parse_count(" 3 ", 1, 20) == 3
    for bad in ("0", "21", "-1", "1.5", "²", "٣", "drei", "9" * 30):
        with pytest.raises(ValueError):
            classwork.parse_count(bad, 1, 20)


def test_question_ids_by_line_comma_or_space_each_once() -> None:
    assert classwork.parse_question_ids("a, b\nc  a\r\n\nd") == ["a", "b", "c", "d"]
