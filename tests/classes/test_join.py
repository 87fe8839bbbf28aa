"""Joining classes over HTTP: codes, wrong codes slowed like failed logins, leaving."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.class_messages import WRONG_CODE
from quizapp.classwork import JOIN_FREE_PER_ADDRESS, JOIN_FREE_PER_LEARNER
from quizapp.extensions import db
from quizapp.models import Attempt, ClassMember, LoginFailure, User
from tests.classes.kit import (
    approved_ids,
    code_of,
    create_assignment,
    create_class,
    join,
    logged_in,
    start,
)
from tests.helpers import PASSWORD, user_id

START = "2026-11-23 08:00:00+00:00"
WRONG = "Mit diesem Code ist kein Beitritt möglich"


@pytest.fixture
def teacher(loaded_app: Flask) -> FlaskClient:
    return logged_in(loaded_app, "frau-meier", "teacher")


@pytest.fixture
def class_id(teacher: FlaskClient) -> int:
    return create_class(teacher, "10b")


def _members(app: Flask, class_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(User.username)
                .join(ClassMember, ClassMember.user_id == User.id)
                .where(ClassMember.class_id == class_id)
                .order_by(User.username)
            )
        )


def test_a_learner_joins_with_the_code_however_typed(loaded_app, class_id) -> None:
    anna = logged_in(loaded_app, "anna")
    code = code_of(loaded_app, class_id).lower().replace("-", " ")
    assert join(anna, f"  {code} ") == 302
    assert _members(loaded_app, class_id) == ["anna"]
    page = anna.get("/classes/").get_data(as_text=True)
    assert "10b" in page and "verlassen" in page
    # Joining again changes nothing and says so.
    response = anna.post(
        "/join", data={"code": code_of(loaded_app, class_id)}, follow_redirects=True
    )
    assert "Du bist schon in der Klasse „10b“" in response.get_data(as_text=True)
    assert _members(loaded_app, class_id) == ["anna"]


def test_a_learner_can_be_in_several_classes(loaded_app, teacher, class_id) -> None:
    other = create_class(teacher, "11a")
    anna = logged_in(loaded_app, "anna")
    assert join(anna, code_of(loaded_app, class_id)) == 302
    assert join(anna, code_of(loaded_app, other)) == 302
    page = anna.get("/classes/").get_data(as_text=True)
    assert "10b" in page and "11a" in page


def test_wrong_closed_and_expired_codes_get_the_same_message(loaded_app, teacher, class_id) -> None:
    anna = logged_in(loaded_app, "anna")
    bert = logged_in(loaded_app, "bert")
    code = code_of(loaded_app, class_id)
    pages = []
    response = anna.post("/join", data={"code": "ZZZZ-ZZZZ"})
    pages.append((response.status_code, response.get_data(as_text=True)))
    teacher.post(f"/teach/classes/{class_id}/code", data={"action": "close", "validity": ""})
    response = bert.post("/join", data={"code": code})
    pages.append((response.status_code, response.get_data(as_text=True)))
    for status, page in pages:
        assert status == 400
        assert WRONG_CODE in page.replace("&#34;", '"')
        assert "10b" not in page  # no hint which classes exist
    assert _members(loaded_app, class_id) == []
    # Opened again (valid for a day), the same code works; a day later it has expired.
    with time_machine.travel(START, tick=False) as clock:
        teacher.post(f"/teach/classes/{class_id}/code", data={"action": "open", "validity": "1"})
        assert join(bert, code) == 302
        clock.shift(timedelta(days=1, seconds=1))
        response = anna.post("/join", data={"code": code})
        assert response.status_code == 400 and WRONG in response.get_data(as_text=True)
    assert _members(loaded_app, class_id) == ["bert"]


def test_a_new_code_replaces_the_old_one(loaded_app, teacher, class_id) -> None:
    old = code_of(loaded_app, class_id)
    response = teacher.post(
        f"/teach/classes/{class_id}/code", data={"action": "new", "validity": ""}
    )
    assert response.status_code == 302
    new = code_of(loaded_app, class_id)
    assert new != old
    anna = logged_in(loaded_app, "anna")
    assert join(anna, old) == 400
    assert join(anna, new) == 302


def test_tried_codes_are_slowed_down_like_failed_logins(loaded_app, class_id) -> None:
    anna = logged_in(loaded_app, "anna")
    bert = logged_in(loaded_app, "bert")
    code = code_of(loaded_app, class_id)
    with time_machine.travel(START, tick=False) as clock:
        for i in range(JOIN_FREE_PER_LEARNER):
            assert join(anna, f"ZZZZ-ZZZ{i + 2}") == 400
        # Past the free tries even the right code waits (it is not checked at all).
        response = anna.post("/join", data={"code": code})
        assert response.status_code == 429
        assert "Zu viele falsche Codes" in response.get_data(as_text=True)
        assert _members(loaded_app, class_id) == []
        # A classmate behind the same school address is not slowed down.
        assert join(bert, code) == 302
        clock.shift(timedelta(seconds=2))
        assert join(anna, code) == 302
    assert _members(loaded_app, class_id) == ["anna", "bert"]
    with loaded_app.app_context():
        # The right code forgave its own count; the wrong ones stay counted for a while.
        keys = db.session.scalars(select(LoginFailure.key)).all()
        anna_id = user_id(loaded_app, "anna")
        assert keys.count(f"join-user:{anna_id}") == JOIN_FREE_PER_LEARNER


def test_many_wrong_codes_from_one_address_slow_that_address(loaded_app, class_id) -> None:
    with time_machine.travel(START, tick=False):
        with loaded_app.app_context():
            from datetime import datetime

            now = datetime.fromisoformat(START)
            db.session.add_all(
                LoginFailure(key="join-addr:203.0.113.9", at=now - timedelta(seconds=i))
                for i in range(JOIN_FREE_PER_ADDRESS)
            )
            db.session.commit()
        newcomer = logged_in(loaded_app, "carla")
        code = code_of(loaded_app, class_id)
        assert join(newcomer, code, address="203.0.113.9") == 429
        assert join(newcomer, code, address="192.0.2.44") == 302


def test_visitors_log_in_guests_register_teachers_do_not_join(loaded_app, class_id) -> None:
    code = code_of(loaded_app, class_id)
    visitor = loaded_app.test_client()
    assert "Weiter zur Registrierung" in visitor.get(f"/join?code={code}").get_data(as_text=True)
    response = visitor.post("/join", data={"code": code})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    guest = loaded_app.test_client()
    guest.post("/auth/guest")
    response = guest.post("/join", data={"code": code})
    assert response.status_code == 302 and "/auth/register?code=" in response.headers["Location"]
    other_teacher = logged_in(loaded_app, "herr-kim", "teacher")
    response = other_teacher.post("/join", data={"code": code})
    assert response.status_code == 400
    assert "Lehrkräfte treten keiner Klasse bei" in response.get_data(as_text=True)
    assert _members(loaded_app, class_id) == []
    empty = logged_in(loaded_app, "anna").post("/join", data={"code": ""})
    assert empty.status_code == 400
    assert "Bitte gib den Code deiner Klasse ein." in empty.get_data(as_text=True)


def test_registering_with_a_code_joins_the_class(loaded_app, class_id) -> None:
    code = code_of(loaded_app, class_id)
    guest = loaded_app.test_client()
    guest.post("/auth/guest")
    form = guest.get(f"/auth/register?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in form
    data = {"username": "neu", "password": PASSWORD, "confirm": PASSWORD, "class_code": code}
    assert guest.post("/auth/register", data=data).status_code == 302
    assert _members(loaded_app, class_id) == ["neu"]


def test_registering_with_a_wrong_code_stores_no_account(loaded_app, class_id) -> None:
    visitor = loaded_app.test_client()
    data = {"username": "neu", "password": PASSWORD, "confirm": PASSWORD, "class_code": "ZZZZ"}
    response = visitor.post("/auth/register", data=data)
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)
    with loaded_app.app_context():
        assert db.session.scalar(select(func.count()).where(User.username == "neu")) == 0
        # The try is counted against the address: registering is no free guessing oracle.
        assert (
            db.session.scalar(select(func.count()).where(LoginFailure.key.like("join-addr:%"))) == 1
        )
    # Without a code, registering works as before.
    data["class_code"] = ""
    assert visitor.post("/auth/register", data=data).status_code == 302


def test_leaving_keeps_the_learners_own_progress(loaded_app, teacher, class_id) -> None:
    anna = logged_in(loaded_app, "anna")
    join(anna, code_of(loaded_app, class_id))
    assignment_id = create_assignment(
        teacher, class_id, question_ids="\n".join(approved_ids(loaded_app, 2))
    )
    _, attempt_id = start(anna, assignment_id)
    assert "Hausaufgabe Portsmouth" in anna.get("/").get_data(as_text=True)
    response = anna.post(f"/classes/{class_id}/leave")
    assert response.status_code == 302
    assert _members(loaded_app, class_id) == []
    assert "Hausaufgabe Portsmouth" not in anna.get("/").get_data(as_text=True)
    assert anna.get(f"/classes/assignments/{assignment_id}").status_code == 404
    assert anna.post(f"/classes/assignments/{assignment_id}/start").status_code == 404
    assert anna.get(f"/quiz/{attempt_id}").status_code == 200  # still hers
    with loaded_app.app_context():
        assert db.session.get(Attempt, attempt_id) is not None
    # Leaving a class one is not in: no such class.
    assert anna.post(f"/classes/{class_id}/leave").status_code == 404
