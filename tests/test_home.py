"""The home page as a desk: what a visitor, a learner and a teacher do next."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update

from quizapp.extensions import db
from quizapp.models import Question, Topic
from quizapp.services.desk import short_title
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz


def test_a_visitor_can_start_a_quiz_or_flashcards_at_once(loaded_client) -> None:
    page = loaded_client.get("/").get_data(as_text=True)
    assert "Gleich loslegen" in page
    assert 'action="/quiz/start"' in page and 'name="mode" value="mixed"' in page
    assert 'action="/auth/guest?next=/cards/review"' in page
    response = loaded_client.post("/auth/guest?next=/cards/review")
    assert response.headers["Location"].endswith("/cards/review")
    assert "Antwort zeigen" in loaded_client.get("/cards/review").get_data(as_text=True)


def test_a_learner_sees_continue_cards_due_weak_topics_and_streak(loaded_app) -> None:
    make_user(loaded_app, "anna")
    client = loaded_app.test_client()
    login_as(client, "anna")
    fresh = client.get("/").get_data(as_text=True)
    assert "Hallo, anna!" in fresh
    assert "Weitermachen" not in fresh  # nothing to continue yet
    assert "Neue Karten lernen" in fresh and "Lerne heute, dann beginnt deine Serie" in fresh
    assert "Nach deinen ersten Quizzen" in fresh
    # One topic, so that the four wrong answers make it a weak topic (a mixed quiz may spread
    # them over four topics, each below the minimum of answers).
    with loaded_app.app_context():
        topic = (
            db.session.execute(
                select(Topic.slug)
                .join(Question, Question.topic_id == Topic.id)
                .where(Question.status == "approved")
                .group_by(Topic.slug)
                .order_by(func.count().desc())
            )
            .scalars()
            .first()
        )
    attempt_id = start_quiz(client, "topic", topic, 10)
    for _ in range(4):
        item = current_item(loaded_app, attempt_id)
        client.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, right=False))
    page = client.get("/").get_data(as_text=True)
    assert "Weitermachen" in page and "4 von 10 Fragen beantwortet" in page
    assert f'href="/quiz/{attempt_id}"' in page
    # Quiz answers are reviews of their cards: the streak has begun.
    assert "1 Tag in Folge gelernt" in page
    assert re.search(r"Karten? (?:ist|sind) heute fällig|Heute ist nichts fällig", page)
    assert "Deine schwächsten Themen" in page and ">üben</button>" in page
    assert 'name="mode" value="topic"' in page


def test_a_guest_has_the_learners_desk_and_is_asked_to_register(loaded_client) -> None:
    loaded_client.post("/auth/guest")
    page = loaded_client.get("/").get_data(as_text=True)
    assert "Du übst als Gast" in page and "Karteikarten" in page


def test_a_teacher_sees_drafts_reports_and_flagged_questions(loaded_app) -> None:
    make_user(loaded_app, "frau-meier", role="teacher")
    make_user(loaded_app, "anna")
    teacher, anna = loaded_app.test_client(), loaded_app.test_client()
    login_as(teacher, "frau-meier")
    login_as(anna, "anna")
    empty = teacher.get("/").get_data(as_text=True)
    assert "Keine Entwürfe offen" in empty and "Keine offenen Meldungen" in empty
    with loaded_app.app_context():
        ids = db.session.scalars(
            db.select(Question.id)
            .where(Question.status == "approved", Question.fact_id.is_(None))
            .limit(3)
        ).all()
        db.session.execute(update(Question).where(Question.id.in_(ids)).values(status="draft"))
        db.session.commit()
    with loaded_app.app_context():
        smallest = db.session.execute(
            db.select(Question.document_id, func.count())
            .where(Question.status == "approved", Question.document_id.is_not(None))
            .group_by(Question.document_id)
            .order_by(func.count())
        ).first()[0]
    for _ in range(5):  # five answers to each question: enough for the item analysis' flags
        attempt_id = start_quiz(anna, "document", str(smallest), 50)
        while (item := current_item(loaded_app, attempt_id)) is not None:
            anna.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    anna.post(
        "/reports/", data={"question_id": item_id_of(loaded_app, attempt_id), "reason": "typo"}
    )
    page = teacher.get("/").get_data(as_text=True)
    assert "<strong>3</strong> Entwürfe warten" in page and "3 einzelne Fragen" in page
    assert "<strong>1</strong> Meldung von" in page and 'href="/teach/reports"' in page
    # One learner got everything right: every question answered is "too easy".
    assert "Auffällige Fragen" in page and "zu leicht" in page
    assert "freigegebene Fragen" not in page  # the bank's counts are in the teacher area


def item_id_of(app, attempt_id: int) -> str:
    from quizapp.models import Attempt

    with app.app_context():
        return db.session.get(Attempt, attempt_id).items[0].question_id


def test_short_titles_cut_whole_first_sentences() -> None:
    long = (
        "Moskau und Tokio haben sich darauf geeinigt, im Sicherheitsbereich miteinander zu "
        "kooperieren, schreibt die „Nesawissimaja Gaseta“ am Dienstag."
    )
    assert short_title(long) == "Moskau und Tokio haben sich darauf geeinigt"
    quoted = "“Verkaufen Sie uns Nord-Sachalin und Primorje.” Wie reagierte Stalins Diplomatie?"
    assert short_title(quoted) == "“Verkaufen Sie uns Nord-Sachalin und Primorje.”"
    assert short_title("Nordkoreanisch-russische Beziehungen") == (
        "Nordkoreanisch-russische Beziehungen"
    )
    endless = "Wort " * 30
    assert len(short_title(endless)) <= 60 and short_title(endless).endswith("…")
