"""Flashcards in the database: picking the next card, rating, undo, leeches and statistics.

Scheduling itself is quizapp.memory (plain Python around fsrs); this module only loads and
stores its values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.orm.util import identity_key

from quizapp import memory
from quizapp.models import (
    CardSettings,
    CardState,
    Choice,
    Document,
    Question,
    ReviewLog,
    Sentence,
    Topic,
    User,
)

#: Columns of CardState that a review changes; undo restores exactly these.
MEMORY_COLUMNS = (
    "state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
    "suspended", "version",
)  # fmt: skip


class CardError(LookupError):
    """The card does not exist for this learner (or is not approved)."""


class StaleCard(RuntimeError):
    """The card changed since the page was shown (another tab rated it): nothing stored."""


class SuspendedCard(RuntimeError):
    """The card is suspended as a leech; unsuspend it first."""


_DEFAULT_SETTINGS = {
    "desired_retention": 0.9,
    "new_per_day": 20,
    "reviews_per_day": 200,
    "timezone": "Europe/Berlin",
    "typed_answers": False,
    "decks": [],
}


def settings_for(session: Session, user_id: int) -> CardSettings:
    """Return the learner's settings, or (unsaved) defaults.

    When the logged-in user was loaded with its settings (quizapp.auth.routes.load_user),
    no statement is sent, not even for a learner who never saved any.
    """
    user = session.identity_map.get(identity_key(User, user_id))
    if user is not None and "card_settings" not in inspect(user).unloaded:
        found = user.card_settings
    else:
        found = session.get(CardSettings, user_id)
    if found is not None:
        return found
    return CardSettings(user_id=user_id, **{**_DEFAULT_SETTINGS, "decks": []})


def stored_settings(session: Session, user_id: int) -> CardSettings:
    """Return the learner's settings row, storing the defaults first if there is none.

    INSERT ... ON CONFLICT DO NOTHING: two tabs saving at once both find the one row.
    """
    found = session.get(CardSettings, user_id)
    if found is not None:
        return found
    dialect = session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert_(CardSettings)
        .values(user_id=user_id, **_DEFAULT_SETTINGS)
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    return session.get(CardSettings, user_id, populate_existing=True)


def scheduler_settings(settings: CardSettings) -> memory.Settings:
    """Return the scheduling settings of a learner."""
    return memory.Settings(desired_retention=settings.desired_retention)


def deck_condition(decks: list[str]) -> Any:
    """Return a WHERE condition on Question for the chosen decks (all when none is chosen)."""
    documents = [int(d.split(":", 1)[1]) for d in decks if d.startswith("document:")]
    topics = [d.split(":", 1)[1] for d in decks if d.startswith("topic:")]
    parts = []
    if documents:
        parts.append(Question.document_id.in_(documents))
    if topics:
        parts.append(Question.topic_id.in_(select(Topic.id).where(Topic.slug.in_(topics))))
    return or_(*parts) if parts else Question.status == "approved"


def _memory_of(card: Any, now: datetime) -> memory.Memory:
    if card is None or card.state == "new":
        return memory.Memory.new(now)
    return memory.Memory(
        state=card.state,  # type: ignore[arg-type]
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=card.reps,
        lapses=card.lapses,
    )


def _snapshot(columns: dict[str, Any]) -> dict[str, Any]:
    """Return the memory columns as JSON-ready values (dates as ISO text), for undo."""
    values = {name: columns[name] for name in MEMORY_COLUMNS}
    for name in ("due", "last_review"):
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return values


def _restore(values: dict[str, Any]) -> dict[str, Any]:
    restored = dict(values)
    for name in ("due", "last_review"):
        if restored[name] is not None:
            restored[name] = datetime.fromisoformat(restored[name])
    return restored


@dataclass(frozen=True)
class DayCounts:
    """What the learner did on the current study day (for the daily limits)."""

    new: int
    reviews: int


def today_counts(session: Session, user_id: int, now: datetime, tz: str) -> DayCounts:
    """Count today's flashcard reviews: cards seen for the first time, and the others."""
    start, end = memory.day_bounds(memory.study_day(now, tz), tz)
    rows = session.execute(_TODAY, {"user_id": user_id, "start": start, "end": end}).all()
    new = sum(n for state, n in rows if state == "new")
    return DayCounts(new=new, reviews=sum(n for _, n in rows) - new)


