"""Walk every route of the app as visitor, guest, learner and teacher and check the status."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Document, Question
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz

ROLES = ("visitor", "guest", "learner", "teacher")
PUBLIC = {
    "main.index",
    "main.healthz",
    "documents.index",
    "documents.show",
    "quiz.index",
    "timeline.index",
    "cards.index",  # a visitor is offered to start as a guest, as with quizzes
    "static",
}
ACCOUNT_PAGES = {"auth.login", "auth.register", "auth.reset"}
# Pages of the learner's own attempt: everybody else gets 404, as if it did not exist.
OWN_ATTEMPT = {"quiz.show", "quiz.answer", "quiz.feedback", "quiz.results", "quiz.skip"}
NEEDS_LOGIN = {
    "quiz.history",
    "auth.logout",
    "auth.change_password",
    "auth.account",
    "auth.export_data",
    "auth.delete_account",
    "reports.create",
    "reports.index",
}


def _kind(endpoint: str) -> str:
    if endpoint.startswith("teach."):
        return "teacher"
    if endpoint in PUBLIC or endpoint in ACCOUNT_PAGES:
        return "public"
    if endpoint in OWN_ATTEMPT:
        return "own_attempt"
    if endpoint.startswith("cards.") or endpoint in NEEDS_LOGIN:
        return "login"
    if endpoint in ("quiz.start", "auth.guest"):
        return "anyone_post"
    raise AssertionError(f"route {endpoint} is not classified: add it to the walk")


@pytest.fixture
def world(loaded_app: Flask):
    """Return clients for each role, and the values the URLs need."""
    make_user(loaded_app, "anna")
    make_user(loaded_app, "frau-meier", role="teacher")
    clients: dict[str, FlaskClient] = {}
    for role in ROLES:
        clients[role] = loaded_app.test_client()
    login_as(clients["learner"], "anna")
    login_as(clients["teacher"], "frau-meier")
    assert clients["guest"].post("/auth/guest").status_code == 302
    attempt_id = start_quiz(clients["learner"], "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    clients["learner"].post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    report = {"question_id": item.question_id, "reason": "typo", "item_id": str(item.id)}
    assert clients["learner"].post("/reports/", data=report).status_code == 303
    with loaded_app.app_context():
        values = {
            "attempt_id": attempt_id,
            "position": item.position,
            "question_id": db.session.scalar(
                select(Question.id).where(Question.status == "approved").order_by(Question.id)
            ),
            "document_id": db.session.scalar(select(Document.id)),
            "user_id": 1,
            "filename": "style.css",
            "fact_id": "frieden-portsmouth",
            "report_id": 1,
        }
    return clients, values


def _urls(app: Flask, values: dict) -> list[tuple[str, str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        args = {name: values[name] for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **args)
        for method in sorted(rule.methods & {"GET", "POST"}):
            urls.append((rule.endpoint, method, url))
    return urls


def test_every_route_answers_each_role_as_expected(loaded_app: Flask, world) -> None:
    clients, values = world
    problems = []
    seen = set()
    for endpoint, method, url in _urls(loaded_app, values):
        seen.add(endpoint)
        kind = _kind(endpoint)
        for role in ROLES:
            if endpoint in ("auth.logout", "auth.guest", "teach.promote") and role != "visitor":
                continue  # would change the very session or user the walk relies on
            # A visitor who posts to /auth/guest or /quiz/start becomes a guest: start afresh.
            client = loaded_app.test_client() if role == "visitor" else clients[role]
            response = client.open(url, method=method, data={})
            status = response.status_code
            to_login = status == 302 and "/auth/login" in response.headers.get("Location", "")
            expected_ok = True
            if kind == "teacher":
                if role in ("visitor", "guest"):
                    expected_ok = to_login
                elif role == "learner":
                    expected_ok = status == 403
                else:
                    expected_ok = status not in (401, 403, 404) and not to_login and status < 500
            elif kind == "login":
                if role == "visitor":
                    expected_ok = to_login
                else:
                    expected_ok = status not in (401, 403) and not to_login and status < 500
            elif kind == "own_attempt":
                if role == "visitor":
                    expected_ok = to_login
                elif role == "learner":
                    expected_ok = status in (200, 302, 303, 400)
                else:
                    expected_ok = status == 404
            elif kind == "public":
                expected_ok = (
                    status in (200, 302, 400) if method == "POST" else status in (200, 302)
                )
            elif kind == "anyone_post":
                expected_ok = status in (302, 400)
            if not expected_ok:
                problems.append(f"{role:8} {method:4} {url} -> {status}")
    assert not problems, "\n".join(problems)
    assert {"teach.index", "cards.rate", "quiz.answer", "documents.show"} <= seen
    assert {"timeline.index", "teach.facts", "teach.fact", "teach.edit_fact"} <= seen


def test_learner_gets_403_page_in_german(world) -> None:
    clients, _ = world
    response = clients["learner"].get("/teach/")
    assert response.status_code == 403
    assert "Lehrkräften vorbehalten" in response.get_data(as_text=True)
