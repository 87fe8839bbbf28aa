"""Quiz attempts: choosing questions, recording answers exactly once, results and history."""

from __future__ import annotations

import random
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, insert, select, update
from sqlalchemy.orm import Session

from quizapp.answers import Graded, Option, Spec
from quizapp.bank.leaks import Candidate, draw_compatible
from quizapp.models import (
    CHOICE_KINDS,
    Attempt,
    AttemptItem,
    BankRevision,
    Choice,
    Document,
    Fact,
    Question,
    Topic,
)

DEFAULT_LENGTH = 10
MAX_LENGTH = 50
#: AttemptItem.note of a question the quiz skipped because it cannot be asked.
SKIPPED = "skipped"
#: AttemptItem.note of a question left open when the attempt's time was up.
TIME_UP = "time_up"


def spec_for(question: Question, order: list[int] | None = None) -> Spec:
    """Return the grading spec of a question, with options in the order shown (``order``)."""
    return build_spec(
        question.kind, question.answer, question.accepted, question.extra, question.choices, order
    )


def build_spec(
    kind: str,
    answer: str,
    accepted: list[str] | None,
    extra: dict[str, Any] | None,
    choices: Iterable[Any],
    order: list[int] | None = None,
) -> Spec:
    """Return a grading spec from a question's values and its choices (objects or rows)."""
    options = [
        Option(
            id=c.id,
            text=c.text,
            correct=c.correct,
            position=c.position,
            match=c.match,
            weight=c.weight,
            feedback=c.feedback,
        )
        for c in choices
    ]
    if order:
        by_id = {o.id: o for o in options}
        options = [by_id[i] for i in order if i in by_id]
    return Spec(kind, answer, tuple(accepted or ()), tuple(options), dict(extra or {}))


def approved_questions() -> select:
    """Return a query for the questions learners may see."""
    return select(Question).where(Question.status == "approved")


@dataclass(frozen=True)
class CatalogueEntry:
    """A quiz a learner can start: what it covers and how many questions it has."""

    mode: str
    key: str  # document id or topic slug
    title: str
    count: int


def catalogue(session: Session) -> tuple[list[CatalogueEntry], list[CatalogueEntry], int]:
    """Return quizzes by document, by topic, and the number of approved questions in all."""
    by_doc = session.execute(
        select(Document.id, Document.title, func.count(Question.id))
        .join(Question, Question.document_id == Document.id)
        .where(Question.status == "approved")
        .group_by(Document.id, Document.title)
        .order_by(Document.title)
    ).all()
    by_topic = session.execute(
        select(Topic.slug, Topic.name, func.count(Question.id))
        .join(Question, Question.topic_id == Topic.id)
        .where(Question.status == "approved")
        .group_by(Topic.slug, Topic.name)
        .order_by(Topic.name)
    ).all()
    total = session.scalar(select(func.count()).select_from(approved_questions().subquery())) or 0
    return (
        [CatalogueEntry("document", str(i), t, n) for i, t, n in by_doc],
        [CatalogueEntry("topic", s, t, n) for s, t, n in by_topic],
        total,
    )


def latest_answers(user_id: int) -> Any:
    """Return a subquery of each question's answers by this learner, ``rn == 1`` the latest."""
    return (
        select(
            AttemptItem.question_id,
            AttemptItem.score,
            AttemptItem.answered_at,
            func.row_number()
            .over(partition_by=AttemptItem.question_id, order_by=AttemptItem.answered_at.desc())
            .label("rn"),
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id, AttemptItem.answered_at.is_not(None))
        .where(AttemptItem.score.is_not(None))  # not the skipped ones
        .subquery()
    )


def weak_question_ids(session: Session, user_id: int, limit: int) -> list[str]:
    """Return approved questions whose latest answer by this learner was not fully right.

    Most recently missed first, so what slipped last comes back first.
    """
    latest = latest_answers(user_id)
    rows = session.execute(
        select(latest.c.question_id)
        .join(Question, Question.id == latest.c.question_id)
        .where(latest.c.rn == 1, latest.c.score < 1.0, Question.status == "approved")
        .order_by(latest.c.answered_at.desc())
        .limit(limit)
    )
    return [r[0] for r in rows]


