"""What one learner request costs inside the app: milliseconds and SQL statements per route.

Run from the repository root:

    .venv/bin/python -m bench.bench_requests [--rounds 200] [--out build/bench/requests.json]

In-process, through Flask's test client (no network, no gunicorn, no nginx): a fresh SQLite
database in build/bench/requests/, migrated and loaded with the bank, one benchmark learner
logged in through the login form. The learner then does what the capacity benchmark's
learners do (bench/bench_capacity.py): card rounds (front, back, rating "Gut") and quiz rounds
(question, answer, feedback; a new quiz after ten answers), plus quiz starts with question 1
as in the exam start. Reported per route: the mean wall time of a request in milliseconds
(one process, nothing else running: the CPU time a request costs the server, without the
HTTP server's share) and the SQL statements it sent. The capacity benchmark measures the
whole server; this one says where its time goes and lets a change be compared in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event

from bench.bench_load import (
    PASSWORD,
    SECRET_KEY,
    answer_from_page,
    create_accounts,
    csrf_token,
    learner_name,
    migrate_and_load,
    prepare_database,
)
from bench.machine import machine_info

ROOT = Path(__file__).resolve().parents[1]
WORK_DIR = ROOT / "build" / "bench" / "requests"
OUTPUT = ROOT / "build" / "bench" / "requests.json"
SHOW = re.compile(r'href="(/cards/review\?show=[^"]+)"')
QUESTION_ID = re.compile(r'name="question_id"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


class Learner:
    """One logged-in learner driving the app through the test client, timing each request."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app, self.client = app, client
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statements: dict[str, list[int]] = defaultdict(list)
        self.sent = 0
        self.attempt: str | None = None
        page = client.get("/auth/login").get_data(as_text=True)
        self.token = csrf_token(page) or ""
        fields = {"username": learner_name(0), "password": PASSWORD, "csrf_token": self.token}
        if client.post("/auth/login", data=fields).status_code != 302:
            raise SystemExit("the benchmark learner could not log in")
        self.token = csrf_token(client.get("/quiz/").get_data(as_text=True)) or self.token
        quizzes = client.get("/quiz/").get_data(as_text=True)
        documents = re.findall(r'name="key" value="(\d+)"', quizzes)
        self.exam_document = documents[0] if documents else "1"

    def timed(self, name: str, call: Callable[[], Any]) -> Any:
        """Run one request, keeping its time and statement count under ``name``."""
        before = self.sent
        started = time.perf_counter()
        response = call()
        self.times[name].append((time.perf_counter() - started) * 1000)
        self.statements[name].append(self.sent - before)
        return response

    def get(self, name: str, path: str) -> str:
        response = self.timed(name, lambda: self.client.get(path))
        if response.status_code != 200:
            raise SystemExit(f"{name}: GET {path} answered {response.status_code}")
        return response.get_data(as_text=True)

    def post(self, name: str, path: str, fields: dict[str, Any]) -> str:
        data = {**fields, "csrf_token": self.token}
        response = self.timed(name, lambda: self.client.post(path, data=data))
        if response.status_code not in (302, 303):
            raise SystemExit(f"{name}: POST {path} answered {response.status_code}")
        return response.headers["Location"]

    def card_round(self) -> bool:
        front = self.get("card front", "/cards/review")
        shown = SHOW.search(front)
        if shown is None:
            return False  # no card left today
        back = self.get("card back", shown.group(1).replace("&amp;", "&"))
        question, version = QUESTION_ID.search(back), VERSION.search(back)
        if question is None or version is None:
            raise SystemExit("the card's back has no rating form")
        fields = {"question_id": question.group(1), "version": version.group(1), "rating": "3"}
        self.post("card rating", "/cards/rate", fields)
        return True

    def quiz_round(self) -> None:
        if self.attempt is None:
            fields = {"mode": "mixed", "length": "10"}
            self.attempt = self.post("quiz start (mixed)", "/quiz/start", fields)
        page = self.get("quiz question", self.attempt)
        found = answer_from_page(page)
        if found is None:
            self.attempt = None
            return
        action, fields = found
        feedback = self.post("quiz answer", action, fields)
        self.get("quiz feedback", feedback)
        if int(action.rsplit("/", 1)[1]) >= 9:
            self.attempt = None

    def exam_start(self) -> None:
        fields = {"mode": "document", "key": self.exam_document, "length": "10"}
        location = self.post("exam: quiz start (document)", "/quiz/start", fields)
        self.get("exam: question 1", location)


def run(rounds: int) -> dict[str, Any]:
    """Measure ``rounds`` card rounds, quiz rounds and exam starts; return the figures."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    url, _ = prepare_database(None, WORK_DIR)
    migrate_and_load(url)
    engine = create_engine(url)
    create_accounts(engine, 1)
    engine.dispose()
    from quizapp import create_app

    app = create_app(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=SECRET_KEY)
    client = app.test_client()
    learner = Learner(app, client)

    def count(*_: Any) -> None:
        learner.sent += 1

    with app.app_context():
        from quizapp.extensions import db

        event.listen(db.engine, "before_cursor_execute", count)
    for _ in range(5):  # warm: templates compiled, statements cached
        learner.card_round()
        learner.quiz_round()
        learner.exam_start()
    learner.times.clear()
    learner.statements.clear()
    cards_left = True
    for _ in range(rounds):
        if cards_left:
            cards_left = learner.card_round()
        learner.quiz_round()
        learner.exam_start()
    routes = {
        name: {
            "requests": len(times),
            "mean_ms": round(statistics.fmean(times), 3),
            "median_ms": round(statistics.median(times), 3),
            "statements": round(statistics.fmean(learner.statements[name]), 2),
        }
        for name, times in sorted(learner.times.items())
    }
    return {"rounds": rounds, "routes": routes, "machine": machine_info()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 10_000:
        parser.error("--rounds must be between 1 and 10000")
    os.environ.setdefault("QUIZAPP_LOG_LEVEL", "warning")
    result = run(args.rounds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"{'route':32} {'requests':>8} {'mean ms':>8} {'median':>8} {'statements':>10}")
    for name, figures in result["routes"].items():
        print(
            f"{name:32} {figures['requests']:8d} {figures['mean_ms']:8.2f} "
            f"{figures['median_ms']:8.2f} {figures['statements']:10.1f}"
        )
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
