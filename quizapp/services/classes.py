"""Classes and assignments in the database: who teaches and who learns in a class, the work set
to it, starting that work under its rules, and the results teachers see.

The rules themselves (codes, windows, time limits, statuses) are plain Python in
``quizapp.classwork``. Functions here take the session and values; callers commit. What they
refuse they say with a key (``"not_found"``, ``"closed"``, ...); the views word it in German.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, select, update
from sqlalchemy.orm import Session, scoped_session, selectinload

from quizapp import class_messages as say
from quizapp import classwork
from quizapp.classwork import AttemptFigures, Progress
from quizapp.database import lock_keys
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    ClassMember,
    ClassTeacher,
    Document,
    Question,
    ReviewLog,
    SchoolClass,
    Topic,
    User,
)
from quizapp.services.quiz import (
    MAX_LENGTH,
    SKIPPED,
    Draw,
    QuizUnavailable,
    close_attempt,
    draw_questions,
    start_attempt,
    with_choices,
)
from quizapp.services.throttle import check_and_count, forgive

AnySession = Session | scoped_session


# --------------------------------------------------------------------------- analysis filters


def class_answers(class_id: int) -> Any:
    """Return the item analysis condition for a class: its assignments, its current learners."""
    return and_(
        Attempt.assignment_id.in_(select(Assignment.id).where(Assignment.class_id == class_id)),
        Attempt.user_id.in_(select(ClassMember.user_id).where(ClassMember.class_id == class_id)),
    )


def assignment_answers(assignment: Assignment) -> Any:
    """Return the item analysis condition for one assignment's attempts by the class."""
    return and_(
        Attempt.assignment_id == assignment.id,
        Attempt.user_id.in_(
            select(ClassMember.user_id).where(ClassMember.class_id == assignment.class_id)
        ),
    )


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class ClassSummary:
    """A class in its teacher's list."""

    id: int
    name: str
    school_year: str
    members: int
    assignments: int
    join_code: str
    join_open: bool
    join_expires_at: datetime | None


def teacher_classes(session: AnySession, teacher_id: int) -> list[ClassSummary]:
    """Return the classes this teacher teaches, by school year (newest first) and name."""
    members = (
        select(ClassMember.class_id, func.count().label("n"))
        .group_by(ClassMember.class_id)
        .subquery()
    )
    assignments = (
        select(Assignment.class_id, func.count().label("n"))
        .group_by(Assignment.class_id)
        .subquery()
    )
    rows = session.execute(
        select(SchoolClass, func.coalesce(members.c.n, 0), func.coalesce(assignments.c.n, 0))
        .join(ClassTeacher, ClassTeacher.class_id == SchoolClass.id)
        .outerjoin(members, members.c.class_id == SchoolClass.id)
        .outerjoin(assignments, assignments.c.class_id == SchoolClass.id)
        .where(ClassTeacher.user_id == teacher_id)
        .order_by(SchoolClass.school_year.desc(), SchoolClass.name, SchoolClass.id)
    ).all()
    return [
        ClassSummary(c.id, c.name, c.school_year, m, a, c.join_code, c.join_open, c.join_expires_at)
        for c, m, a in rows
    ]


def class_of_teacher(session: AnySession, class_id: int, teacher_id: int) -> SchoolClass | None:
    """Return the class if this teacher teaches it (another teacher's class does not exist)."""
    return session.scalar(
        select(SchoolClass)
        .join(ClassTeacher, ClassTeacher.class_id == SchoolClass.id)
        .where(SchoolClass.id == class_id, ClassTeacher.user_id == teacher_id)
    )


def unique_code(session: AnySession, choice: Callable[[str], str] = secrets.choice) -> str:
    """Return a join code no class has (31^8 codes: a clash is next to impossible)."""
    while True:
        code = classwork.new_code(choice)
        if session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == code)) is None:
            return code


def create_class(
    session: AnySession,
    teacher_id: int,
    name: str,
    school_year: str,
    expires_at: datetime | None,
) -> SchoolClass:
    """Create a class taught by this teacher, open for joining with a fresh code."""
    school_class = SchoolClass(
        name=name,
        school_year=school_year,
        join_code=unique_code(session),
        join_open=True,
        join_expires_at=expires_at,
    )
    session.add(school_class)
    session.flush()
    session.add(ClassTeacher(class_id=school_class.id, user_id=teacher_id))
    return school_class


