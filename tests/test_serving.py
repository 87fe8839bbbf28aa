"""The production server: gunicorn workers share one secret key and survive SIGKILL mid-answer."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_sql
from tests.servers import Browser, Server, gunicorn


@pytest.fixture
def server(make_db, tmp_path: Path) -> Iterator[tuple[str, str, Server]]:
    """Run gunicorn (2 workers) on a copy of the loaded database; yield URL, db, server.

    No SECRET_KEY in the environment: the workers must agree on the instance folder's key."""
    db_url = make_db("loaded")
    with gunicorn(db_url, tmp_path, workers=2) as running:
        yield running.url, db_url, running


def _workers(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    )
    return [int(pid) for pid in out.stdout.split()]


def test_workers_share_the_session_and_survive_sigkill_mid_answer(server) -> None:
    base, db_url, running = server
    process = running.process
    browser = Browser(base)
    status = browser.post(
        "/auth/register",
        {"username": "kim", "password": "Tsushima-Mai-1905", "confirm": "Tsushima-Mai-1905"},
        "/auth/register",
    ).status
    assert status == 200
    # Many requests land on both workers; a per-worker key would log the learner out.
    for _ in range(10):
        page = browser.get("/quiz/history")
        assert page.status == 200 and page.url.endswith("/quiz/history"), page.url
    killed = 0
    statuses: list[int] = []  # of the answers, for the message should a check fail
    for _round in range(3):
        started = browser.post("/quiz/start", {"mode": "mixed", "length": "20"}, "/quiz/")
        url = started.url
        assert started.status == 200 and re.search(r"/quiz/\d+$", url), (url, running.log_tail())
        attempt = url.rstrip("/").split("/")[-1]
        for position in range(20):
            if position % 4 == 1:
                workers = _workers(process.pid)
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    killed += 1
            # Any well-formed answer: a text for text kinds, option 1 for choices.
            data = {"text": "1905", "choice": "1"}
            data |= {f"rank_{i}": str(i) for i in range(1, 7)}
            data |= {f"match_{i}": str(i) for i in range(1, 7)}
            for _try in range(20):  # the master replaces a killed worker within a moment
                try:
                    answer = browser.post(f"/quiz/{attempt}/{position}", data, f"/quiz/{attempt}")
                    statuses.append(answer.status)
                    break
                except (urllib.error.URLError, ConnectionError, AttributeError):
                    time.sleep(0.2)
            else:
                raise AssertionError(f"answer {position} never got through\n{running.log_tail()}")
    assert killed >= 6
    assert browser.get("/quiz/history").status == 200  # the next request is served
    # No half-written answer: an answered item has its grade, and its flashcard review.
    half = run_sql(
        db_url,
        "SELECT count(*) FROM attempt_item WHERE answered_at IS NOT NULL"
        " AND (score IS NULL OR response_text IS NULL)",
    )[0][0]
    answered = run_sql(db_url, "SELECT count(*) FROM attempt_item WHERE answered_at IS NOT NULL")[
        0
    ][0]
    reviews = run_sql(db_url, "SELECT count(*) FROM review_log WHERE attempt_item_id IS NOT NULL")[
        0
    ][0]
    finished_with_gaps = run_sql(
        db_url,
        "SELECT count(*) FROM attempt a WHERE a.state = 'finished' AND EXISTS"
        " (SELECT 1 FROM attempt_item i WHERE i.attempt_id = a.id AND i.answered_at IS NULL)",
    )[0][0]
    assert half == 0 and finished_with_gaps == 0
    assert answered == reviews and answered > 0, (
        answered,
        reviews,
        sorted(statuses),
        running.log_tail(),
    )