class QuizUnavailable(LookupError):
    """The chosen quiz has no questions (unknown document or topic, or nothing approved)."""


@dataclass(frozen=True)
class Draw:
    """The questions drawn for a new attempt, with their options in the order to show."""

    mode: str
    title: str
    document_id: int | None
    topic_id: int | None
    items: list[tuple[str, list[int]]]  # (question id, choice ids in display order)


#: Kinds a timeline quiz asks: when, in which order, which year, true or false of a date.
TIMELINE_KINDS = ("date", "ordering", "matching", "true_false", "typed")


def draw_questions(
    session: Session, user_id: int | None, mode: str, key: str, length: int, rng: random.Random
) -> Draw:
    """Draw the questions of a new quiz and shuffle their options (reads only).

    No question drawn gives away another's answer (``quizapp.bank.leaks``). A document's, a
    topic's and the mixed quiz's pools are kept per process while the bank's revision stays
    the same (``POOLS``): a start then reads one row instead of the pool, its options and
    the document's title. The weak-spots and timeline quizzes read theirs each time.
    """
    length = max(1, min(length, MAX_LENGTH))
    if mode in ("document", "topic", "mixed"):
        pool = _kept_pool(session, mode, key)
    elif mode == "weak":
        weak = weak_question_ids(session, user_id, MAX_LENGTH) if user_id is not None else []
        pool = load_pool(
            session, "Schwachstellen", None, None, _CANDIDATES.where(Question.id.in_(weak))
        )
    elif mode == "timeline":
        selection = timeline_selection(session, key)
        if not selection.event_ids:
            raise QuizUnavailable(key)
        candidates = _CANDIDATES.where(
            Question.fact_id.in_(selection.event_ids), Question.kind.in_(TIMELINE_KINDS)
        )
        title, document_id, topic_id = selection.title, selection.document_id, selection.topic_id
        pool = load_pool(session, title, document_id, topic_id, candidates)
    else:
        raise QuizUnavailable(mode)
    if pool is None:
        raise QuizUnavailable(key or mode)
    chosen = [c.id for c in draw_compatible(pool.candidates, length, rng)]
    if mode not in ("mixed", "timeline"):
        # Within a document or topic, keep the text's order: it reads like a story.
        start = pool.start
        chosen.sort(key=lambda i: (start[i] if start[i] is not None else 1 << 30, i))
    items = [(i, _shuffled(pool.kinds[i], pool.choices.get(i, ()), rng)) for i in chosen]
    return Draw(mode, pool.title, pool.document_id, pool.topic_id, items)


@dataclass(frozen=True)
class Pool:
    """The approved questions a quiz draws from, with what the draw needs of them."""

    title: str
    document_id: int | None
    topic_id: int | None
    candidates: tuple[Candidate, ...]  # in id order
    start: dict[str, int | None]  # where each question's sentence begins in its document
    kinds: dict[str, str]
    choices: dict[str, tuple[int, ...]]  # each question's option ids in stored order


def load_pool(
    session: Session, title: str, document_id: int | None, topic_id: int | None, candidates: Select
) -> Pool | None:
    """Read a pool: ``candidates`` selects its questions (a narrowed ``_CANDIDATES``). One
    statement brings each question with its option ids, so questions and options are read
    at the same moment (on PostgreSQL each statement sees the latest commits: a question
    approved between two statements would have options but no place in the pool). None if
    the pool holds no question."""
    rows = session.execute(
        candidates.add_columns(Choice.id.label("choice_id"))
        .outerjoin(Choice, Choice.question_id == Question.id)
        .order_by(Question.id, Choice.position)
    ).all()
    if not rows:
        return None
    questions = {r.id: r for r in rows}  # one row per question (the last of its options)
    choices: dict[str, list[int]] = {i: [] for i in questions}
    for r in rows:
        if r.choice_id is not None:
            choices[r.id].append(r.choice_id)
    return Pool(
        title,
        document_id,
        topic_id,
        tuple(
            Candidate(r.id, r.kind, r.prompt, r.answer, tuple(r.accepted or ()))
            for r in questions.values()
        ),
        {r.id: r.char_start for r in questions.values()},
        {r.id: r.kind for r in questions.values()},
        {i: tuple(ids) for i, ids in choices.items()},
    )


