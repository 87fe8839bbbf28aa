"""Capacity: how many learners one server holds, and how fast an exam starts.

Run from the repository root (``make bench-capacity`` installs Locust and runs both databases):

    .venv/bin/python -m bench.bench_capacity [--steps 100,250,500,...] [--step-seconds 30]
    .venv/bin/python -m bench.bench_capacity --database-url postgresql+psycopg://U:PW@127.0.0.1/postgres

Everything runs on this machine and talks only to 127.0.0.1: a fresh database (a SQLite file in
build/bench/capacity/, or a database ``quizapp_capacity`` created on the given PostgreSQL server
and dropped at the end), migrated and loaded with the bank; gunicorn with the project's
gunicorn.conf.py behind Debian's nginx with the project's configuration (deploy/); and the
simulated users, driven by Locust (gevent, keep-alive connections like browsers).

**Learners** keep a brisk, fixed pace, each with the pages a browser loads in between:

* half of them review flashcards: the front of a card, its back, the rating; a rating every
  5 s (three requests per 5 s);
* half take quizzes: the question page, the answer, the feedback page; an answer every 10 s,
  a new quiz (POST /quiz/start) after ten answers (three or four requests per 10 s);
* now and then (one round in twenty) a learner opens the timeline or the card statistics.

Static files are not fetched: their URLs carry a content hash and browsers cache them for a
year (see docs/SCALE-OUT.md). **Teachers**, one per 30 users, open the item analysis and the
review queue, each every 15 s.

**Steps**: the users are ramped up in steps (``--steps``); each step is measured for
``--step-seconds`` after ``--settle-seconds`` in which the new users log in and fall into their
rhythm. A step is held when no request failed and the p99 of every route is at most
``--p99-ms`` (100). The run stops at the first step not held (or at ``--max-minutes``).

**Exam start** (``--exam``, before the steps, on the idle server): N learners, logged in
beforehand, start the same quiz (one document) within one second - each at a random moment
of that second - and load its first question; reported is the time from the start of that
second until the last of them sees question 1, and the errors. Each then reads question 1
for 4 s (``--exam-thinking``), as the quiz-taking learners of the steps do, and answers it
once; afterwards the database must hold exactly N new attempts and N answered items
(nothing lost, nothing doubled).

CPU: the cores used by gunicorn (with its workers), nginx, the database server (PostgreSQL;
SQLite runs inside the workers) and this load generator are reported per step, and for each
exam start the CPU seconds each used until the last starter saw question 1: on a 2-core
machine the load generator competes with the server, and the figures say how much.

Output: build/bench/capacity.json (a list, one object per database run: ``database``,
``learners_held``, ``steps`` (each with ``learners``, ``rps``, ``errors``, ``held`` and per
route ``p50_ms``/``p95_ms``/``p99_ms``/``rps``/``errors``, and ``cores``), ``exam_start``
(each with ``starters``, ``seconds_until_all_see_question_1``, ``errors``, ``attempts``,
``answered``, ``cpu_seconds``), ``machine``, ``settings``). See docs/BENCH-capacity.md.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # Locust's users are greenlets: sockets must cooperate before any is opened

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent  # noqa: E402
from gevent.event import Event  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.exception import StopUser  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from bench.bench_load import (  # noqa: E402
    PASSWORD,
    TEACHER,
    CpuMonitor,
    _free_port,
    answer_from_page,
    create_accounts,
    csrf_token,
    gunicorn,
    learner_name,
    log_problems,
    migrate_and_load,
    prepare_database,
    server_version,
)
from bench.machine import machine_info  # noqa: E402
from deploy.nginx import write_standalone  # noqa: E402
from quizapp.models import Document, Question  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK_DIR = ROOT / "build" / "bench" / "capacity"
OUTPUT = ROOT / "build" / "bench" / "capacity.json"
PG_DATABASE = "quizapp_capacity"
CARD_PACE = 5.0  # seconds between two card ratings
QUIZ_PACE = 10.0  # seconds between two quiz answers
TEACHER_PACE = 15.0
THINKING = 4.0  # seconds between seeing a quiz question and sending the answer
SIDE_TRIPS = 1 / 20  # share of rounds with a look at the timeline or the card statistics
TEACHERS_PER = 30  # one teacher per this many users
QUIZ_LENGTH = 10
NGINX = "/usr/sbin/nginx"
ANSWERED = "SELECT count(*) FROM attempt_item WHERE answered_at IS NOT NULL"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --------------------------------------------------------------------------- users


class Shared:
    """What every simulated user of a run reads: the accounts still free, the exam's state."""

    learners: Iterator[int] = itertools.count()
    exam_go = Event()
    exam_key = ""
    exam_t0 = 0.0
    exam_seen: list[float] = []
    exam_errors = 0
    exam_answered = 0
    exam_thinking = THINKING
    exam_ready = 0  # exam takers logged in