def change_code(
    session: AnySession, school_class: SchoolClass, action: str, expires_at: datetime | None
) -> None:
    """Regenerate ("new"), close ("close") or open ("open") a class's join code.

    A new code replaces the old one at once: learners who have the old one can no longer join.
    """
    if action == "new":
        school_class.join_code = unique_code(session)
        school_class.join_open = True
        school_class.join_expires_at = expires_at
    elif action == "open":
        school_class.join_open = True
        school_class.join_expires_at = expires_at
    elif action == "close":
        school_class.join_open = False
    else:
        raise ValueError(action)


@dataclass(frozen=True)
class Person:
    """A learner or teacher of a class, as its pages list them."""

    user_id: int
    username: str
    since: datetime


def class_members(session: AnySession, class_id: int) -> list[Person]:
    """Return the learners of a class, by name."""
    rows = session.execute(
        select(User.id, User.username, ClassMember.joined_at)
        .join(ClassMember, ClassMember.user_id == User.id)
        .where(ClassMember.class_id == class_id)
        .order_by(User.username_key, User.id)
    )
    return [Person(uid, name or "", at) for uid, name, at in rows]


def class_teachers(session: AnySession, class_id: int) -> list[Person]:
    """Return the teachers of a class, by name."""
    rows = session.execute(
        select(User.id, User.username, ClassTeacher.added_at)
        .join(ClassTeacher, ClassTeacher.user_id == User.id)
        .where(ClassTeacher.class_id == class_id)
        .order_by(User.username_key, User.id)
    )
    return [Person(uid, name or "", at) for uid, name, at in rows]


def add_teacher(session: AnySession, class_id: int, username_key: str) -> str | None:
    """Let another teacher share the class; return why not ("no_teacher") or None.

    Adding a teacher who is one already changes nothing.
    """
    user_id = session.scalar(
        select(User.id).where(User.username_key == username_key, User.role == "teacher")
    )
    if user_id is None:
        return "no_teacher"
    lock_keys(session, [f"class-teacher:{class_id}:{user_id}"])
    known = session.get(ClassTeacher, (class_id, user_id))
    if known is None:
        session.add(ClassTeacher(class_id=class_id, user_id=user_id))
    return None


def remove_member(session: AnySession, class_id: int, user_id: int) -> bool:
    """Take a learner out of a class; return whether they were in it.

    Their attempts, cards and history stay theirs.
    """
    result = session.execute(
        delete(ClassMember).where(ClassMember.class_id == class_id, ClassMember.user_id == user_id)
    )
    return result.rowcount > 0


def delete_class(session: AnySession, class_id: int) -> None:
    """Delete a class with its assignments, teachers and memberships.

    Learners keep their own progress: attempts at its assignments stay in their history
    (no longer tied to an assignment), cards and reviews are untouched.
    """
    assignment_ids = select(Assignment.id).where(Assignment.class_id == class_id)
    session.execute(
        update(Attempt)
        .where(Attempt.assignment_id.in_(assignment_ids))
        .values(assignment_id=None, ends_at=None)
    )
    session.execute(delete(Assignment).where(Assignment.class_id == class_id))
    session.execute(delete(ClassMember).where(ClassMember.class_id == class_id))
    session.execute(delete(ClassTeacher).where(ClassTeacher.class_id == class_id))
    session.execute(delete(SchoolClass).where(SchoolClass.id == class_id))


