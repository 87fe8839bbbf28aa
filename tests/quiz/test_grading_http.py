"""Grading and feedback over HTTP: partial credit, per-pick marks, feedback of what was
chosen or typed, true/false read as sentences, and a matching with an empty dropdown that is
neither graded nor stored until the learner completes or confirms it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.answers import matching_items, matching_targets
from quizapp.extensions import db
from quizapp.formats.gift import parse_gift
from quizapp.models import Attempt, AttemptItem
from quizapp.services.quiz import spec_for
from quizapp.services.teach import apply_import, plan_import
from tests.conftest import NOW
from tests.helpers import current_item, login_as, make_user, start_quiz

BANK = """$CATEGORY: $course$/top/Bewertungsprobe

::g1-einfach::Wo wuchs Jesus von Nazareth auf? {
    ~Jerusalem#Eine wichtige Stadt, aber nicht seine.
    ~%25%Bethlehem#Dort wurde er geboren.
    ~%50%Galiläa#Genauer, bitte.
    =Nazareth#Ja, richtig!}

::g2-mehrfach::Welche Inseln kamen durch den Frieden von 1905 an Japan? {
    ~%100%Süd-Sachalin#Ja, bis zum 50. Breitengrad.
    ~%-50%Kurilen#Die waren schon seit 1875 japanisch.
    ~%-50%Hokkaido#Die Insel war immer japanisch.}

::g3-wahr::Grant ist in Grants Grab begraben.{FALSE#Niemand ist dort begraben.#Genau.}

::g4-kurz::In welcher Stadt in New Hampshire wurde 1905 verhandelt? {
    =Portsmouth#Ja!
    =%75%Portsmuth#Richtig, aber falsch geschrieben.
    =%25%New Hampshire#Das ist der Bundesstaat, gefragt war die Stadt.}

::g5-zahl::In welchem Jahr wurde Ulysses S. Grant geboren? {#
    =1822:0#Genau!
    =%50%1822:2#Knapp daneben.}

::g6-zuordnung::Ordne jedem Land seine Hauptstadt zu. {
    =Kanada -> Ottawa
    =Italien -> Rom
    =Japan -> Tokio}
"""


@pytest.fixture
def learner(loaded_app: Flask, loaded_client: FlaskClient) -> FlaskClient:
    with loaded_app.app_context():
        drafts = parse_gift(BANK, "probe.gift").questions
        apply_import(db.session, plan_import(db.session, drafts), None, NOW, approve=True)
        db.session.commit()
    make_user(loaded_app, "anna")
    login_as(loaded_client, "anna")
    return loaded_client


def _display_number(app: Flask, attempt_id: int, text: str) -> str:
    item = current_item(app, attempt_id)
    spec = spec_for(item.question, item.choice_order)
    return str(next(i for i, o in enumerate(spec.options, 1) if o.text == text))


def _matching(app: Flask, attempt_id: int, wanted: dict[str, str]) -> dict[str, str]:
    """Form data pairing each shown left side with the wanted right side ("" for none)."""
    item = current_item(app, attempt_id)
    spec = spec_for(item.question, item.choice_order)
    targets = matching_targets(spec)
    return {
        f"match_{i}": str(targets.index(wanted[o.text]) + 1) if wanted[o.text] else ""
        for i, o in enumerate(matching_items(spec), 1)
    }


def _field_of(app: Flask, attempt_id: int, left: str) -> int:
    item = current_item(app, attempt_id)
    spec = spec_for(item.question, item.choice_order)
    return next(i for i, o in enumerate(matching_items(spec), 1) if o.text == left)


def _stored(app: Flask, attempt_id: int, position: int) -> AttemptItem:
    with app.app_context():
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        db.session.expunge(item)
        return item


def _answer(client: FlaskClient, attempt_id: int, position: int, data: dict) -> str:
    response = client.post(f"/quiz/{attempt_id}/{position}", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _text(page: str) -> str:
    """The page's text without tags and with single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_a_whole_quiz_graded_as_the_teacher_meant_it(loaded_app: Flask, learner) -> None:
    attempt_id = start_quiz(learner, "topic", "bewertungsprobe", 10)
    with loaded_app.app_context():
        ids = [i.question_id for i in db.session.get(Attempt, attempt_id).items]
    assert ids == ["g1-einfach", "g2-mehrfach", "g3-wahr", "g4-kurz", "g5-zahl", "g6-zuordnung"]

    # Single choice: the chosen option's credit and its feedback.
    page = _text(
        _answer(
            learner, attempt_id, 0, {"choice": _display_number(loaded_app, attempt_id, "Galiläa")}
        )
    )
    assert "Teilweise richtig: 50 % der Punkte." in page
    assert "Galiläa – teilweise richtig (50 % der Punkte)" in page
    assert "Genauer, bitte." in page and "Nazareth – richtig, aber nicht gewählt" in page
    assert _stored(loaded_app, attempt_id, 0).score == 0.5

    # Multiple choice: one right and one wrong pick, each marked, each with its feedback.
    picks = [_display_number(loaded_app, attempt_id, t) for t in ("Süd-Sachalin", "Kurilen")]
    page = _text(_answer(learner, attempt_id, 1, {"choice": picks}))
    assert "Teilweise richtig: 50 % der Punkte." in page
    assert "Süd-Sachalin – richtig gewählt" in page and "Kurilen – falsch gewählt" in page
    assert "Hokkaido – nicht gewählt" in page
    assert "Ja, bis zum 50. Breitengrad." in page and "Die waren schon seit 1875 japanisch." in page
    assert "Die Insel war immer japanisch." not in page  # not chosen: not shown

    # True/false: answers read as sentences, the feedback of a wrong answer.
    page = _text(_answer(learner, attempt_id, 2, {"choice": "wahr"}))
    assert "Leider falsch." in page
    assert "Deine Antwort Die Aussage ist wahr." in page
    assert "Richtige Antwort Die Aussage ist falsch." in page
    assert "Niemand ist dort begraben." in page and "Genau." not in page

    # Short answer: an exact match of a 75 % answer beats a typo of the 100 % one.
    page = _text(_answer(learner, attempt_id, 3, {"text": "Portsmuth"}))
    assert "Teilweise richtig: 75 % der Punkte." in page
    assert "Richtig, aber falsch geschrieben." in page

    # Numerical: the second answer's credit and feedback.
    page = _text(_answer(learner, attempt_id, 4, {"text": "1823"}))
    assert "Teilweise richtig: 50 % der Punkte." in page and "Knapp daneben." in page

    # Matching, completed: each pair marked.
    form = _matching(
        loaded_app, attempt_id, {"Kanada": "Ottawa", "Italien": "Tokio", "Japan": "Rom"}
    )
    page = _text(_answer(learner, attempt_id, 5, form))
    assert "Teilweise richtig: 33 % der Punkte." in page
    assert "Kanada ✓ Ottawa (richtig) Ottawa" in page
    assert "Italien ✗ Tokio (nicht richtig) Rom" in page

    results = learner.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    text = _text(results)
    assert "falsch falsch" not in text and "falsch nicht richtig" not in text
    assert "Deine Antwort: Die Aussage ist wahr. ✗ nicht richtig" in text
    assert "Richtig: Die Aussage ist falsch." in text
    assert "Kurilen – falsch gewählt" in text
    with loaded_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished
        assert attempt.score == pytest.approx(0.5 + 0.5 + 0 + 0.75 + 0.5 + 1 / 3, abs=1e-3)


def _reach_matching(loaded_app: Flask, learner: FlaskClient) -> int:
    attempt_id = start_quiz(learner, "topic", "bewertungsprobe", 10)
    _answer(learner, attempt_id, 0, {"choice": _display_number(loaded_app, attempt_id, "Nazareth")})
    picks = [_display_number(loaded_app, attempt_id, "Süd-Sachalin")]
    _answer(learner, attempt_id, 1, {"choice": picks})
    _answer(learner, attempt_id, 2, {"choice": "falsch"})
    _answer(learner, attempt_id, 3, {"text": "Portsmouth"})
    _answer(learner, attempt_id, 4, {"text": "1822"})
    return attempt_id


def test_an_empty_dropdown_is_named_and_nothing_is_stored(loaded_app: Flask, learner) -> None:
    attempt_id = _reach_matching(loaded_app, learner)
    partly = _matching(loaded_app, attempt_id, {"Kanada": "Ottawa", "Italien": "Rom", "Japan": ""})
    response = learner.post(f"/quiz/{attempt_id}/5", data=partly)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bei „Japan“ hast du noch nichts gewählt." in page
    assert "Hier hast du noch nichts gewählt." in page
    assert 'name="confirm_empty"' in page
    # The picks made are kept on the page.
    kanada = _field_of(loaded_app, attempt_id, "Kanada")
    chosen = partly[f"match_{kanada}"]
    assert re.search(
        rf'name="match_{kanada}"[^>]*>(?:(?!</select>).)*<option selected value="{chosen}">',
        page,
        re.S,
    )
    stored = _stored(loaded_app, attempt_id, 5)
    assert stored.answered_at is None and stored.score is None
    with loaded_app.app_context():
        assert not db.session.get(Attempt, attempt_id).finished

    # Completing it grades it as usual.
    right = {"Kanada": "Ottawa", "Italien": "Rom", "Japan": "Tokio"}
    page = _text(_answer(learner, attempt_id, 5, _matching(loaded_app, attempt_id, right)))
    assert "Richtig!" in page
    assert _stored(loaded_app, attempt_id, 5).score == 1.0


def test_a_confirmed_empty_dropdown_counts_as_wrong(loaded_app: Flask, learner) -> None:
    attempt_id = _reach_matching(loaded_app, learner)
    data = _matching(loaded_app, attempt_id, {"Kanada": "Ottawa", "Italien": "", "Japan": "Tokio"})
    page = _text(_answer(learner, attempt_id, 5, {**data, "confirm_empty": "1"}))
    assert "Teilweise richtig: 67 % der Punkte." in page
    assert "Italien ✗ nichts gewählt" in page
    stored = _stored(loaded_app, attempt_id, 5)
    assert stored.score == pytest.approx(2 / 3) and stored.answered_at is not None


def test_partial_credit_counts_as_not_right_for_the_weak_spots(loaded_app, learner) -> None:
    attempt_id = start_quiz(learner, "topic", "bewertungsprobe", 10)
    _answer(
        learner,
        attempt_id,
        0,
        {"choice": _display_number(loaded_app, attempt_id, "Bethlehem")},
    )
    page = learner.get("/quiz/").get_data(as_text=True)
    assert "Schwachstellen üben" in page


@pytest.mark.parametrize(
    ("typed", "verdict", "reason"),
    [
        ("Sept. 1905", "Unvollständig.", "Monat und Jahr stimmen, es fehlt aber der Tag."),
        ("1905", "Unvollständig.", "es fehlt aber das genaue Datum mit Tag und Monat."),
        ("6.9.1905", "Leider falsch.", "Monat und Jahr stimmen, der Tag nicht."),
        ("am 5.9.1905", "Richtig!", ""),
        ("05.09.05", "Richtig!", ""),
    ],
)
def test_date_answers_say_what_is_missing(
    loaded_app: Flask, loaded_client: FlaskClient, typed: str, verdict: str, reason: str
) -> None:
    gift = (
        "$CATEGORY: $course$/top/Datumsprobe\n\n// quizapp: kind=date\n"
        "::d1-datum::Wann wurde der Vertrag unterzeichnet?{=5. September 1905}\n"
    )
    with loaded_app.app_context():
        drafts = parse_gift(gift, "datum.gift").questions
        apply_import(db.session, plan_import(db.session, drafts), None, NOW, approve=True)
        db.session.commit()
    make_user(loaded_app, "ben")
    login_as(loaded_client, "ben")
    attempt_id = start_quiz(loaded_client, "topic", "datumsprobe", 5)
    page = _text(_answer(loaded_client, attempt_id, 0, {"text": typed}))
    assert verdict in page and reason in page
