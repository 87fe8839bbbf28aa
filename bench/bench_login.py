"""Login throttle under a sustained guessing attack: does the owner still get in?

Run from the repository root:

    .venv/bin/python -m bench.bench_login [--seconds 150] [--rate 1] [--owner-every 10]

The script prepares a fresh SQLite database in build/bench/login/ with a few accounts (fast
hashes, see bench_load), starts gunicorn with the project's gunicorn.conf.py (4 workers),
and runs these scenarios at the same time for ``--seconds`` seconds. Every client connects
from its own loopback address (127.0.0.x), which the app sees as the client's address:

* known_browser: a guesser tries ``--rate`` passwords a second on account A from the
  school's address; the owner of A, on a browser that logged in before (device cookie),
  logs in from the same address every ``--owner-every`` seconds;
* elsewhere: the same attack on account B; its owner logs in from another address with a
  browser that never logged in;
* new_browser_same_address: the same attack on account C; its owner logs in from the
  attacker's address with a browser that never logged in (the one case the throttle cannot
  tell apart from the guesser);
* made_up_names: a classmate behind the school address fails on made-up names at the same
  rate; another learner (D) of that address logs in every ``--owner-every`` seconds;
* taken_names: a classmate registers taken names at the same rate; another learner (E)
  logs in from that address;
* parallel (after the others): 5 failures on account F, a pause of 1.5 s, then 24 guesses at
  once; how many were checked (the rest must wait: 429).

Reported (build/bench/login.json and stdout): per scenario the owner's logins that
succeeded out of those tried (goal 100 %), and the guesser's attempts that were checked
(answered 200) and refused (429).
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from bench.bench_load import (
    CLOSE_ERRORS,
    PASSWORD,
    ROOT,
    Client,
    Session,
    create_accounts,
    gunicorn,
    learner_name,
    log_problems,
    migrate_and_load,
)
from bench.machine import machine_info

WORK_DIR = ROOT / "build" / "bench" / "login"
OUTPUT = ROOT / "build" / "bench" / "login.json"
SCENARIOS = ("known_browser", "elsewhere", "new_browser_same_address", "made_up_names",
             "taken_names")  # fmt: skip


class Browser(Client):
    """A client connecting from its own loopback address."""

    def __init__(self, index: int, port: int, address: str) -> None:
        super().__init__(index, port, timeout=30.0, teacher=False)
        self.address = address
        self.conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30.0, source_address=(address, 0)
        )

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30.0, source_address=(self.address, 0)
        )

    def try_login(self, name: str, password: str) -> int:
        """Load the login page (for its CSRF token), post the form; return the status."""
        try:
            self.fetch_token("/auth/login")
            reply = self.send(
                "POST", "/auth/login", {"username": name, "password": password}, self.session
            )
        except (CLOSE_ERRORS, RuntimeError):
            self.reconnect()
            return 0
        return reply.status

    def register(self, name: str) -> int:
        try:
            self.fetch_token("/auth/register")
            form = {"username": name, "password": PASSWORD, "confirm": PASSWORD}
            return self.send("POST", "/auth/register", form, self.session).status
        except (CLOSE_ERRORS, RuntimeError):
            self.reconnect()
            return 0

    def logout(self) -> None:
        """Log out, keeping the browser's device cookie (as a browser does)."""
        try:
            self.fetch_token("/quiz/")
            self.send("POST", "/auth/logout", {}, self.session)
        except (CLOSE_ERRORS, RuntimeError):
            self.reconnect()


def _fresh(browser: Browser) -> Browser:
    """Forget the session but keep the device cookie, like a browser after logout."""
    device = {k: v for k, v in browser.session.cookies.items() if k == "quizapp_device"}
    browser.session = Session(dict(device))
    return browser