# --------------------------------------------------------------------------- joining


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a tried join code."""

    wait: float = 0.0  # > 0: too many wrong codes lately; the code was not checked
    class_id: int | None = None  # the class the code opens, or None


def check_code(
    session: AnySession, text: str, keys: Sequence[tuple[str, int]], now: datetime
) -> CodeCheck:
    """Check a tried join code, counting it like a failed login until it proves right.

    Call it in a write transaction. A wrong, expired or closed code stays counted; a usable
    one forgives its count. Which of the three it was is not told (no hint which classes
    exist).
    """
    wait, counted = check_and_count(session, keys, now)
    if wait:
        return CodeCheck(wait=wait)
    code = classwork.normalise_code(text)
    row = None
    if code is not None:
        row = session.execute(
            select(SchoolClass.id, SchoolClass.join_open, SchoolClass.join_expires_at).where(
                SchoolClass.join_code == code
            )
        ).first()
    if row is None or not classwork.code_usable(row.join_open, row.join_expires_at, now):
        return CodeCheck()
    forgive(session, counted)
    return CodeCheck(class_id=row.id)


def join(session: AnySession, class_id: int, user_id: int, now: datetime) -> bool:
    """Add a learner to a class; return False if they were in it already."""
    lock_keys(session, [f"class-member:{class_id}:{user_id}"])
    if session.get(ClassMember, (class_id, user_id)) is not None:
        return False
    session.add(ClassMember(class_id=class_id, user_id=user_id, joined_at=now))
    return True


@dataclass(frozen=True)
class CodeAtRegistration:
    """A class code given while registering: the class to join, or what to tell."""

    class_id: int | None = None
    error: str | None = None  # German, for the form's code field
    status: int = 200


def code_at_registration(
    session: AnySession, text: str, address: str, now: datetime
) -> CodeAtRegistration:
    """Check the optional class code of a registration (counted per address: no account yet)."""
    if not text.strip():
        return CodeAtRegistration()
    check = check_code(session, text, classwork.join_throttle_keys(None, address), now)
    if check.wait:
        seconds = int(check.wait) + 1
        return CodeAtRegistration(error=say.TOO_MANY_CODES.format(seconds=seconds), status=429)
    if check.class_id is None:
        return CodeAtRegistration(error=say.WRONG_CODE, status=400)
    return CodeAtRegistration(class_id=check.class_id)


def join_registered(
    session: AnySession, joining: CodeAtRegistration, user: User, now: datetime
) -> None:
    """Add a just registered learner to the class their code opened (if any)."""
    if joining.class_id is not None:
        session.flush()
        join(session, joining.class_id, user.id, now)


def class_name(session: AnySession, class_id: int) -> str:
    """Return a class's name."""
    return session.scalar(select(SchoolClass.name).where(SchoolClass.id == class_id)) or ""


def learner_classes(session: AnySession, user_id: int) -> list[SchoolClass]:
    """Return the classes a learner is in, by name."""
    return list(
        session.scalars(
            select(SchoolClass)
            .join(ClassMember, ClassMember.class_id == SchoolClass.id)
            .where(ClassMember.user_id == user_id)
            .order_by(SchoolClass.name, SchoolClass.id)
        )
    )


def is_member(session: AnySession, class_id: int, user_id: int) -> bool:
    """Return whether the learner is in the class."""
    return session.get(ClassMember, (class_id, user_id)) is not None


# --------------------------------------------------------------------------- assignments


@dataclass
class AssignmentInput:
    """An assignment as the teacher's form gives it (times already in UTC)."""

    title: str
    kind: str  # "quiz" or "deck"
    source: str  # "questions", "topic", "document", "random"
    topic_id: int | None = None
    document_id: int | None = None
    question_ids: list[str] = field(default_factory=list)
    question_count: int | None = None
    shuffle: bool = False
    opens_at: datetime | None = None
    due_at: datetime | None = None
    max_attempts: int | None = None
    time_limit_minutes: int | None = None
    feedback: str = "immediate"


def content_problems(session: AnySession, data: AssignmentInput) -> dict[str, str]:
    """Return field -> problem key for what the assignment would hold (empty: fine).

    Keys: "unknown_questions:<ids>", "no_questions", "too_many:<n>", "no_topic",
    "no_document".
    """
    problems: dict[str, str] = {}
    if data.source == "questions":
        ids = list(dict.fromkeys(data.question_ids))
        found = set(
            session.scalars(
                select(Question.id).where(Question.id.in_(ids), Question.status == "approved")
            )
        )
        missing = [i for i in ids if i not in found]
        if not ids:
            problems["question_ids"] = "no_questions"
        elif missing:
            problems["question_ids"] = "unknown_questions:" + ", ".join(missing[:5])
        elif len(ids) > MAX_LENGTH:
            problems["question_ids"] = f"too_many:{len(ids)}"
        return problems
    wants_topic = data.source == "topic" or (data.source == "random" and data.topic_id)
    if wants_topic and (data.topic_id is None or session.get(Topic, data.topic_id) is None):
        return {"topic_id": "no_topic"}
    wants_document = data.source == "document" or (data.source == "random" and data.document_id)
    if wants_document and (
        data.document_id is None or session.get(Document, data.document_id) is None
    ):
        return {"document_id": "no_document"}
    count = session.scalar(select(func.count()).select_from(Question).where(*_selection(data)))
    if not count:
        problems["source"] = "no_questions"
    return problems


