"""Twenty writers at once on every write route: nobody gets a 500 ("database is locked").

Each scenario prepares twenty requests (different learners or teachers, or twenty tabs of
one) and fires them at the same moment from twenty threads against one app on a real
database. A read-then-write transaction begun DEFERRED on SQLite fails at once when
another writer got in between; every write route must begin its transaction for writing.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from quizapp.extensions import db
from quizapp.models import CardState, Fact, Question, User
from tests.helpers import (
    PASSWORD,
    answer_data,
    current_item,
    event_form,
    login_as,
    make_user,
    start_quiz,
)

WRITERS = 20
Call = Callable[[], TestResponse]


@dataclass
class School:
    """An app with twenty learners and twenty teachers, each logged in on their own client."""

    app: Flask
    learners: list[FlaskClient] = field(default_factory=list)
    teachers: list[FlaskClient] = field(default_factory=list)

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def learner_ids(self) -> list[int]:
        with self.app.app_context():
            return list(
                db.session.scalars(
                    select(User.id).where(User.username.like("schueler-%")).order_by(User.id)
                )
            )

    def approved(self, n: int = WRITERS) -> list[str]:
        with self.app.app_context():
            return list(
                db.session.scalars(
                    select(Question.id)
                    .where(Question.status == "approved")
                    .order_by(Question.id)
                    .limit(n)
                )
            )

    def drafts(self, n: int) -> list[str]:
        """Return n questions put back into the review queue."""
        ids = self.approved(n)
        with self.app.app_context():
            db.session.execute(update(Question).where(Question.id.in_(ids)).values(status="draft"))
            db.session.commit()
        return ids


def _logged_in(app: Flask, name: str, role: str = "learner") -> FlaskClient:
    make_user(app, name, role=role)
    client = app.test_client()
    login_as(client, name)
    return client


def _tab_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Return another tab of the same browser: a client with the same cookies."""
    tab = app.test_client()
    for cookie in client._cookies.values():  # the test client's cookie jar
        tab.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return tab


