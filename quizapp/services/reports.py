"""Learners' error reports: filing one, the teachers' queue, and the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from quizapp.models import Attempt, AttemptItem, ErrorReport, Question
from quizapp.services.teach import set_status

#: The longest description a learner may write (a paragraph, not an essay).
MAX_TEXT = 1000
#: Outcomes a teacher chooses; "rejected" also rejects the question (a reason is needed).
DECISIONS = ("fixed", "rejected", "dismissed")


class ReportRefused(ValueError):
    """The report cannot be filed as given (the message is German, for the learner)."""


def file_report(
    session: Session,
    user_id: int,
    question_id: str,
    reason: str,
    text: str,
    now: datetime,
    *,
    item_id: int | None = None,
    answer_text: str | None = None,
) -> ErrorReport | None:
    """Store a learner's report; return None if they have an open one on the question already.

    The learner's answer comes from their own quiz item when one is named (it must be theirs
    and about this question), otherwise from what the card page sent (a typed answer).
    """
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ReportRefused(
            f"Deine Beschreibung ist zu lang ({len(text)} Zeichen); erlaubt sind höchstens "
            f"{MAX_TEXT}. Es wurde nichts gespeichert."
        )
    question = session.get(Question, question_id)
    if question is None or question.status not in ("approved", "draft"):
        raise ReportRefused("Diese Frage gibt es nicht (mehr). Es wurde nichts gespeichert.")
    item = None
    if item_id is not None:
        item = session.scalar(
            select(AttemptItem)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(
                AttemptItem.id == item_id,
                Attempt.user_id == user_id,
                AttemptItem.question_id == question_id,
            )
        )
        if item is None:
            raise ReportRefused("Diese Antwort gehört nicht zu dir. Es wurde nichts gespeichert.")
        answer_text = item.response_text
    already = session.scalar(
        select(ErrorReport.id).where(
            ErrorReport.user_id == user_id,
            ErrorReport.question_id == question_id,
            ErrorReport.status == "open",
        )
    )
    if already is not None:
        return None
    report = ErrorReport(
        user_id=user_id,
        question_id=question_id,
        attempt_item_id=item.id if item is not None else None,
        reason=reason,
        text=text,
        answer_text=(answer_text or "")[:500] or None,
        status="open",
        created_at=now,
    )
    session.add(report)
    return report


def resolve(
    session: Session,
    report: ErrorReport,
    decision: str,
    response: str,
    teacher_id: int,
    now: datetime,
) -> int:
    """Decide a report and every other open report on the same question; return how many.

    "fixed": the teacher corrected the question; "rejected": the question leaves the bank
    (rejected with the response as its reason); "dismissed": no error found.
    """
    if decision not in DECISIONS:
        raise ValueError(decision)
    response = (response or "").strip()
    if decision == "rejected":
        if not response:
            raise ReportRefused("Bitte gib einen Grund an, warum die Frage abgelehnt wird.")
        question = session.get(Question, report.question_id, with_for_update=True)
        if question is not None and question.status != "rejected":
            set_status(session, question, "rejected", response, teacher_id, now)
    result = session.execute(
        update(ErrorReport)
        .where(ErrorReport.question_id == report.question_id, ErrorReport.status == "open")
        .values(
            status=decision,
            response=response or None,
            resolved_at=now,
            resolved_by=teacher_id,
        )
    )
    return result.rowcount or 0


@dataclass(frozen=True)
class QueueEntry:
    """An open report as the teachers' queue shows it, with its question's other reports."""

    report: ErrorReport
    same_question: int  # open reports on this question, this one included


def open_reports(session: Session, limit: int = 100) -> list[QueueEntry]:
    """Return the open reports, oldest first (one entry per question: the oldest report)."""
    counts = dict(
        session.execute(
            select(ErrorReport.question_id, func.count())
            .where(ErrorReport.status == "open")
            .group_by(ErrorReport.question_id)
        ).all()
    )
    reports = session.scalars(
        select(ErrorReport)
        .where(ErrorReport.status == "open")
        .options(
            selectinload(ErrorReport.user),
            selectinload(ErrorReport.question).selectinload(Question.sentence),
            selectinload(ErrorReport.question).selectinload(Question.choices),
        )
        .order_by(ErrorReport.created_at, ErrorReport.id)
    ).all()
    entries, seen = [], set()
    for report in reports:
        if report.question_id in seen:
            continue
        seen.add(report.question_id)
        entries.append(QueueEntry(report, counts.get(report.question_id, 1)))
    return entries[:limit]


def open_count(session: Session) -> int:
    """Return how many reports wait for a teacher."""
    return session.scalar(select(func.count()).where(ErrorReport.status == "open")) or 0


def reports_of(session: Session, user_id: int, limit: int | None = None) -> list[ErrorReport]:
    """Return a learner's reports, newest first."""
    query = (
        select(ErrorReport)
        .where(ErrorReport.user_id == user_id)
        .options(selectinload(ErrorReport.question))
        .order_by(ErrorReport.created_at.desc(), ErrorReport.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
