"""Helpers of the class tests: a teacher's class and assignments made through HTTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Question, SchoolClass
from tests.helpers import login_as, make_user

BERLIN = ZoneInfo("Europe/Berlin")


def logged_in(app: Flask, name: str, role: str = "learner") -> FlaskClient:
    """Create a user and return a client logged in as them."""
    make_user(app, name, role=role)
    client = app.test_client()
    login_as(client, name)
    return client


def create_class(teacher: FlaskClient, name: str = "10b", year: str = "2026/27") -> int:
    """Create a class through the teacher's form; return its id."""
    response = teacher.post("/teach/classes/new", data={"name": name, "school_year": year})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def code_of(app: Flask, class_id: int) -> str:
    """Return a class's join code as a teacher would read it out ("ABCD-EFGH")."""
    with app.app_context():
        code = db.session.get(SchoolClass, class_id).join_code
    return f"{code[:4]}-{code[4:]}"


def join(client: FlaskClient, code: str, address: str = "192.0.2.10") -> int:
    """Try a join code; return the status."""
    return client.post(
        "/join", data={"code": code}, environ_base={"REMOTE_ADDR": address}
    ).status_code


def local(moment: datetime) -> str:
    """Return a moment as a date-time field's value in Berlin time."""
    return f"{moment.astimezone(BERLIN):%Y-%m-%dT%H:%M}"


def approved_ids(app: Flask, n: int, kinds: tuple[str, ...] = ("single_choice",)) -> list[str]:
    """Return n approved question ids of the given kinds (stable order)."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(Question.id)
                .where(Question.status == "approved", Question.kind.in_(kinds))
                .order_by(Question.id)
                .limit(n)
            )
        )


def assignment_form(**changes: object) -> dict[str, object]:
    """Return the new-assignment form: a quiz of chosen questions, due in a week."""
    data: dict[str, object] = {
        "title": "Hausaufgabe Portsmouth",
        "kind": "quiz",
        "source": "questions",
        "topic": "",
        "document": "",
        "question_ids": "",
        "question_count": "",
        "opens_at": "",
        "due_at": local(datetime.now(UTC) + timedelta(days=7)),
        "max_attempts": "",
        "time_limit": "",
        "feedback": "immediate",
    }
    data.update(changes)
    return data


def create_assignment(teacher: FlaskClient, class_id: int, **changes: object) -> int:
    """Set the class an assignment through the form; return its id."""
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new", data=assignment_form(**changes)
    )
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _errors(page: str) -> str:
    return " | ".join(re.findall(r"<li>([^<]+)</li>", page)) or page[:2000]


def start(client: FlaskClient, assignment_id: int) -> tuple[int, int | None]:
    """Start an assignment; return (status, attempt id if one was opened)."""
    response = client.post(f"/classes/assignments/{assignment_id}/start")
    location = response.headers.get("Location", "")
    match = re.search(r"/quiz/(\d+)", location)
    return response.status_code, int(match.group(1)) if match else None


def attempts_of(app: Flask, assignment_id: int) -> list[Attempt]:
    """Return the attempts at an assignment (detached)."""
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(Attempt).where(Attempt.assignment_id == assignment_id).order_by(Attempt.id)
            )
        )
        db.session.expunge_all()
        return rows


def assignment(app: Flask, assignment_id: int) -> Assignment | None:
    """Return an assignment (detached), or None."""
    with app.app_context():
        found = db.session.get(Assignment, assignment_id)
        if found is not None:
            db.session.expunge(found)
        return found
