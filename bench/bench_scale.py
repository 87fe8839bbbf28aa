"""Time the flashcard queries and the item analysis with 10k, 100k and 1M card states.

Run from the repository root:

    .venv/bin/python -m bench.bench_scale [--sizes 10000,100000,1000000] [--repeats 200]
    .venv/bin/python -m bench.bench_scale --database-url postgresql://... --reset

The database (by default a fresh SQLite file, build/bench/scale.db) is created by the real
migrations and filled with the real bank (`flask bank load`). Approved questions are then
copied ("bench-000123") until every learner can have 1,000 distinct cards, and synthetic
learners are bulk-inserted in batches of 10,000 rows, one transaction per 10 learners: their
card states, 5 review logs per card, and one quiz answer per card (finished quizzes of 10
questions). The database grows from size to size (10k -> 100k -> 1M), and after each step
the script times:

* next_due_card: ``quizapp.services.cards.next_card`` (the service behind /cards/review),
  for randomly chosen learners, after the learner was loaded with the flashcard settings as
  the login loads them (one statement: today's counts, the card, its question and options);
* user_load: that load of the user with the settings (every request pays it);
* stats_page: ``GET /cards/stats`` through the Flask test client, logged in as the learner;
* select_1: ``SELECT 1`` through ``db.session`` (pool checkout, BEGIN, one round trip), the
  floor any query pays;
* item_analysis: the refresh of the class-wide item analysis (``quizapp.teach.snapshot.refresh``:
  ``item_analysis`` over every quiz answer of the school, the figures stored in their one
  row), which the app runs off the request path, --analysis-repeats times;
* analysis_page: ``GET /teach/analysis`` as a teacher, which reads those stored figures
  (--repeats times).

It prints the tables and the plan of next_card's due-card query at the largest size, and
writes build/bench/scale.json (a list of {database, card_states, operation, p50_ms, p99_ms};
rows of another database already in the file are kept), scale-<database>-details.json
(machine, build times, load, CPU-time percentiles) and scale-<database>-plans.txt (the plan of
every statement next_card and statistics issue) beside it.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import os
import random
import re
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Connection, Engine, MetaData, event, func, insert, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import joinedload
from werkzeug.security import generate_password_hash

from bench.machine import machine_info
from quizapp import create_app
from quizapp.config import TestingConfig
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    CardSettings,
    CardState,
    Choice,
    Question,
    ReviewLog,
    User,
)
from quizapp.services import cards as service
from quizapp.teach.snapshot import refresh

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "build" / "bench"
OUTPUT = BENCH_DIR / "scale.json"
DEFAULT_SIZES = "10000,100000,1000000"
BATCH_ROWS = 10_000  # rows per executemany
LEARNERS_PER_TRANSACTION = 10
OPERATIONS = ("next_due_card", "user_load", "stats_page", "select_1")
ANALYSIS = "item_analysis"  # the class-wide refresh, timed in a loop of its own
ANALYSIS_PAGE = "analysis_page"  # GET /teach/analysis, reading the stored figures
BENCH_TEACHER = "lehrerin"  # not "bench...": those are the learners
ANSWERS_PER_ATTEMPT = 10
DUE_INDEX = "ix_card_state_user_id_suspended_due"
DUE_ORDER = re.compile(r"ORDER BY card_state\.due, card_state\.id\b")  # next_card's due query
DAY = 86_400.0

# Shares of the synthetic data (see docs/BENCH-scale.md).
STATE_WEIGHTS = {"review": 0.90, "learning": 0.04, "relearning": 0.06}
SUSPENDED_SHARE = 0.02
RATING_WEIGHTS = {1: 0.08, 2: 0.12, 3: 0.72, 4: 0.08}
SETTINGS_SHARE = 0.2  # learners who saved their settings once (a CardSettings row)


# --------------------------------------------------------------------------- set-up


def default_url() -> str:
    """Return the SQLite URL of the default benchmark database."""
    return f"sqlite:///{BENCH_DIR / 'scale.db'}"


def make_app(url: str) -> Flask:
    """Return the app (TestingConfig, as the test suite uses it) on the database ``url``."""
    instance = BENCH_DIR / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    return create_app(TestingConfig, instance_path=str(instance), SQLALCHEMY_DATABASE_URI=url)


def fresh_database(url: str, reset: bool) -> None:
    """Delete a SQLite file; check that any other database is empty (or empty it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise SystemExit("an in-memory SQLite database does not outlive a connection")
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    app = make_app(url)
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        if tables and not reset:
            raise SystemExit(
                f"the database already has tables ({', '.join(sorted(tables)[:5])}, ...); "
                "pass --reset to drop every table in it first"
            )
        if tables:
            meta = MetaData()
            meta.reflect(db.engine)
            meta.drop_all(db.engine)
        db.engine.dispose()


def migrate_and_load(app: Flask) -> str:
    """Migrate to head with the real migrations and load the real bank; return its summary."""
    with app.app_context():
        upgrade()
        db.engine.dispose()
    result = app.test_cli_runner().invoke(args=["bank", "load"])
    if result.exit_code != 0:
        raise SystemExit(f"flask bank load failed:\n{result.output}")
    return result.output.strip().splitlines()[-1]


def pad_questions(conn: Connection, needed: int, now: datetime) -> tuple[int, int]:
    """Copy approved questions (with their choices) until ``needed`` are approved.

    Returns (approved before, copies made). Copies are named "bench-000000", ... .
    """
    q, c = Question.__table__, Choice.__table__
    query = select(q).where(q.c.status == "approved").order_by(q.c.id)
    sources = [dict(r) for r in conn.execute(query).mappings()]
    approved = len(sources)
    missing = max(0, needed - approved)
    if not missing:
        return approved, 0
    if not sources:
        raise SystemExit("the bank has no approved question to copy")
    choices: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(select(c).order_by(c.c.question_id, c.c.position)).mappings():
        choices.setdefault(row["question_id"], []).append(dict(row))
    new_questions, new_choices = [], []
    for i in range(missing):
        source = sources[i % len(sources)]
        qid = f"bench-{i:06d}"
        new_questions.append({**source, "id": qid, "created_at": now, "updated_at": now})
        for choice in choices.get(source["id"], []):
            row = {k: v for k, v in choice.items() if k != "id"}
            new_choices.append({**row, "question_id": qid})
    conn.execute(insert(q), new_questions)
    if new_choices:
        conn.execute(insert(c), new_choices)
    return approved, missing


# --------------------------------------------------------------------------- synthetic data


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Callable[[], Any]:
    """Return a function drawing a key of ``weights`` with its weight's probability."""
    keys, cum = list(weights), list(itertools.accumulate(weights.values()))
    last = len(keys) - 1
    return lambda: keys[min(last, bisect.bisect_right(cum, rng.random() * cum[-1]))]


class Generator:
    """Make the rows of one learner: card states, review logs, maybe settings."""

    def __init__(self, seed: int, now: datetime, cards: int, logs_per_card: int) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.cards = cards
        self.logs_per_card = logs_per_card
        self.state = _weighted(self.rng, STATE_WEIGHTS)
        self.rating = _weighted(self.rng, RATING_WEIGHTS)
        self.password_hash = generate_password_hash("bench-password", method="pbkdf2:sha256:1000")

    def user(self, user_id: int) -> dict[str, Any]:
        """Return a learner row."""
        name = f"bench{user_id:06d}"
        return {
            "id": user_id,
            "username": name,
            "username_key": name,
            "password_hash": self.password_hash,
            "role": "learner",
            "is_guest": False,
            "created_at": self.now - timedelta(days=400),
            "session_token": secrets.token_hex(16),
        }

    def settings(self, user_id: int) -> dict[str, Any] | None:
        """Return a CardSettings row for some learners (the others use the defaults)."""
        if self.rng.random() >= SETTINGS_SHARE:
            return None
        return {
            "user_id": user_id,
            "desired_retention": self.rng.choice((0.85, 0.9, 0.9, 0.95)),
            "new_per_day": self.rng.choice((10, 20, 20, 50)),
            "reviews_per_day": self.rng.choice((200, 200, 500, 1000)),
            "timezone": "Europe/Berlin",
            "typed_answers": self.rng.random() < 0.3,
            "decks": [],
        }

    def learner(
        self, user_id: int, question_ids: list[str], first_card_id: int, first_log_id: int
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return (card states, review logs) of one learner with ``self.cards`` cards."""
        rng, now = self.rng, self.now
        if len(question_ids) > self.cards:
            question_ids = rng.sample(question_ids, self.cards)
        states, logs = [], []
        log_id = first_log_id
        for offset, qid in enumerate(question_ids):
            card_id = first_card_id + offset
            state = self.state()
            suspended = rng.random() < SUSPENDED_SHARE
            if state == "review":
                # Due spread over the past 30 and the next 180 days.
                due = now + timedelta(seconds=rng.uniform(-30 * DAY, 180 * DAY))
                earliest = max(now - timedelta(days=365), due - timedelta(days=365))
                latest = min(now, due - timedelta(days=1))
                last = earliest + (latest - earliest) * rng.random()
                stability = (due - last).total_seconds() / DAY
                step = None
            else:  # a learning step, due within a day either side of now
                due = now + timedelta(seconds=rng.uniform(-DAY, DAY))
                last = min(now, due) - timedelta(seconds=rng.uniform(60, 600))
                stability = rng.uniform(0.1, 3.0) if state == "learning" else rng.uniform(1, 20)
                step = rng.choice((0, 1))
            difficulty = rng.uniform(1.0, 10.0)
            card_logs, lapses = self._logs(card_id, user_id, qid, state, due, last, log_id)
            log_id += len(card_logs)
            logs.extend(card_logs)
            states.append(
                {
                    "id": card_id,
                    "user_id": user_id,
                    "question_id": qid,
                    "state": state,
                    "step": step,
                    "stability": stability,
                    "difficulty": difficulty,
                    "due": due,
                    "last_review": last,
                    "reps": len(card_logs),
                    "lapses": max(lapses, 8) if suspended else lapses,
                    "suspended": suspended,
                    "version": len(card_logs) + (1 if suspended else 0),
                }
            )
        return states, logs

    def answers(
        self,
        user_id: int,
        question_ids: list[str],
        kinds: dict[str, tuple[str, list[tuple[int, bool]]]],
        first_attempt_id: int,
        first_item_id: int,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return (attempts, items): one quiz answer per card, ten questions per finished quiz.

        Each learner has an ability (the chance of a right answer, 0.45-0.95), so that the
        item analysis has strong and weak learners to tell apart.
        """
        rng, now = self.rng, self.now
        ability = rng.uniform(0.45, 0.95)
        attempts, items = [], []
        item_id = first_item_id
        for n, start in enumerate(range(0, len(question_ids), ANSWERS_PER_ATTEMPT)):
            attempt_id = first_attempt_id + n
            started = now - timedelta(seconds=rng.uniform(600, 365 * DAY))
            total = 0.0
            for position, qid in enumerate(question_ids[start : start + ANSWERS_PER_ATTEMPT]):
                kind, choices = kinds[qid]
                right = rng.random() < ability
                response: Any = None
                if kind == "true_false":
                    response = "wahr" if right == (rng.random() < 0.5) else "falsch"
                elif kind == "single_choice" and choices:
                    fitting = [cid for cid, ok in choices if ok == right] or [choices[0][0]]
                    response = rng.choice(fitting)
                score = 1.0 if right else 0.0
                total += score
                items.append(
                    {
                        "id": item_id,
                        "attempt_id": attempt_id,
                        "position": position,
                        "question_id": qid,
                        "choice_order": [cid for cid, _ in choices],
                        "response": response,
                        "response_text": "synthetisch",
                        "score": score,
                        "correct": right,
                        "note": None,
                        "answered_at": started + timedelta(seconds=20 * (position + 1)),
                    }
                )
                item_id += 1
            attempts.append(
                {
                    "id": attempt_id,
                    "user_id": user_id,
                    "mode": "mixed",
                    "title": "Gemischtes Quiz",
                    "document_id": None,
                    "topic_id": None,
                    "state": "finished",
                    "started_at": started,
                    "finished_at": started + timedelta(seconds=20 * ANSWERS_PER_ATTEMPT),
                    "score": total,
                }
            )
        return attempts, items

    def _logs(
        self,
        card_id: int,
        user_id: int,
        qid: str,
        state: str,
        due: datetime,
        last: datetime,
        first_id: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """Return the card's review logs (spread over the year before ``last``) and lapses."""
        rng, n = self.rng, self.logs_per_card
        if n == 0:
            return [], 0
        year_ago = self.now - timedelta(days=365)
        span = max(0.0, (last - year_ago).total_seconds())
        times = sorted(year_ago + timedelta(seconds=rng.random() * span) for _ in range(n - 1))
        times.append(last)
        logs, lapses = [], 0
        before_state, before_due, before_last = "new", times[0], None
        for k, at in enumerate(times):
            final = k == n - 1
            rating = self.rating()
            if final and state == "relearning":
                rating = 1
            elif before_state == "review" and final and state == "review" and rating == 1:
                rating = 3  # a card still in review was not forgotten at its last rating
            interval = ((due if final else times[k + 1]) - at).total_seconds() / DAY
            logs.append(
                {
                    "id": first_id + k,
                    "user_id": user_id,
                    "question_id": qid,
                    "card_state_id": card_id,
                    "rating": rating,
                    "source": "card",
                    "attempt_item_id": None,
                    "reviewed_at": at,
                    "state_before": before_state,
                    "due_before": before_due,
                    "scheduled_days": max(0.0, interval),
                    "previous": {
                        "state": before_state,
                        "step": 0 if before_state in ("new", "learning") else None,
                        "stability": None if before_state == "new" else round(interval, 4),
                        "difficulty": None if before_state == "new" else 5.0,
                        "due": before_due.isoformat(),
                        "last_review": before_last.isoformat() if before_last else None,
                        "reps": k,
                        "lapses": lapses,
                        "suspended": False,
                        "version": k,
                    },
                }
            )
            if rating == 1 and before_state == "review":
                lapses += 1
            if final:
                break
            if before_state == "new":
                before_state = "learning"
            elif before_state in ("learning", "relearning"):
                before_state = "review" if rating > 1 else before_state
            else:
                before_state = "relearning" if rating == 1 else "review"
            before_last = at
            before_due = times[k + 1] - timedelta(seconds=rng.uniform(0, DAY))
        return logs, lapses


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start : start + BATCH_ROWS]


def _max_id(conn: Connection, column: Any) -> int:
    return conn.scalar(select(func.coalesce(func.max(column), 0))) or 0


def grow(
    engine: Engine,
    gen: Generator,
    question_ids: list[str],
    learners: int,
    progress: Callable[[str], None],
    kinds: dict[str, tuple[str, list[tuple[int, bool]]]] | None = None,
) -> int:
    """Add learners (with cards, logs and, given ``kinds``, quiz answers) until there are
    ``learners``; return how many were added."""
    with engine.connect() as conn:
        have = conn.scalar(
            select(func.count()).select_from(User).where(User.username.like("bench%"))
        )
        next_user = _max_id(conn, User.id) + 1
        next_card = _max_id(conn, CardState.id) + 1
        next_log = _max_id(conn, ReviewLog.id) + 1
        next_attempt = _max_id(conn, Attempt.id) + 1
        next_item = _max_id(conn, AttemptItem.id) + 1
    added = 0
    todo = max(0, learners - (have or 0))
    users_t, settings_t = User.__table__, CardSettings.__table__
    cards_t, logs_t = CardState.__table__, ReviewLog.__table__
    attempts_t, items_t = Attempt.__table__, AttemptItem.__table__
    while added < todo:
        chunk = min(LEARNERS_PER_TRANSACTION, todo - added)
        users, settings, states, logs, attempts, items = [], [], [], [], [], []
        for _ in range(chunk):
            user_id = next_user
            next_user += 1
            users.append(gen.user(user_id))
            row = gen.settings(user_id)
            if row is not None:
                settings.append(row)
            s, lg = gen.learner(user_id, question_ids, next_card, next_log)
            next_card += len(s)
            next_log += len(lg)
            states.extend(s)
            logs.extend(lg)
            if kinds:
                at, it = gen.answers(
                    user_id, [row["question_id"] for row in s], kinds, next_attempt, next_item
                )
                next_attempt += len(at)
                next_item += len(it)
                attempts.extend(at)
                items.extend(it)
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB while loading
            conn.execute(insert(users_t), users)
            if settings:
                conn.execute(insert(settings_t), settings)
            for batch in _batches(states):
                conn.execute(insert(cards_t), batch)
            for batch in _batches(logs):
                conn.execute(insert(logs_t), batch)
            for batch in _batches(attempts):
                conn.execute(insert(attempts_t), batch)
            for batch in _batches(items):
                conn.execute(insert(items_t), batch)
        added += chunk
        if added % 100 == 0 or added == todo:
            progress(f"  {added}/{todo} learners added")
    if engine.dialect.name == "postgresql":
        _reset_sequences(engine, ("user", "card_state", "review_log", "attempt", "attempt_item"))
        # Autovacuum would soon do it; without statistics the planner guesses row counts.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return added


def _reset_sequences(engine: Engine, tables: tuple[str, ...]) -> None:
    """Move PostgreSQL's id sequences past the explicit ids inserted."""
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        for table in tables:
            name = quote(table)
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                ),
                {"t": name},
            )


