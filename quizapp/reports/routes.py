"""Learners' side of error reports: file one, see what became of it."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.reports import bp
from quizapp.reports.forms import REASON_NAMES, STATUS_NAMES, ReportForm
from quizapp.security import local_path
from quizapp.services import reports as service


@bp.app_context_processor
def report_names() -> dict[str, object]:
    """Make the German names of reasons and outcomes available in templates."""
    return {"REPORT_REASON_NAMES": REASON_NAMES, "REPORT_STATUS_NAMES": STATUS_NAMES}


@bp.post("/")
@login_required
def create() -> Response | tuple[str, int]:
    """File a report on a question; the learner goes back to where they were."""
    form = ReportForm()
    back = local_path(form.next.data) or url_for("reports.index")
    if not form.validate():
        if not form.question_id.data:
            abort(400)
        errors = [e for field in form for e in field.errors]
        return render_template("reports/refused.html", errors=errors, back=back), 400
    try:
        report = service.file_report(
            db.session,
            current_user.id,
            form.question_id.data,
            form.reason.data,
            form.text.data or "",
            datetime.now(UTC),
            item_id=form.item_id.data,
            answer_text=form.answer.data or None,
        )
    except service.ReportRefused as exc:
        db.session.rollback()
        return render_template("reports/refused.html", errors=[str(exc)], back=back), 400
    if report is None:
        db.session.rollback()
        flash("Du hast diese Frage schon gemeldet; eine Lehrkraft sieht sich das an.", "info")
    else:
        db.session.commit()
        flash(
            "Danke! Deine Meldung ist bei den Lehrkräften. Unter „Meine Meldungen“ siehst du, "
            "was daraus wird.",
            "success",
        )
    return redirect(back, 303)


@bp.get("/")
@login_required
def index() -> str:
    """List the learner's reports with the teachers' answers."""
    return render_template(
        "reports/index.html", reports=service.reports_of(db.session, current_user.id)
    )
