"""The teacher's fact base over HTTP: review drafts, edit facts, questions follow in place."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import CardState, Fact, FactRevision, Question
from tests.helpers import event_form, login_as, make_user
from tests.teach.test_teach_routes import SHIMONOSEKI


@pytest.fixture
def teacher(loaded_app, loaded_client):
    make_user(loaded_app, "frau-meier", role="teacher")
    login_as(loaded_client, "frau-meier")
    return loaded_client


def _upload(teacher) -> None:
    response = teacher.post(
        "/teach/documents",
        data={"file": (io.BytesIO(SHIMONOSEKI.encode()), "shimonoseki.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_the_review_queue_shows_fact_drafts_with_their_questions_and_checklist(loaded_app, teacher):
    _upload(teacher)
    page = teacher.get("/teach/review").get_data(as_text=True)
    assert "Fakten-Entwürfe" in page and "<mark>" in page
    assert "Wann wurde der Vertrag von Shimonoseki" in page  # a question the draft would give
    assert "Lebten die angebotenen Personen damals und waren sie im Amt?" in page
    assert "Würde eine andere richtige Antwort als falsch gewertet?" in page
    # The undated draft says why it gives no questions (and offers no "Freigeben").
    with loaded_app.app_context():
        drafts = db.session.scalars(select(Fact).where(Fact.status == "draft")).all()
    assert drafts


def test_approving_a_fact_approves_its_questions_at_once(loaded_app, teacher):
    _upload(teacher)
    with loaded_app.app_context():
        fact = db.session.scalars(
            select(Fact).where(Fact.status == "draft", Fact.kind == "event")
        ).first()
        fact_id = fact.id
        questions = db.session.scalars(select(Question.id).where(Question.fact_id == fact_id))
        ids = list(questions)
    assert ids
    response = teacher.post(
        f"/teach/facts/{fact_id}/decide",
        data={"decision": "approved", "next": "https://example.org/"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teach/facts/{fact_id}"  # no open redirect
    with loaded_app.app_context():
        assert db.session.get(Fact, fact_id).status == "approved"
        assert {db.session.get(Question, i).status for i in ids} == {"approved"}
    page = teacher.get(f"/teach/facts/{fact_id}").get_data(as_text=True)
    assert "freigegeben" in page and "Fragen aus diesem Fakt" in page


def test_rejecting_needs_a_reason_and_retires_the_questions(loaded_app, teacher):
    fact_id = "frieden-portsmouth"
    refused = teacher.post(f"/teach/facts/{fact_id}/decide", data={"decision": "rejected"})
    assert refused.status_code == 302
    with loaded_app.app_context():
        assert db.session.get(Fact, fact_id).status == "approved"
    teacher.post(f"/teach/facts/{fact_id}/decide", data={"decision": "rejected", "reason": "Test"})
    with loaded_app.app_context():
        assert db.session.get(Fact, fact_id).status == "rejected"
        built = db.session.scalars(
            select(Question.status).where(
                Question.fact_id == fact_id, Question.origin == "generated"
            )
        ).all()
        assert built and set(built) == {"retired"}


def test_editing_a_fact_rebuilds_its_questions_in_place_and_keeps_progress(loaded_app, teacher):
    learner = make_user(loaded_app, "lena")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with loaded_app.app_context():
        fact = db.session.get(Fact, "landung-wladiwostok-1918")
        before = {
            q.id: q.prompt
            for q in db.session.scalars(select(Question).where(Question.fact_id == fact.id))
        }
        qid = next(iter(before))
        db.session.add(CardState(user_id=learner, question_id=qid, state="review", due=now,
                                 reps=3, stability=4.0, difficulty=5.0))  # fmt: skip
        db.session.commit()
        form = event_form(fact)
    assert before
    clause = str(form["what"])
    subject, verb, rest = (p.strip() for p in clause.split("|"))
    edited = f"die japanischen Truppen | {verb} | {rest}"
    response = teacher.post(
        "/teach/facts/landung-wladiwostok-1918/edit", data={**form, "what": edited}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with loaded_app.app_context():
        after = {
            q.id: q.prompt
            for q in db.session.scalars(
                select(Question).where(Question.fact_id == "landung-wladiwostok-1918")
            )
        }
        assert set(after) == set(before)  # the same ids
        assert any("die japanischen Truppen" in p for p in after.values())
        card = db.session.scalar(select(CardState).where(CardState.question_id == qid))
        assert card.reps == 3  # the learner's progress stays with the question
        fact = db.session.get(Fact, "landung-wladiwostok-1918")
        assert fact.edited
        revision = db.session.scalars(select(FactRevision)).one()
        assert revision.changes["what"] == [clause, edited]
    history = teacher.get("/teach/facts/landung-wladiwostok-1918").get_data(as_text=True)
    assert "bearbeitet" in history and "[" not in history.split("Verlauf")[1].split("</ol>")[0]
    # A reload of the files leaves the edited fact alone.
    result = loaded_app.test_cli_runner().invoke(args=["bank", "load"])
    assert result.exit_code == 0, result.output
    with loaded_app.app_context():
        assert db.session.get(Fact, "landung-wladiwostok-1918").data["what"] == edited


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "31. Juni 1918"}, "„31. Juni 1918“ ist kein Datum"),
        ({"what": "Truppen landeten"}, "Subjekt | finites Verb | Rest"),
        ({"source": "Dieser Satz steht nirgends."}, "Zitat nicht gefunden"),
        ({"participants": ["japan", "atlantis"]}, "unbekannte Person/unbekannter Staat"),
        ({"terms": "Ein Satz ohne Lücke."}, "genau ein Kernwort"),
        ({"kind": "party"}, "Ungültige Auswahl."),
    ],
)
def test_bad_input_is_refused_in_german_and_nothing_is_stored(loaded_app, teacher, change, message):
    with loaded_app.app_context():
        fact = db.session.get(Fact, "landung-wladiwostok-1918")
        data_before = dict(fact.data)
        form = event_form(fact, **change)
    response = teacher.post("/teach/facts/landung-wladiwostok-1918/edit", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    with loaded_app.app_context():
        assert db.session.get(Fact, "landung-wladiwostok-1918").data == data_before
        assert db.session.scalar(select(func.count()).select_from(FactRevision)) == 0


def test_editing_an_actor_adds_an_office(loaded_app, teacher):
    with loaded_app.app_context():
        fact = db.session.get(Fact, "iswolski")
        roles = fact.data["roles"]
    page = teacher.get("/teach/facts/iswolski/edit").get_data(as_text=True)
    assert "russischer Außenminister | Außenminister | russland | Mai 1906" in page
    lines = [
        f"{r['title']} | aussenminister | {r.get('state', '')} | {r.get('from', '')} | "
        f"{r.get('to', '')} | {r.get('source', '')}"
        for r in roles
    ]
    lines.append("russischer Botschafter in Paris | Botschafter | russland | 1910 | 1917 |")
    response = teacher.post(
        "/teach/facts/iswolski/edit",
        data={
            "kind": "person",
            "name": "Alexander Iswolski",
            "variants": "Iswolski",
            "born": "18. März 1856",
            "died": "16. August 1919",
            "roles": "\n".join(lines),
            "note": "",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with loaded_app.app_context():
        roles = db.session.get(Fact, "iswolski").data["roles"]
        assert roles[-1]["office"] == "botschafter" and roles[-1]["to"] == "1917"
        assert roles[0]["document"] == "004_401761815e4e5e11.txt"  # kept from before


def test_fact_list_filters(teacher):
    page = teacher.get("/teach/facts?kind=actor&q=Molotow").get_data(as_text=True)
    assert "Wjatscheslaw Molotow" in page
    events = teacher.get("/teach/facts?kind=event&status=approved").get_data(as_text=True)
    assert re.search(r"Fakten \(\d+\)", events)
    assert "Der Frieden von Portsmouth wurde unterzeichnet." in events or "Seite 1 von" in events
    for query in ("page=99999999999999999999", "document=99999999999999999999", "status=x"):
        assert teacher.get(f"/teach/facts?{query}").status_code == 200
    assert teacher.get("/teach/facts/gibt-es-nicht").status_code == 404