_TODAY = (
    select(ReviewLog.state_before, func.count())
    .where(
        ReviewLog.user_id == bindparam("user_id"),
        ReviewLog.source == "card",
        ReviewLog.reviewed_at >= bindparam("start"),
        ReviewLog.reviewed_at < bindparam("end"),
    )
    .group_by(ReviewLog.state_before)
)


def card_query(user_id: Any, decks: list[str]) -> Select:
    """Return a query for the learner's active cards of approved questions in the decks."""
    return (
        select(CardState)
        .join(Question, Question.id == CardState.question_id)
        .where(
            CardState.user_id == user_id,
            CardState.suspended.is_(False),
            Question.status == "approved",
            deck_condition(decks),
        )
    )


def due_condition(now: datetime, day_end: datetime) -> Any:
    """Return the condition for a due card.

    Review cards are due for the whole study day they fall on (fsrs schedules them to the
    minute of the last review, whole days later); learning steps are due to the minute.
    """
    return and_(CardState.due < day_end, or_(CardState.state == "review", CardState.due <= now))


@dataclass(frozen=True)
class NextCard:
    """The card to show next, or why there is none."""

    question: Question | None
    card: CardState | None
    is_new: bool = False
    # When nothing is due now: the next time a learning card comes back today.
    comes_back_at: datetime | None = None
    limit_reached: bool = False


def next_card(session: Session, user_id: int, now: datetime) -> NextCard:
    """Return the next card: due cards first (most overdue first), then new cards.

    Both within the learner's daily limits and chosen decks.
    """
    settings = settings_for(session, user_id)
    start, day_end = memory.day_bounds(memory.study_day(now, settings.timezone), settings.timezone)
    decks = tuple(settings.decks)
    params = {
        "user_id": user_id,
        "now": now,
        "start": start,
        "day_end": day_end,
        "reviews_per_day": settings.reviews_per_day,
        "new_per_day": settings.new_per_day,
    }
    # One statement: today's counts, the card chosen (due or new), its question, topic,
    # source sentence and options.
    rows = session.execute(_chosen_card(decks), params).unique().all()
    new, reviews, card, question = rows[0]
    if question is not None:
        return NextCard(question, card, is_new=card is None)
    reviews_left = reviews - new < settings.reviews_per_day
    later = session.scalar(_next_later(decks), params)
    return NextCard(None, None, comes_back_at=later, limit_reached=not reviews_left)


# The statements of next_card, built once per choice of decks: the review page runs them for
# every card, and building a statement costs more than running it.
_USER, _NOW, _DAY_END = bindparam("user_id"), bindparam("now"), bindparam("day_end")
_START = bindparam("start")


def _reviews_today(new_only: bool) -> Any:
    query = select(func.count()).where(
        ReviewLog.user_id == _USER,
        ReviewLog.source == "card",
        ReviewLog.reviewed_at >= _START,
        ReviewLog.reviewed_at < _DAY_END,
    )
    if new_only:
        query = query.where(ReviewLog.state_before == "new")
    return query.scalar_subquery()


@lru_cache(maxsize=256)
def _chosen_card(decks: tuple[str, ...]) -> Select:
    """Today's new and all card reviews, and the card to show with its question, topic,
    sentence and options, in one row per option: one round trip to the database.

    The card is the most overdue one while reviews are left today, else the first card
    never seen (in the documents' order) while new cards are left; none: NULLs. A CASE
    decides, so the new card is looked for only when no due card is shown.
    """
    due_id = (
        card_query(_USER, list(decks))
        .where(due_condition(_NOW, _DAY_END))
        .order_by(CardState.due, CardState.id)
        .limit(1)
        .with_only_columns(CardState.id)
        .scalar_subquery()
    )
    seen = exists().where(CardState.user_id == _USER, CardState.question_id == Question.id)
    first_unseen = (
        select(Question.id)
        .outerjoin(Document, Document.id == Question.document_id)
        .where(Question.status == "approved", deck_condition(list(decks)), ~seen)
        .order_by(Document.name, Question.char_start, Question.id)
        .limit(1)
        .scalar_subquery()
    )
    today = select(
        _reviews_today(new_only=True).label("new"),
        _reviews_today(new_only=False).label("reviews"),
        due_id.label("card_id"),
    ).subquery("today")
    due_question = (
        select(CardState.question_id).where(CardState.id == today.c.card_id).scalar_subquery()
    )
    reviews_left = today.c.reviews - today.c.new < bindparam("reviews_per_day")
    chosen = select(
        today.c.new,
        today.c.reviews,
        case((reviews_left, today.c.card_id)).label("card_id"),
        case(
            (and_(reviews_left, today.c.card_id.is_not(None)), due_question),
            (today.c.new < bindparam("new_per_day"), first_unseen),
        ).label("question_id"),
    ).subquery("chosen")
    return (
        select(chosen.c.new, chosen.c.reviews, CardState, Question)
        .select_from(chosen)
        .outerjoin(CardState, CardState.id == chosen.c.card_id)
        .outerjoin(Question, Question.id == chosen.c.question_id)
        .outerjoin(Topic, Topic.id == Question.topic_id)
        .outerjoin(Sentence, Sentence.id == Question.sentence_id)
        .outerjoin(Choice, Choice.question_id == Question.id)
        .order_by(Choice.position)
        .options(
            contains_eager(Question.topic),
            contains_eager(Question.sentence),
            contains_eager(Question.choices),
        )
    )


