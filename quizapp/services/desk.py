"""What the home page shows each visitor: the next thing to do, not the bank's statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quizapp import memory
from quizapp.models import Attempt, Document, ErrorReport, Fact, Question, Topic
from quizapp.services import cards
from quizapp.services.quiz import latest_answers

#: Topics shown as "weakest" need this many answered questions to say anything.
MIN_TOPIC_ANSWERS = 2


@dataclass(frozen=True)
class Unfinished:
    """The quiz a learner left open: where to go on."""

    attempt_id: int
    title: str
    answered: int
    total: int


@dataclass(frozen=True)
class WeakTopic:
    """A topic a learner knows least, with what to start to practise it."""

    slug: str
    name: str
    mastery: float  # mean of the latest score per answered question, 0..1
    answered: int


@dataclass(frozen=True)
class DocumentLink:
    """A document with a title short enough for a list."""

    id: int
    title: str
    questions: int


@dataclass
class LearnerDesk:
    """A learner's home: continue, today's cards, weak topics, streak, documents."""

    unfinished: Unfinished | None
    due: int
    new_left: int
    streak: int
    weak_topics: list[WeakTopic]
    documents: list[DocumentLink]
    reports: list[ErrorReport] = field(default_factory=list)
    has_history: bool = False


def documents(session: Session) -> list[DocumentLink]:
    """Return the documents with approved questions, short titles first to last by title."""
    rows = session.execute(
        select(Document.id, Document.title, func.count(Question.id))
        .outerjoin(
            Question, (Question.document_id == Document.id) & (Question.status == "approved")
        )
        .group_by(Document.id, Document.title)
        .order_by(Document.name)
    ).all()
    return [DocumentLink(i, short_title(t), n) for i, t, n in rows]


def short_title(title: str, limit: int = 60) -> str:
    """Return a title fit for a list: its first clause or sentence, or cut at a word.

    Source titles are often a page's whole first sentence ("Moskau und Tokio haben sich
    darauf geeinigt, im Sicherheitsbereich ... schreibt die ... am Dienstag.").
    """
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    for stop in ("? ", ". ", "” ", "“ ", ": ", ", ", " – "):
        cut = title.find(stop)
        if 15 <= cut < limit:
            return title[: cut + (1 if stop[0] in "?.”“" else 0)].strip()
    words = title[: limit - 1].rsplit(" ", 1)[0]
    return words.rstrip(",;:–- ") + " …"


def learner_desk(session: Session, user_id: int, now: datetime) -> LearnerDesk:
    """Return what a learner's home page shows."""
    attempt = session.scalar(
        select(Attempt)
        # Assignments have their own list with "go on" (classes/_my_assignments.html).
        .where(
            Attempt.user_id == user_id,
            Attempt.state == "in_progress",
            Attempt.mode != "assignment",
        )
        .options(selectinload(Attempt.items))
        .order_by(Attempt.started_at.desc())
        .limit(1)
    )
    unfinished = None
    if attempt is not None:
        answered = sum(1 for item in attempt.items if item.answered_at is not None)
        unfinished = Unfinished(attempt.id, attempt.title, answered, len(attempt.items))
    settings = cards.settings_for(session, user_id)
    _, day_end = memory.day_bounds(memory.study_day(now, settings.timezone), settings.timezone)
    due = session.scalar(
        select(func.count()).select_from(
            cards.card_query(user_id, settings.decks)
            .where(cards.due_condition(now, day_end))
            .subquery()
        )
    )
    done = cards.today_counts(session, user_id, now, settings.timezone)
    today = memory.study_day(now, settings.timezone)
    has_history = (
        session.scalar(select(Attempt.id).where(Attempt.user_id == user_id).limit(1)) is not None
    )
    reports = list(
        session.scalars(
            select(ErrorReport)
            .where(ErrorReport.user_id == user_id)
            .options(selectinload(ErrorReport.question))
            .order_by(ErrorReport.created_at.desc(), ErrorReport.id.desc())
            .limit(3)
        )
    )
    return LearnerDesk(
        unfinished=unfinished,
        due=due or 0,
        new_left=max(0, settings.new_per_day - done.new),
        streak=cards.streak_days(session, user_id, today, settings.timezone),
        weak_topics=weak_topics(session, user_id),
        documents=documents(session),
        reports=reports,
        has_history=has_history,
    )


def weak_topics(session: Session, user_id: int, limit: int = 3) -> list[WeakTopic]:
    """Return the learner's weakest topics (latest answer per question), weakest first."""
    latest = latest_answers(user_id)
    rows = session.execute(
        select(Topic.slug, Topic.name, func.avg(latest.c.score), func.count())
        .join(Question, Question.id == latest.c.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(latest.c.rn == 1, Question.status == "approved")
        .group_by(Topic.slug, Topic.name)
        .having(func.count() >= MIN_TOPIC_ANSWERS)
    ).all()
    topics = [WeakTopic(slug, name, float(avg or 0), n) for slug, name, avg, n in rows]
    topics = [t for t in topics if t.mastery < 1.0]
    return sorted(topics, key=lambda t: (t.mastery, t.name))[:limit]


@dataclass
class TeacherDesk:
    """A teacher's home: what waits for a decision."""

    fact_drafts: int
    question_drafts: int
    open_reports: int
    flagged: list  # item statistics with flags (quizapp.services.analysis.ItemStats)
    flagged_total: int


def teacher_desk(session: Session, flagged_items: list) -> TeacherDesk:
    """Return what a teacher's home page shows; ``flagged_items`` from the item analysis."""
    fact_drafts = session.scalar(select(func.count()).where(Fact.status == "draft")) or 0
    question_drafts = (
        session.scalar(
            select(func.count()).where(Question.status == "draft", Question.fact_id.is_(None))
        )
        or 0
    )
    open_reports = session.scalar(select(func.count()).where(ErrorReport.status == "open")) or 0
    flagged = [item for item in flagged_items if item.flags]
    return TeacherDesk(fact_drafts, question_drafts, open_reports, flagged[:5], len(flagged))
