"""Skipping a question and coming back to it; keyboard hints only where they apply; a way
back from a source document to the question."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz


@pytest.fixture
def learner(loaded_app: Flask, loaded_client):
    make_user(loaded_app, "anna")
    login_as(loaded_client, "anna")
    return loaded_client


def _state(app: Flask, attempt_id: int) -> str:
    with app.app_context():
        return db.session.get(Attempt, attempt_id).state


def test_a_skipped_question_comes_back_before_the_quiz_ends(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    first = current_item(loaded_app, attempt_id)
    page = learner.get(f"/quiz/{attempt_id}").get_data(as_text=True)
    assert "Überspringen" in page and f"/quiz/{attempt_id}/{first.position}/skip" in page
    response = learner.post(f"/quiz/{attempt_id}/{first.position}/skip")
    assert response.status_code == 303
    assert "kommt später noch einmal" in learner.get(f"/quiz/{attempt_id}").get_data(as_text=True)
    order = []
    while (item := current_item(loaded_app, attempt_id)) is not None:
        order.append(item.position)
        if item.position != first.position:
            # Answering the skipped one before its turn is refused: it is not current.
            early = learner.post(f"/quiz/{attempt_id}/{first.position}", data=answer_data(first))
            assert early.status_code == 400
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
        if item.position != first.position:
            assert _state(loaded_app, attempt_id) == "in_progress"
    assert order == [1, 2, 3, 4, 0]
    assert _state(loaded_app, attempt_id) == "finished"


def test_the_last_open_question_cannot_be_skipped(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    for _ in range(4):
        item = current_item(loaded_app, attempt_id)
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    last = current_item(loaded_app, attempt_id)
    page = learner.get(f"/quiz/{attempt_id}").get_data(as_text=True)
    assert "Überspringen" not in page
    response = learner.post(f"/quiz/{attempt_id}/{last.position}/skip", follow_redirects=True)
    assert "letzte offene Frage" in response.get_data(as_text=True)
    assert current_item(loaded_app, attempt_id).position == last.position


def test_skipping_twice_cycles_and_other_learners_cannot_skip(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    for expected in ([1, 2, 3, 4, 0], [2, 3, 4, 0, 1]):
        now = current_item(loaded_app, attempt_id)
        learner.post(f"/quiz/{attempt_id}/{now.position}/skip")
        assert current_item(loaded_app, attempt_id).position == expected[0]
    make_user(loaded_app, "ben")
    ben = loaded_app.test_client()
    login_as(ben, "ben")
    assert ben.post(f"/quiz/{attempt_id}/0/skip").status_code == 404
    assert learner.post(f"/quiz/{attempt_id}/99/skip").status_code == 404
    # A skip of a question that is not the current one changes nothing.
    learner.post(f"/quiz/{attempt_id}/4/skip")
    assert current_item(loaded_app, attempt_id).position == 2


def test_keyboard_hints_only_for_kinds_that_digit_keys_answer(loaded_app, learner) -> None:
    seen = set()
    for _ in range(6):
        attempt_id = start_quiz(learner, "mixed", "", 50)
        while (item := current_item(loaded_app, attempt_id)) is not None:
            kind = item.question.kind
            page = learner.get(f"/quiz/{attempt_id}").get_data(as_text=True)
            has_keys = 'class="muted keys"' in page
            assert has_keys == (kind in ("single_choice", "true_false", "multiple_choice")), kind
            seen.add(kind)
            learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
        if {"typed", "ordering", "single_choice"} <= seen:
            break
    assert {"typed", "single_choice"} <= seen


def test_a_source_link_leads_back_to_the_question(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner)
    while (item := current_item(loaded_app, attempt_id)) is not None:
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
        if item.question.sentence is not None:
            break
    feedback_url = f"/quiz/{attempt_id}/{item.position}/feedback"
    page = learner.get(feedback_url).get_data(as_text=True)
    assert f"back={feedback_url}" in page
    doc = learner.get(
        f"/documents/{item.question.document_id}?hl={item.question.sentence.position}"
        f"&back={feedback_url}"
    ).get_data(as_text=True)
    assert f'href="{feedback_url}"' in doc and "Zurück zur Frage" in doc
    outside = learner.get(f"/documents/{item.question.document_id}?back=https://evil.example/")
    assert "Zurück zur Frage" not in outside.get_data(as_text=True)


def test_finished_attempts_keep_their_order_in_the_results(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "mixed", "", 5)
    learner.post(f"/quiz/{attempt_id}/0/skip")
    while (item := current_item(loaded_app, attempt_id)) is not None:
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    with loaded_app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.id == attempt_id))
        assert [i.position for i in attempt.items] == [0, 1, 2, 3, 4]
    results = learner.get(f"/quiz/{attempt_id}/results")
    assert results.status_code == 200
