"""A quiz asks the database little: a question page and a feedback page are three statements
each, starting a quiz stores its items with one statement."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AttemptItem, Document
from tests.cards.test_round_trips import selects, statements
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz


def test_start_question_and_feedback_send_few_statements(loaded_app, loaded_client) -> None:
    make_user(loaded_app, "mira")
    login_as(loaded_client, "mira")
    with loaded_app.app_context():
        document_id = db.session.scalar(select(func.min(Document.id)))
    start_quiz(loaded_client, "document", str(document_id), 10)  # warm
    with statements(loaded_app) as sent:
        attempt_id = start_quiz(loaded_client, "document", str(document_id), 10)
    item_inserts = [s for s in sent if s.lstrip().upper().startswith("INSERT INTO ATTEMPT_ITEM")]
    assert len(item_inserts) == 1, sent
    with loaded_app.app_context():
        positions = db.session.scalars(
            select(AttemptItem.position)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        ).all()
    assert positions == list(range(10))

    with statements(loaded_app) as sent:
        page = loaded_client.get(f"/quiz/{attempt_id}")
    assert page.status_code == 200 and "Frage 1 von 10" in page.get_data(as_text=True)
    # The user; the attempt with its items; the question with its options.
    assert len(selects(sent)) == 3, sent

    item = current_item(loaded_app, attempt_id)
    answered = loaded_client.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    assert answered.status_code == 303
    with statements(loaded_app) as sent:
        feedback = loaded_client.get(answered.headers["Location"]).get_data(as_text=True)
    assert "Richtig!" in feedback
    if item.question.sentence is not None:
        assert str(escape(item.question.sentence.text[:40])) in feedback
    # The user; the attempt with its items; the question with options, sentence, document.
    assert len(selects(sent)) == 3, sent
