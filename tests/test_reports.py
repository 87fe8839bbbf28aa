"""Learners report errors in questions; teachers fix, reject or dismiss; learners see it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import ErrorReport, Question
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz


@pytest.fixture
def people(loaded_app):
    make_user(loaded_app, "anna")
    make_user(loaded_app, "ben")
    make_user(loaded_app, "frau-meier", role="teacher")
    clients = {name: loaded_app.test_client() for name in ("anna", "ben", "frau-meier")}
    for name, client in clients.items():
        login_as(client, name)
    return clients


def _answered(app, client, right: bool = False):
    """Answer the first question of a new quiz; return the item (with the question's id)."""
    attempt_id = start_quiz(client, "mixed", "", 5)
    item = current_item(app, attempt_id)
    client.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, right=right))
    return attempt_id, item


def _reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ErrorReport))


def test_a_report_from_the_quiz_feedback_reaches_the_teachers_queue(loaded_app, people) -> None:
    anna, teacher = people["anna"], people["frau-meier"]
    attempt_id, item = _answered(loaded_app, anna)
    feedback_url = f"/quiz/{attempt_id}/{item.position}/feedback"
    page = anna.get(feedback_url).get_data(as_text=True)
    assert "Fehler in dieser Frage melden" in page and 'action="/reports/"' in page
    data = {
        "question_id": item.question_id,
        "item_id": str(item.id),
        "reason": "wrong_answer",
        "text": "Der Vertrag wurde am 5. September unterzeichnet, nicht im August.",
        "next": feedback_url,
    }
    response = anna.post("/reports/", data=data)
    assert response.status_code == 303 and response.headers["Location"] == feedback_url
    assert "Danke! Deine Meldung" in anna.get(feedback_url).get_data(as_text=True)
    queue = teacher.get("/teach/reports").get_data(as_text=True)
    with loaded_app.app_context():
        question = db.session.get(Question, item.question_id)
        stored = db.session.scalar(select(ErrorReport))
        assert stored.answer_text and stored.answer_text in queue  # the learner's answer
        assert stored.attempt_item_id == item.id
        prompt, sentence = question.prompt, question.sentence
        if sentence is not None:
            assert "<mark>" in queue and sentence.text[:30] in queue  # the source sentence
    assert prompt in queue and "nicht im August" in queue and "anna" in queue


def test_an_empty_text_is_fine_and_an_overlong_one_is_refused_in_german(loaded_app, people) -> None:
    anna = people["anna"]
    _, item = _answered(loaded_app, anna)
    ok = anna.post("/reports/", data={"question_id": item.question_id, "reason": "unclear"})
    assert ok.status_code == 303 and _reports(loaded_app) == 1
    _, other = _answered(loaded_app, people["ben"])
    long = {"question_id": other.question_id, "reason": "other", "text": "x" * 1001}
    refused = people["ben"].post("/reports/", data=long)
    assert refused.status_code == 400
    assert "höchstens 1000 Zeichen" in refused.get_data(as_text=True)
    assert _reports(loaded_app) == 1


