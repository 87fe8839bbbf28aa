"""Scheduling in the database with a controlled clock: order, limits, rollover, undo, leeches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import CardSettings, CardState, Question, ReviewLog
from quizapp.services import cards
from tests.helpers import make_user

# 10:00 in Berlin (CET, UTC+1) on a Saturday.
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(loaded_app):
    user_id = make_user(loaded_app, "karl")
    with loaded_app.app_context():
        yield user_id


def _set(user_id: int, **values) -> None:
    settings = db.session.get(CardSettings, user_id) or cards.settings_for(db.session, user_id)
    for key, value in values.items():
        setattr(settings, key, value)
    db.session.add(settings)
    db.session.commit()


def _rate(user_id: int, question_id: str, rating: int, now: datetime) -> cards.RateResult:
    card = db.session.scalar(
        select(CardState).where(CardState.user_id == user_id, CardState.question_id == question_id)
    )
    result = cards.rate(db.session, user_id, question_id, rating, card.version if card else 0, now)
    db.session.commit()
    return result


def _card(user_id: int, question_id: str) -> CardState:
    return db.session.scalar(
        select(CardState).where(CardState.user_id == user_id, CardState.question_id == question_id)
    )


def _graduate(user_id: int, now: datetime) -> tuple[str, datetime]:
    """Take a new card into review state (Easy) and return it with the time after."""
    nxt = cards.next_card(db.session, user_id, now)
    assert nxt.is_new
    _rate(user_id, nxt.question.id, 4, now)
    assert _card(user_id, nxt.question.id).state == "review"
    return nxt.question.id, now


def test_intervals_grow_with_repeated_good(ctx) -> None:
    qid, now = _graduate(ctx, T0)
    intervals = []
    for _ in range(4):
        card = _card(ctx, qid)
        now = card.due + timedelta(hours=1)
        _rate(ctx, qid, 3, now)
        intervals.append(_card(ctx, qid).due - now)
    assert intervals == sorted(intervals) and intervals[-1] > intervals[0] * 2


def test_again_sends_a_review_card_to_relearning(ctx) -> None:
    qid, now = _graduate(ctx, T0)
    card = _card(ctx, qid)
    result = _rate(ctx, qid, 1, card.due)
    card = _card(ctx, qid)
    assert card.state == "relearning" and card.lapses == 1
    assert card.due - result.reviewed_at == timedelta(minutes=10)


def test_due_cards_come_most_overdue_first_then_new(ctx) -> None:
    first, _ = _graduate(ctx, T0)
    second, _ = _graduate(ctx, T0 + timedelta(minutes=1))
    later = T0 + timedelta(days=60)
    assert cards.next_card(db.session, ctx, later).question.id == first
    _rate(ctx, first, 3, later)
    assert cards.next_card(db.session, ctx, later).question.id == second
    _rate(ctx, second, 3, later)
    nxt = cards.next_card(db.session, ctx, later)
    assert nxt.is_new and nxt.question.id not in (first, second)


def test_daily_new_card_limit_and_rollover_at_4_am_local(ctx) -> None:
    _set(ctx, new_per_day=2, timezone="Europe/Berlin")
    now = T0
    for _ in range(2):
        nxt = cards.next_card(db.session, ctx, now)
        _rate(ctx, nxt.question.id, 4, now)
    assert cards.next_card(db.session, ctx, now).question is None
    # 03:59 Berlin time next day (02:59 UTC) is still the same study day ...
    assert (
        cards.next_card(db.session, ctx, datetime(2026, 11, 22, 2, 59, tzinfo=UTC)).question is None
    )
    # ... and at 04:00 Berlin time (03:00 UTC) new cards come again.
    assert cards.next_card(db.session, ctx, datetime(2026, 11, 22, 3, 0, tzinfo=UTC)).is_new


def test_daily_review_limit(ctx) -> None:
    _set(ctx, reviews_per_day=1)
    a, _ = _graduate(ctx, T0)
    b, _ = _graduate(ctx, T0)
    later = T0 + timedelta(days=40)
    _rate(ctx, cards.next_card(db.session, ctx, later).question.id, 3, later)
    nxt = cards.next_card(db.session, ctx, later)
    assert nxt.question is None or nxt.is_new


def test_undo_restores_the_card_exactly_and_removes_the_log(ctx) -> None:
    qid, _ = _graduate(ctx, T0)
    card = _card(ctx, qid)
    before = {c: getattr(card, c) for c in cards.MEMORY_COLUMNS}
    logs = db.session.scalar(select(func.count()).select_from(ReviewLog))
    _rate(ctx, qid, 1, card.due)
    assert cards.undo_last(db.session, ctx) is not None
    db.session.commit()
    card = _card(ctx, qid)
    assert {c: getattr(card, c) for c in cards.MEMORY_COLUMNS} == before
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == logs


def test_undo_of_a_first_rating_makes_the_card_new_again(ctx) -> None:
    nxt = cards.next_card(db.session, ctx, T0)
    _rate(ctx, nxt.question.id, 3, T0)
    cards.undo_last(db.session, ctx)
    db.session.commit()
    assert _card(ctx, nxt.question.id) is None
    assert cards.next_card(db.session, ctx, T0).question.id == nxt.question.id
    assert cards.undo_last(db.session, ctx) is None


def test_a_second_rating_of_the_same_card_state_is_refused(ctx) -> None:
    nxt = cards.next_card(db.session, ctx, T0)
    cards.rate(db.session, ctx, nxt.question.id, 3, 0, T0)
    db.session.commit()
    with pytest.raises(cards.StaleCard):
        cards.rate(db.session, ctx, nxt.question.id, 3, 0, T0)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_eighth_lapse_suspends_the_card_and_it_can_be_unsuspended(ctx) -> None:
    qid, now = _graduate(ctx, T0)
    leech = False
    for lapse in range(8):
        card = _card(ctx, qid)
        now = max(now, card.due) + timedelta(minutes=1)
        result = _rate(ctx, qid, 1, now)  # lapse
        leech = result.leech
        if lapse < 7:
            assert not leech
            now += timedelta(minutes=11)
            _rate(ctx, qid, 4, now)  # back to review
    assert leech and _card(ctx, qid).suspended and _card(ctx, qid).lapses == 8
    assert cards.leeches(db.session, ctx)[0].question_id == qid
    with pytest.raises(cards.SuspendedCard):
        cards.rate(db.session, ctx, qid, 3, _card(ctx, qid).version, now)
    db.session.rollback()
    cards.unsuspend(db.session, ctx, qid)
    db.session.commit()
    assert not _card(ctx, qid).suspended


def test_quiz_answer_counts_once_as_good_or_again(ctx, loaded_app) -> None:
    from quizapp.models import Attempt, AttemptItem

    qid = db.session.scalar(select(Question.id).where(Question.status == "approved"))
    attempt = Attempt(user_id=ctx, mode="mixed", title="t", started_at=T0)
    attempt.items.append(AttemptItem(position=0, question_id=qid, choice_order=[]))
    db.session.add(attempt)
    db.session.commit()
    item_id = attempt.items[0].id
    cards.apply_quiz_answer(db.session, ctx, qid, True, item_id, T0)
    cards.apply_quiz_answer(db.session, ctx, qid, True, item_id, T0)
    db.session.commit()
    logs = db.session.scalars(select(ReviewLog)).all()
    assert [(log.rating, log.source) for log in logs] == [(3, "quiz")]
    assert _card(ctx, qid).reps == 1


def test_rating_outside_1_to_4_and_unapproved_questions_are_refused(ctx) -> None:
    qid = db.session.scalar(select(Question.id).where(Question.status == "approved"))
    with pytest.raises(ValueError):
        cards.rate(db.session, ctx, qid, 5, 0, T0)
    rejected = db.session.scalar(select(Question.id).where(Question.status == "rejected"))
    with pytest.raises(cards.CardError):
        cards.rate(db.session, ctx, rejected, 3, 0, T0)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 0


def test_statistics(ctx) -> None:
    qid, _ = _graduate(ctx, T0)
    other, _ = _graduate(ctx, T0)
    day2 = _card(ctx, qid).due
    _rate(ctx, qid, 3, day2)  # a review-state review: remembered
    _rate(ctx, other, 1, _card(ctx, other).due)  # forgotten
    stats = cards.statistics(db.session, ctx, day2)
    assert sum(n for _, n in stats.reviews_per_day) == 4
    assert stats.true_retention == 0.5 and stats.retention_reviews == 2
    assert stats.by_state["review"] == 1 and stats.by_state["relearning"] == 1
    assert stats.by_state["new"] > 0
    # The forgotten card is due again in 10 minutes: today, the first day of the forecast.
    assert stats.forecast[0][1] == 1 and len(stats.forecast) == 14
    assert stats.streak == 1  # the first reviews were days before, not yesterday


def test_streak_counts_consecutive_study_days(ctx) -> None:
    for day in range(3):
        now = T0 + timedelta(days=day)
        nxt = cards.next_card(db.session, ctx, now)
        _rate(ctx, nxt.question.id, 3, now)
    assert cards.statistics(db.session, ctx, T0 + timedelta(days=2)).streak == 3
    # A day without reviews keeps yesterday's streak until the day is over ...
    assert cards.statistics(db.session, ctx, T0 + timedelta(days=3)).streak == 3
    # ... and breaks it after.
    assert cards.statistics(db.session, ctx, T0 + timedelta(days=4)).streak == 0
