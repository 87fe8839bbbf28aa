"""Imports that do not hold up the class: previewed files kept on the server, written in batches.

A teacher uploads a file once: the preview stores it under a random token (ImportUpload)
and the confirm form sends only the token. Confirming writes the questions in batches, each
its own short write transaction, with a pause after each one: on SQLite one writer holds the
whole database, and a single 10,000-question transaction kept every learner's answer waiting
(and ran past the server's timeout). The whole file is validated before anything is written;
a batch that is written stays written, and confirming again completes an interrupted import
(questions already there are "unchanged").
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, scoped_session

from quizapp.bank.types import QuestionDraft
from quizapp.database import begin_write
from quizapp.models import ImportUpload
from quizapp.services.teach import apply_import, plan_import

AnySession = Session | scoped_session
#: Questions in the first batch of a batch sized by time (the next ones follow its speed).
FIRST_BATCH = 20


def store_upload(
    session: AnySession,
    user_id: int,
    filename: str,
    fmt: str,
    approve: bool,
    data: bytes,
    now: datetime,
    ttl_seconds: int,
) -> str:
    """Keep a previewed file for its teacher and return its token; the caller commits.

    Expired files (of anyone) are dropped on the way.
    """
    session.execute(delete(ImportUpload).where(ImportUpload.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(
        ImportUpload(
            token=token,
            user_id=user_id,
            filename=filename[:200],
            format=fmt,
            approve=approve,
            data=data,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )
    )
    return token


def find_upload(
    session: AnySession, token: str, user_id: int, now: datetime
) -> ImportUpload | None:
    """Return the teacher's own, unexpired previewed file with this token, or None."""
    return session.scalar(
        select(ImportUpload).where(
            ImportUpload.token == token,
            ImportUpload.user_id == user_id,
            ImportUpload.expires_at >= now,
        )
    )


def forget_upload(session: AnySession, token: str) -> None:
    """Drop a previewed file (after its import); the caller commits."""
    session.execute(delete(ImportUpload).where(ImportUpload.token == token))


@dataclass
class ImportReport:
    """What a batched import wrote."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    batches: int = 0

    @property
    def written(self) -> int:
        """Return how many questions are new or changed."""
        return self.added + self.changed


def run_import(
    session: AnySession,
    drafts: Sequence[QuestionDraft],
    user_id: int | None,
    now: datetime,
    *,
    approve: bool,
    batch_size: int,
    pause_seconds: float,
    batch_seconds: float | None = None,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Write validated drafts in batches, each committed in its own write transaction.

    Each batch is planned inside its transaction, so it sees what other teachers (or an
    earlier, interrupted run of the same file) stored meanwhile. Between batches the writer
    turn is free for ``pause_seconds``: learners' answers waiting for it go first. With
    ``batch_seconds`` the batches are sized to hold the write lock about that long (at most
    ``batch_size`` questions), so a slower machine writes smaller batches, not longer ones.
    """
    report = ImportReport()
    size = max(1, min(batch_size, FIRST_BATCH if batch_seconds else batch_size))
    start = 0
    while start < len(drafts):
        if start and pause_seconds > 0:
            time.sleep(pause_seconds)
        chunk = drafts[start : start + size]
        began = time.perf_counter()
        begin_write(session)
        plan = plan_import(session, chunk)
        apply_import(session, plan, user_id, now, approve=approve)
        session.commit()
        held = time.perf_counter() - began
        start += len(chunk)
        report.added += len(plan.added)
        report.changed += len(plan.changed)
        report.unchanged += len(plan.unchanged)
        report.batches += 1
        if batch_seconds:
            per_question = max(held / len(chunk), 1e-6)
            size = max(1, min(batch_size, int(batch_seconds / per_question)))
        if on_batch is not None:
            on_batch(report)
    return report