def test_bad_report_input_stores_nothing(loaded_app, people) -> None:
    anna, ben = people["anna"], people["ben"]
    _, item = _answered(loaded_app, anna)
    cases = [
        {"question_id": "gibt-es-nicht", "reason": "typo"},
        {"question_id": item.question_id, "reason": "erfunden"},
        # ben names anna's answer: not his, refused.
        {"question_id": item.question_id, "reason": "typo", "item_id": str(item.id)},
    ]
    for data in cases:
        assert ben.post("/reports/", data=data).status_code == 400, data
    assert anna.post("/reports/", data={}).status_code == 400
    assert _reports(loaded_app) == 0
    # An outside ``next`` never becomes a redirect target.
    data = {"question_id": item.question_id, "reason": "typo", "next": "https://evil.example/"}
    response = anna.post("/reports/", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/reports/"


def test_a_second_open_report_on_the_same_question_is_not_stored(loaded_app, people) -> None:
    anna = people["anna"]
    _, item = _answered(loaded_app, anna)
    data = {"question_id": item.question_id, "reason": "typo"}
    anna.post("/reports/", data=data)
    again = anna.post("/reports/", data=data, follow_redirects=True)
    assert "schon gemeldet" in again.get_data(as_text=True)
    assert _reports(loaded_app) == 1


def test_a_report_from_a_cards_back_side_carries_the_typed_answer(loaded_app, people) -> None:
    anna = people["anna"]
    page = anna.get("/cards/review").get_data(as_text=True)
    qid = re.search(r'href="/cards/review\?show=([^"]+)"', page).group(1)
    back = anna.get(f"/cards/review?show={qid}").get_data(as_text=True)
    assert "Fehler in dieser Frage melden" in back
    assert f'name="next" value="/cards/review?show={qid}"' in back
    data = {
        "question_id": qid,
        "reason": "typo",
        "answer": "Portsmuth",
        "next": f"/cards/review?show={qid}",
    }
    assert anna.post("/reports/", data=data).status_code == 303
    with loaded_app.app_context():
        assert db.session.scalar(select(ErrorReport.answer_text)) == "Portsmuth"


def _report(app, client, reason: str = "wrong_answer") -> tuple[int, str]:
    _, item = _answered(app, client)
    client.post("/reports/", data={"question_id": item.question_id, "reason": reason})
    with app.app_context():
        report = db.session.scalar(
            select(ErrorReport).where(ErrorReport.question_id == item.question_id)
        )
        return report.id, item.question_id


def test_fixing_closes_every_open_report_on_the_question(loaded_app, people) -> None:
    anna, ben, teacher = people["anna"], people["ben"], people["frau-meier"]
    rid, qid = _report(loaded_app, anna)
    ben.post("/reports/", data={"question_id": qid, "reason": "unclear"})
    queue = teacher.get("/teach/reports").get_data(as_text=True)
    assert "2 offene Meldungen zu dieser Frage" in queue
    response = teacher.post(
        f"/teach/reports/{rid}", data={"decision": "fixed", "response": "Datum korrigiert."}
    )
    assert response.status_code == 303
    assert "2 Meldungen als behoben markiert" in teacher.get("/teach/reports").get_data(
        as_text=True
    )
    mine = anna.get("/reports/").get_data(as_text=True)
    assert "behoben – danke!" in mine and "Datum korrigiert." in mine
    assert "behoben" in anna.get("/").get_data(as_text=True)  # on the learner's desk too
    assert "behoben" in ben.get("/reports/").get_data(as_text=True)
    again = teacher.post(f"/teach/reports/{rid}", data={"decision": "dismissed"})
    assert again.status_code == 303  # decided already: nothing changes
    with loaded_app.app_context():
        assert db.session.get(ErrorReport, rid).status == "fixed"


def test_rejecting_needs_a_reason_and_takes_the_question_out(loaded_app, people) -> None:
    anna, teacher = people["anna"], people["frau-meier"]
    rid, qid = _report(loaded_app, anna)
    no_reason = teacher.post(f"/teach/reports/{rid}", data={"decision": "rejected"})
    assert no_reason.status_code == 303
    with loaded_app.app_context():
        assert db.session.get(ErrorReport, rid).status == "open"
    teacher.post(
        f"/teach/reports/{rid}", data={"decision": "rejected", "response": "Zwei Antworten passen."}
    )
    with loaded_app.app_context():
        assert db.session.get(Question, qid).status == "rejected"
        assert db.session.get(Question, qid).review_reason == "Zwei Antworten passen."
    assert "aus dem Bestand genommen" in anna.get("/reports/").get_data(as_text=True)


def test_dismissing_tells_the_learner_no_error_was_found(loaded_app, people) -> None:
    anna, teacher = people["anna"], people["frau-meier"]
    rid, qid = _report(loaded_app, anna)
    teacher.post(
        f"/teach/reports/{rid}", data={"decision": "dismissed", "response": "Steht so im Text."}
    )
    mine = anna.get("/reports/").get_data(as_text=True)
    assert "kein Fehler gefunden" in mine and "Steht so im Text." in mine
    with loaded_app.app_context():
        assert db.session.get(Question, qid).status == "approved"
    assert teacher.post(f"/teach/reports/{rid}", data={"decision": "erfunden"}).status_code == 400
    assert teacher.post("/teach/reports/999999", data={"decision": "fixed"}).status_code == 404
    assert (
        people["anna"].post(f"/teach/reports/{rid}", data={"decision": "fixed"}).status_code == 403
    )