@lru_cache(maxsize=256)
def _next_later(decks: tuple[str, ...]) -> Select:
    return (
        card_query(_USER, list(decks))
        .where(CardState.due > _NOW, CardState.due < _DAY_END)
        .order_by(CardState.due)
        .with_only_columns(CardState.due)
        .limit(1)
    )


def intervals(session: Session, user_id: int, card: CardState | None, now: datetime) -> dict:
    """Return the interval text each rating button would give ({1: "1 min", ...})."""
    settings = scheduler_settings(settings_for(session, user_id))
    previews = memory.preview(_memory_of(card, now), now, settings)
    return {rating: memory.format_interval(td) for rating, td in previews.items()}


@dataclass(frozen=True)
class RateResult:
    """What a rating did."""

    card_id: int
    version: int  # the card's version after the rating
    reviewed_at: datetime
    due: datetime
    leech: bool = False


# The two hot write paths (rating a card, answering a quiz question) run these statements,
# built once: building a statement costs several times what executing a prepared one does.
# The question's status and the learner's card (NULLs when never seen) in one round trip.
_CARD_ROW = (
    select(Question.status, CardState.id, *(getattr(CardState, name) for name in MEMORY_COLUMNS))
    .select_from(Question)
    .outerjoin(
        CardState,
        and_(CardState.question_id == Question.id, CardState.user_id == bindparam("user_id")),
    )
    .where(Question.id == bindparam("question_id"))
)
_UPDATE_CARD = (
    update(CardState)
    .where(CardState.id == bindparam("card_id"), CardState.version == bindparam("shown_version"))
    .values({name: bindparam(f"new_{name}") for name in MEMORY_COLUMNS})
)
# A card created by another tab in the meantime is not an error of the database but a stale
# page: ON CONFLICT DO NOTHING returns no id then (no savepoint needed to recover).
_INSERT_CARD = {
    name: dialect_insert(CardState)
    .on_conflict_do_nothing(index_elements=["user_id", "question_id"])
    .returning(CardState.id)
    for name, dialect_insert in (("sqlite", sqlite_insert), ("postgresql", postgresql_insert))
}
_INSERT_LOG = insert(ReviewLog)
_LOGGED_ITEM = select(ReviewLog.id).where(ReviewLog.attempt_item_id == bindparam("item_id"))


def _never_seen(now: datetime) -> dict[str, Any]:
    """The memory columns of a card that was never reviewed (what undo brings back)."""
    return {
        "state": "new", "step": 0, "stability": None, "difficulty": None, "due": now,
        "last_review": None, "reps": 0, "lapses": 0, "suspended": False, "version": 0,
    }  # fmt: skip