def run(port: int, seconds: float, rate: float, owner_every: float) -> dict[str, Any]:
    """Run the five scenarios at once, then the parallel burst; return the counts."""
    counts: dict[str, dict[str, int]] = {
        s: {"owner_ok": 0, "owner_tried": 0, "guesses_checked": 0, "guesses_refused": 0}
        for s in SCENARIOS
    }
    accounts = {s: learner_name(i) for i, s in enumerate(SCENARIOS)}
    # The owner of A logs in once before the attack: the browser gets its device cookie.
    known = Browser(100, port, "127.0.0.10")
    if known.try_login(accounts["known_browser"], PASSWORD) != 302:
        raise SystemExit("the owner's first login failed")
    known.logout()
    owners = {
        "known_browser": known,
        "elsewhere": Browser(101, port, "127.0.0.21"),
        "new_browser_same_address": Browser(102, port, "127.0.0.30"),
        "made_up_names": Browser(103, port, "127.0.0.40"),
        "taken_names": Browser(104, port, "127.0.0.50"),
    }
    attackers = {
        "known_browser": Browser(200, port, "127.0.0.10"),
        "elsewhere": Browser(201, port, "127.0.0.20"),
        "new_browser_same_address": Browser(202, port, "127.0.0.30"),
        "made_up_names": Browser(203, port, "127.0.0.40"),
        "taken_names": Browser(204, port, "127.0.0.50"),
    }
    end = time.monotonic() + seconds
    lock = threading.Lock()

    def attack(scenario: str) -> None:
        browser, n = attackers[scenario], 0
        while time.monotonic() < end:
            started = time.monotonic()
            if scenario == "made_up_names":
                status = browser.try_login(f"gibt-es-nicht-{n}", "rate-mal")
            elif scenario == "taken_names":
                status = browser.register(accounts["known_browser"])
            else:
                status = browser.try_login(accounts[scenario], f"rate-{n}")
            with lock:
                key = "guesses_refused" if status == 429 else "guesses_checked"
                counts[scenario][key] += 1
            n += 1
            browser.session = Session()
            time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))

    start = time.monotonic()

    def own(scenario: str) -> None:
        owner = owners[scenario]
        for k in range(1, int(seconds / owner_every) + 1):
            time.sleep(max(0.0, start + k * owner_every - 0.5 - time.monotonic()))
            status = _fresh(owner).try_login(accounts[scenario], PASSWORD)
            with lock:
                counts[scenario]["owner_tried"] += 1
                counts[scenario]["owner_ok"] += status == 302
            if status == 302:
                owner.logout()
            if scenario == "new_browser_same_address":
                owner.session = Session()  # never a device cookie: always a new browser

    threads = [threading.Thread(target=attack, args=(s,)) for s in SCENARIOS]
    threads += [threading.Thread(target=own, args=(s,)) for s in SCENARIOS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    return {"scenarios": counts, "parallel": burst(port)}


def burst(port: int) -> dict[str, int]:
    """Five failures, a pause of 1.5 s, then 24 guesses at once on account F."""
    name = learner_name(len(SCENARIOS))
    guesser = Browser(300, port, "127.0.0.60")
    for i in range(5):
        guesser.try_login(name, f"frei-{i}")
        guesser.session = Session()
    time.sleep(1.5)
    browsers = [Browser(301 + i, port, "127.0.0.60") for i in range(24)]
    for b in browsers:
        b.fetch_token("/auth/login")
    barrier = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def guess(b: Browser) -> None:
        barrier.wait()
        try:
            statuses.append(
                b.send("POST", "/auth/login", {"username": name, "password": "parallel"}).status
            )
        except CLOSE_ERRORS:
            statuses.append(0)

    threads = [threading.Thread(target=guess, args=(b,)) for b in browsers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return {
        "guesses": len(statuses),
        "checked": statuses.count(200),
        "refused": statuses.count(429),
    }


def main(argv: list[str] | None = None) -> int:
    """Prepare, serve, attack; print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=150.0)
    parser.add_argument("--rate", type=float, default=1.0, help="guesses per second")
    parser.add_argument("--owner-every", type=float, default=10.0, help="seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / "login.db"
    for suffix in ("", "-wal", "-shm", ".writer-lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    migrate_and_load(url)
    create_accounts(engine, len(SCENARIOS) + 1)
    engine.dispose()
    log = WORK_DIR / "gunicorn.log"
    with gunicorn(url, args.workers, 1, log, []) as (port, _pid):
        result = run(port, args.seconds, args.rate, args.owner_every)
    report = {
        "machine": machine_info(),
        "settings": {k: v for k, v in vars(args).items() if k != "out"},
        **result,
        "gunicorn_log": log_problems(log),
    }
    print(json.dumps(report, indent=2))
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    for scenario, c in result["scenarios"].items():
        share = c["owner_ok"] / max(1, c["owner_tried"])
        print(f"{scenario:<26} owner {c['owner_ok']:>3}/{c['owner_tried']:<3} ({share:.0%})  "
              f"guesses checked {c['guesses_checked']:>4}, refused {c['guesses_refused']:>4}",
              file=sys.stderr)  # fmt: skip
    p = result["parallel"]
    print(f"parallel: {p['guesses']} at once, {p['checked']} checked, {p['refused']} refused",
          file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
