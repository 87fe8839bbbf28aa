"""The teachers' queue of learners' error reports."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.models import ErrorReport
from quizapp.quiz.routes import right_answer
from quizapp.reports.forms import ResolveForm
from quizapp.services import reports as service
from quizapp.teach import bp
from quizapp.teach.routes import _context

OUTCOME_WORDS = {
    "fixed": ("als behoben markiert", "als behoben markiert"),
    "rejected": ("erledigt; die Frage ist abgelehnt", "erledigt; die Frage ist abgelehnt"),
    "dismissed": ("ohne Fehler geschlossen", "ohne Fehler geschlossen"),
}


@bp.get("/reports")
def reports() -> str:
    """List open reports with the question, the learner's answer and the source sentence."""
    entries = service.open_reports(db.session)
    return render_template(
        "teach/reports.html",
        entries=[
            (e, right_answer(e.report.question), _context(e.report.question)) for e in entries
        ],
        form=ResolveForm(),
    )


@bp.post("/reports/<int:report_id>")
def resolve_report(report_id: int) -> Response | tuple[str, int]:
    """Fix, reject or dismiss a report (and the other open reports on the same question)."""
    report = db.get_or_404(ErrorReport, report_id)
    form = ResolveForm()
    if not form.validate():
        abort(400)
    if report.status != "open":
        flash("Diese Meldung ist schon erledigt.", "info")
        return redirect(url_for("teach.reports"), 303)
    try:
        n = service.resolve(
            db.session,
            report,
            form.decision.data,
            form.response.data or "",
            current_user.id,
            datetime.now(UTC),
        )
    except service.ReportRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("teach.reports", _anchor=f"r-{report_id}"), 303)
    db.session.commit()
    what = OUTCOME_WORDS[form.decision.data][0]
    flash(
        f"{'1 Meldung' if n == 1 else f'{n} Meldungen'} {what}. Die Lernenden sehen das Ergebnis.",
        "success",
    )
    return redirect(url_for("teach.reports"), 303)
