"""Taking quizzes over HTTP: every kind, exactly-once answers, and bad input refused."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.bank.types import KINDS
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, CardState, Document, Question, ReviewLog
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz


@pytest.fixture
def learner(loaded_app: Flask, loaded_client):
    make_user(loaded_app, "anna")
    login_as(loaded_client, "anna")
    return loaded_client


def _answered(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AttemptItem).where(AttemptItem.answered_at.isnot(None))
        )


def _document_ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Document.id).order_by(Document.id)))


def test_catalogue_lists_documents_topics_and_counts(loaded_client) -> None:
    page = loaded_client.get("/quiz/").get_data(as_text=True)
    assert "Wähle ein Quiz" in page
    assert "Nach Dokument" in page and "Nach Thema" in page
    assert "Der Friede von Portsmouth" in page
    assert re.search(r"\d+ Fragen", page)


def test_every_kind_can_be_answered_right_with_feedback_and_results(loaded_app, learner) -> None:
    seen_kinds = set()
    for document_id in _document_ids(loaded_app):
        attempt_id = start_quiz(learner, "document", str(document_id), 50)
        while (item := current_item(loaded_app, attempt_id)) is not None:
            page = learner.get(f"/quiz/{attempt_id}")
            assert page.status_code == 200
            assert f"Frage {item.position + 1} von" in page.get_data(as_text=True)
            response = learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
            assert response.status_code == 303, response.get_data(as_text=True)
            feedback = learner.get(response.headers["Location"]).get_data(as_text=True)
            assert "Richtig!" in feedback, (item.question.kind, item.question.id)
            if item.question.sentence is not None:
                assert f"hl={item.question.sentence.position}" in feedback
            seen_kinds.add(item.question.kind)
        results = learner.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
        assert "Ergebnis" in results and "Benötigte Zeit" in results
        with loaded_app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.finished and attempt.score == len(attempt.items)
    assert seen_kinds == set(KINDS)


def test_wrong_answers_are_marked_and_show_the_right_one(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    response = learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, False))
    feedback = learner.get(response.headers["Location"]).get_data(as_text=True)
    if item.question.kind == "matching":  # a table: each pair next to the right one
        assert '<th scope="col">Richtig</th>' in feedback
    else:
        assert "Richtige Antwort" in feedback
    assert "Leider falsch" in feedback or "Teilweise richtig" in feedback
    assert "Richtig!" not in feedback


def test_double_submit_keeps_the_first_answer(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    url = f"/quiz/{attempt_id}/{item.position}"
    assert learner.post(url, data=answer_data(item, right=False)).status_code == 303
    again = learner.post(url, data=answer_data(item, right=True))
    assert again.status_code == 303
    with loaded_app.app_context():
        stored = db.session.get(AttemptItem, item.id)
        assert stored.correct is False
    assert _answered(loaded_app) == 1
    page = learner.get(again.headers["Location"]).get_data(as_text=True)
    assert "schon beantwortet" in page


def test_a_question_withdrawn_during_the_quiz_is_still_answered_without_a_card(
    loaded_app, learner
) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    with loaded_app.app_context():  # a teacher rejects the question meanwhile
        db.session.get(Question, item.question_id).status = "rejected"
        db.session.commit()
    response = learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    assert response.status_code == 303 and response.headers["Location"].endswith("/feedback")
    with loaded_app.app_context():
        assert db.session.get(AttemptItem, item.id).correct is True
        logs = select(func.count()).select_from(ReviewLog)
        assert db.session.scalar(logs.where(ReviewLog.attempt_item_id == item.id)) == 0
        cards = select(func.count()).select_from(CardState)
        assert db.session.scalar(cards.where(CardState.question_id == item.question_id)) == 0


def test_answering_a_later_question_is_refused(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    response = learner.post(f"/quiz/{attempt_id}/{item.position + 2}", data={"text": "x"})
    assert response.status_code == 400
    assert "Weiter mit Frage 1" in response.get_data(as_text=True)
    assert _answered(loaded_app) == 0


def test_forged_choice_and_unknown_position_are_refused(loaded_app, learner) -> None:
    with loaded_app.app_context():
        doc = db.session.scalar(
            select(Question.document_id).where(
                Question.kind == "single_choice", Question.status == "approved"
            )
        )
    # A quiz leaves out questions that give another's answer away, now and then every single
    # choice of the document: start another until one is drawn.
    attempt_id = start_quiz(learner, "document", str(doc), 50)
    while (
        item := current_item(loaded_app, attempt_id)
    ) is None or item.question.kind != "single_choice":
        if item is None:
            attempt_id = start_quiz(learner, "document", str(doc), 50)
            continue
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    before = _answered(loaded_app)
    url = f"/quiz/{attempt_id}/{item.position}"
    assert learner.post(url, data={"choice": "99"}).status_code == 400
    assert learner.post(url, data={"choice": "1 OR 1=1"}).status_code == 400
    assert learner.post(f"/quiz/{attempt_id}/999", data={"choice": "1"}).status_code == 404
    assert _answered(loaded_app) == before


def test_ordering_with_a_repeated_position_asks_again(loaded_app, learner) -> None:
    with loaded_app.app_context():
        doc = db.session.scalar(
            select(Question.document_id).where(
                Question.kind == "ordering", Question.status == "approved"
            )
        )
    # A quiz holds at most 50 of the document's questions: start another until one is drawn.
    attempt_id = start_quiz(learner, "document", str(doc), 50)
    while (
        item := current_item(loaded_app, attempt_id)
    ) is None or item.question.kind != "ordering":
        if item is None:
            attempt_id = start_quiz(learner, "document", str(doc), 50)
            continue
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    before = _answered(loaded_app)
    n = len(item.choice_order)
    data = {f"rank_{i}": "1" for i in range(1, n + 1)}
    response = learner.post(f"/quiz/{attempt_id}/{item.position}", data=data)
    assert response.status_code == 400
    assert "nur einmal" in response.get_data(as_text=True)
    assert _answered(loaded_app) == before


def test_unanswered_question_page_does_not_reveal_the_answer(loaded_app, learner) -> None:
    for document_id in _document_ids(loaded_app):
        attempt_id = start_quiz(learner, "document", str(document_id), 50)
        while (item := current_item(loaded_app, attempt_id)) is not None:
            page = learner.get(f"/quiz/{attempt_id}").get_data(as_text=True)
            form = page[page.index('<form method="post" action="/quiz/') :]
            assert "correct" not in form.lower()
            assert "data-" not in form
            assert "<!--" not in page
            question = item.question
            if question.kind in ("typed", "cloze", "date", "numerical"):
                assert question.answer not in form, question.id
            if question.kind == "ordering":
                assert question.answer not in page
            learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))


def test_another_learners_attempt_is_404(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    make_user(loaded_app, "bert")
    other = loaded_app.test_client()
    login_as(other, "bert")
    assert other.get(f"/quiz/{attempt_id}").status_code == 404
    assert other.get(f"/quiz/{attempt_id}/results").status_code == 404
    response = other.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    assert response.status_code == 404
    assert _answered(loaded_app) == 0


def test_resume_and_history_with_topic_mastery(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    catalogue = learner.get("/quiz/").get_data(as_text=True)
    assert "Angefangene Quizze" in catalogue and f"/quiz/{attempt_id}" in catalogue
    history = learner.get("/quiz/history").get_data(as_text=True)
    assert "nicht beendet" in history
    assert "Beherrschung nach Thema" in history
    while (item := current_item(loaded_app, attempt_id)) is not None:
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    history = learner.get("/quiz/history").get_data(as_text=True)
    assert "100\u00a0%" in history


def test_weak_spots_quiz_contains_missed_questions(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    missed = []
    while (item := current_item(loaded_app, attempt_id)) is not None:
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, False))
        missed.append(item.question_id)
    assert "Schwachstellen üben" in learner.get("/quiz/").get_data(as_text=True)
    weak_id = start_quiz(learner, "weak", "", 10)
    with loaded_app.app_context():
        attempt = db.session.get(Attempt, weak_id)
        assert sorted(i.question_id for i in attempt.items) == sorted(missed)


def test_unknown_quiz_selection_changes_nothing(loaded_app, learner) -> None:
    response = learner.post("/quiz/start", data={"mode": "document", "key": "9999"})
    assert response.status_code == 302
    assert "keine freigegebenen Fragen" in learner.get("/quiz/").get_data(as_text=True)
    assert learner.post("/quiz/start", data={"mode": "hack", "key": ""}).status_code == 302
    with loaded_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_only_approved_questions_reach_learners(loaded_app, learner) -> None:
    for document_id in _document_ids(loaded_app):
        attempt_id = start_quiz(learner, "document", str(document_id), 50)
        with loaded_app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert {i.question.status for i in attempt.items} == {"approved"}


def test_expired_csrf_token_keeps_the_answer(make_db, tmp_path) -> None:
    from tests.conftest import _make_app

    app = _make_app(make_db("loaded"), tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/quiz/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    response = client.post(
        "/quiz/start", data={"mode": "mixed", "length": "5", "csrf_token": token}
    )
    attempt_id = int(response.headers["Location"].split("/")[-1])
    item = current_item(app, attempt_id)
    data = {"text": "Mein Text", "choice": "1"} | answer_data(item)
    data["csrf_token"] = "expired-or-forged"
    response = client.post(f"/quiz/{attempt_id}/{item.position}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "zu lange geöffnet" in page
    assert item.question.prompt in page
    assert _answered(app) == 0
    fresh = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    data["csrf_token"] = fresh
    retry = client.post(f"/quiz/{attempt_id}/{item.position}", data=data)
    assert retry.status_code == 303
    assert _answered(app) == 1
    with app.app_context():
        db.engine.dispose()
