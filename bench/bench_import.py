"""Import benchmark: a teacher imports 10,000 GIFT questions while a class keeps answering.

Run from the repository root:

    .venv/bin/python -m bench.bench_import [--questions 10000] [--learners 20] [--think-ms 500]
    .venv/bin/python -m bench.bench_import --batch-size 100000   # one write transaction

The script prepares a fresh SQLite database in build/bench/import/ (or, with
``--database-url``, a PostgreSQL database as bench/bench_load.py does), migrates it, loads
the bank and inserts the accounts (fast hashes, high flashcard limits: see bench_load). It
starts gunicorn with the project's gunicorn.conf.py - 4 sync workers and gunicorn's 30 s
timeout by default, as in issue 15 - and then:

1. baseline (``--baseline`` s): the learners loop over a quiz question (page, answer,
   feedback, a new quiz every 10 questions) and a flashcard (front, back, rating), each
   round followed by a think time drawn from 0.5-1.5 x ``--think-ms``;
2. import: the learners go on; the teacher uploads a generated GIFT file of ``--questions``
   questions (about 90 bytes each, five kinds, all valid) to /teach/import (the preview) and
   confirms it with the token of the preview (/teach/import/confirm); the learners stop
   ``--tail`` s after the confirmation is answered.

Reported (build/bench/import.json): the file's size, the preview's and the confirmation's
response times and status, the questions stored (checked in the database), gunicorn's
worker timeouts and tracebacks, and the learners' requests in the baseline and during the
import (from the start of the upload to the end of the confirmation): count, p50 / p95 /
p99 / max in ms, errors (a connection error, a timeout or any answer other than the
expected one), for all requests and for the writes alone (quiz start, answer, card rating).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import signal
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

from bench.bench_load import (
    CLOSE_ERRORS,
    EXPECT,
    ROOT,
    Client,
    CpuMonitor,
    Session,
    create_accounts,
    gunicorn,
    in_parallel,
    learner_round,
    log_problems,
    migrate_and_load,
    open_login_page,
    percentile,
    prepare_database,
    server_version,
)
from bench.machine import machine_info
from quizapp.models import Question

BENCH_DIR = ROOT / "build" / "bench"
WORK_DIR = BENCH_DIR / "import"
OUTPUT = BENCH_DIR / "import.json"
WRITES = ("quiz_start", "quiz_answer", "card_rate")
PLACES = (
    "Portsmouth", "Shimonoseki", "Tokio", "Seoul", "Peking", "Moskau", "Port Arthur",
    "Mukden", "Tsushima", "Harbin", "Wladiwostok", "Incheon",
)  # fmt: skip


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_gift(n: int, seed: int = 15) -> str:
    """Return n valid GIFT questions of five kinds, ids bulk-0 ... (about 90 bytes each)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a, b, c = rng.sample(PLACES, 3)
        topic = f"Ereignis Nr. {i} in Ostasien"
        kind = i % 5
        if kind == 0:
            body = f"Welcher Ort gehört zu {topic}? {{={a} ~{b} ~{c}}}"
        elif kind == 1:
            body = f"Die Aussage über {topic} trifft zu. {{{'T' if i % 2 else 'F'}}}"
        elif kind == 2:
            body = f"Nenne den Ort von {topic}. {{={a} ={a}-Stadt}}"
        elif kind == 3:
            body = f"In welchem Jahr geschah {topic}? {{#{1850 + i % 100}:1}}"
        else:
            body = f"Welche Orte gehören zu {topic}? {{~%50%{a} ~%50%{b} ~%-100%{c}}}"
        out.append(f"::bulk-{i}::{body}\n\n")
    return "".join(out)


def prepare_sqlite() -> str:
    """Return the URL of a fresh SQLite file in build/bench/import/."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / "import.db"
    for suffix in ("", "-wal", "-shm", "-journal", ".writer-lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    """Return a multipart/form-data body with the fields and one file, and its content type."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )  # fmt: skip
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def login(c: Client) -> None:
    """Log a client in (untimed) and fetch a CSRF token for its forms."""
    c.session = Session(dict(c.prelogin.cookies), c.prelogin.token)
    reply = c.send("POST", "/auth/login", c.login_form(c.name), c.session)
    if not EXPECT["login"](reply):
        raise RuntimeError(f"login of {c.name} answered {reply.status}")
    c.fetch_token("/teach/import" if c.teacher else "/quiz/")


