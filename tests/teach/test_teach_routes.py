"""The teacher area over HTTP: editor, review queue, documents, import/export, analysis."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AnalysisSnapshot, Document, Question, QuestionRevision, User
from quizapp.services.analysis import SCHOOL
from quizapp.teach.snapshot import THREAD_KEY
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz, user_id

SHIMONOSEKI = """Der Vertrag von Shimonoseki

Nach dem Ersten Japanisch-Chinesischen Krieg wurde am 17. April 1895 der Vertrag von Shimonoseki
unterzeichnet. China trat darin Taiwan und die Pescadores-Inseln an Japan ab. Der chinesische
Unterhändler Li Hongzhang verhandelte mit dem japanischen Ministerpräsidenten Itō Hirobumi.
Im Jahr 1898 pachtete Russland Port Arthur.
"""


@pytest.fixture
def teacher(loaded_app, loaded_client):
    make_user(loaded_app, "frau-meier", role="teacher")
    login_as(loaded_client, "frau-meier")
    return loaded_client


def _editor_data(**values) -> dict[str, str]:
    data = {
        "kind": "single_choice",
        "prompt": "Wer vermittelte 1905 den Frieden zwischen Russland und Japan?",
        "answer": "",
        "accepted": "",
        "explanation": "Theodore Roosevelt vermittelte in Portsmouth.",
        "topic": "russisch-japanischer-krieg",
        "tolerance": "",
        "minimum": "",
        "maximum": "",
    }
    for i in range(6):
        data |= {f"options-{i}-text": "", f"options-{i}-match": "", f"options-{i}-weight": ""}
    data.update(values)
    return data


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_dashboard_and_lists(teacher) -> None:
    page = teacher.get("/teach/").get_data(as_text=True)
    assert "Bestand und Zahlen" in page and "freigegebene Fragen" in page
    # The bank's statistics moved here from the home page, file names included.
    assert "004_401761815e4e5e11.txt" in page
    listing = teacher.get("/teach/questions?status=approved&kind=date").get_data(as_text=True)
    assert "Fragen (" in listing and "Datum" in listing


def test_new_single_choice_question_with_teacher_validation(loaded_app, teacher) -> None:
    before = _count(loaded_app, Question)
    bad = _editor_data(**{"options-0-text": "Theodore Roosevelt"})
    response = teacher.post("/teach/questions/new", data=bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "mindestens zwei Antworten" in page and "volle Punktzahl" in page
    assert _count(loaded_app, Question) == before

    good = _editor_data(
        **{
            "options-0-text": "Theodore Roosevelt",
            "options-0-correct": "y",
            "options-1-text": "Wilhelm II.",
            "options-2-text": "Eduard VII.",
        }
    )
    response = teacher.post("/teach/questions/new", data=good)
    assert response.status_code == 302
    qid = response.headers["Location"].rsplit("/", 1)[1]
    with loaded_app.app_context():
        q = db.session.get(Question, qid)
        assert q.origin == "teacher" and q.status == "approved" and q.edited
        assert q.answer == "Theodore Roosevelt" and len(q.choices) == 3
        revision = db.session.scalar(
            select(QuestionRevision).where(QuestionRevision.question_id == qid)
        )
        assert revision.action == "create"
    detail = teacher.get(f"/teach/questions/{qid}").get_data(as_text=True)
    assert "Vorschau" in detail and 'type="radio"' in detail


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "ordering", "options-0-text": "A", "options-1-text": "B"}, "mindestens drei"),
        ({"kind": "date", "answer": "irgendwann"}, "ist kein Datum"),
        ({"kind": "cloze", "answer": "Portsmouth"}, "genau eine Lücke"),
        ({"kind": "true_false", "answer": "vielleicht"}, "„wahr“ oder „falsch“"),
        ({"kind": "numerical", "answer": "neunzehnhundert"}, "keine Zahl"),
        ({"kind": "matching", "options-0-text": "Portsmouth"}, "fehlt die rechte Seite"),
        ({"kind": "typed", "answer": ""}, "richtige Antwort ein"),
    ],
)
def test_editor_explains_what_is_wrong(loaded_app, teacher, values, message) -> None:
    before = _count(loaded_app, Question)
    response = teacher.post("/teach/questions/new", data=_editor_data(**values))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(loaded_app, Question) == before


def test_editing_keeps_id_and_progress_and_records_history(loaded_app, teacher) -> None:
    make_user(loaded_app, "schueler")
    learner = loaded_app.test_client()
    login_as(learner, "schueler")
    attempt_id = start_quiz(learner, "mixed", "", 5)
    item = current_item(loaded_app, attempt_id)
    learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    qid = item.question_id
    form_page = teacher.get(f"/teach/questions/{qid}/edit").get_data(as_text=True)
    assert "Id " + qid in form_page
    with loaded_app.app_context():
        from quizapp.services.teach import snapshot

        q = db.session.get(Question, qid)
        values = snapshot(q)
    data = _editor_data(
        kind=values["kind"],
        prompt=values["prompt"] + " (überarbeitet)",
        answer=values["answer"] if values["kind"] not in ("ordering", "matching") else "",
        accepted="\n".join(values["accepted"]),
        explanation=values["explanation"],
        topic=values["topic"],
        **{k: v for k, v in (values.get("extra") or {}).items() if k == "tolerance"},
    )
    for i, c in enumerate(values["choices"]):
        data[f"options-{i}-text"] = c["text"]
        data[f"options-{i}-match"] = c.get("match") or ""
        if c["correct"] and values["kind"] in ("single_choice", "multiple_choice", "date"):
            data[f"options-{i}-correct"] = "y"
    response = teacher.post(f"/teach/questions/{qid}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with loaded_app.app_context():
        q = db.session.get(Question, qid)
        assert q.prompt.endswith("(überarbeitet)") and q.edited
        revision = db.session.scalars(
            select(QuestionRevision).where(QuestionRevision.question_id == qid)
        ).all()[-1]
        assert revision.action == "edit" and set(revision.changes) == {"prompt"}
    history = learner.get("/quiz/history").get_data(as_text=True)
    assert f"/quiz/{attempt_id}" in history
    detail = teacher.get(f"/teach/questions/{qid}").get_data(as_text=True)
    assert "(überarbeitet)" in detail and "frau-meier" in detail


@pytest.mark.parametrize("weights_from", ["page", "left_empty"])
def test_editing_a_multiple_choice_prompt_changes_nothing_else(
    loaded_app, teacher, weights_from: str
) -> None:
    qid = "portsmouth-zugestaendnisse"
    page = teacher.get(f"/teach/questions/{qid}/edit").get_data(as_text=True)
    shown = dict(re.findall(r'name="options-(\d)-weight"[^>]*value="([^"]*)"', page))
    with loaded_app.app_context():
        from quizapp.services.teach import snapshot

        values = snapshot(db.session.get(Question, qid))
    data = _editor_data(
        kind="multiple_choice",
        prompt=values["prompt"] + " (überarbeitet)",
        explanation=values["explanation"],
        topic=values["topic"],
    )
    for i, c in enumerate(values["choices"]):
        data[f"options-{i}-text"] = c["text"]
        if c["correct"]:
            data[f"options-{i}-correct"] = "y"
        if weights_from == "page":  # as the browser sends the form back
            data[f"options-{i}-weight"] = shown[str(i)]
    response = teacher.post(f"/teach/questions/{qid}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with loaded_app.app_context():
        revision = db.session.scalars(
            select(QuestionRevision).where(QuestionRevision.question_id == qid)
        ).all()[-1]
    assert set(revision.changes) == {"prompt"}


def test_review_queue_approve_reject_and_bulk(loaded_app, teacher, tmp_path) -> None:
    response = teacher.post(
        "/teach/documents",
        data={"file": (io.BytesIO(SHIMONOSEKI.encode()), "shimonoseki.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    queue = teacher.get("/teach/review").get_data(as_text=True)
    assert "<mark>" in queue and "Shimonoseki" in queue
    with loaded_app.app_context():
        drafts = db.session.scalars(select(Question.id).where(Question.status == "draft")).all()
    assert len(drafts) >= 2
    no_reason = teacher.post(f"/teach/review/{drafts[0]}", data={"decision": "rejected"})
    assert no_reason.status_code == 303
    with loaded_app.app_context():
        assert db.session.get(Question, drafts[0]).status == "draft"
    teacher.post(f"/teach/review/{drafts[0]}", data={"decision": "rejected", "reason": "Unklar"})
    teacher.post("/teach/review/bulk", data={"ids": drafts[1:]})
    with loaded_app.app_context():
        assert db.session.get(Question, drafts[0]).status == "rejected"
        assert {db.session.get(Question, i).status for i in drafts[1:]} == {"approved"}
    # The generator runs again: the rejected draft stays rejected.
    result = loaded_app.test_cli_runner().invoke(args=["bank", "load"])
    assert result.exit_code == 0, result.output
    with loaded_app.app_context():
        assert db.session.get(Question, drafts[0]).status == "rejected"


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("text.pdf", b"%PDF-1.4", "Nur .txt-Dateien"),
        (
            "latin1.txt",
            "Der Vertrag von Portsmouth wurde geschlossen. Ä".encode("latin-1"),
            "UTF-8",
        ),
        ("leer.txt", b"  \n", "leer oder enthält nur Leerzeichen"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    loaded_app, teacher, filename, content, message
) -> None:
    before = _count(loaded_app, Document)
    response = teacher.post(
        "/teach/documents",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(loaded_app, Document) == before


def test_too_large_upload_is_413(make_db, tmp_path) -> None:
    from tests.conftest import _make_app

    app = _make_app(make_db("loaded"), tmp_path, MAX_CONTENT_LENGTH=1024)
    make_user(app, "lehrer", role="teacher")
    client = app.test_client()
    login_as(client, "lehrer")
    response = client.post(
        "/teach/documents",
        data={"file": (io.BytesIO(b"x" * 5000), "gross.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "zu groß" in response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_json_export_import_preview_and_commit(loaded_app, teacher) -> None:
    exported = teacher.get("/teach/export?format=json&status=approved")
    assert exported.status_code == 200
    data = json.loads(exported.get_data(as_text=True))
    item = next(q for q in data if q["kind"] == "typed")
    item["prompt"] += " (Import)"
    new = dict(item, id="t-neu-aus-json", prompt="Welche Stadt liegt am Pazifik? (neu)")
    payload = json.dumps([item, new], ensure_ascii=False).encode()
    preview = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(payload), "fragen.json"), "format": "auto"},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "1 neue Fragen, 1 geänderte" in page
    assert _count(loaded_app, QuestionRevision) == 0
    import re

    fields = dict(re.findall(r'name="(token)"[^>]*value="([^"]*)"', page))
    response = teacher.post("/teach/import/confirm", data=fields)
    assert response.status_code == 302
    with loaded_app.app_context():
        assert db.session.get(Question, "t-neu-aus-json").status == "draft"
        assert db.session.get(Question, item["id"]).prompt.endswith("(Import)")


def test_broken_import_names_the_line_and_stores_nothing(loaded_app, teacher) -> None:
    before = _count(loaded_app, Question)
    response = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(b'[{"id": "x",\n "kind": 5}'), "kaputt.json"), "format": "json"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "kaputt.json, Zeile 2" in response.get_data(as_text=True)
    assert _count(loaded_app, Question) == before


def _role(app, uid: int) -> str:
    with app.app_context():
        return db.session.get(User, uid).role


def test_promotion_asks_for_confirmation_first(loaded_app, teacher) -> None:
    uid = make_user(loaded_app, "ben")
    page = teacher.get("/teach/class").get_data(as_text=True)
    assert "ben" in page
    # The class page only links to a confirmation page; a click there changes nothing.
    assert f'href="/teach/users/{uid}/promote"' in page
    confirm = teacher.get(f"/teach/users/{uid}/promote")
    assert confirm.status_code == 200
    assert "sieht alle richtigen Antworten" in confirm.get_data(as_text=True)
    # A POST without the confirmation (an old button, a misclick) shows the question again.
    unconfirmed = teacher.post(f"/teach/users/{uid}/promote")
    assert unconfirmed.status_code == 200 and _role(loaded_app, uid) == "learner"
    done = teacher.post(f"/teach/users/{uid}/promote", data={"confirm": "yes"})
    assert done.status_code == 303 and _role(loaded_app, uid) == "teacher"
    again = teacher.get(f"/teach/users/{uid}/promote", follow_redirects=True)
    assert "ist schon Lehrkraft" in again.get_data(as_text=True)


def test_a_teacher_demotes_a_teacher_on_the_web_but_never_the_last(loaded_app, teacher) -> None:
    uid = make_user(loaded_app, "herr-k", role="teacher")
    page = teacher.get("/teach/class").get_data(as_text=True)
    assert f'href="/teach/users/{uid}/demote"' in page
    assert "verliert den Zugang" in teacher.get(f"/teach/users/{uid}/demote").get_data(as_text=True)
    done = teacher.post(f"/teach/users/{uid}/demote", data={"confirm": "yes"})
    assert done.status_code == 303 and _role(loaded_app, uid) == "learner"
    # The one teacher left cannot demote themselves: the class would have nobody to curate.
    me = user_id(loaded_app, "frau-meier")
    last = teacher.post(f"/teach/users/{me}/demote", data={"confirm": "yes"}, follow_redirects=True)
    assert "letzte Lehrkraft" in last.get_data(as_text=True)
    assert _role(loaded_app, me) == "teacher"


def test_guests_are_no_class_members_for_role_changes(loaded_app, teacher) -> None:
    guest = loaded_app.test_client()
    assert guest.post("/auth/guest").status_code == 302
    with loaded_app.app_context():
        gid = db.session.scalar(select(User.id).where(User.is_guest))
    assert teacher.get(f"/teach/users/{gid}/promote").status_code == 404
    assert teacher.post(f"/teach/users/{gid}/reset-code").status_code == 404


def test_analysis_page(loaded_app, teacher) -> None:
    make_user(loaded_app, "clara")
    learner = loaded_app.test_client()
    login_as(learner, "clara")
    attempt_id = start_quiz(learner, "mixed", "", 5)
    while (item := current_item(loaded_app, attempt_id)) is not None:
        learner.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    page = teacher.get("/teach/analysis").get_data(as_text=True)
    assert "Leichtigkeit" in page and "100\u00a0%" in page


def _answer_all(app, client, attempt_id: int) -> None:
    while (item := current_item(app, attempt_id)) is not None:
        client.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))


def _answer_count(page: str) -> int:
    return sum(int(n) for n in re.findall(r'<td class="num">(\d+)</td>', page))


def test_analysis_page_reads_its_snapshot_and_refreshes_it_in_the_background(
    loaded_app, teacher
) -> None:
    loaded_app.config["ANALYSIS_CACHE_SECONDS"] = 60
    make_user(loaded_app, "dora")
    learner = loaded_app.test_client()
    login_as(learner, "dora")
    _answer_all(loaded_app, learner, start_quiz(learner, "mixed", "", 5))
    # The first page computes the snapshot ...
    first = teacher.get("/teach/analysis").get_data(as_text=True)
    assert _answer_count(first) == 5
    assert "älter als 60 Sekunden" in first
    _answer_all(loaded_app, learner, start_quiz(learner, "mixed", "", 5))
    # ... within the minute every page reads it, nothing is recomputed ...
    assert _answer_count(teacher.get("/teach/analysis").get_data(as_text=True)) == 5
    assert THREAD_KEY not in loaded_app.extensions
    # ... and an older one is still shown while a background thread refreshes it.
    with loaded_app.app_context():
        snapshot = db.session.get(AnalysisSnapshot, SCHOOL)
        snapshot.computed_at -= timedelta(minutes=2)
        db.session.commit()
    assert _answer_count(teacher.get("/teach/analysis").get_data(as_text=True)) == 5
    refresh = loaded_app.extensions[THREAD_KEY]
    refresh.join(timeout=30)
    assert not refresh.is_alive()
    assert _answer_count(teacher.get("/teach/analysis").get_data(as_text=True)) == 10
    assert loaded_app.extensions[THREAD_KEY] is refresh  # fresh again: no second refresh
    with loaded_app.app_context():
        assert db.session.get(AnalysisSnapshot, SCHOOL).refresh_started_at is None


def test_analysis_comes_in_pages(loaded_app, teacher, monkeypatch) -> None:
    monkeypatch.setattr("quizapp.teach.routes.PAGE_SIZE", 2)
    make_user(loaded_app, "dora")
    learner = loaded_app.test_client()
    login_as(learner, "dora")
    _answer_all(loaded_app, learner, start_quiz(learner, "mixed", "", 5))
    pages = [teacher.get(f"/teach/analysis?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    assert [_answer_count(page) for page in pages] == [2, 2, 1]
    assert "Fragen 1–2 von 5, Seite 1 von 3" in pages[0]
    assert "Fragen 5–5 von 5, Seite 3 von 3" in pages[2]
    assert 'href="/teach/analysis?page=2">weiter<' in pages[0]
    assert "?page=0" not in pages[0] and 'href="/teach/analysis?page=2">zurück<' in pages[2]
    # A page past the end shows the last one; nonsense is the first.
    assert _answer_count(teacher.get("/teach/analysis?page=99").get_data(as_text=True)) == 1
    assert "Seite 1 von 3" in teacher.get("/teach/analysis?page=x").get_data(as_text=True)


def test_teacher_text_is_escaped_for_learners(loaded_app, teacher) -> None:
    data = _editor_data(
        kind="typed",
        prompt="<script>alert('x')</script> Wer unterzeichnete?",
        answer="Witte",
        explanation="<img src=x onerror=alert(1)>",
    )
    response = teacher.post("/teach/questions/new", data=data)
    qid = response.headers["Location"].rsplit("/", 1)[1]
    page = teacher.get(f"/teach/questions/{qid}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_a_document_without_line_breaks_gets_a_title_that_fits(loaded_app, teacher) -> None:
    # Its first line becomes the title: 1,800 characters, more than the column holds
    # (PostgreSQL refused the insert: a server error found by the fuzz test).
    text = "[" * 900 + "]" * 900
    response = teacher.post(
        "/teach/documents",
        data={"file": (io.BytesIO(text.encode()), "klammern.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with loaded_app.app_context():
        document = db.session.scalar(select(Document).where(Document.name == "klammern.txt"))
        assert document is not None and document.title == "[" * 499 + "…"
        assert document.text == text
