"""The school's item analysis for the teachers' pages: one stored row, refreshed off the request.

Computing the analysis reads every answer ever given (seconds at a million answers), so a page
reads the stored snapshot instead (``quizapp.services.analysis``). When the snapshot is older
than ``ANALYSIS_CACHE_SECONDS``, the first request to notice claims the refresh and hands it to
a background thread of its process; that request and all others meanwhile show the stored
figures with their time. Only the very first snapshot is computed inside a request.

Each process keeps the figures it parsed last and reads only the snapshot's time while that
is unchanged: a page costs one small query, however many questions and answers there are.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy.orm import Session

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.services.analysis import (
    ItemStats,
    claim_refresh,
    item_analysis,
    load_snapshot,
    snapshot_time,
    store_snapshot,
)

#: Where the app keeps the refresh thread it started last (tests wait for it).
THREAD_KEY = "quizapp.analysis_refresh"
#: Where the app keeps the snapshot it parsed last: (when computed, item statistics).
PARSED_KEY = "quizapp.analysis_parsed"


def school_item_analysis() -> tuple[datetime, list[ItemStats]]:
    """Return (when computed, the item statistics of every counted answer in the school)."""
    app = current_app._get_current_object()
    max_age = timedelta(seconds=app.config["ANALYSIS_CACHE_SECONDS"])
    now = datetime.now(UTC)
    if max_age <= timedelta(0):
        return now, item_analysis(db.session, now=now)
    stamp = snapshot_time(db.session)
    if stamp is None:
        return refresh(db.session, now)
    found = app.extensions.get(PARSED_KEY)
    if found is None or found[0] != stamp:
        found = load_snapshot(db.session) or refresh(db.session, now)
        app.extensions[PARSED_KEY] = found
    if stamp < now - max_age:
        begin_write(db.session)
        claimed = claim_refresh(db.session, now, max_age)
        db.session.commit()
        if claimed:
            refresh_in_background(app)
    return found


def refresh(session: Session, now: datetime) -> tuple[datetime, list[ItemStats]]:
    """Compute the analysis of the answers until ``now`` (reading only), then store it."""
    items = item_analysis(session, now=now)
    begin_write(session)  # the write lock only for the one row, not for the long read
    store_snapshot(session, now, items)
    session.commit()
    return now, items


def refresh_in_background(app: Flask) -> threading.Thread:
    """Refresh the snapshot in a daemon thread of this process; return the thread."""

    def run() -> None:
        with app.app_context():
            try:
                refresh(db.session, datetime.now(UTC))
            except Exception:  # the claim lapses after CLAIM_TIMEOUT and someone retries
                db.session.rollback()
                app.logger.exception("refreshing the item analysis failed")

    thread = threading.Thread(target=run, name="item-analysis-refresh", daemon=True)
    app.extensions[THREAD_KEY] = thread
    thread.start()
    return thread
