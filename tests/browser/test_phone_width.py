"""Every question of the shipped bank fits a phone 390 px wide, on its question page and on
the results page of a quiz that asked them all, without the page scrolling sideways.

The tour (test_tour.py) looks at one random quiz; which questions it draws changes from run
to run, and a long word ("Waffenstillstandsverhandlungen" in a 1.2rem prompt) or the hidden
"(nicht richtig)" of a matching table's cell widened the page only when one was drawn.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from quizapp.answers import grade_submission
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Question, User
from quizapp.services import quiz as quizzes
from tests.browser.day_helpers import add_user, login
from tests.conftest import _dispose, _make_app

pytestmark = pytest.mark.browser

WIDTH = 390
SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
#: Some answer to every kind: the first option, "1905", ranks in shown order, all first targets.
SOME_ANSWER = MultiDict(
    {"choice": "1", "text": "1905", "confirm_empty": "1"}
    | {f"rank_{n}": str(n) for n in range(1, 13)}
    | {f"match_{n}": "1" for n in range(1, 13)}
)


def _attempts(db_url: str, tmp_path: Path, name: str) -> tuple[int, list[tuple[str, int]]]:
    """Store a finished attempt at every approved question, and one open attempt per
    question; return the finished one's id and (question id, attempt id) pairs."""
    app = _make_app(db_url, tmp_path)
    now = datetime.now(UTC)
    try:
        with app.test_request_context("/"):
            session = db.session
            user_id = session.scalar(select(User.id).where(User.username == name))
            kinds = dict(
                session.execute(
                    select(Question.id, Question.kind)
                    .where(Question.status == "approved")
                    .order_by(Question.id)
                ).all()
            )
            items = quizzes.with_choices(session, list(kinds), kinds, random.Random(7))
            begin_write(session)
            everything = quizzes.Draw("mixed", "Alle Fragen", None, None, items)
            finished = quizzes.start_attempt(session, user_id, everything, now)
            single = [
                (item[0], quizzes.start_attempt(session, user_id, draw, now))
                for item in items
                for draw in [quizzes.Draw("mixed", "Eine Frage", None, None, [item])]
            ]
            session.commit()
            for position in range(len(items)):
                slot = quizzes.load_slot(session, finished, position)
                data = SOME_ANSWER.copy()
                if slot.spec.kind == "true_false":
                    data["choice"] = "wahr"
                begin_write(session)
                assert quizzes.record_answer(
                    session, slot.item_id, grade_submission(slot.spec, data), now
                )
                session.commit()
            begin_write(session)
            quizzes.finish_if_complete(session, finished, now)
            session.commit()
    finally:
        _dispose(app)
    return finished, single


def test_every_question_fits_a_phone(browser: Browser, live_server, tmp_path: Path) -> None:
    base, db_url = live_server
    add_user(db_url, "anna")
    finished, single = _attempts(db_url, tmp_path, "anna")
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale="de-DE")
    page = context.new_page()
    login(page, base, "anna")

    page.goto(f"{base}/quiz/{finished}/results")
    assert page.locator("ol.results > li").count() == len(single)
    assert not page.evaluate(SIDEWAYS), "the results page of every question scrolls sideways"

    wide = []
    for question_id, attempt_id in single:
        page.goto(f"{base}/quiz/{attempt_id}")
        if page.evaluate(SIDEWAYS):
            wide.append(question_id)
    context.close()
    assert not wide, f"question pages that scroll sideways at {WIDTH} px: {wide}"
