"""Load test: gunicorn serving simulated learners and teachers at 10, 50 and 100 clients.

Run from the repository root:

    .venv/bin/python -m bench.bench_load [--clients 10,50,100] [--duration 20]
    .venv/bin/python -m bench.bench_load --database-url postgresql+psycopg://USER:PW@127.0.0.1:5432/postgres

The script prepares a fresh database - a SQLite file in build/bench/load/, or with
``--database-url`` a dedicated database ``quizapp_load`` that it creates on that PostgreSQL
server (dropping an old one first) and drops again at the end - migrates it with
``flask db upgrade``, loads the bank with ``flask bank load`` and inserts the benchmark
accounts directly: one learner per client and one teacher. Their passwords are hashed with
the fast "pbkdf2:sha256:1000" (the app's own hashing is deliberately slow), and the learners'
flashcard limits are raised so that a review finds a card while one is left. It starts gunicorn with
the project's gunicorn.conf.py on a free loopback port (access log off) and, for each number
of clients, runs these phases, each a closed loop (a client sends its next request as soon as
the previous answer is in; no think time unless ``--think-ms``):

* login: every client logs in at the same moment (one timed POST /auth/login each);
* mixed (``--duration`` s): nine clients in ten are learners looping over GET /healthz,
  POST /quiz/start (once per 10 questions), GET /quiz/<id>, POST /quiz/<id>/<position>,
  GET .../feedback, GET /cards/review, GET /cards/review?show=<id>, POST /cards/rate; every
  tenth client is a teacher looping over GET /healthz and GET /teach/analysis;
* isolated (``--isolated-duration`` s each): all clients send only one kind of request -
  hello, login, quiz_page, quiz_answer, card_review, card_rate, teacher_analysis - to measure
  each endpoint's throughput on its own.

The first ``--warmup`` seconds of a timed phase are not counted; a phase stops at its end
time or when its share of ``--max-requests`` (a cap per level) is used up, whichever is first.
The CPU used by gunicorn, the local PostgreSQL server, this script and everything else is
measured per phase; a phase during which other programs used more than DISTURBED_CORES is
run again (``--retries`` times at most). See docs/BENCH-load.md.

Reported per endpoint (build/bench/load.json; a list of objects with the keys database,
clients, endpoint, requests, rps, p50_ms, p95_ms, p99_ms, errors, ratio_to_hello): the figures
of the mixed phase (for login: of the simultaneous logins), and

    ratio_to_hello = rps of the endpoint's isolated phase / rps of the isolated hello phase

with the same number of clients in the same run: the share of the hello-world route's
throughput that the endpoint reaches. An error is a connection error or timeout, or an answer
other than the one expected (200 for pages, the redirect for form posts and login).
build/bench/load-detail.json (next to ``--out``) adds the isolated phases, quiz_start and
quiz_feedback of the mixed phase, the CPU use of each phase and the settings.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import math
import os
import random
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from bench.machine import machine_info
from quizapp.config import resolve_database_uri
from quizapp.models import AttemptItem, CardSettings, CardState, Question, User
from quizapp.services.users import username_key

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "build" / "bench"
WORK_DIR = BENCH_DIR / "load"
OUTPUT = BENCH_DIR / "load.json"
PG_DATABASE = "quizapp_load"
SECRET_KEY = "bench-load-secret-key-not-for-production"
PASSWORD = "bench-load-password"
FAST_HASH = "pbkdf2:sha256:1000"  # benchmark accounts only; see the module docstring
TEACHER = "loadteacher"
QUIZ_LENGTH = 10
POOL_LENGTH = QUIZ_LENGTH  # questions per quiz made up front for the isolated answer phase
POOL_MAX = 100  # quizzes made up front per client at most
RATE_CARDS = 5  # cards each client cycles through in the isolated card_rate phase
RATING = 3  # "Gut": never a lapse, so no card becomes a leech
DISTURBED_CORES = 0.15  # CPU used by other programs above which a phase is run again
ENDPOINTS = (
    "hello",
    "quiz_page",
    "quiz_answer",
    "card_review",
    "card_rate",
    "teacher_analysis",
    "login",
)
EXTRA_ENDPOINTS = ("quiz_start", "quiz_feedback")  # in the mix, reported in the detail only
# Isolated phase only: a logged-in form POST that does nothing (bench/bench_app.py), the floor
# of the two write endpoints' ratio_to_hello.
FLOOR = "noop_post"
ISOLATED = ENDPOINTS[:1] + (FLOOR, "login") + ENDPOINTS[1:6]  # the order the phases run in
CLOSE_ERRORS = (OSError, http.client.HTTPException)
STALE_ERRORS = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- database


def prepare_database(
    url_arg: str | None, work_dir: Path = WORK_DIR, name: str = PG_DATABASE
) -> tuple[str, Callable[[], None]]:
    """Create an empty database; return its URL and a function that removes it.

    SQLite: ``<work_dir>/<work_dir name>.db``; PostgreSQL: a database ``name`` on the server.
    """
    if url_arg is None:
        work_dir.mkdir(parents=True, exist_ok=True)
        path = work_dir / f"{work_dir.name}.db"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", lambda: None
    url = make_url(resolve_database_uri(url_arg, work_dir))
    if url.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must point to a PostgreSQL server")
    admin_url = url.set(database="postgres") if url.database in (None, name) else url
    target = url.set(database=name)

    def drop() -> None:
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()

    drop()
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return target.render_as_string(hide_password=False), drop


def flask_env(url: str) -> dict[str, str]:
    """Return the environment for the flask CLI and gunicorn on the benchmark database."""
    env = dict(os.environ)
    env.update(FLASK_APP="quizapp", DATABASE_URL=url, SECRET_KEY=SECRET_KEY)
    return env


def migrate_and_load(url: str) -> str:
    """Run `flask db upgrade` and `flask bank load`; return the bank's summary line."""
    flask = str(Path(sys.executable).parent / "flask")
    out = ""
    for args in (["db", "upgrade"], ["bank", "load"]):
        result = subprocess.run(
            [flask, *args], cwd=ROOT, env=flask_env(url), capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        out = (result.stdout + result.stderr).strip()
    return out.splitlines()[-1] if out else ""


def learner_name(index: int) -> str:
    """Return the user name of the learner that client ``index`` logs in as."""
    return f"load{index:04d}"


def create_accounts(engine: Engine, learners: int) -> None:
    """Insert the learners (with high flashcard limits) and the teacher, with fast hashes."""
    password_hash = generate_password_hash(PASSWORD, method=FAST_HASH)
    now = datetime.now(UTC)
    names = [learner_name(i) for i in range(learners)]
    rows = [
        {
            "username": name,
            "username_key": username_key(name),
            "password_hash": password_hash,
            "role": "teacher" if name == TEACHER else "learner",
            "is_guest": False,
            "created_at": now,
            "session_token": secrets.token_hex(16),
        }
        for name in [*names, TEACHER]
    ]
    with engine.begin() as conn:
        conn.execute(insert(User.__table__), rows)
        ids = conn.execute(select(User.id).where(User.username.in_(names))).scalars().all()
        conn.execute(
            insert(CardSettings.__table__),
            [
                {
                    "user_id": user_id,
                    "desired_retention": 0.9,
                    "new_per_day": 1000,
                    "reviews_per_day": 10000,
                    "timezone": "Europe/Berlin",
                    "typed_answers": False,
                    "decks": [],
                }
                for user_id in ids
            ],
        )


def user_ids(engine: Engine) -> dict[str, int]:
    """Return {user name: id} of the benchmark accounts."""
    with engine.connect() as conn:
        rows = conn.execute(select(User.username, User.id).where(User.username.like("load%")))
        return {name: uid for name, uid in rows}


def server_version(engine: Engine) -> str:
    """Return the database's name and version."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return "SQLite " + str(conn.exec_driver_sql("SELECT sqlite_version()").scalar())
        return "PostgreSQL " + str(conn.exec_driver_sql("SHOW server_version").scalar())


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    url: str, workers: int, threads: int, log: Path, extra: list[str]
) -> Iterator[tuple[int, int]]:
    """Run gunicorn with gunicorn.conf.py on a free loopback port; yield (port, master pid).

    ``extra`` command-line options override the configuration file (for experiments).
    """
    port = _free_port()
    env = flask_env(url)
    env.update(
        QUIZAPP_BIND=f"127.0.0.1:{port}",
        QUIZAPP_WORKERS=str(workers),
        QUIZAPP_THREADS=str(threads),
        QUIZAPP_LOG_LEVEL="warning",
        QUIZAPP_ACCESS_LOG="off",
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config", str(ROOT / "gunicorn.conf.py"),
        "--chdir", str(ROOT),
        *extra,
        "bench.bench_app:app",  # the app plus the floor route (bench/bench_app.py)
    ]  # fmt: skip
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{log.read_text(encoding='utf-8')}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
                conn.close()
            except CLOSE_ERRORS:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def log_problems(log: Path) -> dict[str, int]:
    """Count worker tracebacks, timeouts and error lines in gunicorn's log."""
    content = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return {
        "tracebacks": content.count("Traceback (most recent call last)"),
        "worker_timeouts": content.count("WORKER TIMEOUT"),
        "error_lines": sum(1 for line in content.splitlines() if "[ERROR]" in line),
    }


# --------------------------------------------------------------------------- client


class PhaseOver(Exception):
    """The phase's end time has come or its request budget is used up."""


class Budget:
    """A thread-safe request counter with a cap."""

    def __init__(self, cap: int) -> None:
        self.left = cap
        self.lock = threading.Lock()

    def take(self) -> bool:
        """Take one request from the budget; return False when none is left."""
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


@dataclass(frozen=True)
class Reply:
    """What a request got back: status, redirect path (without host) and body."""

    status: int
    location: str
    body: str


TAG = re.compile(r"<(input|select|a)\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
ACTION = re.compile(r'<form[^>]*action="(/quiz/\d+/\d+)"')


def tags(page: str, name: str) -> list[dict[str, str]]:
    """Return the attributes of every <name ...> tag of the page (input, select or a)."""
    return [
        {k: html.unescape(v) for k, v in ATTR.findall(attrs)}
        for tag, attrs in TAG.findall(page)
        if tag.lower() == name
    ]


def csrf_token(page: str) -> str | None:
    """Return the page's CSRF token, if it has a form."""
    for attrs in tags(page, "input"):
        if attrs.get("name") == "csrf_token":
            return attrs.get("value")
    return None


def answer_from_page(page: str) -> tuple[str, dict[str, Any]] | None:
    """Return (form action, a well-formed answer) for a question page."""
    found = ACTION.search(page)
    if found is None:
        return None
    fields: dict[str, Any] = {}
    inputs = tags(page, "input")
    choices = [a["value"] for a in inputs if a.get("name") == "choice" and "value" in a]
    if choices:
        fields["choice"] = choices[0]
    if any(a.get("name") == "text" for a in inputs):
        fields["text"] = "1905"
    for attrs in tags(page, "select"):
        name = attrs.get("name", "")
        kind, _, number = name.partition("_")
        if number.isdigit() and kind == "rank":
            fields[name] = number  # the shown order: a permutation of 1..n
        elif number.isdigit() and kind == "match":
            fields[name] = "1"
    return found.group(1), fields


def answer_for(kind: str, options: int) -> dict[str, Any]:
    """Return a well-formed answer to a question of ``kind`` with ``options`` options."""
    if kind == "true_false":
        return {"choice": "wahr"}
    if kind in ("single_choice", "multiple_choice"):
        return {"choice": "1"}
    if kind == "ordering":
        return {f"rank_{i}": str(i) for i in range(1, options + 1)}
    if kind == "matching":
        return {f"match_{i}": "1" for i in range(1, options + 1)}
    return {"text": "1905"}


def _path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


Check = Callable[[Reply], bool]


def status_is(code: int, location: str | None = None) -> Check:
    """Return a check for the status and, for a redirect, a pattern of its target."""
    pattern = re.compile(location) if location else None
    return lambda r: r.status == code and (pattern is None or bool(pattern.search(r.location)))


OK = status_is(200)
EXPECT: dict[str, Check] = {
    "hello": lambda r: r.status == 200 and r.body == "ok",
    "login": lambda r: r.status == 302 and "/auth/login" not in r.location,
    "quiz_start": status_is(302, r"^/quiz/\d+$"),
    # The question page, or the expected redirect to the results of a finished quiz.
    "quiz_page": lambda r: r.status == 200 or (r.status == 302 and r.location.endswith("/results")),
    "quiz_answer": status_is(303, r"/feedback$"),
    "quiz_feedback": OK,
    "card_review": OK,
    "card_rate": status_is(303, r"^/cards/review$"),
    "teacher_analysis": OK,
    FLOOR: status_is(303, r"^/cards/review$"),
}


@dataclass
class Session:
    """A set of cookies and the CSRF token that goes with them."""

    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""


class Client:
    """One simulated user: a keep-alive HTTP connection, cookies, and what it is doing."""

    def __init__(self, index: int, port: int, timeout: float, teacher: bool) -> None:
        self.index = index
        self.port = port
        self.timeout = timeout
        self.teacher = teacher
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.session = Session()
        self.learner = Session()  # the learner account's session, for the learner phases
        self.prelogin = Session()  # cookies and token of the login page, before login
        self.samples: list[tuple[float, str, float, bool]] = []
        self.deadline = math.inf
        self.budget: Budget | None = None
        self.think = 0.0
        self.rng = random.Random(index)
        self.attempt: int | None = None  # mixed phase: the quiz under way
        self.answers: list[tuple[str, dict[str, Any]]] = []  # isolated phase: to answer
        self.page_attempt = 0  # isolated quiz_page phase: the attempt shown
        self.cards: list[list[Any]] = []  # isolated card_rate phase: [question id, version]
        self.refills = 0
        self.name = TEACHER if teacher else learner_name(index)
        self.teacher_session = Session()  # isolated teacher phase: a teacher's session
        self.engine: Engine | None = None  # to look up the questions of prepared quizzes

    def send(
        self,
        method: str,
        path: str,
        form: dict[str, Any] | None = None,
        session: Session | None = None,
        keep_cookies: bool = True,
    ) -> Reply:
        """Send one request on the keep-alive connection (reconnecting when needed)."""
        session = session or self.session
        headers: dict[str, str] = {}
        if session.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrf_token": session.token}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            reused = self.conn.sock is not None
            try:
                self.conn.request(method, path, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except CLOSE_ERRORS as exc:
                self.conn.close()
                # A kept-alive connection the server closed while idle: retry once on a new
                # one, as browsers do. Anything else counts as an error.
                if not (reused and attempt == 1 and isinstance(exc, STALE_ERRORS)):
                    raise
        if keep_cookies:
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""') or "max-age=0" in header.lower():
                    session.cookies.pop(name.strip(), None)
                else:
                    session.cookies[name.strip()] = value
        location = _path(response.getheader("Location") or "")
        return Reply(response.status, location, data.decode("utf-8", errors="replace"))

    def call(
        self,
        endpoint: str,
        method: str,
        path: str,
        form: dict[str, Any] | None = None,
        session: Session | None = None,
        keep_cookies: bool = True,
    ) -> Reply | None:
        """Send a timed request; record (end, endpoint, ms, ok); None on a connection error."""
        if time.perf_counter() >= self.deadline:
            raise PhaseOver
        if self.budget is not None and not self.budget.take():
            raise PhaseOver
        start = time.perf_counter()
        try:
            reply = self.send(method, path, form, session, keep_cookies)
        except CLOSE_ERRORS:
            end = time.perf_counter()
            self.samples.append((end, endpoint, (end - start) * 1000, False))
            return None
        end = time.perf_counter()
        self.samples.append((end, endpoint, (end - start) * 1000, EXPECT[endpoint](reply)))
        return reply

    def fetch_token(self, path: str, session: Session | None = None) -> None:
        """Load a page with a form (untimed) and keep its CSRF token."""
        session = session or self.session
        reply = self.send("GET", path, session=session)
        token = csrf_token(reply.body)
        if token is None:
            raise RuntimeError(f"no CSRF token on {path} ({reply.status})")
        session.token = token

    def login_form(self, name: str) -> dict[str, str]:
        """Return the login form's fields for the account ``name``."""
        return {"username": name, "password": PASSWORD}


# --------------------------------------------------------------------------- steps


def learner_round(c: Client) -> None:
    """One round of a learner: hello, a quiz question, and a flashcard."""
    c.call("hello", "GET", "/healthz")
    if c.attempt is None:
        reply = c.call("quiz_start", "POST", "/quiz/start", {"mode": "mixed", "length": "10"})
        if reply is None or not EXPECT["quiz_start"](reply):
            return
        c.attempt = int(reply.location.rsplit("/", 1)[1])
    reply = c.call("quiz_page", "GET", f"/quiz/{c.attempt}")
    if reply is None or reply.status != 200:
        c.attempt = None  # finished (or lost): start the next quiz in the next round
        return
    found = answer_from_page(reply.body)
    if found is None:
        c.attempt = None
        return
    action, fields = found
    reply = c.call("quiz_answer", "POST", action, fields)
    if reply is not None and EXPECT["quiz_answer"](reply):
        c.call("quiz_feedback", "GET", reply.location)
        if int(action.rsplit("/", 1)[1]) >= QUIZ_LENGTH - 1:
            c.attempt = None
    card_round(c, rate=True)


def card_round(c: Client, rate: bool) -> None:
    """Show a card's front and back; rate it if ``rate``."""
    reply = c.call("card_review", "GET", "/cards/review")
    if reply is None or reply.status != 200:
        return
    flip = [a["href"] for a in tags(reply.body, "a") if a.get("id") == "flip" and "href" in a]
    if not flip:
        return  # no card left today
    reply = c.call("card_review", "GET", flip[0])
    if reply is None or reply.status != 200 or not rate:
        return
    values = {a.get("name"): a.get("value", "") for a in tags(reply.body, "input")}
    if "question_id" not in values:
        return
    form = {"question_id": values["question_id"], "version": values.get("version", "0")}
    c.call("card_rate", "POST", "/cards/rate", {**form, "rating": str(RATING)})


def teacher_round(c: Client) -> None:
    """One round of a teacher: hello and the item analysis."""
    c.call("hello", "GET", "/healthz")
    c.call("teacher_analysis", "GET", "/teach/analysis")


def mixed_round(c: Client) -> None:
    """A round of the client's role in the mixed phase, then its think time.

    With a think time, each client first waits a random part of it, and each pause is drawn
    from 0.5-1.5 times it: clients that started together do not stay in step.
    """
    if c.think and not c.samples:
        time.sleep(c.rng.uniform(0, c.think))
    (teacher_round if c.teacher else learner_round)(c)
    if c.think:
        time.sleep(c.think * c.rng.uniform(0.5, 1.5))


def hello_only(c: Client) -> None:
    """Isolated phase: GET /healthz."""
    c.call("hello", "GET", "/healthz")


def noop_only(c: Client) -> None:
    """Isolated phase: POST /bench/noop (session, CSRF token, user; nothing stored)."""
    c.call(FLOOR, "POST", "/bench/noop", {}, session=c.learner)


def login_only(c: Client) -> None:
    """Isolated phase: POST /auth/login with the cookies of the login page (a fresh login)."""
    c.call("login", "POST", "/auth/login", c.login_form(c.name), c.prelogin, keep_cookies=False)


def quiz_page_only(c: Client) -> None:
    """Isolated phase: GET the question page of a quiz under way."""
    c.call("quiz_page", "GET", f"/quiz/{c.page_attempt}", session=c.learner)


def quiz_answer_only(c: Client) -> None:
    """Isolated phase: POST the answers to the questions of the attempts made up front."""
    if not c.answers:
        # Fallback when the prepared attempts run out: one more (untimed, counted as refill).
        c.refills += 1
        c.answers.extend(new_attempt_answers(c))
    path, fields = c.answers[0]
    reply = c.call("quiz_answer", "POST", path, fields, session=c.learner)
    if reply is not None:
        c.answers.pop(0)  # answered (or refused): either way it is not offered again


def card_review_only(c: Client) -> None:
    """Isolated phase: GET the next card's front and back (without rating it)."""
    saved, c.session = c.session, c.learner
    try:
        card_round(c, rate=False)
    finally:
        c.session = saved


def card_rate_only(c: Client) -> None:
    """Isolated phase: POST /cards/rate for a few cards in turn, with the right version."""
    card = c.cards[0]
    form = {"question_id": card[0], "version": str(card[1]), "rating": str(RATING)}
    reply = c.call("card_rate", "POST", "/cards/rate", form, session=c.learner)
    if reply is not None and EXPECT["card_rate"](reply):
        card[1] += 1
    c.cards.append(c.cards.pop(0))


def teacher_only(c: Client) -> None:
    """Isolated phase: GET /teach/analysis (all clients as the teacher)."""
    c.call("teacher_analysis", "GET", "/teach/analysis", session=c.teacher_session)


STEPS: dict[str, Callable[[Client], None]] = {
    "hello": hello_only,
    FLOOR: noop_only,
    "login": login_only,
    "quiz_page": quiz_page_only,
    "quiz_answer": quiz_answer_only,
    "card_review": card_review_only,
    "card_rate": card_rate_only,
    "teacher_analysis": teacher_only,
}


# --------------------------------------------------------------------------- preparation


def start_pool_quiz(c: Client) -> int:
    """Start a quiz of POOL_LENGTH questions (untimed); return its id.

    Set-up, not measurement: a start that fails (SQLite's busy timeout can run out when
    many clients write at once) is tried again, three times at most.
    """
    for attempt in range(3):
        reply = c.send("POST", "/quiz/start", {"mode": "mixed", "length": str(POOL_LENGTH)},
                       session=c.learner)  # fmt: skip
        if EXPECT["quiz_start"](reply):
            return int(reply.location.rsplit("/", 1)[1])
        _log(f"    set-up: POST /quiz/start answered {reply.status}, try {attempt + 1} of 3")
        time.sleep(0.5)
    raise RuntimeError(f"POST /quiz/start answered {reply.status} {reply.location}")


def new_attempt_answers(c: Client) -> list[tuple[str, dict[str, Any]]]:
    """Start a quiz of POOL_LENGTH questions (untimed); return its answers in order."""
    attempt = start_pool_quiz(c)
    assert c.engine is not None
    return attempt_answers(c.engine, [attempt])[attempt]


def attempt_answers(engine: Engine, attempts: list[int]) -> dict[int, list[tuple[str, dict]]]:
    """Return, per attempt, (path, well-formed answer) of its unanswered questions in order."""
    query = (
        select(AttemptItem.attempt_id, AttemptItem.position, Question.kind,
               AttemptItem.choice_order)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(AttemptItem.attempt_id.in_(attempts), AttemptItem.answered_at.is_(None))
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    )  # fmt: skip
    out: dict[int, list[tuple[str, dict]]] = {a: [] for a in attempts}
    with engine.connect() as conn:
        for attempt, position, kind, order in conn.execute(query):
            out[attempt].append((f"/quiz/{attempt}/{position}", answer_for(kind, len(order or []))))
    return out


def in_parallel(clients: list[Client], action: Callable[[Client], None], limit: int = 16) -> None:
    """Run an untimed set-up action for every client, ``limit`` at a time."""
    errors: list[BaseException] = []
    queue = list(clients)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not queue or errors:
                    return
                c = queue.pop()
            try:
                action(c)
            except Exception as exc:  # reported below, with the client that failed
                with lock:
                    errors.append(RuntimeError(f"client {c.index}: {exc!r}"))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(limit, len(queue)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    if errors:
        raise errors[0]


def open_login_page(c: Client) -> None:
    """Load the login page with fresh cookies: the state a login starts from."""
    c.prelogin = Session()
    c.fetch_token("/auth/login", c.prelogin)


def after_login(c: Client) -> None:
    """Fetch a CSRF token in the new session; give teachers a learner session as well."""
    if c.teacher:
        c.learner = Session()
        c.learner.cookies = dict(c.prelogin.cookies)
        c.learner.token = c.prelogin.token
        reply = c.send("POST", "/auth/login", c.login_form(learner_name(c.index)), c.learner)
        if not EXPECT["login"](reply):
            raise RuntimeError(f"learner login answered {reply.status}")
    else:
        c.learner = c.session
    c.fetch_token("/quiz/", c.learner)


def prepare_pool(c: Client, answers_per_client: int) -> None:
    """Start enough quizzes for the isolated quiz_answer phase (untimed); keep what is left
    from an earlier run of the phase."""
    missing = answers_per_client - len(c.answers)
    attempts = [start_pool_quiz(c) for _ in range(max(0, math.ceil(missing / POOL_LENGTH)))]
    if not c.page_attempt:
        c.page_attempt = attempts[0] if attempts else start_pool_quiz(c)
    assert c.engine is not None
    by_attempt = attempt_answers(c.engine, attempts) if attempts else {}
    for attempt in attempts:
        c.answers.extend(by_attempt[attempt])


def prepare_cards(clients: list[Client], engine: Engine, ids: dict[str, int]) -> None:
    """Give each client RATE_CARDS approved, not suspended cards and their current versions."""
    with engine.connect() as conn:
        approved = sorted(conn.scalars(select(Question.id).where(Question.status == "approved")))
        states = conn.execute(
            select(CardState.user_id, CardState.question_id, CardState.version,
                   CardState.suspended)
        ).all()  # fmt: skip
    by_user: dict[int, dict[str, tuple[int, bool]]] = {}
    for user_id, question_id, version, suspended in states:
        by_user.setdefault(user_id, {})[question_id] = (version, suspended)
    for c in clients:
        known = by_user.get(ids[learner_name(c.index)], {})
        rng = random.Random(c.index)
        usable = [q for q in approved if not known.get(q, (0, False))[1]]
        c.cards = [[q, known.get(q, (0, False))[0]] for q in rng.sample(usable, RATE_CARDS)]


# --------------------------------------------------------------------------- phases


HZ = os.sysconf("SC_CLK_TCK")


def _cpu_times() -> tuple[float, float]:
    """Return (busy, total) CPU seconds of the machine, all cores added up."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle) / HZ, sum(fields) / HZ


def _process_cpu(pid: int, children: bool = False) -> float:
    """Return the CPU seconds of a process (with its reaped children if ``children``)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = int(stat[11]) + int(stat[12])  # utime, stime
    if children:
        ticks += int(stat[13]) + int(stat[14])  # cutime, cstime
    return ticks / HZ


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuMonitor:
    """CPU seconds used by the machine, gunicorn, the database server and this process.

    The database server is the whole local PostgreSQL server (SQLite runs in the workers).
    What is left is used by other processes: the figures of a phase in which that share
    is large are disturbed.
    """

    def __init__(self, server_pid: int, engine: Engine) -> None:
        self.server_pid = server_pid
        self.database_pid = 0  # PostgreSQL's postmaster, when it runs on this machine
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                backend = conn.scalar(text("SELECT pg_backend_pid()"))
            try:
                stat = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
                self.database_pid = int(stat[1])  # a backend's parent is the postmaster
            except (OSError, IndexError, ValueError):
                self.database_pid = 0

    @staticmethod
    def _tree(pid: int) -> float:
        """CPU seconds of a process, its live children and the children it has reaped."""
        if not pid:
            return 0.0
        return _process_cpu(pid, children=True) + sum(_process_cpu(c) for c in _children(pid))

    def snapshot(self) -> dict[str, float]:
        """Return cumulative CPU seconds: machine busy and total, server, database, bench."""
        busy, total = _cpu_times()
        # An ended worker's (or backend's) time moves into its parent's cutime when reaped.
        return {
            "busy": busy,
            "total": total,
            "server": self._tree(self.server_pid),
            "database": self._tree(self.database_pid),
            "bench": _process_cpu(os.getpid()),
        }


@dataclass
class Phase:
    """The samples of one timed phase and how long it was counted."""

    name: str
    clients: int
    samples: list[tuple[str, float, bool]]
    seconds: float
    machine_busy: float  # share of all cores busy during the phase
    bench_cpu: float  # cores used by this load generator process
    cores: dict[str, float] = field(default_factory=dict)  # server, database, bench, other
    errors: dict[str, int] = field(default_factory=dict)  # whole phase, warm-up included
    refills: int = 0
    attempts: int = 1  # runs of the phase (repeated when other programs disturbed it)
    disturbed: bool = False  # other programs still used the CPU in the last run


def run_phase(
    name: str,
    clients: list[Client],
    step: Callable[[Client], None],
    duration: float,
    warmup: float,
    cap: int,
    once: bool = False,
    monitor: CpuMonitor | None = None,
) -> Phase:
    """Run ``step`` in a closed loop on every client; count what ends after the warm-up.

    With ``once`` every client runs ``step`` a single time and the phase is counted from the
    start to the last answer.
    """
    budget = Budget(cap)
    barrier = threading.Barrier(len(clients) + 1)
    start = time.perf_counter() + 0.2
    deadline = start + warmup + duration
    for c in clients:
        c.samples = []
        c.refills = 0
        c.budget = budget
        c.deadline = math.inf if once else deadline

    def loop(c: Client) -> None:
        barrier.wait()
        while time.perf_counter() < start:
            time.sleep(0.001)
        try:
            if once:
                step(c)
                return
            while time.perf_counter() < c.deadline:
                step(c)
        except PhaseOver:
            pass

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    before = monitor.snapshot() if monitor else None
    busy0, total0 = _cpu_times()
    cpu0 = time.process_time()
    barrier.wait()
    join_by = deadline + clients[0].timeout + 30 if not once else time.perf_counter() + 120
    for t in threads:
        t.join(timeout=max(0.1, join_by - time.perf_counter()))
    wall = time.perf_counter() - start
    busy1, total1 = _cpu_times()
    cpu = time.process_time() - cpu0
    cores: dict[str, float] = {}
    if monitor and before:
        after = monitor.snapshot()
        seconds = max(1e-9, (after["total"] - before["total"]) / (os.cpu_count() or 1))
        used = {k: (after[k] - before[k]) / seconds for k in ("server", "database", "bench")}
        busy = (after["busy"] - before["busy"]) / seconds
        cores = {**used, "other": max(0.0, busy - sum(used.values()))}
        cores = {k: round(v, 2) for k, v in cores.items()}
    for c in clients:
        c.budget = None
        c.deadline = math.inf
    window_start = start if once else start + warmup
    ends = [s[0] for c in clients for s in c.samples]
    window_end = max(ends, default=window_start) if once else min(deadline, max(ends, default=0))
    samples = [
        (endpoint, ms, ok)
        for c in clients
        for end, endpoint, ms, ok in c.samples
        if window_start <= end <= window_end
    ]
    errors: dict[str, int] = {}
    for c in clients:
        for _, endpoint, _, ok in c.samples:
            if not ok:
                errors[endpoint] = errors.get(endpoint, 0) + 1
    return Phase(
        name=name,
        clients=len(clients),
        samples=samples,
        seconds=max(1e-9, window_end - window_start),
        machine_busy=(busy1 - busy0) / max(1e-9, total1 - total0),
        cores=cores,
        bench_cpu=cpu / max(1e-9, wall),
        errors=errors,
        refills=sum(c.refills for c in clients),
    )


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) with linear interpolation between closest ranks."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summarise(phase: Phase, endpoint: str) -> dict[str, Any]:
    """Return requests, rps, p50/p95/p99 and errors of one endpoint in a phase."""
    values = [ms for e, ms, _ in phase.samples if e == endpoint]
    errors = phase.errors.get(endpoint, 0)
    if not values:
        return {"requests": 0, "rps": 0.0, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                "errors": errors}  # fmt: skip
    return {
        "requests": len(values),
        "rps": round(len(values) / phase.seconds, 1),
        "p50_ms": round(percentile(values, 0.50), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "p99_ms": round(percentile(values, 0.99), 2),
        "errors": errors,
    }


# --------------------------------------------------------------------------- a level


def warm_up(port: int, args: argparse.Namespace, seconds: float = 3.0) -> None:
    """Run the mixed loop for a few seconds, untimed: every worker compiles its templates and
    opens its database connection before the first level is measured."""
    n = max(2, min(2 * args.workers, max(args.levels)))  # learners exist up to the largest level
    clients = [Client(i, port, args.timeout, teacher=i == n - 1) for i in range(n)]
    in_parallel(clients, open_login_page)
    for c in clients:
        c.session = Session(dict(c.prelogin.cookies), c.prelogin.token)
        reply = c.send("POST", "/auth/login", c.login_form(c.name), c.session)
        if not EXPECT["login"](reply):
            raise SystemExit(f"warm-up login answered {reply.status}")
    in_parallel(clients, after_login)
    run_phase("warm-up", clients, mixed_round, seconds, 0, 10_000)


def run_level(
    n: int,
    port: int,
    engine: Engine,
    ids: dict[str, int],
    args: argparse.Namespace,
    monitor: CpuMonitor,
) -> list[Phase]:
    """Run the login, mixed and isolated phases with ``n`` clients; return them."""
    phases_per_level = 2 + (len(args.isolated) if args.isolated_duration > 0 else 0)
    cap = max(1, args.max_requests // phases_per_level)
    clients = [Client(i, port, args.timeout, teacher=i % 10 == 9) for i in range(n)]
    for c in clients:
        c.engine = engine
        c.think = args.think_ms / 1000

    # Everyone opens the login page, then all log in at once (timed).
    in_parallel(clients, open_login_page)

    def login(c: Client) -> None:
        c.session = Session(dict(c.prelogin.cookies), c.prelogin.token)
        reply = c.call("login", "POST", "/auth/login", c.login_form(c.name), c.session)
        if reply is None or not EXPECT["login"](reply):
            raise PhaseOver

    phases = [run_phase("logins", clients, login, 0, 0, n, once=True, monitor=monitor)]
    failed = [c.index for c in clients if not c.samples or not c.samples[-1][3]]
    if failed:
        raise SystemExit(f"{len(failed)} of {n} logins failed (clients {failed[:5]} ...)")
    in_parallel(clients, after_login)
    _log(f"  {n} clients logged in; mixed phase ({args.duration:g} s) ...")

    def checked(name: str, step: Callable[[Client], None], seconds: float) -> Phase:
        """Run a phase; run it again (up to --retries times) if other programs disturbed it."""
        for attempt in range(args.retries + 1):
            if name == "quiz_answer":
                in_parallel(clients, top_up, limit=args.workers)
            elif name == "card_rate":  # after the quiz answers, which rate cards as well
                prepare_cards(clients, engine, ids)
            phase = run_phase(name, clients, step, seconds, args.warmup, cap, monitor=monitor)
            other = phase.cores.get("other", 0.0)
            phase.attempts = attempt + 1
            if other <= DISTURBED_CORES:
                return phase
            _log(f"    other programs used {other:.2f} cores during {name}")
        phase.disturbed = True
        return phase

    answers_per_client = 0

    def top_up(c: Client) -> None:
        prepare_pool(c, answers_per_client)

    phases.append(checked("mixed", mixed_round, args.duration))
    if args.isolated_duration <= 0:
        return phases

    teacher = Session()
    teacher.cookies = dict(clients[0].prelogin.cookies)
    teacher.token = clients[0].prelogin.token
    reply = clients[0].send("POST", "/auth/login", clients[0].login_form(TEACHER), teacher)
    if not EXPECT["login"](reply):
        raise SystemExit(f"teacher login answered {reply.status}")
    for c in clients:  # a copy each: the cookies change with every answer
        c.teacher_session = Session(dict(teacher.cookies), teacher.token)

    # Quizzes for the answer phase: 1.5 x n clients / the answers' latency in the mixed phase
    # (up to 2.5 times the isolated rate here); more are started if they run out.
    mixed = summarise(phases[-1], "quiz_answer")
    per_second = n / (mixed["p50_ms"] / 1000) if mixed["p50_ms"] else 100.0
    expected = min(cap, 1.5 * per_second * (args.isolated_duration + args.warmup))
    answers_per_client = min(POOL_MAX * POOL_LENGTH, math.ceil(expected / n))
    in_parallel(clients, top_up, limit=args.workers)  # the quiz_page phase uses it too
    for name in [p for p in ISOLATED if p in args.isolated]:
        _log(f"  isolated {name} ({args.isolated_duration:g} s) ...")
        phases.append(checked(name, STEPS[name], args.isolated_duration))
    return phases


def rows_of(database: str, n: int, phases: list[Phase]) -> tuple[list[dict], list[dict]]:
    """Return (load.json rows, detail rows) of one level."""
    by_name = {p.name: p for p in phases}
    ratios: dict[str, float | None] = {e: None for e in (*ENDPOINTS, FLOOR)}
    detail = []
    if "hello" in by_name:
        hello = summarise(by_name["hello"], "hello")["rps"]
        for endpoint in [e for e in (*ENDPOINTS, FLOOR) if e in by_name]:
            iso = summarise(by_name[endpoint], endpoint)
            if hello:
                ratios[endpoint] = round(iso["rps"] / hello, 3)
            detail.append(
                {"database": database, "clients": n, "phase": f"isolated:{endpoint}",
                 "endpoint": endpoint, **iso, "ratio_to_hello": ratios[endpoint],
                 "seconds": round(by_name[endpoint].seconds, 2),
                 "machine_busy": round(by_name[endpoint].machine_busy, 3),
                 "bench_cpu_cores": round(by_name[endpoint].bench_cpu, 3),
                 "cores": by_name[endpoint].cores, "refills": by_name[endpoint].refills,
                 "attempts": by_name[endpoint].attempts,
                 "disturbed": by_name[endpoint].disturbed}
            )  # fmt: skip
    rows = []
    for endpoint in ENDPOINTS:
        phase = by_name["logins"] if endpoint == "login" else by_name["mixed"]
        rows.append({"database": database, "clients": n, "endpoint": endpoint,
                     **summarise(phase, endpoint), "ratio_to_hello": ratios[endpoint]})  # fmt: skip
    for endpoint in EXTRA_ENDPOINTS:
        detail.append({"database": database, "clients": n, "phase": "mixed",
                       "endpoint": endpoint, **summarise(by_name["mixed"], endpoint)})  # fmt: skip
    for name in ("logins", "mixed"):
        p = by_name[name]
        detail.append(
            {"database": database, "clients": n, "phase": name, "endpoint": "*",
             "requests": len(p.samples), "rps": round(len(p.samples) / p.seconds, 1),
             "errors": sum(p.errors.values()), "seconds": round(p.seconds, 2),
             "machine_busy": round(p.machine_busy, 3), "bench_cpu_cores": round(p.bench_cpu, 3),
             "cores": p.cores, "attempts": p.attempts, "disturbed": p.disturbed}
        )  # fmt: skip
    return rows, detail


# --------------------------------------------------------------------------- report


def _fmt(value: Any, width: int, digits: int = 1) -> str:
    if value is None:
        return f"{'-':>{width}}"
    if isinstance(value, float):
        return f"{value:>{width}.{digits}f}"
    return f"{value:>{width}}"


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    """Print rows of load.json (or isolated detail rows) as a table."""
    print(title)
    print(f"{'database':<10} {'clients':>7} {'endpoint':<16} {'requests':>8} {'rps':>8} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6} {'ratio':>6}")  # fmt: skip
    for r in rows:
        print(
            f"{r['database']:<10} {r['clients']:>7} {r['endpoint']:<16} "
            f"{_fmt(r['requests'], 8)} {_fmt(r['rps'], 8)} {_fmt(r['p50_ms'], 8)} "
            f"{_fmt(r['p95_ms'], 8)} {_fmt(r['p99_ms'], 8)} {_fmt(r['errors'], 6)} "
            f"{_fmt(r.get('ratio_to_hello'), 6, 2)}"
        )
    print()


def merge_json(path: Path, database: str, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` to ``path``, keeping the rows of other databases already there."""
    kept: list[dict[str, Any]] = []
    if path.exists():
        try:
            kept = [r for r in json.loads(path.read_text(encoding="utf-8"))
                    if r.get("database") != database]  # fmt: skip
        except (ValueError, AttributeError):
            kept = []
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(kept + rows, indent=2) + "\n", encoding="utf-8")


def targets(rows: list[dict[str, Any]]) -> list[str]:
    """Return the verdicts on the targets, one line each."""
    lines = []
    for r in rows:
        ratio = r["ratio_to_hello"]
        if r["endpoint"] in ("quiz_answer", "card_rate") and ratio is not None:
            verdict = "met   " if ratio >= 0.5 else "MISSED"
            where = f"{r['endpoint']} at {r['clients']} clients"
            lines.append(f"{verdict} {where}: ratio_to_hello {ratio:.2f} (>= 0.50)")
    for r in rows:
        if r["clients"] == 50 and r["requests"]:
            verdict = "met   " if r["p99_ms"] < 100 and r["errors"] == 0 else "MISSED"
            where = f"{r['endpoint']} at 50 clients"
            lines.append(
                f"{verdict} {where}: p99 {r['p99_ms']:.1f} ms (< 100), {r['errors']} errors"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Prepare the database, start gunicorn, run every level, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", default="10,50,100", help="levels, comma-separated")
    parser.add_argument("--duration", type=float, default=20.0, help="mixed phase, seconds")
    parser.add_argument(
        "--isolated-duration",
        type=float,
        default=10.0,
        help="each isolated phase, seconds (0: skip them, no ratio)",
    )
    parser.add_argument(
        "--isolated",
        default=",".join(ISOLATED),
        help="isolated phases to run, comma-separated (hello always runs)",
    )
    parser.add_argument("--warmup", type=float, default=1.0, help="uncounted start of a phase")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=400_000,
        help="hard cap of timed requests per level, shared by its phases",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"a PostgreSQL server; the script creates and drops {PG_DATABASE}",
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--gunicorn-args", default="", help='extra gunicorn options, e.g. "--max-requests 0"'
    )
    parser.add_argument("--think-ms", type=float, default=0.0, help="pause between rounds")
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help=f"run a phase again when other programs used > {DISTURBED_CORES} cores meanwhile",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="per request, seconds")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    # A plain kill ends the run like Ctrl-C: gunicorn is stopped, the database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.levels = levels = [int(s) for s in args.clients.split(",") if s.strip()]
    args.isolated = ["hello", *(p.strip() for p in args.isolated.split(",") if p.strip())]
    if unknown := set(args.isolated) - set(ISOLATED):
        parser.error(f"unknown isolated phases: {', '.join(sorted(unknown))}")
    args.isolated = list(dict.fromkeys(args.isolated))
    if not levels or min(levels) < 1:
        parser.error("--clients needs positive numbers")

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    url, drop = prepare_database(args.database_url)
    engine = create_engine(url)
    database = engine.dialect.name
    log = WORK_DIR / f"gunicorn-{database}.log"
    rows: list[dict[str, Any]] = []
    detail: list[dict[str, Any]] = []
    problems: dict[str, int] = {}
    try:
        bank = migrate_and_load(url)
        create_accounts(engine, max(levels))
        ids = user_ids(engine)
        version = server_version(engine)
        _log(f"{version}: migrated, {bank}; {max(levels)} learners and a teacher "
             f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
        extra = shlex.split(args.gunicorn_args)
        with gunicorn(url, args.workers, args.threads, log, extra) as (port, pid):
            _log(f"gunicorn (pid {pid}, {args.workers} workers x {args.threads} threads) "
                 f"on 127.0.0.1:{port}")  # fmt: skip
            warm_up(port, args)
            for n in levels:
                load = os.getloadavg()[0]
                _log(f"{n} clients (load average {load:.2f}):")
                phases = run_level(n, port, engine, ids, args, CpuMonitor(pid, engine))
                level_rows, level_detail = rows_of(database, n, phases)
                level_detail.append(
                    {"database": database, "clients": n, "phase": "level", "load_1m": load}
                )
                rows += level_rows
                detail += level_detail
        problems = log_problems(log)
    finally:
        engine.dispose()
        if args.database_url and not args.keep_database:
            drop()

    info = {**machine_info(), "database": version}
    print()
    for key, value in info.items():
        print(f"{key}: {value}")
    print(f"gunicorn: {args.workers} workers x {args.threads} threads {args.gunicorn_args}; "
          f"clients {levels}; "
          f"mixed {args.duration:g} s, isolated {args.isolated_duration:g} s, "
          f"warm-up {args.warmup:g} s, think {args.think_ms:g} ms")  # fmt: skip
    print()
    print_table(rows, "mixed phase (login: all clients at once); ratio = isolated rps / hello rps")
    iso = [r for r in detail if r["phase"].startswith("isolated:")]
    if iso:
        print_table(iso, "isolated phases (one endpoint at a time)")
    loads = ", ".join(f"{r['clients']}: {r['load_1m']:.2f}" for r in detail if "load_1m" in r)
    print(f"1-minute load average before each level: {loads}")
    print("CPU per phase: share of all cores busy; cores used by gunicorn, the database "
          "server, this load generator and other processes")  # fmt: skip
    for r in detail:
        if "machine_busy" in r:
            c = r.get("cores") or {}
            used = "  ".join(f"{k} {v:.2f}" for k, v in c.items())
            note = f"  (run {r['attempts']} times)" if r.get("attempts", 1) > 1 else ""
            note += "  DISTURBED" if r.get("disturbed") else ""
            print(
                f"  {r['clients']:>4} {r['phase']:<28} busy {r['machine_busy']:>5.0%}  {used}{note}"
            )
    print()
    print(f"gunicorn log {log.relative_to(ROOT)}: {problems}")
    for line in targets(rows):
        print(line)
    merge_json(args.out, database, rows)
    detail_path = args.out.with_name(f"{args.out.stem}-detail.json")
    merge_json(detail_path, database, [{"database": database, "machine": info, "settings": {
        k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
        if k != "database_url"}, "gunicorn_log": problems}, *detail])  # fmt: skip
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
          f" and {detail_path.name} in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