def _fire(calls: list[Call]) -> list[int]:
    """Send all requests at the same moment; return their status codes."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int | None] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(30)
            statuses[index] = calls[index]().status_code
        except BaseException as exc:  # an exception escaping the app is a 500 as well
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    return [s if s is not None else 0 for s in statuses]


def _post(client: FlaskClient, url: str, **data: object) -> Call:
    return lambda: client.post(url, data=data)


def _field(page: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)


# --------------------------------------------------------------------------- scenarios
# Each returns the twenty requests and the statuses that count as success.


def s_login(school: School) -> tuple[list[Call], set[int]]:
    for i in range(WRITERS):
        make_user(school.app, f"anmeldung-{i}")
    calls = [
        _post(school.client(), "/auth/login", username=f"anmeldung-{i}", password=PASSWORD)
        for i in range(WRITERS)
    ]
    return calls, {302}


def s_register(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(
            school.client(),
            "/auth/register",
            username=f"neu-{i}",
            password=PASSWORD,
            confirm=PASSWORD,
        )
        for i in range(WRITERS)
    ]
    return calls, {302}


def s_register_same_name(school: School) -> tuple[list[Call], set[int]]:
    data = {"username": "beliebt", "password": PASSWORD, "confirm": PASSWORD}
    # One visitor gets the name, the others are told it is taken.
    return [_post(school.client(), "/auth/register", **data) for _ in range(WRITERS)], {200, 302}


def s_register_guest_tabs(school: School) -> tuple[list[Call], set[int]]:
    guest = school.client()
    assert guest.post("/auth/guest").status_code == 302
    tabs = [_tab_of(school.app, guest) for _ in range(WRITERS)]
    data = {"username": "gast-tabs", "password": PASSWORD, "confirm": PASSWORD}
    # One tab registers; the others find the name taken or the guest already registered.
    return [_post(tab, "/auth/register", **data) for tab in tabs], {200, 302}


def s_logout(school: School) -> tuple[list[Call], set[int]]:
    return [_post(c, "/auth/logout") for c in school.learners], {302}


def s_change_password(school: School) -> tuple[list[Call], set[int]]:
    new = "Shimonoseki-1895!"
    data = {"current": PASSWORD, "password": new, "confirm": new}
    return [_post(c, "/auth/password", **data) for c in school.learners], {302}


def s_guest(school: School) -> tuple[list[Call], set[int]]:
    return [_post(school.client(), "/auth/guest") for _ in range(WRITERS)], {302}


def s_quiz_start(school: School) -> tuple[list[Call], set[int]]:
    data = {"mode": "mixed", "key": "", "length": "5"}
    return [_post(c, "/quiz/start", **data) for c in school.learners], {302}


def s_quiz_start_visitors(school: School) -> tuple[list[Call], set[int]]:
    data = {"mode": "mixed", "key": "", "length": "5"}
    return [_post(school.client(), "/quiz/start", **data) for _ in range(WRITERS)], {302}


def s_quiz_answer(school: School) -> tuple[list[Call], set[int]]:
    calls = []
    for client in school.learners:
        attempt_id = start_quiz(client, "mixed", "", 5)
        item = current_item(school.app, attempt_id)
        url = f"/quiz/{attempt_id}/{item.position}"
        calls.append(_post(client, url, **answer_data(item)))
    return calls, {303}


def s_cards_decks(school: School) -> tuple[list[Call], set[int]]:
    return [_post(c, "/cards/decks", decks=[]) for c in school.learners], {302}


def s_cards_decks_tabs(school: School) -> tuple[list[Call], set[int]]:
    tabs = [_tab_of(school.app, school.learners[0]) for _ in range(WRITERS)]
    return [_post(t, "/cards/decks", decks=[]) for t in tabs], {302}


SETTINGS = {
    "desired_retention": "0,85",
    "new_per_day": "30",
    "reviews_per_day": "300",
    "timezone": "Europe/Berlin",
}


def s_cards_settings(school: School) -> tuple[list[Call], set[int]]:
    return [_post(c, "/cards/settings", **SETTINGS) for c in school.learners], {302}


def s_cards_settings_tabs(school: School) -> tuple[list[Call], set[int]]:
    tabs = [_tab_of(school.app, school.learners[0]) for _ in range(WRITERS)]
    return [_post(t, "/cards/settings", **SETTINGS) for t in tabs], {302}


def _first_card(client: FlaskClient) -> str:
    page = client.get("/cards/review").get_data(as_text=True)
    return re.search(r'href="/cards/review\?show=([^"]+)"', page).group(1)


def s_cards_rate(school: School) -> tuple[list[Call], set[int]]:
    calls = []
    for client in school.learners:
        qid = _first_card(client)
        calls.append(_post(client, "/cards/rate", question_id=qid, version="0", rating="3"))
    return calls, {303}


def s_cards_undo(school: School) -> tuple[list[Call], set[int]]:
    for client in school.learners:
        data = {"question_id": _first_card(client), "version": "0", "rating": "3"}
        assert client.post("/cards/rate", data=data).status_code == 303
    return [_post(c, "/cards/undo") for c in school.learners], {303}


def s_cards_check(school: School) -> tuple[list[Call], set[int]]:
    calls = []
    for client in school.learners:
        calls.append(_post(client, "/cards/check", question_id=_first_card(client), text="x"))
    # The shown card may not be a typed one; then the check is refused, nothing is stored.
    return calls, {200, 404}


def s_cards_unsuspend(school: School) -> tuple[list[Call], set[int]]:
    qid = school.approved(1)[0]
    from datetime import UTC, datetime

    with school.app.app_context():
        for uid in school.learner_ids():
            db.session.add(
                CardState(user_id=uid, question_id=qid, due=datetime.now(UTC), suspended=True)
            )
        db.session.commit()
    url = f"/cards/leeches/{qid}/unsuspend"
    return [_post(c, url) for c in school.learners], {302}


def _question_form(prompt: str) -> dict[str, str]:
    return {
        "kind": "typed",
        "prompt": prompt,
        "answer": "Portsmouth",
        "accepted": "",
        "explanation": "",
        "topic": "allgemein",
    }


def s_teach_new_question(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(t, "/teach/questions/new", **_question_form(f"Wo wurde Frieden Nr. {i} ...?"))
        for i, t in enumerate(school.teachers)
    ]
    return calls, {302}


def s_teach_edit_question(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(t, f"/teach/questions/{qid}/edit", **_question_form(f"Geänderte Frage {i}?"))
        for i, (t, qid) in enumerate(zip(school.teachers, school.approved(), strict=True))
    ]
    return calls, {302}


def s_teach_edit_same_question(school: School) -> tuple[list[Call], set[int]]:
    qid = school.approved(1)[0]
    calls = [
        _post(t, f"/teach/questions/{qid}/edit", **_question_form(f"Dieselbe Frage {i}?"))
        for i, t in enumerate(school.teachers)
    ]
    return calls, {302}


def s_teach_set_status(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(t, f"/teach/questions/{qid}/status", status="retired", reason="veraltet")
        for t, qid in zip(school.teachers, school.approved(), strict=True)
    ]
    return calls, {302}


def s_teach_decide(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(t, f"/teach/review/{qid}", decision="approved", reason="")
        for t, qid in zip(school.teachers, school.drafts(WRITERS), strict=True)
    ]
    return calls, {303}


def s_teach_bulk_approve(school: School) -> tuple[list[Call], set[int]]:
    drafts = school.drafts(2 * WRITERS)
    calls = [
        _post(t, "/teach/review/bulk", ids=drafts[2 * i : 2 * i + 2])
        for i, t in enumerate(school.teachers)
    ]
    return calls, {303}


def s_teach_bulk_approve_overlapping(school: School) -> tuple[list[Call], set[int]]:
    drafts = school.drafts(WRITERS)
    # Twenty tabs with the same stale selection: each approves what is still a draft.
    return [_post(t, "/teach/review/bulk", ids=drafts) for t in school.teachers], {303}


TEXT = (
    "Der Vertrag von Shimonoseki wurde am 17. April 1895 unterzeichnet. "
    "Japan erhielt Taiwan. Am 5. September 1905 endete der Krieg mit dem Frieden von "
    "Portsmouth.\n"
)


def s_teach_documents(school: School) -> tuple[list[Call], set[int]]:
    def upload(client: FlaskClient, i: int) -> Call:
        return lambda: client.post(
            "/teach/documents",
            data={
                "file": (io.BytesIO(TEXT.replace("Taiwan", f"Taiwan {i}").encode()), f"t{i}.txt")
            },
            content_type="multipart/form-data",
        )

    return [upload(t, i) for i, t in enumerate(school.teachers)], {302}


def _gift(i: int) -> bytes:
    return (
        f"::imp-{i}::Wo wurde der Frieden geschlossen ({i})? {{=Portsmouth ~Paris ~Rom}}\n".encode()
    )


def _preview(client: FlaskClient, i: int) -> TestResponse:
    return client.post(
        "/teach/import",
        data={"file": (io.BytesIO(_gift(i)), f"f{i}.gift"), "format": "auto"},
        content_type="multipart/form-data",
    )


def s_teach_import_preview(school: School) -> tuple[list[Call], set[int]]:
    return [lambda c=c, i=i: _preview(c, i) for i, c in enumerate(school.teachers)], {200}


def s_teach_import_confirm(school: School) -> tuple[list[Call], set[int]]:
    calls = []
    for i, client in enumerate(school.teachers):
        page = _preview(client, i).get_data(as_text=True)
        form = re.search(r'action="/teach/import/confirm".*?</form>', page, re.S).group(0)
        data = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
        calls.append(_post(client, "/teach/import/confirm", **data))
    return calls, {302}


def _approved_events(school: School, n: int) -> list[Fact]:
    with school.app.app_context():
        return list(
            db.session.scalars(
                select(Fact)
                .where(Fact.kind == "event", Fact.status == "approved")
                .order_by(Fact.id)
                .limit(n)
            )
        )


def s_teach_decide_fact(school: School) -> tuple[list[Call], set[int]]:
    facts = _approved_events(school, WRITERS)
    calls = [
        _post(t, f"/teach/facts/{f.id}/decide", decision="rejected", reason="zu ungenau")
        for t, f in zip(school.teachers, facts, strict=True)
    ]
    return calls, {302}


def s_teach_edit_same_fact(school: School) -> tuple[list[Call], set[int]]:
    fact = _approved_events(school, 1)[0]
    calls = [
        _post(t, f"/teach/facts/{fact.id}/edit", **event_form(fact, note=f"Notiz {i}"))
        for i, t in enumerate(school.teachers)
    ]
    return calls, {302}


def s_teach_promote(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(t, f"/teach/users/{uid}/promote", confirm="yes")
        for t, uid in zip(school.teachers, school.learner_ids(), strict=True)
    ]
    return calls, {303}


def s_teach_promote_same(school: School) -> tuple[list[Call], set[int]]:
    uid = school.learner_ids()[0]
    # One promotes; the others find a teacher already (a confirmation page says so).
    return [_post(t, f"/teach/users/{uid}/promote", confirm="yes") for t in school.teachers], {
        200,
        302,
        303,
    }


def s_teach_demote(school: School) -> tuple[list[Call], set[int]]:
    ids = [make_user(school.app, f"extra-lehrer-{i}", role="teacher") for i in range(WRITERS)]
    calls = [
        _post(t, f"/teach/users/{uid}/demote", confirm="yes")
        for t, uid in zip(school.teachers, ids, strict=True)
    ]
    return calls, {303}


def s_teach_reset_code(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(t, f"/teach/users/{uid}/reset-code")
        for t, uid in zip(school.teachers, school.learner_ids(), strict=True)
    ]
    return calls, {200}


def _codes(school: School, n: int) -> list[str]:
    from datetime import UTC, datetime, timedelta

    from quizapp.services.account import issue_reset_code

    codes = []
    with school.app.app_context():
        for uid in school.learner_ids()[:n]:
            user = db.session.get(User, uid)
            code, _ = issue_reset_code(
                db.session, user, None, datetime.now(UTC), timedelta(hours=1)
            )
            codes.append(code)
        db.session.commit()
    return codes


NEW_PASSWORD = "Shimonoseki-1895!"


def s_auth_reset(school: School) -> tuple[list[Call], set[int]]:
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    calls = [_post(school.client(), "/auth/reset", code=c, **data) for c in _codes(school, WRITERS)]
    return calls, {302}


# --------------------------------------------------------------------------- classes


def _class_of(school: School, *, learners: bool = False, teachers: bool = False) -> int:
    """Return a class of the first teacher; its learners and co-teachers as asked."""
    from tests.classes.kit import code_of, create_class, join

    class_id = create_class(school.teachers[0], "10b")
    if teachers:
        for i in range(1, WRITERS):
            url = f"/teach/classes/{class_id}/teachers"
            assert school.teachers[0].post(url, data={"username": f"lehrer-{i}"}).status_code == 302
    if learners:
        code = code_of(school.app, class_id)
        for client in school.learners:
            assert join(client, code) == 302
    return class_id


def _assignment_of(school: School, class_id: int, **changes: object) -> int:
    from tests.classes.kit import create_assignment

    ids = " ".join(school.approved(3))
    return create_assignment(school.teachers[0], class_id, question_ids=ids, **changes)


def s_classes_join(school: School) -> tuple[list[Call], set[int]]:
    from tests.classes.kit import code_of

    code = code_of(school.app, _class_of(school))
    return [_post(c, "/join", code=code) for c in school.learners], {302}


def s_classes_join_tabs(school: School) -> tuple[list[Call], set[int]]:
    from tests.classes.kit import code_of

    code = code_of(school.app, _class_of(school))
    tabs = [_tab_of(school.app, school.learners[0]) for _ in range(WRITERS)]
    return [_post(t, "/join", code=code) for t in tabs], {302}


def s_classes_join_wrong(school: School) -> tuple[list[Call], set[int]]:
    return [_post(c, "/join", code="ZZZZ-ZZZZ") for c in school.learners], {400}


def s_register_with_code(school: School) -> tuple[list[Call], set[int]]:
    from tests.classes.kit import code_of

    code = code_of(school.app, _class_of(school))
    calls = [
        _post(
            school.client(),
            "/auth/register",
            username=f"klasse-{i}",
            password=PASSWORD,
            confirm=PASSWORD,
            class_code=code,
        )
        for i in range(WRITERS)
    ]
    return calls, {302}


def s_classes_leave(school: School) -> tuple[list[Call], set[int]]:
    class_id = _class_of(school, learners=True)
    return [_post(c, f"/classes/{class_id}/leave") for c in school.learners], {302}


def s_classes_start(school: School) -> tuple[list[Call], set[int]]:
    assignment_id = _assignment_of(school, _class_of(school, learners=True))
    url = f"/classes/assignments/{assignment_id}/start"
    return [_post(c, url) for c in school.learners], {303}


def s_classes_start_tabs(school: School) -> tuple[list[Call], set[int]]:
    assignment_id = _assignment_of(school, _class_of(school, learners=True), max_attempts="1")
    url = f"/classes/assignments/{assignment_id}/start"
    tabs = [_tab_of(school.app, school.learners[0]) for _ in range(WRITERS)]
    # One tab begins the attempt, the others resume it.
    return [_post(t, url) for t in tabs], {303}


def s_teach_classes_new(school: School) -> tuple[list[Call], set[int]]:
    calls = [
        _post(t, "/teach/classes/new", name=f"Klasse {i}", school_year="2026/27")
        for i, t in enumerate(school.teachers)
    ]
    return calls, {302}


def s_teach_classes_edit_same(school: School) -> tuple[list[Call], set[int]]:
    class_id = _class_of(school, teachers=True)
    url = f"/teach/classes/{class_id}/edit"
    calls = [
        _post(t, url, name=f"10b ({i})", school_year="") for i, t in enumerate(school.teachers)
    ]
    return calls, {302}


def s_teach_classes_code_same(school: School) -> tuple[list[Call], set[int]]:
    class_id = _class_of(school, teachers=True)
    url = f"/teach/classes/{class_id}/code"
    return [_post(t, url, action="new", validity="7") for t in school.teachers], {302}


def s_teach_classes_add_teacher_tabs(school: School) -> tuple[list[Call], set[int]]:
    class_id = _class_of(school)
    tabs = [_tab_of(school.app, school.teachers[0]) for _ in range(WRITERS)]
    url = f"/teach/classes/{class_id}/teachers"
    return [_post(t, url, username="lehrer-1") for t in tabs], {302}


def s_teach_classes_remove_member(school: School) -> tuple[list[Call], set[int]]:
    class_id = _class_of(school, learners=True, teachers=True)
    calls = [
        _post(t, f"/teach/classes/{class_id}/members/{uid}/remove")
        for t, uid in zip(school.teachers, school.learner_ids(), strict=True)
    ]
    return calls, {302}


def s_teach_classes_delete(school: School) -> tuple[list[Call], set[int]]:
    from tests.classes.kit import create_class

    calls = []
    for i, teacher in enumerate(school.teachers):
        class_id = create_class(teacher, f"Klasse {i}")
        calls.append(_post(teacher, f"/teach/classes/{class_id}/delete", name=f"Klasse {i}"))
    return calls, {302}


def s_teach_classes_delete_same(school: School) -> tuple[list[Call], set[int]]:
    class_id = _class_of(school, learners=True, teachers=True)
    _assignment_of(school, class_id)
    url = f"/teach/classes/{class_id}/delete"
    # The first deletes it; for the others it is gone.
    return [_post(t, url, name="10b") for t in school.teachers], {302, 404}


def s_teach_classes_new_assignment(school: School) -> tuple[list[Call], set[int]]:
    from tests.classes.kit import assignment_form

    class_id = _class_of(school, teachers=True)
    form = assignment_form(question_ids=" ".join(school.approved(3)))
    url = f"/teach/classes/{class_id}/assignments/new"
    return [_post(t, url, **form) for t in school.teachers], {302}


def s_teach_classes_edit_assignment_same(school: School) -> tuple[list[Call], set[int]]:
    from tests.classes.kit import assignment_form

    class_id = _class_of(school, learners=True, teachers=True)
    assignment_id = _assignment_of(school, class_id, time_limit="20")
    for client in school.learners:  # running attempts get the new end
        client.post(f"/classes/assignments/{assignment_id}/start")
    url = f"/teach/classes/{class_id}/assignments/{assignment_id}/edit"
    calls = [
        _post(t, url, **assignment_form(time_limit=str(10 + i)))
        for i, t in enumerate(school.teachers)
    ]
    return calls, {302}


def s_teach_classes_delete_assignment_same(school: School) -> tuple[list[Call], set[int]]:
    class_id = _class_of(school, learners=True, teachers=True)
    assignment_id = _assignment_of(school, class_id)
    for client in school.learners:
        client.post(f"/classes/assignments/{assignment_id}/start")
    url = f"/teach/classes/{class_id}/assignments/{assignment_id}/delete"
    return [_post(t, url) for t in school.teachers], {302, 404}


def s_auth_reset_same_code(school: School) -> tuple[list[Call], set[int]]:
    code = _codes(school, 1)[0]
    data = {"code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    # One tab uses the code up; the others are told it is used (or to wait a moment).
    return [_post(school.client(), "/auth/reset", **data) for _ in range(WRITERS)], {
        302,
        400,
        429,
    }


def s_auth_delete(school: School) -> tuple[list[Call], set[int]]:
    data = {"password": PASSWORD, "confirm": "y"}
    return [_post(c, "/auth/account/delete", **data) for c in school.learners], {302}


def s_auth_delete_tabs(school: School) -> tuple[list[Call], set[int]]:
    tabs = [_tab_of(school.app, school.learners[0]) for _ in range(WRITERS)]
    data = {"password": PASSWORD, "confirm": "y"}
    # One tab deletes; the others are logged out by then (to the login page) or see a 302.
    return [_post(t, "/auth/account/delete", **data) for t in tabs], {302}


def s_quiz_skip(school: School) -> tuple[list[Call], set[int]]:
    calls = []
    for client in school.learners:
        attempt_id = start_quiz(client, "mixed", "", 5)
        item = current_item(school.app, attempt_id)
        calls.append(_post(client, f"/quiz/{attempt_id}/{item.position}/skip"))
    return calls, {303}


def s_quiz_skip_tabs(school: School) -> tuple[list[Call], set[int]]:
    client = school.learners[0]
    attempt_id = start_quiz(client, "mixed", "", 5)
    item = current_item(school.app, attempt_id)
    tabs = [_tab_of(school.app, client) for _ in range(WRITERS)]
    return [_post(t, f"/quiz/{attempt_id}/{item.position}/skip") for t in tabs], {303}


def _report_data(qid: str) -> dict[str, str]:
    return {"question_id": qid, "reason": "wrong_answer", "text": "Stimmt nicht", "next": "/"}


def s_reports_create(school: School) -> tuple[list[Call], set[int]]:
    qid = school.approved(1)[0]
    return [_post(c, "/reports/", **_report_data(qid)) for c in school.learners], {303}


def s_reports_create_tabs(school: School) -> tuple[list[Call], set[int]]:
    qid = school.approved(1)[0]
    tabs = [_tab_of(school.app, school.learners[0]) for _ in range(WRITERS)]
    return [_post(t, "/reports/", **_report_data(qid)) for t in tabs], {303}


def _reports(school: School, question_ids: list[str]) -> list[int]:
    from quizapp.models import ErrorReport

    with school.app.app_context():
        learner = school.learner_ids()[0]
        rows = [
            ErrorReport(user_id=learner, question_id=q, reason="typo", text="", status="open")
            for q in question_ids
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [r.id for r in rows]


def s_teach_resolve_report(school: School) -> tuple[list[Call], set[int]]:
    ids = _reports(school, school.approved())
    calls = [
        _post(t, f"/teach/reports/{rid}", decision="fixed", response="Danke")
        for t, rid in zip(school.teachers, ids, strict=True)
    ]
    return calls, {303}


def s_teach_resolve_same_report(school: School) -> tuple[list[Call], set[int]]:
    rid = _reports(school, school.approved(1))[0]
    decisions = ["fixed", "rejected", "dismissed"]
    calls = [
        _post(t, f"/teach/reports/{rid}", decision=decisions[i % 3], response="Grund")
        for i, t in enumerate(school.teachers)
    ]
    return calls, {303}


SCENARIOS: dict[str, list[Callable[[School], tuple[list[Call], set[int]]]]] = {
    "auth.login": [s_login],
    "auth.register": [
        s_register,
        s_register_same_name,
        s_register_guest_tabs,
        s_register_with_code,
    ],
    "auth.logout": [s_logout],
    "auth.change_password": [s_change_password],
    "auth.guest": [s_guest],
    "quiz.start": [s_quiz_start, s_quiz_start_visitors],
    "quiz.answer": [s_quiz_answer],
    "cards.decks": [s_cards_decks, s_cards_decks_tabs],
    "cards.settings": [s_cards_settings, s_cards_settings_tabs],
    "cards.rate": [s_cards_rate],
    "cards.undo": [s_cards_undo],
    "cards.check": [s_cards_check],
    "cards.unsuspend": [s_cards_unsuspend],
    "teach.new_question": [s_teach_new_question],
    "teach.edit_question": [s_teach_edit_question, s_teach_edit_same_question],
    "teach.set_status": [s_teach_set_status],
    "teach.decide": [s_teach_decide],
    "teach.bulk_approve": [s_teach_bulk_approve, s_teach_bulk_approve_overlapping],
    "teach.documents": [s_teach_documents],
    "teach.import_questions": [s_teach_import_preview],
    "teach.confirm_import": [s_teach_import_confirm],
    "teach.promote": [s_teach_promote, s_teach_promote_same],
    "teach.demote": [s_teach_demote],
    "teach.reset_code": [s_teach_reset_code],
    "teach.resolve_report": [s_teach_resolve_report, s_teach_resolve_same_report],
    "auth.reset": [s_auth_reset, s_auth_reset_same_code],
    "auth.delete_account": [s_auth_delete, s_auth_delete_tabs],
    "quiz.skip": [s_quiz_skip, s_quiz_skip_tabs],
    "reports.create": [s_reports_create, s_reports_create_tabs],
    "teach.decide_fact": [s_teach_decide_fact],
    "teach.edit_fact": [s_teach_edit_same_fact],
    "classes.join": [s_classes_join, s_classes_join_tabs, s_classes_join_wrong],
    "classes.leave": [s_classes_leave],
    "classes.start": [s_classes_start, s_classes_start_tabs],
    "teach_classes.new": [s_teach_classes_new],
    "teach_classes.edit": [s_teach_classes_edit_same],
    "teach_classes.code": [s_teach_classes_code_same],
    "teach_classes.add_teacher": [s_teach_classes_add_teacher_tabs],
    "teach_classes.remove_member": [s_teach_classes_remove_member],
    "teach_classes.delete": [s_teach_classes_delete, s_teach_classes_delete_same],
    "teach_classes.new_assignment": [s_teach_classes_new_assignment],
    "teach_classes.edit_assignment": [s_teach_classes_edit_assignment_same],
    "teach_classes.delete_assignment": [s_teach_classes_delete_assignment_same],
}
CASES = [(endpoint, s) for endpoint, scenarios in SCENARIOS.items() for s in scenarios]


@pytest.fixture
def school(loaded_app: Flask) -> School:
    school = School(loaded_app)
    for i in range(WRITERS):
        school.learners.append(_logged_in(loaded_app, f"schueler-{i}"))
        school.teachers.append(_logged_in(loaded_app, f"lehrer-{i}", "teacher"))
    return school


def test_every_write_route_has_a_scenario(loaded_app: Flask) -> None:
    writes = {
        rule.endpoint
        for rule in loaded_app.url_map.iter_rules()
        if rule.methods and rule.methods - {"GET", "HEAD", "OPTIONS"}
    }
    assert writes == set(SCENARIOS), "add a scenario for every write route"


@pytest.mark.parametrize(("endpoint", "scenario"), CASES, ids=[s.__name__[2:] for _, s in CASES])
def test_twenty_writers_at_once_get_no_500(school: School, endpoint: str, scenario) -> None:
    calls, ok = scenario(school)
    assert len(calls) == WRITERS
    statuses = _fire(calls)
    assert all(s < 500 for s in statuses), f"{endpoint}: {sorted(statuses)}"
    assert set(statuses) <= ok, f"{endpoint}: {sorted(statuses)}"


def test_guest_registering_from_many_tabs_gets_one_account(school: School) -> None:
    calls, _ = s_register_guest_tabs(school)
    _fire(calls)
    with school.app.app_context():
        names = db.session.scalars(select(User.username).where(User.username == "gast-tabs"))
        assert len(list(names)) == 1
        assert db.session.scalar(select(func.count()).where(User.is_guest)) == 0


def test_many_tabs_joining_make_one_membership(school: School) -> None:
    calls, _ = s_classes_join_tabs(school)
    _fire(calls)
    with school.app.app_context():
        from quizapp.models import ClassMember

        assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 1


def test_many_tabs_starting_begin_no_more_attempts_than_allowed(school: School) -> None:
    from quizapp.models import Attempt

    calls, _ = s_classes_start_tabs(school)
    statuses = _fire(calls)
    assert set(statuses) == {303}
    with school.app.app_context():
        attempts = db.session.scalars(select(Attempt).where(Attempt.assignment_id.is_not(None)))
        assert len(list(attempts)) == 1


def test_adding_a_colleague_from_many_tabs_adds_them_once(school: School) -> None:
    from quizapp.models import ClassTeacher

    calls, _ = s_teach_classes_add_teacher_tabs(school)
    _fire(calls)
    with school.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ClassTeacher)) == 2
