"""The timeline over HTTP: events in date order, filters, links to the source, practice."""

from __future__ import annotations

import re

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Fact, Question
from tests.helpers import start_quiz


def _entries(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="when">([^<]*)</p>\s*<p class="what">([^<]*)</p>', html)


def test_every_approved_event_in_date_order_at_its_precision(loaded_app, loaded_client):
    page = loaded_client.get("/timeline/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    entries = _entries(html)
    with loaded_app.app_context():
        approved = db.session.scalars(
            select(Fact).where(Fact.kind == "event", Fact.status == "approved")
        ).all()
        keys = [f.sort_key for f in sorted(approved, key=lambda f: (f.sort_key, f.id))]
    assert len(entries) == len(approved) >= 100
    assert keys == sorted(keys)
    assert ("5. September 1905", "Der Frieden von Portsmouth wurde unterzeichnet.") in entries
    assert any(when == "Juni 1905" for when, _ in entries)  # a month stays a month
    assert any(re.fullmatch(r"\d{4}–\d{4}", when) for when, _ in entries)  # a span of years
    # Each event links to its highlighted source sentence.
    assert re.search(r'href="/documents/\d+\?hl=\d+#s\d+"', html)
    assert "Diese Ereignisse üben" in html
    assert 'href="/timeline/"' in html  # in the navigation


def test_filters_by_document_and_topic(loaded_app, loaded_client):
    with loaded_app.app_context():
        portsmouth = db.session.scalar(
            select(Fact.document_id).where(Fact.id == "frieden-portsmouth")
        )
    by_document = _entries(loaded_client.get(f"/timeline/?document={portsmouth}").get_data(True))
    assert ("5. September 1905", "Der Frieden von Portsmouth wurde unterzeichnet.") in by_document
    assert len(by_document) < len(_entries(loaded_client.get("/timeline/").get_data(True)))
    korea = _entries(loaded_client.get("/timeline/?topic=korea").get_data(as_text=True))
    assert korea and all("Portsmouth" not in text for _, text in korea)


def test_unknown_or_absurd_filters_show_an_empty_state_not_an_error(loaded_client):
    for query in ("document=99999999999999999999", "document=0", "topic=nix"):
        page = loaded_client.get(f"/timeline/?{query}")
        assert page.status_code == 200
        assert "noch keine freigegebenen Ereignisse" in page.get_data(as_text=True)
    # A NUL character is refused for every page before the view runs.
    assert loaded_client.get("/timeline/?topic=%00").status_code == 400


def test_practising_the_events_shown_starts_a_quiz_on_them(loaded_app, loaded_client):
    with loaded_app.app_context():
        document = db.session.scalar(
            select(Fact.document_id).where(Fact.id == "frieden-portsmouth")
        )
    attempt_id = start_quiz(loaded_client, "timeline", f"document:{document}", 10)
    with loaded_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.mode == "timeline" and attempt.title.startswith("Zeitleiste: ")
        questions = [db.session.get(Question, item.question_id) for item in attempt.items]
        assert 1 <= len(questions) <= 10
        events = set(
            db.session.scalars(
                select(Fact.id).where(Fact.document_id == document, Fact.kind == "event")
            )
        )
        for question in questions:
            assert question.fact_id in events
            assert question.kind in ("date", "ordering", "matching", "true_false", "typed")


def test_practising_an_empty_selection_says_so(loaded_client):
    response = loaded_client.post(
        "/quiz/start", data={"mode": "timeline", "key": "topic:nix", "length": "10"}
    )
    assert response.status_code == 302
    page = loaded_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "noch keine freigegebenen Fragen" in page


def test_the_rendered_list_is_reused_until_a_fact_or_document_changes(loaded_app, loaded_client):
    from datetime import UTC, datetime

    from quizapp.models import Document
    from quizapp.services.facts import set_fact_status
    from tests.cards.test_round_trips import statements

    first = loaded_client.get("/timeline/").get_data(as_text=True)
    portsmouth = ("5. September 1905", "Der Frieden von Portsmouth wurde unterzeichnet.")
    assert portsmouth in _entries(first)
    with statements(loaded_app) as sent:
        again = loaded_client.get("/timeline/").get_data(as_text=True)
    assert _entries(again) == _entries(first)
    assert not any("FROM fact" in s and "fact.data" in s for s in sent)  # no fact was loaded
    # A teacher rejects the event: the next page no longer shows it ...
    with loaded_app.app_context():
        fact = db.session.get(Fact, "frieden-portsmouth")
        set_fact_status(db.session, fact, "rejected", "Probe", None, datetime.now(UTC))
        db.session.commit()
    rejected = _entries(loaded_client.get("/timeline/").get_data(as_text=True))
    assert portsmouth not in rejected and len(rejected) == len(_entries(first)) - 1
    # ... and a document's new title shows at once.
    with loaded_app.app_context():
        document = db.session.scalar(select(Document).order_by(Document.id))
        document.title = "Ein ganz neuer Titel"
        db.session.commit()
    assert "Quelle: Ein ganz neuer Titel" in loaded_client.get("/timeline/").get_data(True)
