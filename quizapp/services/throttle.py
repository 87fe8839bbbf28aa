"""Failed logins in the database: checked and counted in one step, forgiven on success.

The rules (which counters, how many free failures, how long to wait) are plain Python in
quizapp.security; this module only reads and writes LoginFailure rows.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, scoped_session

from quizapp.database import lock_keys
from quizapp.models import LoginFailure
from quizapp.security import WINDOW_SECONDS, login_delay


def check_and_count(
    session: Session | scoped_session, keys: Sequence[tuple[str, int]], now: datetime
) -> tuple[float, list[int]]:
    """Return (seconds to wait, []) or (0, ids of the failure rows counted in advance).

    Call it inside a write transaction (begin_write): the attempt is counted as a failure
    before the password is checked, so that parallel guesses see each other and only as
    many are checked as the counters allow. A correct password then forgives its own row.
    """
    names = [key for key, _ in keys]
    lock_keys(session, names)
    since = now - timedelta(seconds=WINDOW_SECONDS)
    wait = 0.0
    for key, free in keys:
        times = session.scalars(
            select(LoginFailure.at).where(LoginFailure.key == key, LoginFailure.at >= since)
        ).all()
        wait = max(wait, login_delay(times, now, free))
    if wait > 0:
        return wait, []
    # Old failures no longer count; dropping them (now and then all of them) keeps it small.
    stale = LoginFailure.at < since
    session.execute(delete(LoginFailure).where(stale, LoginFailure.key.in_(names)))
    if secrets.randbelow(64) == 0:
        session.execute(delete(LoginFailure).where(stale))
    rows = [LoginFailure(key=key, at=now) for key in names]
    session.add_all(rows)
    session.flush()
    return 0.0, [row.id for row in rows]


def forgive(session: Session | scoped_session, ids: Sequence[int]) -> None:
    """Remove the failures counted in advance for an attempt that succeeded."""
    if ids:
        session.execute(delete(LoginFailure).where(LoginFailure.id.in_(list(ids))))