def learners_until(clients: list[Client], stop: threading.Event) -> list[threading.Thread]:
    """Start every learner's loop (rounds with think time) until ``stop`` is set."""

    def loop(c: Client) -> None:
        time.sleep(c.rng.uniform(0, c.think))
        while not stop.is_set():
            learner_round(c)
            time.sleep(c.think * c.rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    return threads


def stats(samples: list[tuple[float, str, float, bool]], start: float, end: float) -> dict:
    """Return count, p50/p95/p99/max and errors of the samples ending in [start, end]."""

    def of(rows: list[tuple[float, str, float, bool]]) -> dict[str, Any]:
        ms = [r[2] for r in rows]
        if not ms:
            return {"requests": 0}
        return {
            "requests": len(ms),
            "rps": round(len(ms) / max(1e-9, end - start), 1),
            "p50_ms": round(percentile(ms, 0.5), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(max(ms), 1),
            "errors": sum(1 for r in rows if not r[3]),
        }

    window = [s for s in samples if start <= s[0] <= end]
    return {
        "seconds": round(end - start, 1),
        "all": of(window),
        "writes": of([s for s in window if s[1] in WRITES]),
        "by_endpoint": {
            e: of([s for s in window if s[1] == e]) for e in sorted({s[1] for s in window})
        },
    }


def cores(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Return the cores used between two CpuMonitor snapshots: server, bench, other."""
    seconds = max(1e-9, (after["total"] - before["total"]) / (os.cpu_count() or 1))
    used = {k: (after[k] - before[k]) / seconds for k in ("server", "database", "bench")}
    busy = (after["busy"] - before["busy"]) / seconds
    return {
        k: round(v, 2) for k, v in {**used, "other": max(0.0, busy - sum(used.values()))}.items()
    }


def run_import(teacher: Client, gift: bytes, approve: bool) -> dict[str, Any]:
    """Upload the file (preview), then confirm it by token; return times and statuses."""
    fields = {"csrf_token": teacher.session.token, "format": "gift"}
    if approve:
        fields["approve"] = "y"
    body, content_type = multipart(fields, "fragen.gift", gift)
    headers = {"Content-Type": content_type, "Cookie": _cookies(teacher)}
    started = time.perf_counter()
    result: dict[str, Any] = {"started": started}
    try:
        teacher.conn.request("POST", "/teach/import", body, headers)
        response = teacher.conn.getresponse()
        page = response.read().decode("utf-8", errors="replace")
        result["preview_status"] = response.status
    except CLOSE_ERRORS as exc:
        teacher.conn.close()
        result.update(preview_status=repr(exc), preview_s=time.perf_counter() - started)
        result["ended"] = time.perf_counter()
        return result
    result["preview_s"] = round(time.perf_counter() - started, 2)
    found = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    if found is None:
        result["ended"] = time.perf_counter()
        return result
    confirm_start = time.perf_counter()
    try:
        reply = teacher.send("POST", "/teach/import/confirm", {"token": found.group(1)})
        result["confirm_status"] = reply.status
    except CLOSE_ERRORS as exc:
        teacher.conn.close()
        result["confirm_status"] = repr(exc)
    result["ended"] = time.perf_counter()
    result["confirm_s"] = round(result["ended"] - confirm_start, 2)
    result["total_s"] = round(result["ended"] - started, 2)
    return result


def _cookies(c: Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in c.session.cookies.items())


def main(argv: list[str] | None = None) -> int:
    """Prepare, serve, measure the baseline and the import, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--think-ms", type=float, default=500.0)
    parser.add_argument("--baseline", type=float, default=15.0, help="seconds before the import")
    parser.add_argument("--tail", type=float, default=2.0, help="seconds after the import")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=None, help="QUIZAPP_IMPORT_BATCH_SIZE")
    parser.add_argument(
        "--batch-seconds", type=float, default=None, help="QUIZAPP_IMPORT_BATCH_SECONDS (0: off)"
    )
    parser.add_argument("--pause", type=float, default=None, help="QUIZAPP_IMPORT_PAUSE_SECONDS")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server (optional)")
    parser.add_argument("--gunicorn-args", default="", help="extra gunicorn options")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    gift = make_gift(args.questions).encode()
    if args.database_url:
        url, drop = prepare_database(args.database_url)
    else:
        url, drop = prepare_sqlite(), (lambda: None)
    engine = create_engine(url)
    log = WORK_DIR / f"gunicorn-{engine.dialect.name}.log"
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    env_backup = dict(os.environ)
    if args.batch_size is not None:
        os.environ["QUIZAPP_IMPORT_BATCH_SIZE"] = str(args.batch_size)
    if args.batch_seconds is not None:
        os.environ["QUIZAPP_IMPORT_BATCH_SECONDS"] = str(args.batch_seconds)
    if args.pause is not None:
        os.environ["QUIZAPP_IMPORT_PAUSE_SECONDS"] = str(args.pause)
    try:
        bank = migrate_and_load(url)
        create_accounts(engine, args.learners)
        version = server_version(engine)
        with engine.connect() as conn:
            before = conn.scalar(select(func.count()).select_from(Question))
        _log(f"{version}: {bank}; {args.learners} learners and a teacher; "
             f"file {len(gift) / 1000:.0f} kB, {args.questions} questions")  # fmt: skip
        extra = shlex.split(args.gunicorn_args)
        with gunicorn(url, args.workers, 1, log, extra) as (port, pid):
            monitor = CpuMonitor(pid, engine)
            learners = [Client(i, port, args.timeout, teacher=False) for i in range(args.learners)]
            teacher = Client(args.learners, port, args.timeout, teacher=True)
            for c in learners:
                c.think = args.think_ms / 1000
            in_parallel([*learners, teacher], open_login_page)
            in_parallel([*learners, teacher], login)
            stop = threading.Event()
            threads = learners_until(learners, stop)
            t0 = time.perf_counter()
            time.sleep(1.0)
            cpu0 = monitor.snapshot()
            time.sleep(args.baseline)
            _log("baseline done; importing")
            cpu1 = monitor.snapshot()
            result = run_import(teacher, gift, approve=True)
            cpu2 = monitor.snapshot()
            time.sleep(args.tail)
            stop.set()
            for thread in threads:
                thread.join(args.timeout + 10)
        problems = log_problems(log)
        with engine.connect() as conn:
            stored = conn.scalar(
                select(func.count()).select_from(Question).where(Question.id.like("bulk-%"))
            )
            after = conn.scalar(select(func.count()).select_from(Question))
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
        engine.dispose()
        drop()

    samples = [s for c in learners for s in c.samples]
    report = {
        "machine": machine_info(),
        "database": version,
        "settings": {
            "questions": args.questions,
            "file_bytes": len(gift),
            "learners": args.learners,
            "think_ms": args.think_ms,
            "workers": args.workers,
            "batch_size": args.batch_size,
            "batch_seconds": args.batch_seconds,
            "pause": args.pause,
            "gunicorn_args": args.gunicorn_args,
        },
        "import": {k: v for k, v in result.items() if k not in ("started", "ended")}
        | {"questions_stored": stored, "questions_before": before, "questions_after": after},
        "gunicorn_log": problems,
        "baseline": stats(samples, t0 + 1.0, result["started"]) | {"cores": cores(cpu0, cpu1)},
        "during_import": stats(samples, result["started"], result["ended"])
        | {"cores": cores(cpu1, cpu2)},
        "load_1m": os.getloadavg()[0],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(args.out.read_text()) if args.out.exists() else []
    runs.append(report)
    args.out.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    ok = stored == args.questions and result.get("confirm_status") == 302
    _log(f"{'OK' if ok else 'FAILED'}: {stored} of {args.questions} questions stored; "
         f"wrote {args.out}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