def _selection(data: AssignmentInput | Assignment) -> list[Any]:
    """Return the conditions on Question for a topic, document or random selection."""
    conditions: list[Any] = [Question.status == "approved"]
    if data.topic_id is not None and data.source in ("topic", "random"):
        conditions.append(Question.topic_id == data.topic_id)
    if data.document_id is not None and data.source in ("document", "random"):
        conditions.append(Question.document_id == data.document_id)
    return conditions


def create_assignment(
    session: AnySession, class_id: int, data: AssignmentInput, teacher_id: int
) -> Assignment:
    """Add an assignment to a class (its content was checked with content_problems)."""
    is_quiz = data.kind == "quiz"
    assignment = Assignment(
        class_id=class_id,
        title=data.title,
        kind=data.kind,
        source=data.source,
        topic_id=data.topic_id if data.source in ("topic", "random") else None,
        document_id=data.document_id if data.source in ("document", "random") else None,
        question_ids=list(dict.fromkeys(data.question_ids)) if data.source == "questions" else [],
        question_count=data.question_count if data.source == "random" else None,
        shuffle=data.shuffle and is_quiz,
        opens_at=data.opens_at,
        due_at=data.due_at,
        max_attempts=data.max_attempts if is_quiz else None,
        time_limit_minutes=data.time_limit_minutes if is_quiz else None,
        feedback=data.feedback if is_quiz else "immediate",
        created_by=teacher_id,
    )
    session.add(assignment)
    return assignment


def update_assignment(session: AnySession, assignment: Assignment, data: AssignmentInput) -> None:
    """Change an assignment's title, window and rules (its content stays).

    Attempts still running get the new end (a later deadline or a longer time limit gives
    them more time, an earlier one less).
    """
    is_quiz = assignment.kind == "quiz"
    assignment.title = data.title
    assignment.opens_at = data.opens_at
    assignment.due_at = data.due_at
    assignment.max_attempts = data.max_attempts if is_quiz else None
    assignment.time_limit_minutes = data.time_limit_minutes if is_quiz else None
    assignment.feedback = data.feedback if is_quiz else "immediate"
    running = session.scalars(
        select(Attempt).where(
            Attempt.assignment_id == assignment.id, Attempt.state == "in_progress"
        )
    )
    for attempt in running:
        attempt.ends_at = classwork.attempt_end(
            attempt.started_at, assignment.time_limit_minutes, assignment.due_at
        )


def delete_assignment(session: AnySession, assignment_id: int) -> None:
    """Delete an assignment; attempts at it stay in their learners' history."""
    session.execute(
        update(Attempt)
        .where(Attempt.assignment_id == assignment_id)
        .values(assignment_id=None, ends_at=None)
    )
    session.execute(delete(Assignment).where(Assignment.id == assignment_id))


def assignment_of_class(
    session: AnySession, class_id: int, assignment_id: int
) -> Assignment | None:
    """Return the assignment if it belongs to the class."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.class_id != class_id:
        return None
    return assignment


def class_assignments(session: AnySession, class_id: int) -> list[Assignment]:
    """Return a class's assignments: by deadline (undated last), then by creation."""
    return list(
        session.scalars(
            select(Assignment)
            .where(Assignment.class_id == class_id)
            .order_by(Assignment.due_at.is_(None), Assignment.due_at, Assignment.id)
            .options(selectinload(Assignment.topic), selectinload(Assignment.document))
        )
    )


def assignment_for_member(
    session: AnySession, assignment_id: int, user_id: int
) -> Assignment | None:
    """Return the assignment if the learner is in its class (others see no such thing)."""
    return session.scalar(
        select(Assignment)
        .join(
            ClassMember,
            and_(ClassMember.class_id == Assignment.class_id, ClassMember.user_id == user_id),
        )
        .where(Assignment.id == assignment_id)
    )


def deck_key(assignment: Assignment) -> str | None:
    """Return a deck assignment's flashcard deck ("topic:<slug>" or "document:<id>")."""
    if assignment.source == "topic" and assignment.topic is not None:
        return f"topic:{assignment.topic.slug}"
    if assignment.source == "document" and assignment.document_id is not None:
        return f"document:{assignment.document_id}"
    return None


# --------------------------------------------------------------------------- starting