def rate(
    session: Session,
    user_id: int,
    question_id: str,
    rating: int,
    version: int,
    now: datetime,
    *,
    source: str = "card",
    attempt_item_id: int | None = None,
    settings: memory.Settings | None = None,
) -> RateResult:
    """Apply a rating to the learner's card, if the card is still in the state that was shown.

    ``version`` is the card version the page showed (0 for a card never seen), or None to
    rate the card as it is (a quiz answer). A mismatch raises StaleCard and nothing is stored;
    the caller commits.
    """
    if rating not in memory.RATINGS:
        raise ValueError(f"rating must be 1..4, got {rating!r}")
    conn = session.connection()
    found = conn.execute(_CARD_ROW, {"user_id": user_id, "question_id": question_id}).first()
    if found is None or found.status != "approved":
        raise CardError(question_id)
    card = found if found.id is not None else None
    if card is None:
        if version not in (None, 0):
            raise StaleCard(question_id)
        before = _never_seen(now)
    elif version is not None and card.version != version:
        raise StaleCard(question_id)
    else:
        before = {name: getattr(card, name) for name in MEMORY_COLUMNS}
    if before["suspended"] and source == "card":
        raise SuspendedCard(question_id)
    if settings is None:
        settings = scheduler_settings(settings_for(session, user_id))
    last = before["last_review"]
    when = max(now, last) if last is not None else now  # a clock step back never breaks fsrs
    outcome = memory.review(_memory_of(card, now), rating, when, settings)
    new = outcome.memory
    values = {
        "state": new.state,
        "step": new.step,
        "stability": new.stability,
        "difficulty": new.difficulty,
        "due": new.due,
        "last_review": new.last_review,
        "reps": new.reps,
        "lapses": new.lapses,
        "suspended": before["suspended"] or outcome.leech,
        "version": before["version"] + 1,
    }
    if card is None:
        card_id = conn.scalar(
            _INSERT_CARD[conn.dialect.name],
            {"user_id": user_id, "question_id": question_id, **values},
        )
        if card_id is None:  # another tab created the card first
            raise StaleCard(question_id)
    else:
        # The version in the WHERE clause makes two racing ratings safe: one wins.
        params = {f"new_{name}": value for name, value in values.items()}
        result = conn.execute(
            _UPDATE_CARD, {"card_id": card.id, "shown_version": card.version, **params}
        )
        if result.rowcount != 1:
            raise StaleCard(question_id)
        card_id = card.id
    snapshot = _snapshot(before)
    conn.execute(
        _INSERT_LOG,
        {
            "user_id": user_id,
            "question_id": question_id,
            "card_state_id": card_id,
            "rating": rating,
            "source": source,
            "attempt_item_id": attempt_item_id,
            "reviewed_at": when,
            "state_before": before["state"],
            "due_before": before["due"],
            "scheduled_days": outcome.interval.total_seconds() / 86400,
            "previous": snapshot,
        },
    )
    return RateResult(card_id, values["version"], when, new.due, leech=outcome.leech)


def apply_quiz_answer(
    session: Session,
    user_id: int,
    question_id: str,
    correct: bool,
    item_id: int,
    now: datetime,
    settings: memory.Settings | None = None,
) -> None:
    """Count a quiz answer as a review of the card (right: Good, wrong: Again), once per item.

    A suspended card stays suspended; the answer still updates its memory. A question taken
    out of use (no longer approved) since the quiz began gets no review. ``settings``: the
    learner's scheduling settings, when the caller has them (else they are read).
    """
    conn = session.connection()
    if conn.scalar(_LOGGED_ITEM, {"item_id": item_id}) is not None:
        return
    rating = memory.rating_for_quiz(correct)
    for _ in range(2):
        try:
            rate(session, user_id, question_id, rating, None, now, source="quiz",
                 attempt_item_id=item_id, settings=settings)  # fmt: skip
            return
        except StaleCard:  # rated in another tab between the read and the write: read again
            continue
        except CardError:
            return
    raise StaleCard(question_id)


def undo_last(session: Session, user_id: int) -> ReviewLog | None:
    """Undo the learner's last flashcard rating exactly: restore the card, delete the log.

    Returns the undone log (detached values readable), or None if there is nothing to undo
    or the card changed since (then nothing is changed).
    """
    log = session.scalar(
        select(ReviewLog)
        .where(ReviewLog.user_id == user_id, ReviewLog.source == "card")
        .order_by(ReviewLog.id.desc())
        .limit(1)
    )
    if log is None:
        return None
    card = session.get(CardState, log.card_state_id)
    previous = _restore(log.previous)
    if card is None or card.version != previous["version"] + 1:
        return None
    if previous["state"] == "new" and previous["reps"] == 0:
        # The card had never been seen: undo makes it new again by removing it.
        session.delete(log)
        session.flush()  # the log first: the database would cascade it away with the card
        session.delete(card)
    else:
        for name, value in previous.items():
            setattr(card, name, value)
        session.delete(log)
    session.flush()
    return log


