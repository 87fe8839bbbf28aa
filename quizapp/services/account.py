"""An account's life beyond logging in: reset codes, a copy of its data, deletion, roles.

Plain database work on values; the clock (``now``) is always a parameter.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from quizapp.models import (
    Attempt,
    AttemptItem,
    CardSettings,
    CardState,
    ErrorReport,
    FactRevision,
    ImportUpload,
    LoginFailure,
    QuestionRevision,
    ResetCode,
    ReviewLog,
    User,
)

#: Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31^12: about 59 bits; guessing one online is hopeless
WRONG_CODE = (
    "Dieser Code ist falsch, abgelaufen oder wurde schon benutzt. "
    "Bitte deine Lehrkraft um einen neuen Code."
)


class AccountError(ValueError):
    """An account cannot be changed as asked (the message is German, for the page)."""


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Return a code as stored: upper case, without spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """Return a code in groups of four, as it is handed out: "ABCD-EFGH-JKMN"."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_reset_code(
    session: Session, user: User, issued_by: int | None, now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    """Create a one-time reset code for an account (older open ones stop working).

    Return the code (shown once, only its hash is stored) and when it expires.
    """
    if user.is_guest:
        raise AccountError("Gäste haben kein Passwort.")
    session.execute(delete(ResetCode).where(ResetCode.user_id == user.id))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + ttl
    session.add(
        ResetCode(
            user_id=user.id,
            code_hash=_hash(code),
            created_by=issued_by,
            created_at=now,
            expires_at=expires,
        )
    )
    return format_code(code), expires


def redeem_reset_code(session: Session, code: str, now: datetime) -> User | None:
    """Use up a reset code: return its account, or None if it is wrong, used or expired.

    Call it in a write transaction: the code is marked used in the same step, so two tabs
    sending the same code get one account between them.
    """
    if not normalise_code(code):
        return None
    row = session.scalar(
        select(ResetCode).where(ResetCode.code_hash == _hash(code)).with_for_update()
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.is_guest:
        return None
    row.used_at = now
    return user


def open_reset_code(session: Session, user_id: int, now: datetime) -> datetime | None:
    """Return when the account's unused reset code expires, or None if it has none."""
    return session.scalar(
        select(ResetCode.expires_at).where(
            ResetCode.user_id == user_id, ResetCode.used_at.is_(None), ResetCode.expires_at > now
        )
    )


def change_role(session: Session, user: User, role: str, acting_id: int) -> None:
    """Promote a learner or demote a teacher; the last teacher stays a teacher."""
    if user.is_guest:
        raise AccountError("Gäste können keine Lehrkraft werden.")
    if role == user.role:
        return
    if role == "learner":
        teachers = session.scalar(select(func.count()).where(User.role == "teacher")) or 0
        if teachers <= 1:
            raise AccountError(
                "Das ist die letzte Lehrkraft. Mache zuerst jemand anderen zur Lehrkraft."
            )
    user.role = role


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_data(session: Session, user_id: int, now: datetime) -> dict[str, Any]:
    """Return everything stored about an account, as JSON-ready values (GDPR Art. 15, 20)."""
    user = session.get(User, user_id)
    attempts = session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id)
        .options(selectinload(Attempt.items).selectinload(AttemptItem.question))
        .order_by(Attempt.started_at)
    ).all()
    settings = session.get(CardSettings, user_id)
    cards = session.scalars(
        select(CardState).where(CardState.user_id == user_id).order_by(CardState.id)
    ).all()
    reviews = session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user_id).order_by(ReviewLog.id)
    ).all()
    reports = session.scalars(
        select(ErrorReport).where(ErrorReport.user_id == user_id).order_by(ErrorReport.id)
    ).all()
    edits = session.scalars(
        select(QuestionRevision)
        .where(QuestionRevision.user_id == user_id)
        .order_by(QuestionRevision.id)
    ).all()
    fact_edits = session.scalars(
        select(FactRevision).where(FactRevision.user_id == user_id).order_by(FactRevision.id)
    ).all()
    return {
        "exported_at": now.isoformat(),
        "account": {
            "username": user.username,
            "role": user.role,
            "guest": user.is_guest,
            "created_at": _iso(user.created_at),
        },
        "attempts": [
            {
                "title": a.title,
                "mode": a.mode,
                "state": a.state,
                "started_at": _iso(a.started_at),
                "finished_at": _iso(a.finished_at),
                "score": a.score,
                "answers": [
                    {
                        "position": i.position + 1,
                        "question_id": i.question_id,
                        "question": i.question.prompt,
                        "answer": i.response_text,
                        "score": i.score,
                        "correct": i.correct,
                        "answered_at": _iso(i.answered_at),
                    }
                    for i in a.items
                ],
            }
            for a in attempts
        ],
        "card_settings": None
        if settings is None
        else {
            "desired_retention": settings.desired_retention,
            "new_per_day": settings.new_per_day,
            "reviews_per_day": settings.reviews_per_day,
            "timezone": settings.timezone,
            "typed_answers": settings.typed_answers,
            "decks": list(settings.decks or []),
        },
        "cards": [
            {
                "question_id": c.question_id,
                "state": c.state,
                "due": _iso(c.due),
                "last_review": _iso(c.last_review),
                "stability": c.stability,
                "difficulty": c.difficulty,
                "reps": c.reps,
                "lapses": c.lapses,
                "suspended": c.suspended,
            }
            for c in cards
        ],
        "reviews": [
            {
                "question_id": r.question_id,
                "rating": r.rating,
                "source": r.source,
                "reviewed_at": _iso(r.reviewed_at),
                "scheduled_days": r.scheduled_days,
            }
            for r in reviews
        ],
        "error_reports": [
            {
                "question_id": r.question_id,
                "reason": r.reason,
                "text": r.text,
                "answer": r.answer_text,
                "status": r.status,
                "response": r.response,
                "created_at": _iso(r.created_at),
                "resolved_at": _iso(r.resolved_at),
            }
            for r in reports
        ],
        "question_edits": [
            {"question_id": r.question_id, "action": r.action, "at": _iso(r.at)} for r in edits
        ],
        "fact_edits": [
            {"fact_id": r.fact_id, "action": r.action, "at": _iso(r.at)} for r in fact_edits
        ],
    }