class Browser(FastHttpUser):
    """A logged-in browser tab: keeps its cookies and the session's CSRF token."""

    abstract = True
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0
    token = ""

    def page(self, path: str, name: str) -> str | None:
        """GET a page that must answer 200; return its text (None on failure)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            return response.text

    def post(self, path: str, fields: dict[str, Any], name: str, expect: str) -> str | None:
        """POST a form that must redirect to a location matching ``expect``; return it."""
        data = {**fields, "csrf_token": self.token}
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = _path(response.headers.get("Location") or "")
            if response.status_code not in (302, 303) or not re.search(expect, location):
                response.failure(f"status {response.status_code} -> {location or '-'}")
                return None
            return location

    def log_in(self, name: str) -> None:
        page = self.page("/auth/login", "login page")
        self.token = csrf_token(page or "") or ""
        if self.post("/auth/login", {"username": name, "password": PASSWORD}, "login", "") is None:
            raise StopUser
        # A page with a form: the token of the logged-in session (valid for hours).
        self.token = csrf_token(self.page("/quiz/", "quiz choice") or "") or self.token


class Learner(Browser):
    """A learner reviewing flashcards or taking quizzes at a fixed pace."""

    weight = TEACHERS_PER - 1

    def on_start(self) -> None:
        self.index = next(Shared.learners)
        self.rng = random.Random(self.index)
        self.mode = "cards" if self.index % 2 == 0 else "quiz"
        self.attempt: str | None = None
        self.log_in(learner_name(self.index))
        # Users started together must not stay in step: begin somewhere in the first round.
        gevent.sleep(self.rng.uniform(0, CARD_PACE if self.mode == "cards" else QUIZ_PACE))

    @task
    def round(self) -> None:
        started = time.monotonic()
        if self.mode == "cards":
            self.card_round()
            pace = CARD_PACE
        else:
            self.quiz_round()
            pace = QUIZ_PACE
        if self.rng.random() < SIDE_TRIPS:
            if self.rng.random() < 0.5:
                self.page("/timeline/", "timeline")
            else:
                self.page("/cards/stats", "card statistics")
        gevent.sleep(max(0.0, started + pace * self.rng.uniform(0.95, 1.05) - time.monotonic()))

    def card_round(self) -> None:
        front = self.page("/cards/review", "card front")
        shown = re.search(r'href="(/cards/review\?show=[^"]+)"', front or "")
        if shown is None:
            return
        gevent.sleep(1.5)  # reading the question
        back = self.page(shown.group(1).replace("&amp;", "&"), "card back")
        question = re.search(r'name="question_id"[^>]*value="([^"]+)"', back or "")
        version = re.search(r'name="version"[^>]*value="(\d+)"', back or "")
        if question is None or version is None:
            return
        gevent.sleep(1.0)  # reading the answer
        fields = {"question_id": question.group(1), "version": version.group(1), "rating": "3"}
        self.post("/cards/rate", fields, "card rating", r"^/cards/review")

    def quiz_round(self) -> None:
        if self.attempt is None:
            location = self.post(
                "/quiz/start", {"mode": "mixed", "length": str(QUIZ_LENGTH)}, "quiz start",
                r"^/quiz/\d+$",
            )  # fmt: skip
            if location is None:
                return
            self.attempt = location
        page = self.page(self.attempt, "quiz question")
        found = answer_from_page(page or "")
        if found is None:
            self.attempt = None  # finished: the next round starts a new quiz
            return
        action, fields = found
        gevent.sleep(THINKING)
        feedback = self.post(action, fields, "quiz answer", r"/feedback$")
        if feedback is not None:
            self.page(feedback, "quiz feedback")
            if int(action.rsplit("/", 1)[1]) >= QUIZ_LENGTH - 1:
                self.attempt = None


class Teacher(Browser):
    """A teacher looking at the item analysis and the review queue."""

    weight = 1

    def on_start(self) -> None:
        self.rng = random.Random(id(self))
        self.log_in(TEACHER)
        gevent.sleep(self.rng.uniform(0, TEACHER_PACE))

    @task
    def round(self) -> None:
        self.page("/teach/analysis", "teacher: item analysis")
        gevent.sleep(TEACHER_PACE * self.rng.uniform(0.9, 1.1))
        self.page("/teach/review", "teacher: review queue")
        gevent.sleep(TEACHER_PACE * self.rng.uniform(0.9, 1.1))


class ExamTaker(Browser):
    """A learner who logs in, waits for the exam, starts it within one second and answers
    question 1 after reading it."""

    def on_start(self) -> None:
        self.index = next(Shared.learners)
        self.log_in(learner_name(self.index))
        Shared.exam_ready += 1

    @task
    def exam(self) -> None:
        Shared.exam_go.wait()
        gevent.sleep(max(0.0, Shared.exam_t0 + random.random() - time.monotonic()))
        location = self.post(
            "/quiz/start", {"mode": "document", "key": Shared.exam_key, "length": "10"},
            "exam: start", r"^/quiz/\d+$",
        )  # fmt: skip
        page = self.page(location, "exam: question 1") if location else None
        if page is None:
            Shared.exam_errors += 1
            raise StopUser
        Shared.exam_seen.append(time.monotonic())
        found = answer_from_page(page)
        gevent.sleep(Shared.exam_thinking)  # reading question 1
        if found is not None and self.post(found[0], found[1], "exam: answer", r"/feedback$"):
            Shared.exam_answered += 1
        raise StopUser


# --------------------------------------------------------------------------- servers


@contextmanager
def nginx(upstream: str, run_dir: Path) -> Iterator[tuple[str, int]]:
    """Run Debian's nginx with the project's configuration; yield (address, pid)."""
    address = f"127.0.0.1:{_free_port()}"
    conf = write_standalone(run_dir, address, [upstream], workers=1)
    log = run_dir / "error.log"
    process = subprocess.Popen(
        [NGINX, "-e", str(log), "-c", str(conf)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        time.sleep(0.5)
        if process.poll() is not None:
            raise SystemExit(f"nginx exited:\n{log.read_text(errors='replace')}")
        yield address, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


class Cores:
    """CPU cores used per process group between two snapshots."""

    def __init__(self, monitor: CpuMonitor, nginx_pid: int) -> None:
        self.monitor = monitor
        self.nginx_pid = nginx_pid

    def snapshot(self) -> dict[str, float]:
        return {**self.monitor.snapshot(), "nginx": CpuMonitor._tree(self.nginx_pid)}

    @staticmethod
    def used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        seconds = max(1e-9, (after["total"] - before["total"]) / (os.cpu_count() or 1))
        parts = ("server", "nginx", "database", "bench")
        used = {k: (after[k] - before[k]) / seconds for k in parts}
        busy = (after["busy"] - before["busy"]) / seconds
        used["other"] = max(0.0, busy - sum(used.values()))
        used["machine_busy_share"] = busy / (os.cpu_count() or 1)
        return {k: round(v, 2) for k, v in used.items()}

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        """Return the CPU seconds each part used between two snapshots, and the wall time."""
        parts = ("server", "nginx", "database", "bench")
        spent = {k: after[k] - before[k] for k in parts}
        busy = after["busy"] - before["busy"]
        spent["other"] = max(0.0, busy - sum(spent.values()))
        spent["wall"] = (after["total"] - before["total"]) / (os.cpu_count() or 1)
        return {k: round(v, 2) for k, v in spent.items()}


# --------------------------------------------------------------------------- phases


def route_figures(env: Environment, seconds: float) -> tuple[dict[str, dict], int, float]:
    """Return per-route figures, all errors and all requests per second since the reset."""
    routes: dict[str, dict[str, Any]] = {}
    for (name, _method), entry in sorted(env.stats.entries.items()):
        if not entry.num_requests and not entry.num_failures:
            continue
        routes[name] = {
            "requests": entry.num_requests,
            "rps": round(entry.num_requests / seconds, 1),
            "errors": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
    total = env.stats.total
    return routes, total.num_failures, round(total.num_requests / seconds, 1)


def run_steps(
    base: str, steps: list[int], args: argparse.Namespace, cores: Cores, deadline: float
) -> list[dict[str, Any]]:
    """Ramp the users up step by step; stop at the first step not held."""
    env = Environment(user_classes=[Learner, Teacher], host=base)
    runner = env.create_local_runner()
    results: list[dict[str, Any]] = []
    try:
        for users in steps:
            if time.monotonic() + args.settle_seconds + args.step_seconds > deadline:
                _log(f"  {users} users: not run, --max-minutes reached")
                break
            runner.start(users, spawn_rate=args.spawn_rate)
            while runner.user_count < users:
                gevent.sleep(0.5)
            gevent.sleep(args.settle_seconds)
            env.stats.reset_all()
            before = cores.snapshot()
            started = time.monotonic()
            gevent.sleep(args.step_seconds)
            seconds = time.monotonic() - started
            used = Cores.used(before, cores.snapshot())
            routes, errors, rps = route_figures(env, seconds)
            worst = max((r["p99_ms"] for r in routes.values()), default=0)
            held = errors == 0 and worst <= args.p99_ms
            learners = runner.user_classes_count.get("Learner", 0)
            results.append({
                "users": users, "learners": learners,
                "teachers": runner.user_classes_count.get("Teacher", 0),
                "rps": rps, "errors": errors, "worst_p99_ms": worst, "held": held,
                "seconds": round(seconds, 1), "cores": used, "routes": routes,
            })  # fmt: skip
            verdict = "held" if held else "NOT held"
            _log(f"  {users} users ({learners} learners): {rps} rps, {errors} errors, "
                 f"worst p99 {worst} ms, cores {used} -> {verdict}")  # fmt: skip
            if not held:
                break
    finally:
        runner.quit()
    return results


def exam_start(base: str, starters: int, key: str, engine: Any, cores: Cores) -> dict[str, Any]:
    """N logged-in learners start the same quiz within one second; see the module docstring.

    ``cpu_seconds`` says who used the machine until the last starter saw question 1 (app,
    nginx, database server, this load generator): the exam start is a burst that fills both
    cores, so its time is the work divided by the cores.
    """
    Shared.exam_go = Event()
    Shared.exam_key, Shared.exam_seen = key, []
    Shared.exam_errors = Shared.exam_answered = Shared.exam_ready = 0
    attempts_before = _scalar(engine, "SELECT count(*) FROM attempt")
    answered_before = _scalar(engine, ANSWERED)
    env = Environment(user_classes=[ExamTaker], host=base)
    runner = env.create_local_runner()
    runner.start(starters, spawn_rate=200)
    # Every exam taker logged in (logins hash passwords: none may overlap the exam), bounded.
    ready_by = time.monotonic() + 120
    while Shared.exam_ready < starters and time.monotonic() < ready_by:
        gevent.sleep(0.2)
    gevent.sleep(1.0)
    env.stats.reset_all()
    before = cores.snapshot()
    Shared.exam_t0 = time.monotonic()
    Shared.exam_go.set()
    limit = time.monotonic() + 120
    while len(Shared.exam_seen) < starters and runner.user_count > 0 and time.monotonic() < limit:
        gevent.sleep(0.02)
    after = cores.snapshot()
    while runner.user_count > 0 and time.monotonic() < limit:
        gevent.sleep(0.1)
    runner.quit()
    routes, errors, _ = route_figures(env, max(1e-9, time.monotonic() - Shared.exam_t0))
    seen = len(Shared.exam_seen)
    attempts = _scalar(engine, "SELECT count(*) FROM attempt") - attempts_before
    answered = _scalar(engine, ANSWERED) - answered_before
    return {
        "starters": starters,
        "seconds_until_all_see_question_1": (
            round(max(Shared.exam_seen) - Shared.exam_t0, 2) if seen == starters else None
        ),
        "saw_question_1": seen,
        "errors": errors + Shared.exam_errors,
        "attempts": attempts,
        "answers_sent": Shared.exam_answered,
        "answered": answered,
        "cpu_seconds": Cores.spent(before, after),
        "routes": routes,
    }


def _scalar(engine: Any, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def exam_document(engine: Any) -> str:
    """Return the key of the document with the most approved questions."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Document.id)
            .join(Question, Question.document_id == Document.id)
            .where(Question.status == "approved")
            .group_by(Document.id)
            .order_by(text("count(*) DESC"))
            .limit(1)
        ).first()
    return str(row[0])