def draw_for(session: AnySession, assignment: Assignment, rng: random.Random) -> Draw:
    """Draw the questions of a new attempt at a quiz assignment (reads only).

    Chosen questions keep the teacher's order; a topic or a document the text's order; N
    random questions are drawn anew for every attempt. ``shuffle`` shuffles each attempt's
    order. Questions no longer approved are left out. Raises QuizUnavailable when none is left.
    """
    if assignment.source == "questions":
        wanted = list(assignment.question_ids or [])
        kinds = dict(
            session.execute(
                select(Question.id, Question.kind).where(
                    Question.id.in_(wanted), Question.status == "approved"
                )
            ).all()
        )
        chosen = [qid for qid in wanted if qid in kinds]
        if not chosen:
            raise QuizUnavailable(str(assignment.id))
        items = with_choices(session, chosen, kinds, rng)
    else:
        mode, key = "mixed", ""
        if assignment.source == "topic" or (
            assignment.source == "random" and assignment.topic_id is not None
        ):
            topic = assignment.topic
            if topic is None:
                raise QuizUnavailable(str(assignment.id))
            mode, key = "topic", topic.slug
        elif assignment.document_id is not None:
            mode, key = "document", str(assignment.document_id)
        elif assignment.source == "document":
            raise QuizUnavailable(str(assignment.id))
        length = assignment.question_count if assignment.source == "random" else MAX_LENGTH
        items = draw_questions(session, None, mode, key, length or MAX_LENGTH, rng).items
    if assignment.shuffle:
        rng.shuffle(items)
    return Draw("assignment", assignment.title[:300], assignment.document_id, None, items)


@dataclass(frozen=True)
class Started:
    """The outcome of starting an assignment: the attempt to go to, or why there is none."""

    attempt_id: int | None = None
    resumed: bool = False
    refused: str | None = None  # "not_open", "closed", "no_attempts_left", "no_questions"


def start(
    session: AnySession,
    assignment: Assignment,
    user_id: int,
    draw: Draw | None,
    now: datetime,
) -> Started:
    """Begin an attempt at a quiz assignment, or resume the one still running.

    Call it in a write transaction: the attempts are counted and the new one inserted under
    one lock, so twenty tabs clicking at once begin no more attempts than allowed. An
    attempt whose time ran out is closed first (and counts). ``draw`` may be None only if
    no question could be drawn (then only a running attempt is resumed).
    """
    lock_keys(session, [f"assignment-start:{assignment.id}:{user_id}"])
    attempts = session.execute(
        select(Attempt.id, Attempt.state, Attempt.ends_at).where(
            Attempt.assignment_id == assignment.id, Attempt.user_id == user_id
        )
    ).all()
    for attempt_id, state, ends_at in attempts:
        if state != "in_progress":
            continue
        if classwork.time_is_up(ends_at, now):
            close_attempt(session, attempt_id, ends_at)
        else:
            return Started(attempt_id=attempt_id, resumed=True)
    problem = classwork.window_problem(assignment.opens_at, assignment.due_at, now)
    if problem is not None:
        return Started(refused=problem)
    if classwork.attempts_left(assignment.max_attempts, len(attempts)) == 0:
        return Started(refused="no_attempts_left")
    if draw is None:
        return Started(refused="no_questions")
    ends_at = classwork.attempt_end(now, assignment.time_limit_minutes, assignment.due_at)
    attempt_id = start_attempt(
        session, user_id, draw, now, assignment_id=assignment.id, ends_at=ends_at
    )
    return Started(attempt_id=attempt_id)


def feedback_withheld_until(
    session: AnySession, assignment_id: int | None, now: datetime
) -> datetime | None:
    """Return the deadline until which an attempt's right answers stay hidden, or None."""
    if assignment_id is None:
        return None
    row = session.execute(
        select(Assignment.feedback, Assignment.due_at).where(Assignment.id == assignment_id)
    ).first()
    if row is None or classwork.feedback_visible(row.feedback, row.due_at, now):
        return None
    return row.due_at


# --------------------------------------------------------------------------- progress


