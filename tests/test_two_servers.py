"""Two app servers behind one nginx on one database (PostgreSQL under `make test-postgres`,
a shared SQLite file otherwise): whichever server answers, a learner's session, CSRF tokens,
quiz attempt, card undo and the login slow-down work, and kill -9 of one server loses nothing."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from tests.conftest import run_sql
from tests.servers import Browser, gunicorn, nginx, some_answer

PASSWORD = "Tsushima-Mai-1905"


def _answer(learner: Browser, quiz: str, position: int):
    """Answer the quiz's current question with a well-formed answer read off its page."""
    page = learner.get(quiz).text
    return learner.post(f"{quiz}/{position}", some_answer(page, f"{quiz}/{position}"), quiz)


def _count(db_url: str, sql: str) -> int:
    return int(run_sql(db_url, sql)[0][0])


def test_two_servers_behind_nginx_share_everything_and_survive_kill_9(
    make_db, tmp_path: Path
) -> None:
    db_url = make_db("loaded")
    shared = {"SECRET_KEY": secrets.token_hex(32), "QUIZAPP_PROXY_COUNT": "1"}
    with (
        gunicorn(db_url, tmp_path, workers=1, name="app-a", **shared) as a,
        gunicorn(db_url, tmp_path, workers=1, name="app-b", **shared) as b,
        nginx(tmp_path, [a.address, b.address]) as proxy,
    ):
        logs = lambda: a.log_tail() + "\n" + b.log_tail() + "\n" + proxy.log_tail()  # noqa: E731
        learner = Browser(proxy.url)
        registered = learner.post(
            "/auth/register",
            {"username": "kim", "password": PASSWORD, "confirm": PASSWORD},
            "/auth/register",
        )
        assert registered.status == 200 and registered.url.endswith("/"), logs()
        # The session cookie of one server is good on the other.
        for _ in range(6):
            page = learner.get("/quiz/history")
            assert page.status == 200 and page.url.endswith("/quiz/history"), page.url
        assert learner.upstreams == {a.address, b.address}

        # A quiz: every CSRF token comes from one request and is checked by the next, which
        # round robin sends to the other server.
        started = learner.post("/quiz/start", {"mode": "mixed", "length": "10"}, "/quiz/")
        attempt = re.search(r"/quiz/(\d+)$", started.url)
        assert started.status == 200 and attempt, (started.status, started.url, logs())
        quiz = f"/quiz/{attempt.group(1)}"
        for position in range(5):
            answered = _answer(learner, quiz, position)
            assert answered.status == 200, (
                position,
                answered.status,
                re.sub(r"\s+", " ", answered.text)[-2500:],
                logs(),
            )

        # A card rated on one server is undone on the other.
        shown = re.search(r'href="/cards/review\?show=([^"]+)"', learner.get("/cards/review").text)
        card = f"/cards/review?show={shown.group(1)}"
        page = learner.get(card).text
        version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
        reviews_before = _count(db_url, "SELECT count(*) FROM review_log")
        rated = learner.post(
            "/cards/rate", {"question_id": shown.group(1), "version": version, "rating": "3"}, card
        )
        assert rated.status == 200
        assert _count(db_url, "SELECT count(*) FROM review_log") == reviews_before + 1
        undone = learner.post("/cards/undo", {}, "/cards/review")
        assert undone.status == 200 and "rückgängig gemacht" in undone.text
        assert _count(db_url, "SELECT count(*) FROM review_log") == reviews_before

        # Wrong passwords counted on both servers slow down the next attempt on either.
        for i in range(6):
            Browser(proxy.url).post(
                "/auth/login", {"username": "kim", "password": f"falsch-{i}"}, "/auth/login"
            )
        refused = Browser(proxy.url).post(
            "/auth/login", {"username": "kim", "password": PASSWORD}, "/auth/login"
        )
        assert refused.status == 429 and "Zu viele fehlgeschlagene Versuche" in refused.text

        # kill -9 of one server: the other answers everything from now on.
        a.kill_hard()
        for position in range(5, 10):
            answered = _answer(learner, quiz, position)
            assert answered.status == 200, (
                position,
                answered.status,
                re.sub(r"\s+", " ", answered.text)[-2500:],
                logs(),
            )
        history = learner.get("/quiz/history")
        assert history.status == 200 and history.url.endswith("/quiz/history")

    # Nothing lost, nothing doubled, nothing half-written.
    items = f"SELECT count(*) FROM attempt_item WHERE attempt_id = {int(attempt.group(1))}"
    assert _count(db_url, items + " AND answered_at IS NOT NULL AND score IS NOT NULL") == 10
    assert _count(db_url, items + " AND answered_at IS NULL") == 0
    assert _count(db_url, "SELECT count(*) FROM attempt WHERE state = 'finished'") == 1
