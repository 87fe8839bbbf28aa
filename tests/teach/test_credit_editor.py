"""The one grading model beyond the quiz: the editor writes credit and feedback for every
kind, item analysis counts multiple-choice picks, exports hold what learners may see, and
flashcards grade typed answers with the same credit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.formats.gift import parse_gift
from quizapp.models import Attempt, AttemptItem, CardSettings, Question
from quizapp.services.analysis import item_analysis
from quizapp.services.teach import apply_import, plan_import, snapshot
from quizapp.teach.editing import OptionInput, QuestionInput, check, to_draft
from tests.conftest import NOW
from tests.helpers import login_as, make_user


@pytest.fixture
def teacher(loaded_app: Flask, loaded_client: FlaskClient) -> FlaskClient:
    make_user(loaded_app, "frau-meier", role="teacher")
    login_as(loaded_client, "frau-meier")
    return loaded_client


def _form(**values: str) -> dict[str, str]:
    data = {
        "kind": "single_choice",
        "prompt": "Wo wuchs Jesus auf?",
        "answer": "",
        "accepted": "",
        "explanation": "",
        "topic": "allgemein",
        "tolerance": "",
        "minimum": "",
        "maximum": "",
        "feedback_right": "",
        "feedback_wrong": "",
    }
    for i in range(6):
        data |= {
            f"options-{i}-text": "",
            f"options-{i}-match": "",
            f"options-{i}-weight": "",
            f"options-{i}-feedback": "",
        }
    data.update(values)
    return data


def _rows(*rows: tuple[str, bool, str, str]) -> dict[str, str]:
    data = {}
    for i, (text, correct, weight, feedback) in enumerate(rows):
        data |= {
            f"options-{i}-text": text,
            f"options-{i}-weight": weight,
            f"options-{i}-feedback": feedback,
        }
        if correct:
            data[f"options-{i}-correct"] = "y"
    return data


def _created(app: Flask, response) -> dict:
    assert response.status_code == 302, response.get_data(as_text=True)
    qid = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        return snapshot(db.session.get(Question, qid)) | {"id": qid}


def test_single_choice_with_partial_credit_a_penalty_and_feedback(loaded_app, teacher) -> None:
    rows = _rows(
        ("Jerusalem", False, "-25", "Nicht seine Stadt."),
        ("Galiläa", False, "50", "Genauer, bitte."),
        ("Nazareth", True, "", "Ja!"),
    )
    values = _created(loaded_app, teacher.post("/teach/questions/new", data=_form(**rows)))
    assert values["answer"] == "Nazareth"
    assert values["choices"] == [
        {"text": "Jerusalem", "correct": False, "weight": -25.0, "feedback": "Nicht seine Stadt."},
        {"text": "Galiläa", "correct": True, "weight": 50.0, "feedback": "Genauer, bitte."},
        {"text": "Nazareth", "correct": True, "feedback": "Ja!"},
    ]
    page = teacher.get(f"/teach/questions/{values['id']}").get_data(as_text=True)
    shown = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Galiläa 50 % Genauer, bitte." in shown and "Jerusalem -25 % Nicht seine" in shown
    # Saving the form unchanged changes nothing.
    edit = teacher.get(f"/teach/questions/{values['id']}/edit").get_data(as_text=True)
    assert 'value="-25"' in edit and 'value="Genauer, bitte."' in edit
    again = teacher.post(f"/teach/questions/{values['id']}/edit", data=_form(**rows))
    assert again.status_code == 302
    assert "Nichts geändert." in teacher.get(again.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("A", False, "50", ""), ("B", False, "", "")), "volle Punktzahl"),
        ((("A", True, "-10", ""), ("B", True, "", "")), "gibt aber keine Punkte"),
        ((("A", True, "", ""), ("B", False, "150", "")), "zwischen -100 und 100"),
    ],
)
def test_single_choice_credit_is_checked(teacher, rows, message) -> None:
    response = teacher.post("/teach/questions/new", data=_form(**_rows(*rows)))
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_typed_answers_with_their_own_credit_and_feedback(loaded_app, teacher) -> None:
    data = _form(
        kind="typed",
        prompt="In welcher Stadt in New Hampshire wurde 1905 verhandelt?",
        answer="Portsmouth",
        **_rows(
            ("Portsmuth", False, "75", "Richtig, aber falsch geschrieben."),
            ("New Hampshire", False, "25", "Das ist der Bundesstaat."),
            ("*", False, "", "Gemeint ist eine Stadt an der Küste."),
        ),
    )
    values = _created(loaded_app, teacher.post("/teach/questions/new", data=data))
    assert [(c["text"], c.get("weight"), c.get("feedback")) for c in values["choices"]] == [
        ("Portsmuth", 75.0, "Richtig, aber falsch geschrieben."),
        ("New Hampshire", 25.0, "Das ist der Bundesstaat."),
        ("*", None, "Gemeint ist eine Stadt an der Küste."),
    ]
    page = teacher.get(f"/teach/questions/{values['id']}").get_data(as_text=True)
    assert "in dieser Reihenfolge geprüft" in page
    bad = _form(kind="typed", prompt="Wo?", answer="Portsmouth", **_rows(("X", False, "-5", "")))
    response = teacher.post("/teach/questions/new", data=bad)
    assert response.status_code == 400
    assert "0 bis 100 % der Punkte" in response.get_data(as_text=True)


def test_numerical_answers_with_their_own_credit(loaded_app, teacher) -> None:
    data = _form(
        kind="numerical",
        prompt="In welchem Jahr wurde Grant geboren?",
        answer="1822",
        tolerance="0",
        **_rows(("1820..1824", False, "50", "Knapp daneben."), ("1822 ± 5", False, "10", "")),
    )
    values = _created(loaded_app, teacher.post("/teach/questions/new", data=data))
    assert values["extra"] == {"tolerance": "0"}
    assert [c["text"] for c in values["choices"]] == ["1820..1824", "1822 ± 5"]
    bad = _form(kind="numerical", prompt="Wann?", answer="1822", **_rows(("bald", False, "", "")))
    response = teacher.post("/teach/questions/new", data=bad)
    assert response.status_code == 400 and "keine Zahl-Antwort" in response.get_data(as_text=True)


def test_true_false_feedback_for_right_and_wrong(loaded_app, teacher) -> None:
    data = _form(
        kind="true_false",
        prompt="Grant ist in Grants Grab begraben.",
        answer="falsch",
        feedback_right="Genau.",
        feedback_wrong="Niemand ist dort begraben.",
    )
    values = _created(loaded_app, teacher.post("/teach/questions/new", data=data))
    assert values["extra"] == {
        "feedback_right": "Genau.",
        "feedback_wrong": "Niemand ist dort begraben.",
    }


def test_a_date_row_with_partial_credit_is_no_second_right_date() -> None:
    value = QuestionInput(
        kind="date",
        prompt="Wann wurde der Frieden von Portsmouth geschlossen?",
        answer="5. September 1905",
        options=(
            OptionInput("1905", correct=True, weight="50", feedback="Das Jahr stimmt."),
            OptionInput("5. September 1905", correct=True),
            OptionInput("5. September 1904"),
        ),
    )
    assert check(value) == []
    draft = to_draft(value, id="t-datum", document="", origin="teacher", status="approved")
    assert [(c.text, c.correct, c.weight) for c in draft.choices] == [
        ("1905", True, 50.0),
        ("5. September 1905", True, None),
        ("5. September 1904", False, None),
    ]


# --- item analysis: multiple-choice picks ---------------------------------------------------


def test_item_analysis_counts_every_pick_of_a_multiple_choice(loaded_app) -> None:
    gift = (
        "$CATEGORY: $course$/top/Analyseprobe\n\n::m1-mehrfach::Welche Inseln kamen 1905 an "
        "Japan? {~%100%Süd-Sachalin ~%-50%Kurilen ~%-50%Hokkaido}\n"
    )
    learner = make_user(loaded_app, "lene")
    with loaded_app.app_context():
        drafts = parse_gift(gift, "analyse.gift").questions
        apply_import(db.session, plan_import(db.session, drafts), None, NOW, approve=True)
        question = db.session.get(Question, "m1-mehrfach")
        sachalin, kurilen, _ = (c.id for c in question.choices)
        attempt = Attempt(user_id=learner, mode="mixed", title="t", started_at=NOW)
        for position, (response, score) in enumerate(
            [([sachalin], 1.0), ([sachalin, kurilen], 0.5), ([kurilen], 0.0)]
        ):
            attempt.items.append(
                AttemptItem(
                    position=position,
                    question_id=question.id,
                    choice_order=[],
                    response=response,
                    response_text="",
                    score=score,
                    correct=score == 1.0,
                    answered_at=NOW + timedelta(minutes=position),
                )
            )
        db.session.add(attempt)
        db.session.commit()
        (stats,) = [s for s in item_analysis(db.session) if s.question_id == "m1-mehrfach"]
    assert [(o.text, o.correct, o.picks, o.credit) for o in stats.option_picks] == [
        ("Süd-Sachalin", True, 2, 100.0),
        ("Kurilen", False, 2, -50.0),
        ("Hokkaido", False, 0, -50.0),
    ]
    assert stats.facility == pytest.approx(0.5)


# --- exports: learners' formats default to approved --------------------------------------------


def _retire_one(app: Flask) -> str:
    with app.app_context():
        qid = db.session.scalar(
            select(Question.id).where(Question.status == "approved").order_by(Question.id)
        )
        db.session.execute(update(Question).where(Question.id == qid).values(status="rejected"))
        db.session.commit()
        return qid


@pytest.mark.parametrize("fmt", ["gift", "csv"])
def test_learner_formats_export_only_approved_questions_by_default(loaded_app, fmt) -> None:
    rejected = _retire_one(loaded_app)
    runner = loaded_app.test_cli_runner()
    default = runner.invoke(args=["bank", "export", "--format", fmt])
    assert default.exit_code == 0 and rejected not in default.output
    everything = runner.invoke(args=["bank", "export", "--format", fmt, "--all-statuses"])
    assert rejected in everything.output
    asked = runner.invoke(args=["bank", "export", "--format", fmt, "--status", "rejected"])
    assert rejected in asked.output
    both = runner.invoke(
        args=["bank", "export", "--format", fmt, "--status", "draft", "--all-statuses"]
    )
    assert both.exit_code == 1


def test_json_keeps_every_question_and_help_says_so(loaded_app) -> None:
    rejected = _retire_one(loaded_app)
    runner = loaded_app.test_cli_runner()
    assert rejected in runner.invoke(args=["bank", "export"]).output
    help_text = " ".join(runner.invoke(args=["bank", "export", "--help"]).output.split())
    assert "by default they hold only the approved questions" in help_text
    assert "JSON is the backup format and holds every question" in help_text


def test_apkg_from_the_command_line_leaves_rejected_questions_out(loaded_app, tmp_path) -> None:
    import sqlite3
    import zipfile

    rejected = _retire_one(loaded_app)
    runner = loaded_app.test_cli_runner()
    deck = tmp_path / "deck.apkg"
    assert (
        runner.invoke(args=["bank", "export", "--format", "apkg", "-o", str(deck)]).exit_code == 0
    )
    with zipfile.ZipFile(deck) as archive:
        (tmp_path / "collection").write_bytes(archive.read("collection.anki2"))
    notes = sqlite3.connect(tmp_path / "collection").execute("SELECT flds FROM notes").fetchall()
    with loaded_app.app_context():
        approved = db.session.scalar(
            select(db.func.count()).select_from(Question).where(Question.status == "approved")
        )
    assert len(notes) == approved
    assert not any(rejected in fields for (fields,) in notes)


def test_the_web_export_of_learners_formats_is_approved_only_too(loaded_app, teacher) -> None:
    rejected = _retire_one(loaded_app)
    for fmt in ("gift", "csv"):
        body = teacher.get(f"/teach/export?format={fmt}").get_data(as_text=True)
        assert rejected not in body
    assert rejected in teacher.get("/teach/export?format=json").get_data(as_text=True)


# --- flashcards: typed answers graded with their credit and feedback ------------------------


def test_a_flashcard_typed_answer_gets_partial_credit_and_feedback(loaded_app) -> None:
    gift = (
        "$CATEGORY: $course$/top/Kartenprobe\n\n::k1-kurz::In welcher Stadt in New Hampshire "
        "wurde 1905 verhandelt? {=Portsmouth =%75%Portsmuth#Richtig, aber falsch geschrieben.}\n"
    )
    user = make_user(loaded_app, "karl")
    with loaded_app.app_context():
        drafts = parse_gift(gift, "karten.gift").questions
        apply_import(db.session, plan_import(db.session, drafts), None, NOW, approve=True)
        db.session.execute(
            update(Question).where(Question.id != "k1-kurz").values(status="retired")
        )
        db.session.add(CardSettings(user_id=user, typed_answers=True))
        db.session.commit()
    client = loaded_app.test_client()
    login_as(client, "karl")
    front = client.get("/cards/review").get_data(as_text=True)
    assert 'value="k1-kurz"' in front
    page = client.post("/cards/check", data={"question_id": "k1-kurz", "text": "Portsmuth"})
    text = " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())
    assert "Teilweise richtig (75 %)" in text
    assert "Richtig, aber falsch geschrieben." in text


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("A", True, "50", ""), ("B", True, "", ""), ("C", False, "", "")), None),
        ((("A", True, "60", ""), ("B", True, "60", ""), ("C", False, "", "")), "100 % ergeben"),
        ((("A", True, "100", ""), ("B", False, "50", ""), ("C", False, "", "")), "100 % ergeben"),
        ((("A", True, "-20", ""), ("B", True, "", ""), ("C", False, "", "")), "keine Punkte"),
    ],
)
def test_multiple_choice_credits_add_up_to_100(rows, message) -> None:
    value = QuestionInput(
        kind="multiple_choice",
        prompt="Welche?",
        options=tuple(OptionInput(t, c, weight=w, feedback=f) for t, c, w, f in rows),
    )
    messages = [m for _, m in check(value)]
    if message is None:
        assert messages == []
        draft = to_draft(value, id="t-mc", document="", origin="teacher", status="approved")
        assert [(c.text, c.correct, c.weight) for c in draft.choices] == [
            ("A", True, 50.0),
            ("B", True, 50.0),
            ("C", False, -100.0),
        ]
    else:
        assert any(message in m for m in messages), messages
