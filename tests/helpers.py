"""Small helpers shared by the HTTP tests (instead of copy-pasted set-up)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from quizapp.answers import correct_order, matching_targets
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Fact, User
from quizapp.services.quiz import spec_for

PASSWORD = "Portsmouth-1905!"


def make_user(app: Flask, username: str, password: str = PASSWORD, role: str = "learner") -> int:
    """Create a user directly in the database and return its id."""
    with app.app_context():
        user = User(
            username=username,
            username_key=username.casefold(),
            password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
            role=role,
        )
        db.session.add(user)
        db.session.commit()
        return user.id


def login_as(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Log the client in through the real login form."""
    response = client.post("/auth/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def start_quiz(client: FlaskClient, mode: str = "mixed", key: str = "", length: int = 10) -> int:
    """Start a quiz and return the attempt id."""
    response = client.post("/quiz/start", data={"mode": mode, "key": key, "length": str(length)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def current_item(app: Flask, attempt_id: int) -> AttemptItem | None:
    """Return the attempt's next unanswered item (detached, with its question loaded)."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        item = attempt.current_item()
        if item is not None:
            _ = item.question.choices, item.question.sentence, item.question.document
            db.session.expunge_all()
        return item


def answer_data(item: AttemptItem, right: bool = True) -> dict[str, str | list[str]]:
    """Return form data answering the item right (or wrong), as a learner would submit it."""
    question = item.question
    spec = spec_for(question, item.choice_order)
    kind = question.kind
    if kind == "single_choice":
        index = next(i for i, o in enumerate(spec.options, 1) if o.correct == right)
        return {"choice": str(index)}
    if kind == "true_false":
        value = question.answer if right else ("falsch" if question.answer == "wahr" else "wahr")
        return {"choice": value}
    if kind == "multiple_choice":
        picks = [str(i) for i, o in enumerate(spec.options, 1) if o.correct == right]
        return {"choice": picks}
    if kind == "numerical":
        return {"text": question.answer if right else "-99999"}
    if kind in ("typed", "cloze", "date"):
        return {"text": question.answer if right else "Timbuktu 1234"}
    if kind == "ordering":
        order = correct_order(spec)
        rank = {o.id: r for r, o in enumerate(order, 1)}
        ranks = [rank[o.id] for o in spec.options]
        if not right:
            ranks = [len(ranks) + 1 - r for r in ranks]
        return {f"rank_{i}": str(r) for i, r in enumerate(ranks, 1)}
    if kind == "matching":
        targets = matching_targets(spec)
        data = {}
        for i, option in enumerate(spec.options, 1):
            target = targets.index(option.match) + 1
            if not right:
                target = target % len(targets) + 1
            data[f"match_{i}"] = str(target)
        return data
    raise AssertionError(kind)


def user_id(app: Flask, username: str) -> int:
    """Return the id of a user by name."""
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username_key == username.casefold()))


def event_form(fact: Fact, **changes: object) -> dict[str, object]:
    """Return the fact editor's form data for an event as stored, with ``changes``."""
    data = dict(fact.data)
    form: dict[str, object] = {
        "kind": data["kind"],
        "date": data.get("date", ""),
        "end": data.get("end", ""),
        "what": data.get("what", ""),
        "subject": data.get("subject", ""),
        "name": data.get("name", ""),
        "place_name": (data.get("place") or {}).get("name", ""),
        "place_phrase": (data.get("place") or {}).get("phrase", ""),
        "participants": data.get("participants", []),
        "not_options": data.get("not_options", []),
        "topic": data.get("topic", ""),
        "source": data["source"],
        "note": data.get("note", ""),
        "terms": "\n".join(t["text"] for t in data.get("terms", [])),
        "skip": data.get("skip", []),
    }
    form.update(changes)
    return form