def unsuspend(session: Session, user_id: int, question_id: str) -> CardState:
    """Lift a leech's suspension; the caller commits."""
    card = session.scalar(
        select(CardState).where(CardState.user_id == user_id, CardState.question_id == question_id)
    )
    if card is None or not card.suspended:
        raise CardError(question_id)
    card.suspended = False
    card.version += 1
    return card


def leeches(session: Session, user_id: int) -> list[CardState]:
    """Return the learner's suspended cards."""
    return list(
        session.scalars(
            select(CardState)
            .where(CardState.user_id == user_id, CardState.suspended.is_(True))
            .order_by(CardState.lapses.desc())
        )
    )


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Stats:
    """A learner's flashcard statistics."""

    reviews_per_day: list[tuple[date, int]]  # last 30 study days, oldest first
    forecast: list[tuple[date, int]]  # cards due per day for the next 14 days (today first)
    true_retention: float | None  # share of review-state reviews not rated Again, 30 days
    retention_reviews: int
    by_state: dict[str, int]
    streak: int  # consecutive study days with a review, up to today (or yesterday)


def statistics(session: Session, user_id: int, now: datetime) -> Stats:
    """Compute the statistics page's numbers with a few indexed queries."""
    settings = settings_for(session, user_id)
    tz = settings.timezone
    today = memory.study_day(now, tz)
    first_day = today - timedelta(days=29)
    start, _ = memory.day_bounds(first_day, tz)
    logs = session.execute(
        select(ReviewLog.reviewed_at, ReviewLog.state_before, ReviewLog.rating).where(
            ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= start
        )
    ).all()
    per_day = Counter(memory.study_day(at, tz) for at, _, _ in logs)
    reviews_per_day = [(first_day + timedelta(days=i), per_day[first_day + timedelta(days=i)])
                       for i in range(30)]  # fmt: skip
    matured = [rating for _, state, rating in logs if state == "review"]
    retention = (sum(r > 1 for r in matured) / len(matured)) if matured else None

    _, horizon = memory.day_bounds(today + timedelta(days=13), tz)
    due_times = session.scalars(
        select(CardState.due).where(
            CardState.user_id == user_id,
            CardState.suspended.is_(False),
            CardState.due < horizon,
        )
    ).all()
    due_days = Counter(max(memory.study_day(d, tz), today) for d in due_times)
    forecast = [(today + timedelta(days=i), due_days[today + timedelta(days=i)]) for i in range(14)]

    states = dict(
        session.execute(
            select(CardState.state, func.count())
            .where(CardState.user_id == user_id)
            .group_by(CardState.state)
        ).all()
    )
    seen = exists().where(CardState.user_id == user_id, CardState.question_id == Question.id)
    unseen = session.scalar(
        select(func.count())
        .select_from(Question)
        .where(Question.status == "approved", deck_condition(settings.decks), ~seen)
    )
    by_state = {s: states.get(s, 0) for s in ("learning", "review", "relearning")}
    by_state = {"new": (unseen or 0) + states.get("new", 0), **by_state}

    streak = streak_days(session, user_id, today, tz)
    return Stats(reviews_per_day, forecast, retention, len(matured), by_state, streak)


def streak_days(session: Session, user_id: int, today: date, tz: str) -> int:
    """Count consecutive study days with at least one review, ending today or yesterday.

    One query, newest review first, read only until the first missed day (one query per
    day made a year's streak cost hundreds of round trips).
    """
    rows = session.execute(
        select(ReviewLog.reviewed_at)
        .where(ReviewLog.user_id == user_id)
        .order_by(ReviewLog.reviewed_at.desc())
        .execution_options(yield_per=500)
    )
    streak, expected = 0, today
    for (at,) in rows:
        day = memory.study_day(at, tz)
        if day > expected:
            continue  # another review of a day already counted
        if day == expected:
            streak += 1
            expected -= timedelta(days=1)
        elif streak == 0 and day == today - timedelta(days=1):
            # Nothing yet today: yesterday's streak still counts until the day is over.
            streak, expected = 1, day - timedelta(days=1)
        else:
            break
    rows.close()
    return streak