def _figures(
    session: AnySession, condition: Any, now: datetime
) -> dict[tuple[int, int], list[AttemptFigures]]:
    """Return (assignment id, user id) -> the attempts' figures, oldest first (one query)."""
    counts = case((AttemptItem.note == SKIPPED, 0), else_=1)
    given = case((AttemptItem.score.is_not(None), 1), else_=0)
    rows = session.execute(
        select(
            Attempt.assignment_id,
            Attempt.user_id,
            Attempt.id,
            Attempt.state,
            Attempt.started_at,
            Attempt.finished_at,
            Attempt.ends_at,
            func.coalesce(func.sum(AttemptItem.score), 0.0),
            func.coalesce(func.sum(counts), 0),
            func.coalesce(func.sum(given), 0),
        )
        .outerjoin(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(condition)
        .group_by(Attempt.id)
        .order_by(Attempt.started_at, Attempt.id)
    )
    figures: defaultdict[tuple[int, int], list[AttemptFigures]] = defaultdict(list)
    for aid, uid, attempt_id, state, started, finished, ends, score, total, answered in rows:
        figures[(aid, uid)].append(
            AttemptFigures(
                attempt_id=attempt_id,
                started_at=started,
                finished_at=classwork.effective_end(state, finished, ends, now),
                score=float(score),
                max_score=int(total),
                answered=int(answered),
            )
        )
    return dict(figures)


@dataclass(frozen=True)
class DeckProgress:
    """How far a learner is with a deck assignment."""

    learned: int  # cards of the deck reviewed at least once since the assignment opened
    total: int  # approved cards in the deck now
    done_at: datetime | None  # when the last of them was learned the first time

    @property
    def done(self) -> bool:
        """Return whether every card was learned once."""
        return self.total > 0 and self.learned >= self.total


def deck_progress(
    session: AnySession, assignment: Assignment, user_ids: Iterable[int]
) -> dict[int, DeckProgress]:
    """Return user id -> progress on a deck assignment (one grouped query).

    A card counts as learned once it has a review since the assignment opened (or was set):
    a flashcard rating, or a quiz answer, which counts as a review too.
    """
    ids = list(user_ids)
    deck = select(Question.id).where(*_selection(assignment))
    total = session.scalar(select(func.count()).select_from(deck.subquery())) or 0
    since = assignment.opens_at or assignment.created_at
    firsts = (
        select(
            ReviewLog.user_id,
            ReviewLog.question_id,
            func.min(ReviewLog.reviewed_at).label("first"),
        )
        .where(
            ReviewLog.user_id.in_(ids),
            ReviewLog.reviewed_at >= since,
            ReviewLog.question_id.in_(deck),
        )
        .group_by(ReviewLog.user_id, ReviewLog.question_id)
        .subquery()
    )
    rows = session.execute(
        select(firsts.c.user_id, func.count(), func.max(firsts.c.first)).group_by(firsts.c.user_id)
    ).all()
    progress = {uid: DeckProgress(0, total, None) for uid in ids}
    for uid, learned, last in rows:
        done_at = _aware(last) if learned >= total else None
        progress[uid] = DeckProgress(int(learned), total, done_at)
    return progress


def _aware(value: Any) -> datetime | None:
    """Return an aggregate's timestamp as an aware UTC datetime (SQLite returns text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class LearnerAssignment:
    """An assignment as one learner sees it."""

    assignment: Assignment
    class_name: str
    status: str  # quizapp.classwork.STATUS_ORDER
    can_start: bool
    attempts: int
    running_attempt_id: int | None
    best: AttemptFigures | None
    latest_finished_id: int | None
    deck: DeckProgress | None
    feedback_visible: bool


def learner_assignments(
    session: AnySession, user_id: int, now: datetime, class_id: int | None = None
) -> list[LearnerAssignment]:
    """Return the assignments of the learner's classes with their status, in home-page order."""
    query = (
        select(Assignment, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(
            ClassMember,
            and_(ClassMember.class_id == Assignment.class_id, ClassMember.user_id == user_id),
        )
        .options(selectinload(Assignment.topic), selectinload(Assignment.document))
    )
    if class_id is not None:
        query = query.where(Assignment.class_id == class_id)
    rows = session.execute(query).all()
    if not rows:
        return []
    ids = [a.id for a, _ in rows]
    figures = _figures(
        session, and_(Attempt.assignment_id.in_(ids), Attempt.user_id == user_id), now
    )
    result = []
    for assignment, name in rows:
        attempts = figures.get((assignment.id, user_id), [])
        running = next((a.attempt_id for a in attempts if a.finished_at is None), None)
        finished = [a for a in attempts if a.finished_at is not None]
        deck = None
        if assignment.kind == "deck":
            deck = deck_progress(session, assignment, [user_id])[user_id]
            progress = Progress(done=deck.done)
        else:
            progress = Progress(len(attempts), running is not None, bool(finished))
        status = classwork.learner_status(assignment.opens_at, assignment.due_at, progress, now)
        result.append(
            LearnerAssignment(
                assignment=assignment,
                class_name=name,
                status=status,
                can_start=assignment.kind == "deck"
                or classwork.can_start(
                    assignment.opens_at, assignment.due_at, assignment.max_attempts, progress, now
                ),
                attempts=len(attempts),
                running_attempt_id=running,
                best=classwork.best_attempt(attempts),
                latest_finished_id=finished[-1].attempt_id if finished else None,
                deck=deck,
                feedback_visible=classwork.feedback_visible(
                    assignment.feedback, assignment.due_at, now
                ),
            )
        )
    result.sort(
        key=lambda r: (*classwork.home_order(r.status, r.assignment.due_at), r.assignment.id)
    )
    return result


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ResultRow:
    """One learner of the class in an assignment's results."""

    user_id: int
    username: str
    status: str  # "not_started", "started", "finished" (deck: "done")
    attempts: list[AttemptFigures]
    best: AttemptFigures | None
    deck: DeckProgress | None

    @property
    def minutes(self) -> float | None:
        """Return the time the counted attempt took, in minutes."""
        if self.best is None or self.best.finished_at is None:
            return None
        return (self.best.finished_at - self.best.started_at).total_seconds() / 60


def results(session: AnySession, assignment: Assignment, now: datetime) -> list[ResultRow]:
    """Return every learner of the class with their attempts at the assignment, by name.

    The counted attempt is the best finished one (an attempt whose time ran out counts as
    finished).
    """
    people = class_members(session, assignment.class_id)
    ids = [p.user_id for p in people]
    if assignment.kind == "deck":
        progress = deck_progress(session, assignment, ids)
        return [
            ResultRow(
                p.user_id,
                p.username,
                "done"
                if progress[p.user_id].done
                else ("started" if progress[p.user_id].learned else "not_started"),
                [],
                None,
                progress[p.user_id],
            )
            for p in people
        ]
    figures = _figures(
        session, and_(Attempt.assignment_id == assignment.id, Attempt.user_id.in_(ids)), now
    )
    rows = []
    for p in people:
        attempts = figures.get((assignment.id, p.user_id), [])
        best = classwork.best_attempt(attempts)
        if best is not None:
            status = "finished"
        elif attempts:
            status = "started"
        else:
            status = "not_started"
        rows.append(ResultRow(p.user_id, p.username, status, attempts, best, None))
    return rows


def learner_attempts(session: AnySession, assignment_id: int, user_id: int) -> list[Attempt]:
    """Return a learner's attempts at an assignment with their answers and sources."""
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.assignment_id == assignment_id, Attempt.user_id == user_id)
            .order_by(Attempt.started_at, Attempt.id)
            .options(
                selectinload(Attempt.items)
                .selectinload(AttemptItem.question)
                .options(selectinload(Question.sentence), selectinload(Question.document))
            )
        )
    )


