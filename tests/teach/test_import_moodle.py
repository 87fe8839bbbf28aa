"""Moodle files through the teacher's import page and `flask bank import`: preview of what
is imported, skipped and repeated; the commit keeps names, ID numbers, tags and formats;
refused files say in German where and why, and store nothing."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Question, QuestionTag
from tests.helpers import login_as, make_user

GIFT = """\
// [id:ort-1] [tag:Krieg] [tag:Frieden]
::Friedensort::[html]<p>Wo endete der Krieg <b>1905</b>?</p><script>alert(1)</script>{
  =<p>Portsmouth</p>#[markdown]**Richtig**
  ~Paris
  ####[markdown]Vermittelt von *Roosevelt*.
}

::Aufsatz::Erzähle vom Krieg.{}

Wer vermittelte den Frieden?{=Roosevelt =Theodore Roosevelt}

Wer vermittelte den Frieden?{=Roosevelt =Theodore Roosevelt}

Wer vermittelte den Frieden?{=Roosevelt#Gut. =Theodore Roosevelt}

Nur eine Beschreibung ohne Antworten.
"""


@pytest.fixture
def teacher(loaded_app: Flask, loaded_client: FlaskClient) -> FlaskClient:
    make_user(loaded_app, "frau-meier", role="teacher")
    login_as(loaded_client, "frau-meier")
    return loaded_client


def _preview(client: FlaskClient, name: str, data: bytes, fmt: str = "auto"):
    return client.post(
        "/teach/import",
        data={"file": (io.BytesIO(data), name), "format": fmt},
        content_type="multipart/form-data",
    )


def _confirm(client: FlaskClient, page: str):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert token, page
    return client.post("/teach/import/confirm", data={"token": token[1]})


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


def test_preview_lists_imported_skipped_and_repeated_then_commit_keeps_the_meta(
    loaded_app, teacher
):
    before = _count(loaded_app)
    response = _preview(teacher, "moodle.gift", GIFT.encode())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3 neue Fragen" in page and "2 übersprungen" in page and "2 Wiederholungen" in page
    skipped = page[page.index('id="skipped"') : page.index("</ul>", page.index('id="skipped"'))]
    assert "moodle.gift, Zeile 8: „Aufsatz“ (Freitext-Aufsatz)" in skipped
    assert "moodle.gift, Zeile 16: „Nur eine Beschreibung ohne Antworten.“" in skipped
    repeats = page[page.index('id="repeats"') : page.index("</ul>", page.index('id="repeats"'))]
    assert "Zeile 12" in repeats and "nur einmal importiert" in repeats
    assert "Zeile 14" in repeats and "eigene Kennung t-" in repeats
    assert "<script>" not in page
    assert _count(loaded_app) == before  # a preview stores nothing

    done = _confirm(teacher, page)
    assert done.status_code == 302
    assert _count(loaded_app) == before + 3
    with loaded_app.app_context():
        q = db.session.scalar(select(Question).where(Question.name == "Friedensort"))
        assert (q.idnumber, q.tags, q.text_format, q.explanation_format) == (
            "ort-1", ["Frieden", "Krieg"], "html", "markdown",
        )  # fmt: skip
        assert q.choices[0].feedback_format == "markdown"
        question_id = q.id
    listed = teacher.get("/teach/questions?tag=krieg").get_data(as_text=True)
    assert "Friedensort" in listed and "Fragen (1)" in listed
    assert "Fragen (1)" in teacher.get("/teach/questions?q=ort-1").get_data(as_text=True)
    shown = teacher.get(f"/teach/questions/{question_id}").get_data(as_text=True)
    assert "Wo endete der Krieg <b>1905</b>?" in shown and "<script>" not in shown
    assert "Vermittelt von <em>Roosevelt</em>." in shown

    # Imported as drafts: a GIFT export holds only approved questions unless asked for more.
    exported = teacher.get("/teach/export?format=gift&status=draft").get_data(as_text=True)
    assert "// [id:ort-1] [tag:Frieden] [tag:Krieg]\n" in exported
    assert f"// quizapp: kind=single_choice id={question_id}\n::Friedensort::[html]" in exported
    assert "#[markdown]**Richtig**" in exported and "####[markdown]Vermittelt" in exported
    data = teacher.get("/teach/export?format=json").get_json()
    item = next(i for i in data if i["id"] == question_id)
    assert (item["name"], item["tags"], item["text_format"]) == (
        "Friedensort", ["Frieden", "Krieg"], "html",
    )  # fmt: skip


def test_editing_keeps_and_changes_name_tags_and_format(loaded_app, teacher):
    page = _preview(teacher, "m.gift", GIFT.encode()).get_data(as_text=True)
    _confirm(teacher, page)
    with loaded_app.app_context():
        q = db.session.scalar(select(Question).where(Question.name == "Friedensort"))
        question_id = q.id
    form = teacher.get(f"/teach/questions/{question_id}/edit").get_data(as_text=True)
    assert 'value="Friedensort"' in form and 'value="Frieden, Krieg"' in form
    assert '<option selected value="html">' in form
    data = {
        "kind": "single_choice",
        "prompt": "<p>Wo endete der Krieg <b>1905</b>?</p>",
        "answer": "",
        "accepted": "",
        "explanation": "Vermittelt von *Roosevelt*.",
        "topic": "allgemein",
        "tolerance": "",
        "minimum": "",
        "maximum": "",
        "name": "Friedensort 1905",
        "idnumber": "ort-1",
        "tags": "Krieg, USA, krieg",
        "text_format": "html",
        "options-0-text": "<p>Portsmouth</p>",
        "options-0-correct": "y",
        "options-1-text": "Paris",
    }
    response = teacher.post(f"/teach/questions/{question_id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with loaded_app.app_context():
        q = db.session.get(Question, question_id)
        assert (q.name, q.tags, q.text_format) == ("Friedensort 1905", ["Krieg", "USA"], "html")
        # the explanation is unchanged, so it keeps its own format (the editor shows one)
        assert q.explanation_format == "markdown"
        assert db.session.scalar(select(func.count()).select_from(QuestionTag)) == 2
    bad = dict(data, tags="<b>fett</b>")
    page = teacher.post(f"/teach/questions/{question_id}/edit", data=bad)
    assert page.status_code == 400
    assert "enthält &lt; , &gt; oder Steuerzeichen" in page.get_data(as_text=True)


def test_a_refused_file_names_file_line_and_reason_in_german_and_stores_nothing(
    loaded_app, teacher
):
    before = _count(loaded_app)
    broken = "Gut?{=a ~b}\n\n::kaputt::Frage\nnoch Text {=a ~b\n\nWann?{#19o5:2}\n"
    response = _preview(teacher, "fragen.gift", broken.encode())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "fragen.gift, Zeile 4: „{“ wird nicht mit „}“ geschlossen." in page
    assert "fragen.gift, Zeile 6: Die Zahlantwort „19o5:2“ ist keine Zahl mit Toleranz" in page
    assert "never closed" not in page
    assert _count(loaded_app) == before
    only_essays = _preview(teacher, "aufsatz.gift", "Erzähle.{}\n\nNoch einmal.{}".encode())
    assert only_essays.status_code == 400
    assert "aufsatz.gift: Die Datei enthält keine Frage, die sich importieren lässt." in (
        only_essays.get_data(as_text=True)
    )
    csv_page = _preview(teacher, "f.csv", b"kind,prompt,answer\nessay,Frage,x\n")
    assert "f.csv, Zeile 2: Unbekannte Fragenart „essay“" in csv_page.get_data(as_text=True)
    assert _count(loaded_app) == before


def test_moodle_xml_and_aiken_files_import_on_the_web_page(loaded_app, teacher):
    xml = (
        b"<quiz><question type='truefalse'><name><text>TF</text></name>"
        b"<questiontext format='html'><text>&lt;b&gt;Japan&lt;/b&gt; siegte.</text></questiontext>"
        b"<answer fraction='100'><text>true</text></answer>"
        b"<answer fraction='0'><text>false</text></answer></question>"
        b"<question type='description'><name><text>Info</text></name>"
        b"<questiontext><text>Lies das.</text></questiontext></question></quiz>"
    )
    page = _preview(teacher, "bank.xml", xml).get_data(as_text=True)
    assert "1 neue Fragen" in page and "„Info“ (Beschreibung ohne Frage)" in page
    assert _confirm(teacher, page).status_code == 302
    aiken = b"Wo endete der Krieg?\nA) Paris\nB) Portsmouth\nANSWER: B\n"
    page = _preview(teacher, "aiken.txt", aiken).get_data(as_text=True)
    assert "1 neue Fragen" in page and "Portsmouth" in page
    assert _confirm(teacher, page).status_code == 302
    with loaded_app.app_context():
        assert db.session.scalar(select(Question).where(Question.name == "TF")).answer == "wahr"


def test_cli_import_skips_and_merges_with_english_notes(loaded_app, tmp_path):
    path = tmp_path / "moodle.gift"
    path.write_text(GIFT, encoding="utf-8")
    result = loaded_app.test_cli_runner().invoke(args=["bank", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "3 new, 0 changed, 0 unchanged, 2 skipped, 1 repeated (imported once)" in result.output
    assert "essay question 'Aufsatz' skipped" in result.output
