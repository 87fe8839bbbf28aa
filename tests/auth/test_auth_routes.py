"""Accounts over HTTP: registration rules, login throttling, guests, sessions."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, User
from tests.helpers import (
    PASSWORD,
    answer_data,
    current_item,
    login_as,
    make_user,
    start_quiz,
    user_id,
)


def _users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def register(client, name: str, password: str = PASSWORD, confirm: str | None = None):
    data = {"username": name, "password": password, "confirm": confirm or password}
    return client.post("/auth/register", data=data)


def test_register_creates_a_learner_with_a_hashed_password(app, client) -> None:
    response = register(client, "Clara")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.username == "Clara" and user.role == "learner" and not user.is_guest
        assert PASSWORD not in user.password_hash
    assert client.get("/quiz/history").status_code == 200


def test_register_refuses_short_common_and_mismatched_passwords(app, client) -> None:
    assert "mindestens 8 Zeichen" in register(client, "dora", "kurz").get_data(as_text=True)
    for weak in ("password1", "Passwort", "passwort123", "qwertz123", "aaaaaaaa"):
        page = register(client, "dora", weak).get_data(as_text=True)
        assert "zu leicht zu erraten" in page, weak
    # zxcvbn's advice comes in German: why it is weak and what helps.
    page = register(client, "dora", "aaaaaaaa").get_data(as_text=True)
    assert "Wiederholungen wie „aaa“ sind leicht zu erraten." in page
    page = register(client, "dora", PASSWORD, "anders123").get_data(as_text=True)
    assert "stimmen nicht überein" in page
    assert _users(app) == 0


def test_register_with_a_taken_name_creates_nothing(app, client) -> None:
    make_user(app, "emil")
    page = register(client, "EMIL").get_data(as_text=True)
    assert "keine Registrierung möglich" in page
    assert _users(app) == 1


def test_login_failure_does_not_reveal_whether_the_name_exists(app, client) -> None:
    make_user(app, "fritz")
    unknown = client.post("/auth/login", data={"username": "niemand", "password": "x" * 10})
    wrong = client.post("/auth/login", data={"username": "fritz", "password": "x" * 10})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.get_data(as_text=True).replace("niemand", "fritz") == wrong.get_data(
        as_text=True
    )


def test_repeated_failures_are_slowed_but_the_owner_gets_in_later(app, client) -> None:
    make_user(app, "greta")
    with time_machine.travel("2026-11-21 10:00:00+00:00", tick=False) as traveller:
        for _ in range(6):
            client.post("/auth/login", data={"username": "greta", "password": "falsch-falsch"})
        blocked = client.post("/auth/login", data={"username": "greta", "password": PASSWORD})
        assert blocked.status_code == 429
        assert "Bitte warte" in blocked.get_data(as_text=True)
        traveller.shift(timedelta(seconds=5))
        ok = client.post("/auth/login", data={"username": "greta", "password": PASSWORD})
        assert ok.status_code == 302


def test_session_cookie_is_httponly_and_lax(app, client) -> None:
    make_user(app, "hans")
    response = client.post("/auth/login", data={"username": "hans", "password": PASSWORD})
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_logout_ends_the_session(app, client) -> None:
    make_user(app, "ida")
    login_as(client, "ida")
    assert client.get("/quiz/history").status_code == 200
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/quiz/history").status_code == 302


def test_open_redirect_after_login_is_refused(app, client) -> None:
    make_user(app, "jan")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"username": "jan", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_guest_progress_survives_registration(loaded_app, loaded_client) -> None:
    attempt_id = start_quiz(loaded_client, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    loaded_client.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    with loaded_app.app_context():
        guest_id = db.session.get(Attempt, attempt_id).user_id
        assert db.session.get(User, guest_id).is_guest
    assert register(loaded_client, "karla").status_code == 302
    assert user_id(loaded_app, "karla") == guest_id
    with loaded_app.app_context():
        assert not db.session.get(User, guest_id).is_guest
    assert f"/quiz/{attempt_id}" in loaded_client.get("/quiz/history").get_data(as_text=True)


def test_guest_logging_in_brings_progress_into_the_account(loaded_app, loaded_client) -> None:
    make_user(loaded_app, "lena")
    attempt_id = start_quiz(loaded_client, "mixed", "", 5)
    login_as(loaded_client, "lena")
    with loaded_app.app_context():
        assert db.session.get(Attempt, attempt_id).user_id == user_id(loaded_app, "lena")
        assert db.session.scalar(select(func.count()).where(User.is_guest)) == 0


def test_stale_session_id_is_rejected(app, client) -> None:
    make_user(app, "mia")
    login_as(client, "mia")
    with app.app_context():
        user = db.session.get(User, user_id(app, "mia"))
        user.session_token = "rotated"
        db.session.commit()
    assert client.get("/quiz/history").status_code == 302


def test_login_and_register_pages_render_labelled_forms(client) -> None:
    for url in ("/auth/login", "/auth/register"):
        page = client.get(url).get_data(as_text=True)
        assert '<label for="username">Benutzername</label>' in page
        assert '<label for="password">Passwort</label>' in page


def test_guest_button_creates_a_guest_once(app, client) -> None:
    response = client.post("/auth/guest?next=/quiz/")
    assert response.status_code == 302 and response.headers["Location"] == "/quiz/"
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(User.is_guest)) == 1
    assert client.post("/auth/guest").status_code == 400
    assert _users(app) == 1


def test_logout_needs_post(app, client) -> None:
    make_user(app, "rosa")
    login_as(client, "rosa")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/quiz/history").status_code == 200
