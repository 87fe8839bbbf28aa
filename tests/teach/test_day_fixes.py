"""The teacher area in plain German, and a review queue that survives two tabs."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import Question
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz


@pytest.fixture
def teacher(loaded_app, loaded_client):
    make_user(loaded_app, "frau-meier", role="teacher")
    login_as(loaded_client, "frau-meier")
    return loaded_client


def _drafts(app, n: int) -> list[str]:
    with app.app_context():
        ids = db.session.scalars(
            select(Question.id)
            .where(Question.status == "approved", Question.fact_id.is_(None))
            .order_by(Question.id)
            .limit(n)
        ).all()
        db.session.execute(update(Question).where(Question.id.in_(ids)).values(status="draft"))
        db.session.commit()
    return list(ids)


def _status(app, qid: str) -> str:
    with app.app_context():
        return db.session.get(Question, qid).status


def test_a_stale_bulk_selection_approves_what_is_still_a_draft(loaded_app, teacher) -> None:
    ids = _drafts(loaded_app, 3)
    # Tab 1 rejects one; tab 2 still shows all three ticked and approves them.
    teacher.post(f"/teach/review/{ids[0]}", data={"decision": "rejected", "reason": "doppelt"})
    response = teacher.post("/teach/review/bulk", data={"ids": ids})
    assert response.status_code == 303
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 Fragen freigegeben. 1 Frage übersprungen: inzwischen schon entschieden" in page
    assert [_status(loaded_app, i) for i in ids] == ["rejected", "approved", "approved"]
    one = _drafts(loaded_app, 1)
    teacher.post("/teach/review/bulk", data={"ids": one + ["gibt-es-nicht"]})
    page = teacher.get("/teach/review").get_data(as_text=True)
    assert "1 Frage freigegeben. 1 Frage übersprungen: gibt es nicht mehr." in page
    nothing = teacher.post("/teach/review/bulk", data={}, follow_redirects=True)
    assert "Keine Frage ausgewählt" in nothing.get_data(as_text=True)


def test_a_decision_returns_to_the_same_place_in_the_queue(loaded_app, teacher) -> None:
    ids = sorted(_drafts(loaded_app, 3))
    queue = teacher.get("/teach/review").get_data(as_text=True)
    assert 'name="next" value="/teach/review?page=1#q-' in queue
    back = f"/teach/review?page=1#q-{ids[1]}"
    response = teacher.post(f"/teach/review/{ids[0]}", data={"decision": "approved", "next": back})
    assert response.status_code == 303 and response.headers["Location"] == back
    # Decided in another tab meanwhile: said so, nothing changed, same place.
    again = teacher.post(
        f"/teach/review/{ids[0]}", data={"decision": "rejected", "reason": "x", "next": back}
    )
    assert again.headers["Location"] == back
    assert "schon freigegeben; nichts geändert" in teacher.get("/").get_data(as_text=True)
    assert _status(loaded_app, ids[0]) == "approved"
    outside = teacher.post(
        f"/teach/review/{ids[1]}", data={"decision": "approved", "next": "//evil.example/"}
    )
    assert outside.headers["Location"] == "/teach/review"


def test_edit_and_approve_says_it_was_approved_and_goes_back(loaded_app, teacher) -> None:
    qid = _drafts(loaded_app, 1)[0]
    back = "/teach/review?page=1#questions-heading"
    queue = teacher.get("/teach/review").get_data(as_text=True)
    assert f"/teach/questions/{qid}/edit?next=" in queue
    editor = teacher.get(f"/teach/questions/{qid}/edit", query_string={"next": back})
    editor = editor.get_data(as_text=True)
    assert "Speichern und freigeben" in editor and "Abbrechen" in editor
    assert f'href="{back}"' in editor  # cancel goes back to the queue
    with loaded_app.app_context():
        q = db.session.get(Question, qid)
        data = {
            "kind": q.kind,
            "prompt": q.prompt,
            "answer": q.answer,
            "accepted": "\n".join(q.accepted or []),
            "explanation": q.explanation,
            "topic": q.topic.slug,
            "approve": "1",
            "next": back,
        }
        for i, c in enumerate(q.choices):
            data[f"options-{i}-text"] = c.text
            if c.correct:
                data[f"options-{i}-correct"] = "y"
            if c.match:
                data[f"options-{i}-match"] = c.match
    response = teacher.post(f"/teach/questions/{qid}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == back
    page = teacher.get(back).get_data(as_text=True)
    assert "freigegeben." in page and _status(loaded_app, qid) == "approved"


def test_history_origins_and_statuses_read_in_german(loaded_app, teacher) -> None:
    qid = _drafts(loaded_app, 1)[0]
    teacher.post(f"/teach/questions/{qid}/status", data={"status": "rejected", "reason": "alt"})
    teacher.post(f"/teach/questions/{qid}/status", data={"status": "approved", "reason": ""})
    page = teacher.get(f"/teach/questions/{qid}").get_data(as_text=True)
    assert "Herkunft: kuratiert" in page
    assert ": abgelehnt" in page and ": freigegeben" in page
    assert "Status: „Entwurf“ → „abgelehnt“" in page
    assert "Grund: „–“ → „alt“" in page
    for english in (": reject", ": approve", "review_reason", "curated", "['", "None"):
        assert english not in page, english
    listing = teacher.get("/teach/questions").get_data(as_text=True)
    assert "· aus einem Fakt erzeugt" in listing or "· kuratiert" in listing
    assert "· generated" not in listing and "· curated" not in listing


def test_fact_history_shows_lists_as_words(loaded_app, teacher) -> None:
    from tests.helpers import event_form

    with loaded_app.app_context():
        from quizapp.models import Fact

        fact = db.session.get(Fact, "frieden-portsmouth")
        form = event_form(fact, note="Geändert für den Test.")
    teacher.post("/teach/facts/frieden-portsmouth/edit", data=form)
    page = teacher.get("/teach/facts/frieden-portsmouth").get_data(as_text=True)
    assert "Anmerkung:" in page and "bearbeitet" in page
    assert "['" not in page and "lehrerin: edit" not in page


def test_flagged_analysis_says_none_are_flagged_when_answers_exist(loaded_app, teacher) -> None:
    make_user(loaded_app, "anna")
    anna = loaded_app.test_client()
    login_as(anna, "anna")
    attempt_id = start_quiz(anna, "mixed", "", 5)
    while (item := current_item(loaded_app, attempt_id)) is not None:
        anna.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    page = teacher.get("/teach/analysis?flagged=1").get_data(as_text=True)
    assert "Keine auffälligen Fragen: 5 Fragen haben Antworten" in page
    assert "Noch keine Antworten" not in page
    assert "Viertel" not in teacher.get("/teach/analysis").get_data(as_text=True)


def test_editor_shows_kind_specific_parts_and_a_cancel(teacher) -> None:
    page = teacher.get("/teach/questions/new").get_data(as_text=True)
    assert 'class="numeric"' in page and 'class="answer-field"' in page
    assert 'class="col-match"' in page and 'class="col-weight"' in page
    assert ">Abbrechen</a>" in page
