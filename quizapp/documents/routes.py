"""Document views."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from sqlalchemy import select

from quizapp.documents import bp
from quizapp.extensions import db
from quizapp.guards import small_int
from quizapp.models import Document, Sentence
from quizapp.security import local_path


@dataclass(frozen=True)
class Segment:
    """A run of the document's text: a sentence (with its position) or the text between."""

    text: str
    sentence: Sentence | None = None


def segments(text: str, sentences: list[Sentence]) -> list[Segment]:
    """Cut the cleaned text into sentences and the gaps between them, losing nothing."""
    parts, cursor = [], 0
    for s in sorted(sentences, key=lambda s: s.start):
        if s.start < cursor:  # overlapping offsets would duplicate text; skip defensively
            continue
        if s.start > cursor:
            parts.append(Segment(text[cursor : s.start]))
        parts.append(Segment(text[s.start : s.end], s))
        cursor = s.end
    if cursor < len(text):
        parts.append(Segment(text[cursor:]))
    return parts


@bp.get("/")
def index() -> str:
    """List the documents."""
    documents = db.session.scalars(select(Document).order_by(Document.name)).all()
    return render_template("documents/index.html", documents=documents)


@bp.get("/<int:document_id>")
def show(document_id: int) -> str:
    """Show a document; ``?hl=N`` highlights sentence N (anchor ``#sN``); ``?back=PATH``
    (a page of this site: the question that linked here) gives a way back."""
    document = db.get_or_404(Document, document_id)
    highlight = request.args.get("hl", type=small_int)
    return render_template(
        "documents/show.html",
        document=document,
        segments=segments(document.text, document.sentences),
        highlight=highlight,
        back=local_path(request.args.get("back")),
    )