def delete_account(session: Session, user_id: int, account_tag: str | None = None) -> None:
    """Delete an account and everything it owns (the caller commits).

    Attempts with their answers, card settings, cards, reviews, error reports, reset codes
    and previewed imports go with it (the database cascades); a teacher's edits to the bank
    stay in the questions' history without a name. ``account_tag`` removes the account's
    failed-login counters too.
    """
    user = session.get(User, user_id)
    if user is None:
        return
    if user.role == "teacher":
        teachers = session.scalar(select(func.count()).where(User.role == "teacher")) or 0
        if teachers <= 1:
            raise AccountError(
                "Du bist die letzte Lehrkraft. Mache zuerst jemand anderen zur Lehrkraft."
            )
    # Rows that hold the account without a cascading key, or whose cascade a dialect may skip.
    for model in (ReviewLog, CardState, CardSettings, ErrorReport, ResetCode, ImportUpload):
        session.execute(delete(model).where(model.user_id == user_id))
    session.execute(delete(Attempt).where(Attempt.user_id == user_id))
    if account_tag:
        session.execute(delete(LoginFailure).where(LoginFailure.key.endswith(account_tag)))
    session.execute(delete(User).where(User.id == user_id))


def adopt_guest(session: Session, guest_id: int, account_id: int) -> None:
    """Move a guest's progress into the account they logged in to, then drop the guest.

    Quizzes and reports move whole; a flashcard moves with its reviews unless the account
    has a card for that question already (the account's own memory of it wins); the guest's
    card settings move if the account has none.
    """
    from sqlalchemy import update

    session.execute(update(Attempt).where(Attempt.user_id == guest_id).values(user_id=account_id))
    session.execute(
        update(ErrorReport).where(ErrorReport.user_id == guest_id).values(user_id=account_id)
    )
    owned = select(CardState.question_id).where(CardState.user_id == account_id)
    movable = select(CardState.id).where(
        CardState.user_id == guest_id, CardState.question_id.not_in(owned)
    )
    moving = list(session.scalars(movable))
    if moving:
        session.execute(
            update(ReviewLog).where(ReviewLog.card_state_id.in_(moving)).values(user_id=account_id)
        )
        session.execute(
            update(CardState).where(CardState.id.in_(moving)).values(user_id=account_id)
        )
    if session.get(CardSettings, account_id) is None:
        session.execute(
            update(CardSettings).where(CardSettings.user_id == guest_id).values(user_id=account_id)
        )
    session.execute(delete(User).where(User.id == guest_id, User.is_guest))
