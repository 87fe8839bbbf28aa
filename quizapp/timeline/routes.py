"""Timeline views: filter, list, start a quiz on what is shown.

The list of events is the heaviest part of any page learners open (about a hundred facts
validated, described and rendered), and it changes only when the facts or documents do. Each
process keeps the rendered lists it made last, by filter and by the version of the fact base
(``fact_base_version``): a page then costs two small queries and its frame.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from flask import current_app, render_template, request
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quizapp.bank.facts import Event
from quizapp.bank.templates import describe
from quizapp.bank.topics import all_topics
from quizapp.extensions import db
from quizapp.models import Document, Fact, Topic
from quizapp.quiz.forms import StartForm
from quizapp.services.quiz import timeline_key
from quizapp.timeline import bp

#: Where the app keeps the rendered event lists of this process:
#: (fact base version, document id, topic slug) -> (number of events, HTML).
LISTS_KEY = "quizapp.timeline_lists"
_LISTS_LOCK = threading.Lock()


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


def fact_base_version(session: Session) -> tuple[Any, ...]:
    """Return a value that changes whenever what the timeline shows may have changed.

    Every change of a fact sets its ``updated_at`` (a new, deleted or re-linked fact changes
    the count or the latest time); a document's title, text (and with it its sentences) or
    removal changes its row in the list of (id, sha256, title).
    """
    facts = session.execute(select(func.count(), func.max(Fact.updated_at)).select_from(Fact))
    documents = session.execute(
        select(Document.id, Document.sha256, Document.title).order_by(Document.id)
    )
    return (tuple(facts.one()), tuple(tuple(row) for row in documents))


@bp.get("/")
def index() -> str:
    """Show the approved events in date order, filtered by document and topic."""
    raw_document = request.args.get("document", "")
    topic_slug = request.args.get("topic", "")
    document_id = None
    if raw_document:
        # An id that cannot exist selects nothing (and never reaches the database as a number
        # too big for it).
        document_id = int(raw_document) if raw_document.isdigit() and len(raw_document) < 10 else 0
    key = (fact_base_version(db.session), document_id, topic_slug)
    with _LISTS_LOCK:
        lists = current_app.extensions.setdefault(LISTS_KEY, LRUCache(maxsize=64))
        found = lists.get(key)
    if found is None:
        entries = _entries(document_id, topic_slug)
        found = len(entries), Markup(render_template("timeline/_entries.html", entries=entries))
        with _LISTS_LOCK:
            lists[key] = found
    shown, entries_html = found
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
        shown=shown,
        entries_html=entries_html,
        documents=documents,
        topics=all_topics(),
        document_id=document_id,
        topic_slug=topic_slug,
        form=form,
    )


def _entries(document_id: int | None, topic_slug: str) -> list[Entry]:
    """Return the approved events in date order, of one document and one topic if given."""
    query = (
        select(Fact)
        .where(Fact.kind == "event", Fact.status == "approved")
        .options(
            selectinload(Fact.document), selectinload(Fact.sentence), selectinload(Fact.topic)
        )  # fmt: skip
        .order_by(Fact.sort_key, Fact.id)
    )
    if document_id is not None:
        query = query.where(Fact.document_id == document_id)
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
    return entries
