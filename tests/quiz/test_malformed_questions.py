"""A quiz never breaks on a malformed question: it is skipped, and the teacher is told.

Imports are checked now, but questions stored before (or changed in the database by hand)
may still be broken; a learner who draws one must be able to finish the quiz.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from quizapp.answers import Option, Spec, unplayable
from quizapp.extensions import db
from quizapp.models import Attempt, Choice, Question
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz


def _break(app: Flask, kind: str, how: str) -> str:
    """Make one approved question of this kind malformed and the only approved one."""
    with app.app_context():
        qid = db.session.scalar(
            select(Question.id)
            .where(Question.kind == kind, Question.status == "approved")
            .order_by(Question.id)
        )
        if how == "no_correct":
            db.session.execute(
                update(Choice).where(Choice.question_id == qid).values(correct=False)
            )
        elif how == "no_options":
            db.session.execute(Choice.__table__.delete().where(Choice.question_id == qid))
        elif how == "one_item":
            first = db.session.scalar(select(func_min_position(qid)))
            db.session.execute(
                Choice.__table__.delete().where(Choice.question_id == qid, Choice.position != first)
            )
        else:
            db.session.execute(update(Question).where(Question.id == qid).values(answer=how))
        db.session.execute(
            update(Question)
            .where(Question.id != qid, Question.status == "approved")
            .values(status="retired")
        )
        db.session.commit()
    return qid


def func_min_position(qid: str):
    from sqlalchemy import func

    return select(func.min(Choice.position)).where(Choice.question_id == qid).scalar_subquery()


@pytest.fixture
def learner(loaded_app: Flask, loaded_client: FlaskClient) -> FlaskClient:
    make_user(loaded_app, "mira")
    login_as(loaded_client, "mira")
    return loaded_client


BROKEN = [
    ("single_choice", "no_correct"),
    ("single_choice", "no_options"),
    ("true_false", "vielleicht"),
    ("numerical", "ungefähr viele"),
    ("ordering", "one_item"),
]


@pytest.mark.parametrize(("kind", "how"), BROKEN, ids=[f"{k}-{h}" for k, h in BROKEN])
def test_a_learner_who_answers_a_broken_question_goes_on(loaded_app, learner, kind, how) -> None:
    qid = _break(loaded_app, kind, how)
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    assert item.question_id == qid
    # The page was open before the question broke: the learner answers it anyway.
    data = {"choice": "1", "text": "42", "rank_1": "1"}
    response = learner.post(f"/quiz/{attempt_id}/{item.position}", data=data)
    assert response.status_code == 303
    results = learner.get(f"/quiz/{attempt_id}", follow_redirects=True)
    assert results.status_code == 200
    page = results.get_data(as_text=True)
    assert "übersprungen" in page
    with loaded_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished and attempt.items[0].note == "skipped"


@pytest.mark.parametrize(("kind", "how"), BROKEN[:3], ids=[f"{k}-{h}" for k, h in BROKEN[:3]])
def test_a_broken_question_is_skipped_when_its_page_is_opened(
    loaded_app, learner, kind, how
) -> None:
    _break(loaded_app, kind, how)
    attempt_id = start_quiz(learner, "mixed", "", 5)
    response = learner.get(f"/quiz/{attempt_id}", follow_redirects=True)
    assert response.status_code == 200
    assert "übersprungen" in response.get_data(as_text=True)
    assert learner.get("/quiz/history").status_code == 200


def test_a_skipped_question_does_not_count_against_the_learner(loaded_app, learner) -> None:
    broken = _break(loaded_app, "true_false", "vielleicht")
    with loaded_app.app_context():
        good = db.session.scalar(
            select(Question.id).where(Question.kind == "typed", Question.status == "retired")
        )
        db.session.execute(update(Question).where(Question.id == good).values(status="approved"))
        db.session.commit()
    attempt_id = start_quiz(learner, "mixed", "", 5)
    while (item := current_item(loaded_app, attempt_id)) is not None:
        if item.question_id == broken:
            learner.get(f"/quiz/{attempt_id}")
        else:
            learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    page = learner.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "1,0 von 1 Punkten" in page and "übersprungen" in page


def test_the_teacher_is_told_about_skipped_questions(loaded_app, learner) -> None:
    qid = _break(loaded_app, "single_choice", "no_correct")
    attempt_id = start_quiz(learner, "mixed", "", 5)
    learner.get(f"/quiz/{attempt_id}")
    make_user(loaded_app, "frau-meier", role="teacher")
    teacher = loaded_app.test_client()
    login_as(teacher, "frau-meier")
    index = teacher.get("/teach/").get_data(as_text=True)
    assert "im Quiz übersprungen" in index and f"/teach/questions/{qid}" in index
    page = teacher.get(f"/teach/questions/{qid}").get_data(as_text=True)
    assert "1-mal im Quiz übersprungen" in page
    assert "Mindestens eine Antwort muss die volle Punktzahl geben" in page
    assert teacher.get("/teach/analysis").status_code == 200


def _spec(kind: str, answer: str = "x", options: tuple[Option, ...] = (), **extra) -> Spec:
    return Spec(kind, answer, (), options, extra)


def _options(*flags: bool, match: str | None = None) -> tuple[Option, ...]:
    return tuple(Option(i, f"o{i}", f, i, match=match) for i, f in enumerate(flags, 1))


@pytest.mark.parametrize(
    ("spec", "broken"),
    [
        (_spec("single_choice", options=_options(True, False)), False),
        (_spec("single_choice", options=_options(False, False)), True),
        (_spec("single_choice", options=_options(True)), True),
        (_spec("multiple_choice", options=_options(True, False)), False),
        (_spec("multiple_choice", options=_options(False, False)), True),
        (_spec("true_false", "falsch"), False),
        (_spec("true_false", "vielleicht"), True),
        (_spec("typed", ""), True),
        (_spec("cloze", "Portsmouth"), False),
        (_spec("date", "5. September 1905"), False),
        (_spec("numerical", "1905"), False),
        (_spec("numerical", "viele"), True),
        (_spec("numerical", "", min="1", max="2"), False),
        (_spec("ordering", options=_options(True, True)), False),
        (_spec("ordering", options=_options(True)), True),
        (_spec("matching", options=_options(True, True, match="m")), False),
        (_spec("matching", options=_options(True, True)), True),
        (_spec("essay"), True),
    ],
)
def test_unplayable_says_which_questions_cannot_be_asked(spec: Spec, broken: bool) -> None:
    assert (unplayable(spec) is not None) == broken
