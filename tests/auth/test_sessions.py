"""Logging out ends every session of the login; a new password logs out every other device."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import check_password_hash

from quizapp.extensions import db
from quizapp.models import User
from quizapp.sessions import REFRESH_AFTER
from tests.helpers import PASSWORD, login_as, make_user, user_id

NEW_PASSWORD = "Shimonoseki-1895!"


def _copy(app: Flask, client: FlaskClient, only: str | None = None) -> FlaskClient:
    """Return a client holding the same cookies (all, or only the one named)."""
    other = app.test_client()
    for cookie in client._cookies.values():
        if only is None or cookie.key == only:
            other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/quiz/history").status_code == 200


def test_logout_ends_the_old_session_cookie_and_the_remember_cookie(app) -> None:
    make_user(app, "ida")
    browser = app.test_client()
    login_as(browser, "ida")
    stolen_session = _copy(app, browser, "session")
    stolen_remember = _copy(app, browser, "remember_token")
    assert _logged_in(stolen_session) and _logged_in(stolen_remember)
    assert browser.post("/auth/logout").status_code == 302
    assert not _logged_in(browser)
    assert not _logged_in(stolen_session)
    assert not _logged_in(stolen_remember)


def test_logout_on_one_device_logs_out_the_others(app) -> None:
    make_user(app, "jana")
    laptop, phone = app.test_client(), app.test_client()
    login_as(laptop, "jana")
    login_as(phone, "jana")
    laptop.post("/auth/logout")
    assert not _logged_in(phone)
    login_as(phone, "jana")  # logging in again works
    assert _logged_in(phone)


def test_password_change_logs_out_every_other_device(app) -> None:
    make_user(app, "kai")
    laptop, phone = app.test_client(), app.test_client()
    login_as(laptop, "kai")
    login_as(phone, "kai")
    response = phone.post(
        "/auth/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "Alle anderen Geräte sind abgemeldet" in phone.get("/").get_data(as_text=True)
    assert _logged_in(phone)
    assert not _logged_in(laptop)
    login_as(laptop, "kai", NEW_PASSWORD)
    with app.app_context():
        assert check_password_hash(
            db.session.get(User, user_id(app, "kai")).password_hash, NEW_PASSWORD
        )


def test_password_change_needs_the_current_password_and_a_good_new_one(app) -> None:
    make_user(app, "lara")
    browser = app.test_client()
    login_as(browser, "lara")
    wrong = browser.post(
        "/auth/password",
        data={"current": "falsch-falsch", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 400
    assert "bisherige Passwort stimmt nicht" in wrong.get_data(as_text=True)
    weak = browser.post(
        "/auth/password", data={"current": PASSWORD, "password": "passwort", "confirm": "passwort"}
    )
    assert "zu leicht zu erraten" in weak.get_data(as_text=True)
    assert _logged_in(browser)
    login_as(app.test_client(), "lara")  # the old password still works


def test_password_page_sends_guests_to_registration(client) -> None:
    client.post("/auth/guest")
    response = client.get("/auth/password")
    assert response.status_code == 302 and "/auth/register" in response.headers["Location"]


def test_cli_password_reset_logs_out_every_session(app) -> None:
    make_user(app, "mats")
    browser = app.test_client()
    login_as(browser, "mats")
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", "mats", "--password", NEW_PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert not _logged_in(browser)
    login_as(browser, "mats", NEW_PASSWORD)
    weak = app.test_cli_runner().invoke(
        args=["users", "set-password", "mats", "--password", "password"]
    )
    assert weak.exit_code == 1 and "too easy to guess" in weak.output


def _session_cookie_sent(response) -> bool:
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def test_an_unchanged_session_is_sent_again_only_once_a_day(app) -> None:
    make_user(app, "ida")
    browser = app.test_client()
    login_as(browser, "ida")
    browser.get("/")  # shows (and so removes) the welcome message: a change
    # Nothing changed: no new cookie (no re-signing on every request), still logged in.
    response = browser.get("/quiz/history")
    assert response.status_code == 200 and not _session_cookie_sent(response)
    # A change (a flashed message) is sent at once.
    assert _session_cookie_sent(browser.post("/auth/logout"))
    login_as(browser, "ida")
    browser.get("/")
    # A day later the unchanged session is sent again with a new expiry, and then not again.
    with time_machine.travel(datetime.now(UTC) + REFRESH_AFTER + timedelta(minutes=1)):
        refreshed = browser.get("/quiz/history")
        assert refreshed.status_code == 200 and _session_cookie_sent(refreshed)
        assert not _session_cookie_sent(browser.get("/quiz/history"))


def test_a_session_past_its_lifetime_is_not_accepted(app) -> None:
    make_user(app, "ida")
    browser = app.test_client()
    login_as(browser, "ida")
    stolen_session = _copy(app, browser, "session")
    lifetime = app.permanent_session_lifetime
    with time_machine.travel(datetime.now(UTC) + lifetime + timedelta(minutes=1)):
        assert stolen_session.get("/quiz/history").status_code == 302
