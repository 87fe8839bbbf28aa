"""Timeline views: filter, list, start a quiz on what is shown."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.bank.facts import Event
from quizapp.bank.templates import describe
from quizapp.bank.topics import all_topics
from quizapp.extensions import db
from quizapp.models import Document, Fact, Topic
from quizapp.quiz.forms import StartForm
from quizapp.services.quiz import timeline_key
from quizapp.timeline import bp


@dataclass(frozen=True)
class Entry:
    """One event as the timeline shows it."""

    id: str
    date: str
    text: str
    note: str | None
    document: Document | None
    sentence: int | None  # position of the source sentence, for the highlighted link
    topic: str


@bp.get("/")
def index() -> str:
    """Show the approved events in date order, filtered by document and topic."""
    raw_document = request.args.get("document", "")
    topic_slug = request.args.get("topic", "")
    query = (
        select(Fact)
        .where(Fact.kind == "event", Fact.status == "approved")
        .options(
            selectinload(Fact.document), selectinload(Fact.sentence), selectinload(Fact.topic)
        )  # fmt: skip
        .order_by(Fact.sort_key, Fact.id)
    )
    document_id = None
    if raw_document:
        # An id that cannot exist selects nothing (and never reaches the database as a number
        # too big for it).
        document_id = int(raw_document) if raw_document.isdigit() and len(raw_document) < 10 else 0
        query = query.where(Fact.document_id == document_id)
    topic = None
    if topic_slug:
        topic = db.session.scalar(select(Topic).where(Topic.slug == topic_slug))
        query = query.where(Fact.topic_id == (topic.id if topic else -1))
    entries = []
    for fact in db.session.scalars(query):
        try:
            event = Event.model_validate(fact.data)
        except ValidationError:
            continue  # an approved fact is valid; a broken row is left out, not shown half
        when, text = describe(event)
        entries.append(
            Entry(
                fact.id,
                when,
                text,
                event.note,
                fact.document,
                fact.sentence.position if fact.sentence else None,
                fact.topic.name if fact.topic else "",
            )
        )
    documents = db.session.scalars(
        select(Document).where(Document.id.in_(select(Fact.document_id).where(
            Fact.kind == "event", Fact.status == "approved")))
        .order_by(Document.title)
    ).all()  # fmt: skip
    form = StartForm(
        formdata=None, mode="timeline", key=timeline_key(document_id, topic_slug or None)
    )
    return render_template(
        "timeline/index.html",
        entries=entries,
        documents=documents,
        topics=all_topics(),
        document_id=document_id,
        topic_slug=topic_slug,
        form=form,
    )
