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
CLASS_BLUEPRINTS = ("classes.", "teach_classes.")


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


def _urls(app: Flask, values: dict, classes: bool = False) -> list[tuple[str, str, str]]:
    """Return (endpoint, method, url) of every route: the class routes, or all the others."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(CLASS_BLUEPRINTS) != classes:
            continue
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


# --------------------------------------------------------------------------- classes

CLASS_ROLES = ("visitor", "guest", "member", "outsider", "class_teacher", "other_teacher")
# A learner's pages of one class: only its members see them; everybody else gets 404.
MEMBER_ONLY = {"classes.leave", "classes.assignment", "classes.start"}
# Teacher pages that are not about one class.
ANY_TEACHER = {"teach_classes.index", "teach_classes.new"}
# (endpoint, role) pairs that would take the walk's world apart; tests of their own cover them
# (tests/classes: leaving, removing a learner, deleting an assignment or a class).
DESTRUCTIVE = {
    ("classes.leave", "member"),
    ("teach_classes.remove_member", "class_teacher"),
    ("teach_classes.delete_assignment", "class_teacher"),
    ("teach_classes.delete", "class_teacher"),
}


@pytest.fixture
def class_world(loaded_app: Flask):
    """A class of frau-meier that anna is in (olga is not), with an assignment anna started."""
    from tests.classes.kit import approved_ids, code_of, create_assignment, create_class, join

    make_user(loaded_app, "anna")
    make_user(loaded_app, "olga")
    make_user(loaded_app, "frau-meier", role="teacher")
    make_user(loaded_app, "herr-kim", role="teacher")
    clients = {role: loaded_app.test_client() for role in CLASS_ROLES}
    assert clients["guest"].post("/auth/guest").status_code == 302
    for role, name in (
        ("member", "anna"),
        ("outsider", "olga"),
        ("class_teacher", "frau-meier"),
        ("other_teacher", "herr-kim"),
    ):
        login_as(clients[role], name)
    class_id = create_class(clients["class_teacher"], "10b")
    assert join(clients["member"], code_of(loaded_app, class_id)) == 302
    ids = approved_ids(loaded_app, 2)
    assignment_id = create_assignment(
        clients["class_teacher"], class_id, question_ids=" ".join(ids)
    )
    assert clients["member"].post(f"/classes/assignments/{assignment_id}/start").status_code == 303
    from tests.helpers import user_id

    values = {
        "class_id": class_id,
        "assignment_id": assignment_id,
        "user_id": user_id(loaded_app, "anna"),
    }
    return clients, values


def _class_expectation(endpoint: str, method: str, role: str, status: int, to_login: bool) -> bool:
    fine = status < 500 and status not in (401, 403, 404) and not to_login
    if endpoint == "classes.join":
        if method == "GET":
            return status == 200
        if role == "visitor":
            return to_login
        if role == "guest":
            return status == 302 and not to_login  # to the registration, with the code
        return status == 400  # no code given (and teachers never join)
    if endpoint == "classes.mine":
        return to_login if role == "visitor" else status == 200
    if endpoint in MEMBER_ONLY:
        if role == "visitor":
            return to_login
        return fine if role == "member" else status == 404
    assert endpoint.startswith("teach_classes."), endpoint
    if role in ("visitor", "guest"):
        return to_login
    if role in ("member", "outsider"):
        return status == 403
    if role == "other_teacher" and endpoint not in ANY_TEACHER:
        return status == 404  # another teacher's class does not exist
    return fine


def test_every_class_route_answers_each_role_as_expected(loaded_app: Flask, class_world) -> None:
    clients, values = class_world
    problems, seen = [], set()
    for endpoint, method, url in _urls(loaded_app, values, classes=True):
        seen.add(endpoint)
        for role in CLASS_ROLES:
            if (endpoint, role) in DESTRUCTIVE:
                continue
            client = loaded_app.test_client() if role == "visitor" else clients[role]
            response = client.open(url, method=method, data={})
            status = response.status_code
            to_login = status == 302 and "/auth/login" in response.headers.get("Location", "")
            if not _class_expectation(endpoint, method, role, status, to_login):
                problems.append(f"{role:13} {method:4} {url} -> {status}")
    assert not problems, "\n".join(problems)
    class_endpoints = {
        rule.endpoint
        for rule in loaded_app.url_map.iter_rules()
        if rule.endpoint.startswith(CLASS_BLUEPRINTS)
    }
    assert seen == class_endpoints and len(seen) >= 20


def test_the_destructive_class_routes_refuse_everyone_but_their_owner(
    loaded_app: Flask, class_world
) -> None:
    """The pairs the walk leaves out, from everybody else's side."""
    clients, values = class_world
    base = f"/teach/classes/{values['class_id']}"
    urls = (
        f"{base}/members/{values['user_id']}/remove",
        f"{base}/assignments/{values['assignment_id']}/delete",
        f"{base}/delete",
    )
    for url in urls:
        assert clients["other_teacher"].post(url, data={"name": "10b"}).status_code == 404, url
        assert clients["member"].post(url).status_code == 403, url
    leave = f"/classes/{values['class_id']}/leave"
    for role in ("guest", "outsider", "class_teacher", "other_teacher"):
        assert clients[role].post(leave).status_code == 404, role
    # Nothing of it happened.
    assert (
        clients["member"].get(f"/classes/assignments/{values['assignment_id']}").status_code == 200
    )