# --------------------------------------------------------------------------- measuring


def _percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) with linear interpolation between closest ranks."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _login(client: FlaskClient, token: str) -> None:
    with client.session_transaction() as sess:
        sess["_user_id"] = token
        sess["_fresh"] = True


class Timer:
    """Wall-clock and CPU time (this thread's) of the block, in milliseconds."""

    wall_ms = cpu_ms = 0.0

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), time.thread_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall_ms = (time.perf_counter() - self._wall) * 1000
        self.cpu_ms = (time.thread_time() - self._cpu) * 1000


def cpu_stall_us() -> int | None:
    """Return the kernel's total time (µs) some task waited for a CPU (PSI), if available."""
    try:
        line = Path("/proc/pressure/cpu").read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(line.rsplit("total=", 1)[1])


def measure(
    app: Flask, user_ids: list[int], repeats: int, warmup: int, seed: int
) -> dict[str, list[Timer]]:
    """Time the three operations for random learners; return {operation: [Timer, ...]}.

    Each service call runs in an app context of its own, as in a request, and the page is
    requested outside of any (a request inside an app context would reuse its ``g`` and
    with it the user Flask-Login loaded first).
    """
    rng = random.Random(seed)
    client = app.test_client()
    timings: dict[str, list[Timer]] = {op: [] for op in OPERATIONS}
    with app.app_context():
        query = select(User.id, User.username, User.session_token).where(User.id.in_(user_ids))
        learners = {uid: (name, token) for uid, name, token in db.session.execute(query)}
    for i in range(warmup + repeats):
        user_id = rng.choice(user_ids)
        name, token = learners[user_id]
        with app.app_context(), Timer() as select_1:  # the Timer stops before the teardown
            db.session.execute(text("SELECT 1")).scalar()
        with app.app_context():
            now = datetime.now(UTC)
            # As a request does: Flask-Login loads the user, with the flashcard settings.
            with Timer() as user_load:
                user = db.session.get(User, user_id, options=[joinedload(User.card_settings)])
            with Timer() as next_due:
                nxt = service.next_card(db.session, user_id, now)
            del user
            if nxt.card is None:
                raise RuntimeError(f"learner {user_id} has no card due: {nxt}")
        _login(client, f"{user_id}:{token}")
        with Timer() as stats_page:
            response = client.get("/cards/stats")
        if response.status_code != 200 or f">{name}<" not in response.text:
            raise RuntimeError(f"/cards/stats answered {response.status_code}, not as {name}")
        if i >= warmup:
            timings["select_1"].append(select_1)
            timings["next_due_card"].append(next_due)
            timings["user_load"].append(user_load)
            timings["stats_page"].append(stats_page)
    return timings


