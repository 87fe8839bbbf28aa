"""Teachers and accounts: promote and demote (each confirmed), one-time reset codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import account as service
from quizapp.teach import bp
from quizapp.teach.forms import ActionForm

ROLE_CHANGES = {
    "promote": ("teacher", "zur Lehrkraft machen"),
    "demote": ("learner", "Lehrkraft-Rechte entziehen"),
}


def _account(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if user.is_guest:
        abort(404)  # guests are no class members
    return user


def _change_role(user_id: int, change: str) -> str | Response | tuple[str, int]:
    """Ask first (GET), then change the role (POST from the confirmation page)."""
    user = _account(user_id)
    role, label = ROLE_CHANGES[change]
    if request.method == "GET" or request.form.get("confirm") != "yes":
        if user.role == role:
            flash(f"{user.username} ist schon {_role_name(role)}.", "info")
            return redirect(url_for("teach.class_overview"))
        return render_template(
            "teach/confirm_role.html", user=user, change=change, label=label, form=ActionForm()
        )
    if not ActionForm().validate():
        abort(400)
    try:
        service.change_role(db.session, user, role, current_user.id)
    except service.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("teach.class_overview"), 303)
    db.session.commit()
    if role == "teacher":
        flash(f"{user.username} ist jetzt Lehrkraft.", "success")
    else:
        flash(f"{user.username} ist jetzt wieder Lernende oder Lernender.", "success")
    if user.id == current_user.id:
        return redirect(url_for("main.index"), 303)
    return redirect(url_for("teach.class_overview"), 303)


def _role_name(role: str) -> str:
    return "Lehrkraft" if role == "teacher" else "Lernende oder Lernender"


@bp.route("/users/<int:user_id>/promote", methods=["GET", "POST"])
def promote(user_id: int) -> str | Response | tuple[str, int]:
    """Make a learner a teacher, after a confirmation page (a teacher sees every answer)."""
    return _change_role(user_id, "promote")


@bp.route("/users/<int:user_id>/demote", methods=["GET", "POST"])
def demote(user_id: int) -> str | Response | tuple[str, int]:
    """Make a teacher a learner again, after a confirmation page (never the last teacher)."""
    return _change_role(user_id, "demote")


@bp.post("/users/<int:user_id>/reset-code")
def reset_code(user_id: int) -> str:
    """Issue a one-time password reset code for an account and show it once."""
    if not ActionForm().validate():
        abort(400)
    user = _account(user_id)
    now = datetime.now(UTC)
    hours = current_app.config["RESET_CODE_HOURS"]
    code, expires = service.issue_reset_code(
        db.session, user, current_user.id, now, timedelta(hours=hours)
    )
    name = user.username
    db.session.commit()
    return render_template("teach/reset_code.html", name=name, code=code, expires=expires)