class PoolCache:
    """Pools kept by one process while the bank's revision stays the same.

    The revision (``BankRevision``) is counted up by database triggers on every change to
    questions, options, documents and topics, and is read before the pool, so a kept pool
    is never older than the bank the request reads. Kept per engine (a process may talk to
    several databases; the tests do) and only for pools that exist: their number is bounded
    by the bank's documents and topics, whatever keys requests send. A transaction that has
    changed the bank must not draw before it commits (none does): it would keep a pool of
    changes that might still be rolled back. Restoring a backup into a running server is
    not supported either (the revision could come back to a number already kept).
    """

    def __init__(self) -> None:
        self._kept: weakref.WeakKeyDictionary[Any, tuple[int, dict[Any, Pool]]] = (
            weakref.WeakKeyDictionary()
        )

    def get(
        self, engine: Any, revision: int | None, key: Any, load: Callable[[], Pool | None]
    ) -> Pool | None:
        """Return the pool kept under ``key`` at ``revision``, loading it if needed."""
        if revision is None:
            return load()  # a database without the revision row: nothing is kept
        kept = self._kept.get(engine)
        if kept is None or kept[0] != revision:
            kept = (revision, {})
            self._kept[engine] = kept
        pool = kept[1].get(key)
        if pool is None:
            pool = load()
            if pool is not None:
                kept[1][key] = pool
        return pool


#: This process's pools (see PoolCache).
POOLS = PoolCache()


def _kept_pool(session: Session, mode: str, key: str) -> Pool | None:
    """Return the pool of a document's, a topic's or the mixed quiz, kept or read."""
    revision = session.execute(_REVISION).scalar_one_or_none()
    engine = session.get_bind()
    if mode == "mixed":
        return POOLS.get(
            engine, revision, "mixed",
            lambda: load_pool(session, "Gemischtes Quiz", None, None, _CANDIDATES),
        )  # fmt: skip
    if mode == "document":
        # ASCII digits of a number a column can hold; anything else is no document.
        if not (key.isascii() and key.isdigit() and len(key) <= 9):
            return None
        document_id = int(key)

        def document() -> Pool | None:
            found = session.execute(_DOCUMENT, {"id": document_id}).first()
            if found is None:
                return None
            candidates = _CANDIDATES.where(Question.document_id == document_id)
            return load_pool(session, found.title, document_id, None, candidates)

        return POOLS.get(engine, revision, ("document", document_id), document)

    def topic() -> Pool | None:
        found = session.execute(_TOPIC, {"slug": key}).first()
        if found is None:
            return None
        candidates = _CANDIDATES.where(Question.topic_id == found.id)
        return load_pool(session, found.name, None, found.id, candidates)

    return POOLS.get(engine, revision, ("topic", key), topic)


def with_choices(
    session: Session, question_ids: list[str], kinds: dict[str, str], rng: random.Random
) -> list[tuple[str, list[int]]]:
    """Return (question id, its choice ids in a shuffled display order) for each question."""
    choices: dict[str, list[int]] = {i: [] for i in question_ids}
    for question_id, choice_id in session.execute(_CHOICES_OF, {"ids": question_ids}):
        choices[question_id].append(choice_id)
    return [(i, _shuffled(kinds[i], choices[i], rng)) for i in question_ids]


