"""The production server: gunicorn workers share one secret key and survive SIGKILL mid-answer."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_sql

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(make_db, tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen]]:
    """Run gunicorn (2 workers) on a copy of the loaded database; yield URL, db, process."""
    db_url = make_db("loaded")
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        QUIZAPP_BIND=f"127.0.0.1:{port}",
        QUIZAPP_WORKERS="2",
        QUIZAPP_LOG_LEVEL="warning",
    )
    env.pop("SECRET_KEY", None)  # the workers must agree on the instance folder's key
    env["QUIZAPP_INSTANCE"] = str(tmp_path / "instance")
    bindir = Path(sys.executable).parent
    # The server's log goes to a file: a pipe nobody reads would block the master once full,
    # and the log explains a failure (see _log_tail).
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(bindir / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"),
         "--chdir", str(ROOT)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )  # fmt: skip
    process.log_path = Path(log.name)  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError(_log_tail(process))
    yield base, db_url, process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _log_tail(process: subprocess.Popen) -> str:
    """Return the end of the server's log, for assertion messages."""
    return "gunicorn log:\n" + process.log_path.read_text(errors="replace")[-3000:]  # type: ignore[attr-defined]


class Browser:
    """A tiny HTTP client with cookies that fills in the CSRF token like a browser would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), path

    def post(self, path: str, data: dict, token_from: str) -> tuple[int, str, str]:
        _, page, _ = self.get(token_from)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrf_token": token}, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=10) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), path


def _workers(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    )
    return [int(pid) for pid in out.stdout.split()]


def test_workers_share_the_session_and_survive_sigkill_mid_answer(server) -> None:
    base, db_url, process = server
    browser = Browser(base)
    status, _, _ = browser.post(
        "/auth/register",
        {"username": "kim", "password": "Tsushima-Mai-1905", "confirm": "Tsushima-Mai-1905"},
        "/auth/register",
    )
    assert status == 200
    # Many requests land on both workers; a per-worker key would log the learner out.
    for _ in range(10):
        status, page, url = browser.get("/quiz/history")
        assert status == 200 and url.endswith("/quiz/history"), url
    killed = 0
    for _round in range(3):
        status, _, url = browser.post("/quiz/start", {"mode": "mixed", "length": "20"}, "/quiz/")
        assert status == 200 and re.search(r"/quiz/\d+$", url), (status, url, _log_tail(process))
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
                    browser.post(f"/quiz/{attempt}/{position}", data, f"/quiz/{attempt}")
                    break
                except (urllib.error.URLError, ConnectionError, AttributeError):
                    time.sleep(0.2)
            else:
                raise AssertionError(f"answer {position} never got through\n{_log_tail(process)}")
    assert killed >= 6
    status, _, _ = browser.get("/quiz/history")
    assert status == 200  # the next request is served
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
    assert answered == reviews and answered > 0, (answered, reviews, _log_tail(process))
