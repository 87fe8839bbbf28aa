"""The home page: a desk that says what to do next, for visitors, learners and teachers."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template
from flask_login import current_user

from quizapp.extensions import db
from quizapp.main import bp
from quizapp.quiz.forms import StartForm
from quizapp.services import desk


@bp.get("/")
def index() -> str:
    """Show the visitor's, learner's or teacher's desk."""
    now = datetime.now(UTC)
    documents = desk.documents(db.session)
    form = StartForm()
    if not current_user.is_authenticated:
        return render_template("main/index.html", view="visitor", documents=documents, form=form)
    if current_user.is_teacher:
        from quizapp.teach.snapshot import school_item_analysis

        _, items = school_item_analysis()
        return render_template(
            "main/index.html",
            view="teacher",
            teacher=desk.teacher_desk(db.session, items),
            documents=documents,
            form=form,
        )
    return render_template(
        "main/index.html",
        view="learner",
        learner=desk.learner_desk(db.session, current_user.id, now),
        documents=documents,
        form=form,
    )


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """Answer "ok" without touching the database (load balancers; the benchmarks' baseline)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