# The statements of a quiz start, built once (building one costs more than running it).
_CANDIDATES = select(
    Question.id,
    Question.kind,
    Question.char_start,
    Question.prompt,
    Question.answer,
    Question.accepted,
).where(Question.status == "approved")
_DOCUMENT = select(Document.id, Document.title).where(Document.id == bindparam("id"))
_TOPIC = select(Topic.id, Topic.name).where(Topic.slug == bindparam("slug"))
_REVISION = select(BankRevision.revision).where(BankRevision.id == 1)
_CHOICES_OF = (
    select(Choice.question_id, Choice.id)
    .where(Choice.question_id.in_(bindparam("ids", expanding=True)))
    .order_by(Choice.question_id, Choice.position)
)


@dataclass(frozen=True)
class TimelineSelection:
    """The events a timeline shows: filtered by document and topic."""

    title: str
    document_id: int | None
    topic_id: int | None
    event_ids: list[str]


def timeline_key(document_id: int | None, topic: str | None) -> str:
    """Return the quiz key of a timeline filter: "document:3,topic:korea"."""
    parts = []
    if document_id is not None:
        parts.append(f"document:{document_id}")
    if topic:
        parts.append(f"topic:{topic}")
    return ",".join(parts)


def timeline_selection(session: Session, key: str) -> TimelineSelection:
    """Return the approved events a timeline key selects, in date order."""
    filters = dict(part.split(":", 1) for part in key.split(",") if ":" in part)
    query = select(Fact.id).where(Fact.kind == "event", Fact.status == "approved")
    names = []
    document_id = topic_id = None
    raw_document = filters.get("document", "")
    if raw_document:
        document = session.get(Document, int(raw_document)) if raw_document.isdigit() and len(
            raw_document
        ) < 10 else None  # fmt: skip
        if document is None:
            return TimelineSelection("", None, None, [])
        document_id = document.id
        names.append(document.title)
        query = query.where(Fact.document_id == document.id)
    if filters.get("topic"):
        topic = session.scalar(select(Topic).where(Topic.slug == filters["topic"]))
        if topic is None:
            return TimelineSelection("", None, None, [])
        topic_id = topic.id
        names.append(topic.name)
        query = query.where(Fact.topic_id == topic.id)
    ids = list(session.scalars(query.order_by(Fact.sort_key, Fact.id)))
    title = "Zeitleiste: " + (" · ".join(names) if names else "alle Ereignisse")
    return TimelineSelection(title, document_id, topic_id, ids)


def start_attempt(
    session: Session,
    user_id: int,
    draw: Draw,
    now: datetime,
    *,
    assignment_id: int | None = None,
    ends_at: datetime | None = None,
) -> int:
    """Store the attempt of a draw with its items and return its id; the caller commits.

    An attempt at an assignment names it; ``ends_at`` is when its answers stop counting.
    Two statements, no objects: the attempt (its id comes back), then its items with one
    executemany (the ORM would send one INSERT per item to learn ids nothing here needs).
    Both go to the tables, not through the ORM's bulk insert, which costs as much again as
    the statements themselves (0.48 against 0.23 ms, measured) for nothing used here.
    """
    attempt_id = session.execute(
        _INSERT_ATTEMPT,
        {
            "user_id": user_id,
            "mode": draw.mode,
            "title": draw.title,
            "document_id": draw.document_id,
            "topic_id": draw.topic_id,
            "state": "in_progress",
            "started_at": now,
            "assignment_id": assignment_id,
            "ends_at": ends_at,
        },
    ).scalar_one()
    session.execute(
        _INSERT_ITEMS,
        [
            {
                "attempt_id": attempt_id,
                "position": position,
                "question_id": question_id,
                "choice_order": order,
            }
            for position, (question_id, order) in enumerate(draw.items)
        ],
    )
    return attempt_id


_ATTEMPT_TABLE, _ITEM_TABLE = Attempt.__table__, AttemptItem.__table__
_INSERT_ATTEMPT = insert(_ATTEMPT_TABLE).returning(_ATTEMPT_TABLE.c.id)
_INSERT_ITEMS = insert(_ITEM_TABLE)