# --------------------------------------------------------------------------- main


def merge(path: Path, run: dict[str, Any]) -> None:
    """Write ``run`` into the list in ``path``, replacing an earlier run on its database."""
    runs = json.loads(path.read_text()) if path.exists() else []
    runs = [r for r in runs if r.get("database") != run["database"]] + [run]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--steps", default="100,250,500,750,1000,1250,1500,2000")
    parser.add_argument("--step-seconds", type=float, default=30.0)
    parser.add_argument("--settle-seconds", type=float, default=15.0)
    parser.add_argument("--spawn-rate", type=float, default=50.0, help="users started per second")
    parser.add_argument("--p99-ms", type=float, default=100.0)
    parser.add_argument("--exam", default="100,300,500", help="exam starters; empty: skip")
    parser.add_argument(
        "--exam-thinking", type=float, default=THINKING,
        help="seconds an exam starter reads question 1 before answering (0: at once)",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gunicorn-args", default="")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--max-minutes", type=float, default=20.0, help="the whole run's bound")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    steps = [int(s) for s in args.steps.split(",") if s.strip()]
    exams = [int(s) for s in args.exam.split(",") if s.strip()]
    Shared.exam_thinking = max(0.0, args.exam_thinking)
    if not steps or min(steps) < 1:
        parser.error("--steps needs positive numbers")
    started = time.monotonic()
    deadline = started + args.max_minutes * 60
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    url, drop = prepare_database(args.database_url, WORK_DIR, PG_DATABASE)
    engine = create_engine(url)
    database = engine.dialect.name
    log = WORK_DIR / f"gunicorn-{database}.log"
    learners_needed = max(steps) + sum(exams)
    try:
        bank = migrate_and_load(url)
        create_accounts(engine, learners_needed)
        version = server_version(engine)
        _log(f"{version}: {bank}; {learners_needed} learner accounts")
        extra = args.gunicorn_args.split()
        with (
            gunicorn(url, args.workers, args.threads, log, extra) as (port, pid),
            nginx(f"127.0.0.1:{port}", WORK_DIR / f"nginx-{database}") as (front, npid),
        ):
            base = f"http://{front}"
            cores = Cores(CpuMonitor(pid, engine), npid)
            _log(f"gunicorn {args.workers}x{args.threads} behind nginx on {base}")
            key = exam_document(engine)
            exam_results = []
            for n in exams:
                result = exam_start(base, n, key, engine, cores)
                until = result["seconds_until_all_see_question_1"]
                _log(f"  exam start, {n} learners: {until} s until all see question 1, "
                     f"{result['errors']} errors, {result['attempts']} attempts, "
                     f"{result['answered']} answered; CPU s {result['cpu_seconds']}")  # fmt: skip
                exam_results.append(result)
            Shared.learners = itertools.count(sum(exams))  # fresh accounts for the steps
            step_results = run_steps(base, steps, args, cores, deadline)
        problems = log_problems(log)
    finally:
        engine.dispose()
        if args.database_url:
            drop()
    held = [s["learners"] for s in step_results if s["held"]]
    run = {
        "database": database,
        "database_version": version,
        "learners_held": max(held, default=0),
        "steps": step_results,
        "exam_start": exam_results,
        "gunicorn_log": problems,
        "machine": machine_info(),
        "settings": {
            k: v if not isinstance(v, Path) else str(v)
            for k, v in vars(args).items()
            if k != "database_url"
        },  # fmt: skip
        "minutes": round((time.monotonic() - started) / 60, 1),
    }
    merge(args.out, run)
    _log(f"{database}: {run['learners_held']} learners held; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
