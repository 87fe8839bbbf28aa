"""The review page asks the database little: the next due card is one statement, and the
learner's settings come with the logged-in user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import joinedload

from quizapp.extensions import db
from quizapp.models import CardSettings, CardState, Question, User
from quizapp.services.cards import next_card
from tests.helpers import login_as, make_user


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """Collect the SQL statements sent while the block runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def selects(sent: list[str]) -> list[str]:
    """Return the SELECT statements among those sent."""
    return [s for s in sent if s.lstrip().upper().startswith("SELECT")]


def _due_cards(app, name: str, count: int, settings: bool) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == name))
        questions = db.session.scalars(
            select(Question.id).where(Question.status == "approved").order_by(Question.id)
        ).all()[:count]
        now = datetime.now(UTC)
        for i, qid in enumerate(questions):
            db.session.add(
                CardState(
                    user_id=user.id,
                    question_id=qid,
                    state="review",
                    stability=3.0,
                    difficulty=5.0,
                    due=now - timedelta(days=i + 1),
                    reps=2,
                    last_review=now - timedelta(days=10),
                )  # fmt: skip
            )
        if settings:
            db.session.add(CardSettings(user_id=user.id, reviews_per_day=500))
        db.session.commit()
        return user.id


@pytest.mark.parametrize("saved_settings", [False, True])
def test_the_next_due_card_is_one_statement(loaded_app, saved_settings) -> None:
    make_user(loaded_app, "lotte")
    user_id = _due_cards(loaded_app, "lotte", 3, saved_settings)
    with loaded_app.app_context():
        # As the login does: the user with the settings, in one statement
        # (held, as Flask-Login holds current_user: the identity map keeps objects weakly)
        user = db.session.get(User, user_id, options=[joinedload(User.card_settings)])
        with statements(loaded_app) as sent:
            nxt = next_card(db.session, user_id, datetime.now(UTC))
        assert nxt.card is not None and nxt.question is not None
        assert len(nxt.question.choices) == len(
            db.session.scalars(select(Question).where(Question.id == nxt.question.id)).one().choices
        )
        # The most overdue card comes first.
        assert nxt.card.due == min(
            db.session.scalars(select(CardState.due).where(CardState.user_id == user_id))
        )
        assert user.card_settings is None or user.card_settings.reviews_per_day == 500
    assert len(sent) == 1, sent


def test_the_review_page_sends_few_statements(loaded_app, loaded_client) -> None:
    make_user(loaded_app, "lotte")
    _due_cards(loaded_app, "lotte", 3, settings=False)
    login_as(loaded_client, "lotte")
    loaded_client.get("/cards/review")  # warm: templates compiled, statements cached
    with statements(loaded_app) as sent:
        page = loaded_client.get("/cards/review")
    assert page.status_code == 200 and 'id="flip"' in page.get_data(as_text=True)
    # The user with its settings, then the next card with today's counts, its question, topic
    # and options (SQLite's BEGIN is not a round trip).
    assert len(selects(sent)) == 2, sent


def test_a_new_card_front_back_and_rating_send_few_statements(loaded_app, loaded_client) -> None:
    make_user(loaded_app, "lotte")
    login_as(loaded_client, "lotte")
    loaded_client.get("/cards/review")  # warm
    with statements(loaded_app) as sent:
        front = loaded_client.get("/cards/review").get_data(as_text=True)
    # The user; today's counts with the card chosen (the first new one: none is due), its
    # topic, source sentence and options.
    assert len(selects(sent)) == 2, sent
    show = re.search(r'href="(/cards/review\?show=[^"]+)"', front).group(1).replace("&amp;", "&")
    with statements(loaded_app) as sent:
        back = loaded_client.get(show).get_data(as_text=True)
    assert 'name="rating"' in back
    assert len(selects(sent)) == 2, sent  # the source sentence came with the question
    question_id = re.search(r'name="question_id"[^>]*value="([^"]+)"', back).group(1)
    with statements(loaded_app) as sent:
        rated = loaded_client.post(
            "/cards/rate", data={"question_id": question_id, "version": "0", "rating": "3"}
        )
    assert rated.status_code == 303
    # The user, then the question's status with the card; the settings came with the user.
    assert len(selects(sent)) == 2, sent
    with loaded_app.app_context():
        card = db.session.scalar(select(CardState).where(CardState.question_id == question_id))
        assert card is not None and card.reps == 1
