"""One validation for every way a question enters: the editor's checks run on JSON, CSV and
GIFT imports (web and `flask bank import`), and ids follow one rule."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.formats.jsonio import parse_json
from quizapp.models import Question
from quizapp.teach.editing import draft_problems, id_problem
from tests.helpers import login_as, make_user


@pytest.fixture
def teacher(loaded_app: Flask, loaded_client: FlaskClient) -> FlaskClient:
    make_user(loaded_app, "frau-meier", role="teacher")
    login_as(loaded_client, "frau-meier")
    return loaded_client


def _question(**values: object) -> dict[str, object]:
    question: dict[str, object] = {
        "id": "import-1",
        "kind": "single_choice",
        "prompt": "Wer vermittelte den Frieden von Portsmouth?",
        "answer": "Theodore Roosevelt",
        "choices": [
            {"text": "Theodore Roosevelt", "correct": True},
            {"text": "Wilhelm II.", "correct": False},
        ],
        "topic": "russisch-japanischer-krieg",
        "status": "approved",
    }
    question.update(values)
    return question


def _import(client: FlaskClient, name: str, data: bytes):
    return client.post(
        "/teach/import",
        data={"file": (io.BytesIO(data), name), "format": "auto", "approve": "y"},
        content_type="multipart/form-data",
    )


def _stored(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(Question.id.like("import-%")))


BROKEN = [
    (
        {"choices": [{"text": "A", "correct": False}, {"text": "B", "correct": False}]},
        "Mindestens eine Antwort muss die volle Punktzahl geben",
    ),
    ({"kind": "true_false", "answer": "vielleicht", "choices": []}, "„wahr“ oder „falsch“"),
    ({"choices": []}, "mindestens zwei Antworten"),
    ({"kind": "cloze", "answer": "Portsmouth", "choices": []}, "genau eine Lücke"),
    ({"kind": "numerical", "answer": "viele", "choices": []}, "„viele“ ist keine Zahl"),
    ({"kind": "ordering", "answer": "A", "choices": [{"text": "A", "correct": True}]}, "drei"),
    ({"kind": "date", "answer": "irgendwann", "choices": []}, "ist kein Datum"),
    ({"prompt": "Frage mit\x00Steuerzeichen?"}, "Steuerzeichen"),
    ({"prompt": "x" * 2001}, "höchstens 2000 Zeichen"),
    ({"id": "x/slash"}, "Buchstaben, Ziffern"),
    ({"id": "new"}, "„new“"),
    ({"id": "bulk"}, "„bulk“"),
    ({"id": "x" * 65}, "Buchstaben, Ziffern"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN, ids=[m[:20] for _, m in BROKEN])
def test_a_broken_json_question_is_refused_and_nothing_is_stored(
    loaded_app, teacher, change, message
) -> None:
    data = json.dumps([_question(id="import-ok"), _question(**change)]).encode()
    response = _import(teacher, "fragen.json", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert message in page
    assert "fragen.json, Frage 2" in page
    assert _stored(loaded_app) == 0


def test_the_same_checks_run_on_csv_and_gift(loaded_app, teacher) -> None:
    csv = "id;kind;prompt;answer\nimport-c;typed;Wo wurde in Portsmouth verhandelt?;Portsmouth\n"
    response = _import(teacher, "fragen.csv", csv.encode())
    assert response.status_code == 400
    assert "fragen.csv, Zeile 2: Der Fragetext verrät die Antwort" in response.get_data(
        as_text=True
    )
    response = _import(teacher, "fragen.csv", b"id;kind;prompt;answer\nnew;typed;Wo?;Portsmouth\n")
    assert "„new“ ist ein Wort der Adressen" in response.get_data(as_text=True)
    gift = "::import-g::Wo wurde 1905 Frieden geschlossen, in Portsmouth? {=Portsmouth ~Paris}\n"
    response = _import(teacher, "fragen.gift", gift.encode())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "verrät die Antwort" in page and "fragen.gift, Zeile 1" in page
    assert _stored(loaded_app) == 0


def test_the_command_line_import_runs_the_checks_too(loaded_app, tmp_path) -> None:
    path = tmp_path / "fragen.json"
    path.write_text(json.dumps([_question(kind="true_false", answer="vielleicht", choices=[])]))
    result = loaded_app.test_cli_runner().invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1
    assert "„wahr“ oder „falsch“" in result.output
    assert _stored(loaded_app) == 0


def test_a_valid_import_still_goes_through(loaded_app, teacher) -> None:
    page = _import(teacher, "fragen.json", json.dumps([_question()]).encode())
    assert page.status_code == 200
    assert "1 neue Fragen" in page.get_data(as_text=True)


def test_the_shipped_bank_passes_the_editors_checks(loaded_app) -> None:
    from quizapp.formats.jsonio import dump_json
    from quizapp.services.bank import export_questions

    with loaded_app.app_context():
        exported = dump_json(export_questions(db.session))
    drafts = parse_json(exported)
    problems = {d.id: draft_problems(d) for d in drafts}
    assert not {k: v for k, v in problems.items() if v}


@pytest.mark.parametrize("good", ["g-1a2b3c4d5e6f", "t-0123456789ab", "curated-id", "A.b_c-9"])
def test_ids_the_app_makes_follow_the_rule(good: str) -> None:
    assert id_problem(good) is None


@pytest.mark.parametrize("bad", ["x/slash", "new", "NEW", "bulk", "", "-x", "a b", "ä", "x" * 65])
def test_ids_that_routes_cannot_reach_are_refused(bad: str) -> None:
    assert id_problem(bad) is not None
