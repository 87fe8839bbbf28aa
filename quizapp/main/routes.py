"""The home page: what the bank holds."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.main import bp
from quizapp.models import Document, Question, Sentence


@bp.get("/")
def index() -> str:
    """Show the documents of the bank with their sentence and question counts."""
    approved = (
        select(Question.document_id, func.count().label("n"))
        .where(Question.status == "approved")
        .group_by(Question.document_id)
        .subquery()
    )
    sentences = (
        select(Sentence.document_id, func.count().label("n"))
        .group_by(Sentence.document_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Document, func.coalesce(sentences.c.n, 0), func.coalesce(approved.c.n, 0))
        .outerjoin(sentences, sentences.c.document_id == Document.id)
        .outerjoin(approved, approved.c.document_id == Document.id)
        .order_by(Document.name)
    ).all()
    by_status = dict(
        db.session.execute(select(Question.status, func.count()).group_by(Question.status)).all()
    )
    return render_template("main/index.html", rows=rows, by_status=by_status)


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """Answer "ok" without touching the database (load balancers; the benchmarks' baseline)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