def _shuffled(kind: str, ids: list[int], rng: random.Random) -> list[int]:
    ids = list(ids)
    if kind in CHOICE_KINDS and len(ids) > 1:
        original = list(ids)
        for _ in range(10):  # an ordering shown already in order would give itself away
            rng.shuffle(ids)
            if ids != original:
                break
    return ids


def record_answer(session: Session, item_id: int, graded: Graded, now: datetime) -> bool:
    """Store a graded answer unless one is already stored; return whether this one was stored.

    The conditional UPDATE makes a double click or two tabs race safely: exactly one wins.
    """
    result = session.connection().execute(
        _RECORD,
        {
            "item_id": item_id,
            "new_response": graded.response,
            "new_response_text": graded.text,
            "new_score": graded.grade.score,
            "new_correct": graded.grade.correct,
            "new_note": graded.grade.note,
            "new_answered_at": now,
        },
    )
    return result.rowcount == 1


def skip_items(session: Session, item_ids: Iterable[int], now: datetime) -> None:
    """Mark unanswered items as skipped: answered without a score, so the quiz goes on.

    For questions that cannot be asked (``quizapp.answers.unplayable``); a skipped item
    counts neither for nor against the learner, and teachers see it (``skipped_questions``).
    """
    ids = list(item_ids)
    if ids:
        session.execute(
            update(AttemptItem)
            .where(AttemptItem.id.in_(ids), AttemptItem.answered_at.is_(None))
            .values(answered_at=now, note=SKIPPED, score=None, correct=None)
        )


def defer_item(session: Session, attempt_id: int, position: int) -> bool:
    """Put an open question of an attempt behind all other open ones (the learner skipped it).

    Return False when it cannot be skipped: answered already, or the only open question.
    """
    waiting = session.execute(
        select(AttemptItem.id, AttemptItem.position, AttemptItem.deferred).where(
            AttemptItem.attempt_id == attempt_id, AttemptItem.answered_at.is_(None)
        )
    ).all()
    target = next((row for row in waiting if row.position == position), None)
    if target is None or len(waiting) < 2:
        return False
    highest = max(row.deferred for row in waiting)
    session.execute(
        update(AttemptItem)
        .where(AttemptItem.id == target.id, AttemptItem.answered_at.is_(None))
        .values(deferred=highest + 1)
    )
    return True


def skipped_questions(session: Session) -> list[tuple[str, str, int]]:
    """Return (question id, prompt, times skipped) of questions quizzes had to skip."""
    rows = session.execute(
        select(Question.id, Question.prompt, func.count())
        .join(AttemptItem, AttemptItem.question_id == Question.id)
        .where(AttemptItem.note == SKIPPED)
        .group_by(Question.id, Question.prompt)
        .order_by(func.count().desc(), Question.id)
    )
    return [(qid, prompt, n) for qid, prompt, n in rows]


def close_attempt(session: Session, attempt_id: int, ends_at: datetime) -> None:
    """Close an attempt whose time is up, as of ``ends_at``.

    Its open questions count as unanswered: no answer, no points (the score counts them
    against the learner, the item analysis and mastery leave them out as never answered).
    """
    session.execute(
        update(AttemptItem)
        .where(AttemptItem.attempt_id == attempt_id, AttemptItem.answered_at.is_(None))
        .values(answered_at=ends_at, note=TIME_UP, score=None, correct=False)
    )
    finish_if_complete(session, attempt_id, ends_at)


def finish_if_complete(session: Session, attempt_id: int, now: datetime) -> None:
    """Finish the attempt (state, time, score) once every question is answered.

    One conditional UPDATE: it does nothing while a question is open or when the attempt
    is already finished, so calling it after every answer is cheap and safe.
    """
    session.connection().execute(_FINISH, {"attempt_id": attempt_id, "now": now})