def has_attempts(session: AnySession, assignment_id: int) -> bool:
    """Return whether anyone has begun the assignment."""
    return bool(session.scalar(select(exists().where(Attempt.assignment_id == assignment_id))))


@dataclass(frozen=True)
class Choosable:
    """A topic or document an assignment can be made of, with its approved questions."""

    id: int
    name: str
    questions: int


def choosable_topics(session: AnySession) -> list[Choosable]:
    """Return the topics with approved questions, by name."""
    rows = session.execute(
        select(Topic.id, Topic.name, func.count(Question.id))
        .join(Question, Question.topic_id == Topic.id)
        .where(Question.status == "approved")
        .group_by(Topic.id, Topic.name)
        .order_by(Topic.name)
    )
    return [Choosable(i, n, c) for i, n, c in rows]


def choosable_documents(session: AnySession) -> list[Choosable]:
    """Return the documents with approved questions, by title."""
    rows = session.execute(
        select(Document.id, Document.title, func.count(Question.id))
        .join(Question, Question.document_id == Document.id)
        .where(Question.status == "approved")
        .group_by(Document.id, Document.title)
        .order_by(Document.title)
    )
    return [Choosable(i, n, c) for i, n, c in rows]


def question_prompts(session: AnySession, ids: Sequence[str]) -> dict[str, str]:
    """Return question id -> prompt for the given ids."""
    rows = session.execute(select(Question.id, Question.prompt).where(Question.id.in_(list(ids))))
    return {qid: prompt for qid, prompt in rows}
