"""Flashcards over HTTP: flip, rate, undo, settings, leeches, statistics, bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from quizapp.extensions import db
from quizapp.models import CardSettings, CardState, Question, ReviewLog
from tests.helpers import login_as, make_user


@pytest.fixture
def learner(loaded_app, loaded_client):
    make_user(loaded_app, "lotte")
    login_as(loaded_client, "lotte")
    return loaded_client


def _logs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReviewLog))


def _shown_question(page: str) -> str:
    return re.search(r'href="/cards/review\?show=([^"]+)"', page).group(1)


def test_cards_need_an_account(client) -> None:
    response = client.get("/cards/review")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_overview_lists_decks_and_due_counts(learner) -> None:
    page = learner.get("/cards/").get_data(as_text=True)
    assert "Deine Karteikarten" in page and "Heute fällig" in page
    assert "Der Friede von Portsmouth (" in page and "Thema: Korea und Russland (" in page


def test_front_hides_the_answer_and_the_back_shows_intervals(loaded_app, learner) -> None:
    front = learner.get("/cards/review").get_data(as_text=True)
    qid = _shown_question(front)
    with loaded_app.app_context():
        question = db.session.get(Question, qid)
        answer = question.answer
    assert 'id="answer"' not in front and 'name="rating"' not in front
    if question.kind in ("typed", "cloze", "date"):
        assert answer not in front
    back = learner.get(f"/cards/review?show={qid}").get_data(as_text=True)
    assert 'id="answer"' in back
    for label, interval in (("Nochmal", "1 min"), ("Gut", "10 min"), ("Einfach", "8 Tg.")):
        assert re.search(rf"{label}<br><small>{re.escape(interval)}</small>", back), label


def test_rating_stores_once_and_a_repeated_post_is_refused(loaded_app, learner) -> None:
    qid = _shown_question(learner.get("/cards/review").get_data(as_text=True))
    data = {"question_id": qid, "version": "0", "rating": "3"}
    assert learner.post("/cards/rate", data=data).status_code == 303
    again = learner.post("/cards/rate", data=data)
    assert again.status_code == 409
    assert "schon bewertet" in again.get_data(as_text=True)
    assert _logs(loaded_app) == 1
    with loaded_app.app_context():
        card = db.session.scalar(select(CardState))
        assert card.question_id == qid and card.state == "learning" and card.version == 1


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"rating": "5", "version": "0"}, 400),
        ({"rating": "0", "version": "0"}, 400),
        ({"rating": "drei", "version": "0"}, 400),
        ({"rating": "3", "version": "-1"}, 400),
        ({"rating": "3", "version": "0", "question_id": "gibt-es-nicht"}, 404),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_stored(loaded_app, learner, data, status) -> None:
    qid = _shown_question(learner.get("/cards/review").get_data(as_text=True))
    response = learner.post("/cards/rate", data={"question_id": qid} | data)
    assert response.status_code == status
    assert _logs(loaded_app) == 0


def test_another_learners_card_cannot_be_rated(loaded_app, learner) -> None:
    qid = _shown_question(learner.get("/cards/review").get_data(as_text=True))
    learner.post("/cards/rate", data={"question_id": qid, "version": "0", "rating": "3"})
    make_user(loaded_app, "max")
    other = loaded_app.test_client()
    login_as(other, "max")
    # Max only ever reaches his own card; the version of Lotte's card means nothing to him.
    response = other.post("/cards/rate", data={"question_id": qid, "version": "1", "rating": "1"})
    assert response.status_code == 409
    with loaded_app.app_context():
        card = db.session.scalar(select(CardState))
        assert card.version == 1 and card.state == "learning"
    assert _logs(loaded_app) == 1


def test_undo_shows_the_card_again(loaded_app, learner) -> None:
    qid = _shown_question(learner.get("/cards/review").get_data(as_text=True))
    learner.post("/cards/rate", data={"question_id": qid, "version": "0", "rating": "4"})
    response = learner.post("/cards/undo")
    assert response.status_code == 303 and f"show={qid}" in response.headers["Location"]
    assert _logs(loaded_app) == 0
    nothing = learner.post("/cards/undo", follow_redirects=True).get_data(as_text=True)
    assert "keine Bewertung" in nothing


def test_typed_answer_mode_grades_with_the_quiz_grader(loaded_app, learner) -> None:
    learner.post(
        "/cards/settings",
        data={
            "desired_retention": "0,9",
            "new_per_day": "20",
            "reviews_per_day": "200",
            "timezone": "Europe/Berlin",
            "typed_answers": "y",
        },
    )
    with loaded_app.app_context():
        qid = db.session.scalar(
            select(Question.id)
            .where(Question.status == "approved", Question.kind == "typed")
            .order_by(Question.id)
        )
        settings = db.session.get(CardSettings, 1)
        settings.decks = []
        # Only this typed card is left to review, whatever order new cards come in.
        db.session.execute(update(Question).where(Question.id != qid).values(status="retired"))
        db.session.commit()
    # Typed mode shows an input instead of the flip link.
    front = learner.get("/cards/review").get_data(as_text=True)
    shown = re.search(r'name="question_id" type="hidden" value="([^"]+)"', front).group(1)
    with loaded_app.app_context():
        question = db.session.get(Question, shown)
        kind, answer = question.kind, question.answer
    if kind in ("typed", "cloze", "date", "single_choice"):
        page = learner.post("/cards/check", data={"question_id": shown, "text": answer})
        assert page.status_code == 200 and "Richtig!" in page.get_data(as_text=True)
        wrong = learner.post("/cards/check", data={"question_id": shown, "text": "xyz"})
        assert "Nicht ganz" in wrong.get_data(as_text=True)
    assert qid is not None
    assert (
        learner.post("/cards/check", data={"question_id": "nope", "text": "x"}).status_code == 404
    )
    assert _logs(loaded_app) == 0


def test_settings_validate_and_accept_a_decimal_comma(loaded_app, learner) -> None:
    good = {
        "desired_retention": "0,85",
        "new_per_day": "5",
        "reviews_per_day": "100",
        "timezone": "Asia/Tokyo",
    }
    assert learner.post("/cards/settings", data=good).status_code == 302
    bad = good | {"desired_retention": "0,99", "timezone": "Mars/Olympus"}
    response = learner.post("/cards/settings", data=bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "0,80 bis 0,97" in page and "Unbekannte Zeitzone" in page
    with loaded_app.app_context():
        settings = db.session.scalar(select(CardSettings))
        assert (settings.desired_retention, settings.new_per_day) == (0.85, 5)
        assert settings.timezone == "Asia/Tokyo"


def test_deck_choice_limits_the_cards(loaded_app, learner) -> None:
    assert learner.post("/cards/decks", data={"decks": ["topic:korea"]}).status_code == 302
    qid = _shown_question(learner.get("/cards/review").get_data(as_text=True))
    with loaded_app.app_context():
        assert db.session.get(Question, qid).topic.slug == "korea"
    assert learner.post("/cards/decks", data={"decks": ["topic:erfunden"]}).status_code == 400


def test_stats_page_draws_svg_charts(learner) -> None:
    qid = _shown_question(learner.get("/cards/review").get_data(as_text=True))
    learner.post("/cards/rate", data={"question_id": qid, "version": "0", "rating": "3"})
    page = learner.get("/cards/stats").get_data(as_text=True)
    assert page.count("<svg") == 2 and "<script" not in page
    assert "Deine Karten" in page and "gerade gelernt, kommen bald wieder" in page


def test_leech_page_and_unsuspend(loaded_app, learner) -> None:
    with loaded_app.app_context():
        qid = db.session.scalar(select(Question.id).where(Question.status == "approved"))
    learner.post("/cards/rate", data={"question_id": qid, "version": "0", "rating": "4"})
    with loaded_app.app_context():
        card = db.session.scalar(select(CardState))
        card.suspended, card.lapses = True, 8
        db.session.commit()
        version = card.version
    refused = learner.post(
        "/cards/rate", data={"question_id": qid, "version": version, "rating": 3}
    )
    assert refused.status_code == 400 and "ausgesetzt" in refused.get_data(as_text=True)
    assert "8-mal vergessen" in learner.get("/cards/leeches").get_data(as_text=True)
    assert learner.post(f"/cards/leeches/{qid}/unsuspend").status_code == 302
    assert learner.post(f"/cards/leeches/{qid}/unsuspend").status_code == 404
    with loaded_app.app_context():
        assert not db.session.scalar(select(CardState)).suspended


def test_quiz_answers_feed_the_cards(loaded_app, learner) -> None:
    from tests.helpers import answer_data, current_item, start_quiz

    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, right=False))
    learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, right=True))
    with loaded_app.app_context():
        logs = db.session.scalars(select(ReviewLog)).all()
        assert [(log.question_id, log.rating, log.source) for log in logs] == [
            (item.question_id, 1, "quiz")
        ]


def test_settings_offer_a_retention_select_and_a_time_zone_select(loaded_app, learner) -> None:
    page = learner.get("/cards/settings").get_data(as_text=True)
    assert 'autocomplete="None"' not in page
    assert 'id="desired_retention" name="desired_retention">' in page
    assert "0,90 (empfohlen)" in page and '<option selected value="0.90">' in page
    assert 'data-browser-default="1" id="timezone"' in page
    assert '<option selected value="Europe/Berlin">' in page
    assert 'type="number"' in page and 'min="0" name="new_per_day"' in page
    assert "Berlin (Europa)" in page and "Tokio" not in page  # names as IANA spells them
    assert 'id="timezone-search"' in page and "settings.js" in page
    # Values come in with a decimal point or comma, with or without the second digit.
    for value, stored in (("0,93", 0.93), ("0.8", 0.80), ("0,9", 0.90)):
        data = {
            "desired_retention": value,
            "new_per_day": "20",
            "reviews_per_day": "200",
            "timezone": "Europe/Berlin",
        }
        assert learner.post("/cards/settings", data=data).status_code == 302, value
        with loaded_app.app_context():
            assert db.session.scalar(select(CardSettings.desired_retention)) == stored
    saved = learner.get("/cards/settings").get_data(as_text=True)
    assert 'data-browser-default="0"' in saved  # saved once: the browser no longer suggests
    bad = learner.post(
        "/cards/settings",
        data={
            "desired_retention": "092",
            "new_per_day": "zwanzig",
            "reviews_per_day": "200",
            "timezone": "Berlin",
        },
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "0,80 bis 0,97" in page and "ganze Zahl" in page and "Unbekannte Zeitzone" in page
    assert "Not a valid" not in page


def test_stats_page_has_plain_words_and_empty_states(learner) -> None:
    page = learner.get("/cards/stats").get_data(as_text=True)
    assert "Noch keine Wiederholungen in den letzten 30 Tagen" in page
    assert "noch keine Angabe" in page and "aus 0 Wiederholungen" not in page
    assert "neu zu lernen" not in page and "noch nie gelernt" in page
    assert "<svg" not in page