@dataclass(frozen=True)
class Slot:
    """One question of an attempt as the answer view needs it: plain values, no ORM objects."""

    item_id: int
    question_id: str
    user_id: int
    answered: bool
    finished: bool
    current: int | None  # position of the question asked now, None when all are answered
    spec: Spec
    ends_at: datetime | None = None  # answers after it are not counted (assignments)


def load_slot(session: Session, attempt_id: int, position: int) -> Slot | None:
    """Return the question at ``position`` of the attempt with its grading spec, or None.

    Two prepared statements instead of loading the attempt with all its items and questions:
    answering is the hottest write of the app.
    """
    conn = session.connection()
    row = conn.execute(_SLOT, {"attempt_id": attempt_id, "position": position}).first()
    if row is None:
        return None
    choices = conn.execute(_CHOICES, {"question_id": row.question_id}).all()
    spec = build_spec(row.kind, row.answer, row.accepted, row.extra, choices, row.choice_order)
    return Slot(
        item_id=row.id,
        question_id=row.question_id,
        user_id=row.user_id,
        answered=row.answered_at is not None,
        finished=row.state == "finished",
        current=row.current,
        spec=spec,
        ends_at=row.ends_at,
    )


_ITEM = AttemptItem.__table__.alias("open_item")
_RECORD = (
    update(AttemptItem)
    .where(AttemptItem.id == bindparam("item_id"), AttemptItem.answered_at.is_(None))
    .values(
        {
            name: bindparam(f"new_{name}")
            for name in ("response", "response_text", "score", "correct", "note", "answered_at")
        }
    )
)
_FINISH = (
    update(Attempt)
    .where(
        Attempt.id == bindparam("attempt_id"),
        Attempt.state == "in_progress",
        ~exists().where(
            _ITEM.c.attempt_id == bindparam("attempt_id"), _ITEM.c.answered_at.is_(None)
        ),
    )
    .values(
        state="finished",
        finished_at=bindparam("now"),
        score=select(func.coalesce(func.sum(_ITEM.c.score), 0.0))
        .where(_ITEM.c.attempt_id == bindparam("attempt_id"))
        .scalar_subquery(),
    )
)
_SLOT = (
    select(
        AttemptItem.id,
        AttemptItem.question_id,
        AttemptItem.choice_order,
        AttemptItem.answered_at,
        Attempt.user_id,
        Attempt.state,
        Attempt.ends_at,
        Question.kind,
        Question.answer,
        Question.accepted,
        Question.extra,
        select(_ITEM.c.position)
        .where(_ITEM.c.attempt_id == bindparam("attempt_id"), _ITEM.c.answered_at.is_(None))
        .order_by(_ITEM.c.deferred, _ITEM.c.position)
        .limit(1)
        .scalar_subquery()
        .label("current"),
    )
    .join(Attempt, Attempt.id == AttemptItem.attempt_id)
    .join(Question, Question.id == AttemptItem.question_id)
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    .where(AttemptItem.position == bindparam("position"))
)
_CHOICES = (
    select(
        Choice.id,
        Choice.text,
        Choice.correct,
        Choice.position,
        Choice.match,
        Choice.weight,
        Choice.feedback,
    )
    .where(Choice.question_id == bindparam("question_id"))
    .order_by(Choice.position)
)


@dataclass(frozen=True)
class Mastery:
    """How well a learner knows a topic: the mean of their latest score per question."""

    topic: str
    answered: int
    mean_score: float


def topic_mastery(session: Session, user_id: int) -> list[Mastery]:
    """Return per-topic mastery from each question's latest answer by this learner."""
    latest = latest_answers(user_id)
    rows = session.execute(
        select(Topic.name, func.count(), func.avg(latest.c.score))
        .join(Question, Question.id == latest.c.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(latest.c.rn == 1)
        .group_by(Topic.name)
        .order_by(Topic.name)
    )
    return [Mastery(name, n, float(avg or 0.0)) for name, n, avg in rows]