def measure_analysis(app: Flask, repeats: int, page_repeats: int) -> dict[str, list[Timer]]:
    """Time the class-wide item analysis: its refresh, and the page that reads what it stored.

    The refresh (``quizapp.teach.snapshot.refresh``: every quiz answer read, the figures
    stored) runs off the request path in the app; it is timed ``repeats`` times after one
    untimed run. The page, ``GET /teach/analysis`` as a teacher, reads the stored figures while
    they are fresh; it is timed ``page_repeats`` times after a tenth as many untimed ones.
    """
    timers: dict[str, list[Timer]] = {ANALYSIS: [], ANALYSIS_PAGE: []}
    for i in range(repeats + 1):
        with app.app_context():
            with Timer() as timer:
                _, stats = refresh(db.session, datetime.now(UTC))
            if not stats:
                raise RuntimeError("the item analysis found no answers")
        if i:
            timers[ANALYSIS].append(timer)
    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.username == BENCH_TEACHER))
        if teacher is None:
            teacher = User(
                username=BENCH_TEACHER,
                username_key=BENCH_TEACHER,
                role="teacher",
                password_hash="!",
            )
            db.session.add(teacher)
            db.session.commit()
        token = f"{teacher.id}:{teacher.session_token}"
    client = app.test_client()
    _login(client, token)
    app.config["ANALYSIS_CACHE_SECONDS"] = 24 * 3600  # the snapshot just stored stays fresh
    for i in range(page_repeats // 10 + page_repeats):
        with Timer() as timer:
            response = client.get("/teach/analysis")
        if response.status_code != 200 or stats[0].question_id not in response.text:
            raise RuntimeError(f"/teach/analysis answered {response.status_code}")
        if i >= page_repeats // 10:
            timers[ANALYSIS_PAGE].append(timer)
    app.config["ANALYSIS_CACHE_SECONDS"] = 0
    return timers


def question_kinds(
    conn: Connection, question_ids: list[str]
) -> dict[str, tuple[str, list[tuple[int, bool]]]]:
    """Return question id -> (kind, [(choice id, correct), ...]) for the synthetic answers."""
    kinds = {
        qid: (kind, [])
        for qid, kind in conn.execute(
            select(Question.id, Question.kind).where(Question.id.in_(question_ids))
        )
    }
    for qid, cid, correct in conn.execute(
        select(Choice.question_id, Choice.id, Choice.correct).order_by(
            Choice.question_id, Choice.position
        )
    ):
        if qid in kinds:
            kinds[qid][1].append((cid, bool(correct)))
    return kinds


@contextmanager
def capture_plans(engine: Engine) -> Iterator[list[tuple[str, list[str]]]]:
    """Record the query plan of every statement run on ``engine`` inside the block.

    The plan is asked for with the statement's own, already converted parameters, just
    before it runs: EXPLAIN QUERY PLAN on SQLite, EXPLAIN elsewhere.
    """
    plans: list[tuple[str, list[str]]] = []
    sqlite = engine.dialect.name == "sqlite"

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("SELECT"):
            return
        explain = cursor.connection.cursor()
        try:
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            explain.execute(prefix + statement, parameters)
            rows = explain.fetchall()
        finally:
            explain.close()
        plans.append((statement, _sqlite_tree(rows) if sqlite else [str(r[0]) for r in rows]))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield plans
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _sqlite_tree(rows: list[tuple]) -> list[str]:
    """Indent EXPLAIN QUERY PLAN rows (id, parent, notused, detail) as the sqlite3 shell does."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + "|--" + str(detail))
    return lines


def plans_of(app: Flask, user_id: int) -> list[tuple[str, str, list[str]]]:
    """Return (function, statement, plan) for each distinct statement of the two functions."""
    out: list[tuple[str, str, list[str]]] = []
    with app.app_context():
        for name, call in (
            ("next_card", service.next_card),
            ("statistics", service.statistics),
        ):
            user = db.session.get(User, user_id, options=[joinedload(User.card_settings)])
            with capture_plans(db.engine) as plans:
                call(db.session, user_id, datetime.now(UTC))
            del user
            db.session.remove()
            seen = set()
            for statement, plan in plans:
                if statement not in seen:
                    seen.add(statement)
                    out.append((name, statement, plan))
    return out


def due_card_plan(plans: list[tuple[str, str, list[str]]]) -> tuple[str, list[str]] | None:
    """Return the next-due-card statement of next_card and its plan."""
    for name, statement, plan in plans:
        if name == "next_card" and DUE_ORDER.search(statement):
            return statement, plan
    return None


# --------------------------------------------------------------------------- report


def machine(engine: Engine) -> dict[str, str]:
    """Describe the machine and the database server the numbers come from."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            server = "SQLite " + str(conn.exec_driver_sql("SELECT sqlite_version()").scalar())
        elif engine.dialect.name == "postgresql":
            server = str(conn.exec_driver_sql("SELECT version()").scalar())
        else:
            server = f"{engine.dialect.name} {engine.dialect.server_version_info}"
    return {**machine_info(), "database": server}


def _print_table(rows: list[dict[str, Any]], cpu: dict[tuple[int, str], dict]) -> None:
    base = {(r["card_states"], r["operation"]): r for r in rows}
    print(f"{'database':<10} {'card_states':>11} {'operation':<14} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'cpu p50':>8} {'cpu p99':>8} {'p50/select_1':>12}")  # fmt: skip
    for r in rows:
        floor = base[(r["card_states"], "select_1")]["p50_ms"]
        ratio = r["p50_ms"] / floor if floor else float("nan")
        c = cpu[(r["card_states"], r["operation"])]
        print(
            f"{r['database']:<10} {r['card_states']:>11} {r['operation']:<14} "
            f"{r['p50_ms']:>8.3f} {r['p99_ms']:>8.3f} {c['max_ms']:>8.3f} "
            f"{c['cpu_p50_ms']:>8.3f} {c['cpu_p99_ms']:>8.3f} {ratio:>12.1f}"
        )
    print("(p50/p99/max: wall clock; cpu: CPU time of the benchmark's thread, which excludes")
    print(" the time it waited for a core taken by other processes)")


def merged_rows(path: Path, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return ``rows`` after the rows of other databases already in ``path`` (kept as they are)."""
    databases = {r["database"] for r in rows}
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = []
    if not isinstance(earlier, list):
        earlier = []
    return [r for r in earlier if r.get("database") not in databases] + rows


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Build the database size by size, time the operations, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="card states, comma-separated")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: SQLite)")
    parser.add_argument("--reset", action="store_true", help="drop every table of a non-SQLite "
                        "database first (a SQLite file is always recreated)")  # fmt: skip
    parser.add_argument("--cards-per-learner", type=int, default=1000)
    parser.add_argument("--logs-per-card", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=200, help="timed runs per size")
    parser.add_argument("--warmup", type=int, default=20, help="untimed runs first")
    parser.add_argument(
        "--analysis-repeats",
        type=int,
        default=10,
        help="timed runs of the item analysis per size (0 skips it)",
    )
    parser.add_argument(
        "--no-answers",
        dest="answers",
        action="store_false",
        help="no quiz answers (one per card state by default)",
    )
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where to write the JSON")
    args = parser.parse_args(argv)

    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] < args.cards_per_learner:
        parser.error(f"sizes must be at least --cards-per-learner ({args.cards_per_learner})")
    url = args.database_url or default_url()
    total_start = time.perf_counter()

    start = time.perf_counter()
    fresh_database(url, args.reset)
    app = make_app(url)
    bank = migrate_and_load(app)
    now = datetime.now(UTC)
    with app.app_context():
        engine = db.engine
        dialect = engine.dialect.name
        with engine.begin() as conn:
            approved, copies = pad_questions(conn, args.cards_per_learner, now)
            question_ids = list(
                conn.scalars(select(Question.id).where(Question.status == "approved"))
            )
            kinds = question_kinds(conn, question_ids)
        question_ids.sort()
    setup_s = time.perf_counter() - start
    _log(f"migrated, {bank}; {approved} approved questions + {copies} copies ({setup_s:.1f} s)")

    gen = Generator(args.seed, now, args.cards_per_learner, args.logs_per_card)
    rows: list[dict[str, Any]] = []
    builds: list[dict[str, Any]] = []
    all_plans: dict[int, list[tuple[str, str, list[str]]]] = {}
    cpu_rows: dict[tuple[int, str], dict[str, float]] = {}
    for size in sizes:
        learners = math.ceil(size / args.cards_per_learner)
        _log(f"growing to {learners} learners ({size} card states) ...")
        start = time.perf_counter()
        with app.app_context():
            added = grow(
                db.engine, gen, question_ids, learners, _log, kinds if args.answers else None
            )
            with db.engine.connect() as conn:
                card_states = conn.scalar(select(func.count()).select_from(CardState))
                review_logs = conn.scalar(select(func.count()).select_from(ReviewLog))
                answers = conn.scalar(select(func.count()).select_from(AttemptItem))
                user_ids = list(conn.scalars(select(User.id).where(User.username.like("bench%"))))
            db.engine.dispose()  # measure on fresh connections with the app's own settings
        build_s = time.perf_counter() - start
        builds.append(
            {
                "card_states": card_states,
                "review_logs": review_logs,
                "quiz_answers": answers,
                "learners_added": added,
                "build_s": round(build_s, 1),
            }
        )
        _log(f"  {card_states} card states, {review_logs} review logs, built in {build_s:.1f} s")

        load, stall_before, start = os.getloadavg()[0], cpu_stall_us(), time.perf_counter()
        timings = measure(app, user_ids, args.repeats, args.warmup, args.seed + size)
        if args.analysis_repeats:
            timings |= measure_analysis(app, args.analysis_repeats, args.repeats)
        elapsed, stall_after = time.perf_counter() - start, cpu_stall_us()
        builds[-1]["load_1m"] = round(load, 2)
        if stall_before is not None and stall_after is not None:
            builds[-1]["cpu_stall_pct"] = round((stall_after - stall_before) / elapsed / 1e4, 1)
        for op in timings:
            wall = [t.wall_ms for t in timings[op]]
            cpu = [t.cpu_ms for t in timings[op]]
            rows.append(
                {
                    "database": dialect,
                    "card_states": card_states,
                    "operation": op,
                    "p50_ms": round(statistics.median(wall), 3),
                    "p99_ms": round(_percentile(wall, 0.99), 3),
                }
            )
            cpu_rows[(card_states, op)] = {
                "cpu_p50_ms": round(statistics.median(cpu), 3),
                "cpu_p99_ms": round(_percentile(cpu, 0.99), 3),
                "max_ms": round(max(wall), 3),
            }
        all_plans[card_states] = plans_of(app, random.Random(size).choice(user_ids))
        _log(f"  measured in {time.perf_counter() - start:.1f} s")

    print()
    with app.app_context():
        info = machine(db.engine)
        db.engine.dispose()
    for key, value in info.items():
        print(f"{key}: {value}")
    print()
    print(f"{'card_states':>11} {'review_logs':>11} {'quiz_answers':>12} "
          f"{'learners added':>14} {'build s':>8} {'load avg':>8} {'cpu stall %':>11}")  # fmt: skip
    print(f"{'(setup)':>11} {'':>11} {'':>12} {'':>14} {setup_s:>8.1f}")
    for b in builds:
        stall = b.get("cpu_stall_pct")
        print(
            f"{b['card_states']:>11} {b['review_logs']:>11} {b['quiz_answers']:>12} "
            f"{b['learners_added']:>14} "
            f"{b['build_s']:>8.1f} {b['load_1m']:>8.2f} {'-' if stall is None else stall:>11}"
        )
    print("(load avg: 1-minute load average when the measurements began; cpu stall: share of")
    print(" the measuring time in which some task waited for a CPU, /proc/pressure/cpu)")
    print()
    _print_table(rows, cpu_rows)

    largest = max(all_plans)
    found = due_card_plan(all_plans[largest])
    print()
    print(f"query plan of the next-due-card query at {largest} card states ({dialect}):")
    if found is None:
        print("  (statement not found)")
    else:
        statement, plan = found
        print(statement)
        print("\n".join(plan))
        if dialect == "sqlite":
            uses = any(DUE_INDEX in line for line in plan)
            print(f"uses {DUE_INDEX}: {'yes' if uses else 'NO'}")

    for op in ("next_due_card", "stats_page"):
        p99 = [r["p99_ms"] for r in rows if r["operation"] == op]
        p50 = [r["p50_ms"] for r in rows if r["operation"] == op]
        print(
            f"{op}: p50 {p50[0]:.3f} -> {p50[-1]:.3f} ms (x{p50[-1] / p50[0]:.2f}), "
            f"p99 {p99[0]:.3f} -> {p99[-1]:.3f} ms from {sizes[0]} to {sizes[-1]} card states"
        )
    print(f"total time: {time.perf_counter() - total_start:.0f} s")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(merged_rows(args.out, rows), indent=2) + "\n", "utf-8")
    plans_file = args.out.with_name(f"{args.out.stem}-{dialect}-plans.txt")
    with plans_file.open("w", encoding="utf-8") as fh:
        for size, plans in sorted(all_plans.items()):
            for name, statement, plan in plans:
                fh.write(f"-- {name} at {size} card states\n{statement}\n")
                fh.write("\n".join(plan) + "\n\n")
    details_file = args.out.with_name(f"{args.out.stem}-{dialect}-details.json")
    details = {
        "machine": info,
        "command": " ".join(["python -m bench.bench_scale", *(argv or sys.argv[1:])]),
        "setup_s": round(setup_s, 1),
        "builds": builds,
        "rows": [{**r, **cpu_rows[(r["card_states"], r["operation"])]} for r in rows],
        "repeats": args.repeats,
        "total_s": round(time.perf_counter() - total_start),
    }
    details_file.write_text(json.dumps(details, indent=2) + "\n", encoding="utf-8")
    for path in (args.out, plans_file, details_file):
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
