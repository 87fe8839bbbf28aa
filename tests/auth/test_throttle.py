"""The login throttle slows guessers down and never stops the owner.

Attempts carry their network address (REMOTE_ADDR); time is frozen and moved by hand.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.auth.device import COOKIE
from quizapp.extensions import db
from quizapp.models import LoginFailure
from quizapp.security import PAIR_FREE_FAILURES
from tests.helpers import PASSWORD, make_user

SCHOOL = "192.0.2.10"  # one NAT address for the whole school
HOME = "198.51.100.7"
START = "2026-11-23 08:00:00+00:00"


def attempt(client: FlaskClient, name: str, password: str, address: str = SCHOOL) -> int:
    response = client.post(
        "/auth/login",
        data={"username": name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def register(client: FlaskClient, name: str, address: str = SCHOOL) -> int:
    data = {"username": name, "password": PASSWORD, "confirm": PASSWORD}
    return client.post(
        "/auth/register", data=data, environ_base={"REMOTE_ADDR": address}
    ).status_code


def logged_in_once(app: Flask, name: str, address: str = SCHOOL) -> FlaskClient:
    """Return the owner's browser after one successful login (and logout)."""
    browser = app.test_client()
    assert attempt(browser, name, PASSWORD, address) == 302
    assert browser.get_cookie(COOKIE, path="/auth/") is not None
    browser.post("/auth/logout")
    return browser


def test_owner_on_a_known_browser_gets_in_during_an_attack_from_the_same_address(app) -> None:
    make_user(app, "anna")
    with time_machine.travel(START, tick=False):
        owner = logged_in_once(app, "anna")
        attacker = app.test_client()
        statuses = [attempt(attacker, "anna", f"rate-{i}") for i in range(30)]
        assert statuses.count(429) >= 24  # the guesser is slowed down
        assert attempt(owner, "anna", PASSWORD) == 302


def test_owner_elsewhere_gets_in_while_the_school_address_guesses(app) -> None:
    make_user(app, "anna")
    with time_machine.travel(START, tick=False):
        attacker = app.test_client()
        for i in range(30):
            attempt(attacker, "anna", f"rate-{i}")
        assert attempt(app.test_client(), "anna", PASSWORD, HOME) == 302


def test_owner_under_a_sustained_attack_gets_in_every_time(app) -> None:
    """One guess a second for 150 s from the owner's own address; the owner tries every 10 s."""
    make_user(app, "anna")
    with time_machine.travel(START, tick=False) as clock:
        owner = logged_in_once(app, "anna")
        attacker = app.test_client()
        owner_ok = checked = 0
        for second in range(150):
            if attempt(attacker, "anna", f"rate-{second}") == 200:
                checked += 1
            if second % 10 == 9:
                owner_ok += attempt(owner, "anna", PASSWORD) == 302
                owner.post("/auth/logout")
            clock.shift(timedelta(seconds=1))
    assert owner_ok == 15
    assert checked <= PAIR_FREE_FAILURES + 7  # then 1, 2, 4, 8, 16, 32, 64 s apart


def test_failures_on_made_up_names_do_not_slow_the_school(app) -> None:
    make_user(app, "ben")
    with time_machine.travel(START, tick=False):
        prankster = app.test_client()
        for i in range(30):
            attempt(prankster, f"gibt-es-nicht-{i}", "falsch-falsch")
        assert attempt(app.test_client(), "ben", PASSWORD) == 302


def test_registering_taken_names_does_not_slow_the_school(app) -> None:
    make_user(app, "ben")
    make_user(app, "clara")
    with time_machine.travel(START, tick=False):
        prober = app.test_client()
        for _ in range(30):
            assert register(prober, "clara") == 200
        assert attempt(app.test_client(), "ben", PASSWORD) == 302


def test_parallel_guesses_are_checked_one_at_a_time(app) -> None:
    make_user(app, "dora")
    with time_machine.travel(START, tick=False) as clock:
        guesser = app.test_client()
        for i in range(PAIR_FREE_FAILURES):
            assert attempt(guesser, "dora", f"frei-{i}") == 200
        clock.shift(timedelta(seconds=1.5))  # the next single guess is due
        barrier = threading.Barrier(24)
        statuses: list[int] = []

        def guess(i: int) -> None:
            client = app.test_client()
            barrier.wait(10)
            statuses.append(attempt(client, "dora", f"parallel-{i}"))

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sorted(statuses) == [200] + [429] * 23


def test_a_stolen_device_cookie_only_buys_a_few_guesses(app) -> None:
    make_user(app, "emil")
    with time_machine.travel(START, tick=False):
        thief = logged_in_once(app, "emil", HOME)
        statuses = [attempt(thief, "emil", f"rate-{i}", HOME) for i in range(15)]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429] * 5


def test_a_forged_device_cookie_is_ignored(app) -> None:
    make_user(app, "fritz")
    with time_machine.travel(START, tick=False):
        forger = app.test_client()
        forger.set_cookie(COOKIE, "eyJuIjoieCIsImEiOltdfQ.forged", path="/auth/")
        statuses = [attempt(forger, "fritz", f"rate-{i}") for i in range(8)]
    assert statuses.count(429) == 8 - PAIR_FREE_FAILURES


def test_a_success_forgives_only_its_own_attempt(app) -> None:
    make_user(app, "greta")
    with time_machine.travel(START, tick=False):
        for i in range(3):
            attempt(app.test_client(), "greta", f"falsch-{i}")
        assert attempt(app.test_client(), "greta", PASSWORD) == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 3


def test_behind_a_proxy_the_forwarded_address_counts(make_db, tmp_path) -> None:
    from tests.conftest import _dispose, _make_app

    app = _make_app(make_db("migrated"), tmp_path, PROXY_COUNT=1)
    make_user(app, "hans")
    with time_machine.travel(START, tick=False):
        for i in range(10):
            app.test_client().post(
                "/auth/login",
                data={"username": "hans", "password": f"rate-{i}"},
                headers={"X-Forwarded-For": "203.0.113.5"},
            )
        response = app.test_client().post(
            "/auth/login",
            data={"username": "hans", "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.99"},
        )
    _dispose(app)
    assert response.status_code == 302
