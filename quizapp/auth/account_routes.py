"""An account's own page: password reset with a teacher's code, data download, deletion."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Response, flash, redirect, render_template, request, session
from flask_login import current_user, login_required, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.auth import bp
from quizapp.auth.forms import DeleteAccountForm, ResetForm
from quizapp.auth.routes import _DUMMY_HASH, _account_tag, _address, _start_session, _too_many
from quizapp.database import begin_write, own_transaction
from quizapp.extensions import db
from quizapp.security import password_message
from quizapp.services import account as service
from quizapp.services.throttle import check_and_count, forgive

#: Wrong reset codes from one address before each further try waits (1 s, 2 s, 4 s ...).
RESET_FREE_FAILURES = 10


def _now() -> datetime:
    return datetime.now(UTC)


@bp.route("/reset", methods=["GET", "POST"])
@own_transaction  # the slow password hash runs outside the write lock
def reset() -> str | WerkzeugResponse | tuple[str, int]:
    """Set a new password with a one-time code a teacher handed out."""
    form = ResetForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/reset.html", form=form), status
    # The code names the account: judge the password without the name first (a weak one is
    # refused before the code is spent), then once more against the account's name below.
    message = password_message(form.password.data)
    if message:
        form.password.errors.append(message)
        return render_template("auth/reset.html", form=form), 400
    new_hash = generate_password_hash(form.password.data)
    begin_write(db.session)
    keys = ((f"reset:{_address()}", RESET_FREE_FAILURES),)
    wait, counted = check_and_count(db.session, keys, _now())
    if wait:
        db.session.commit()
        return _too_many(wait, "auth/reset.html", form)
    user = service.redeem_reset_code(db.session, form.code.data, _now())
    if user is None:
        db.session.commit()  # the failure stays counted
        form.code.errors.append(service.WRONG_CODE)
        return render_template("auth/reset.html", form=form), 400
    message = password_message(form.password.data, user.username or "")
    if message:
        db.session.rollback()  # the code stays usable
        form.password.errors.append(message)
        return render_template("auth/reset.html", form=form), 400
    forgive(db.session, counted)
    user.password_hash = new_hash
    user.rotate_session_token()
    db.session.commit()
    _start_session(user)
    flash(
        f"Dein neues Passwort ist gespeichert, {user.username}. Du bist angemeldet; "
        "alle anderen Geräte sind abgemeldet.",
        "success",
    )
    return redirect("/")


@bp.get("/account")
@login_required
def account() -> str:
    """The account's page: password, a copy of all data, deleting the account."""
    return render_template("auth/account.html", form=DeleteAccountForm())


@bp.get("/account/data.json")
@login_required
def export_data() -> Response:
    """Download everything stored about this account as JSON."""
    data = service.export_data(db.session, current_user.id, _now())
    name = current_user.username or "gast"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="quizapp-{name}.json"'},
    )


@bp.post("/account/delete")
@own_transaction  # the password hash is checked before the write lock
@login_required
def delete_account() -> str | WerkzeugResponse | tuple[str, int]:
    """Delete the account with everything it owns, then log out."""
    form = DeleteAccountForm()
    user_id, is_guest = current_user.id, current_user.is_guest
    stored_hash = current_user.password_hash
    name = current_user.username or ""
    if not form.validate_on_submit():
        return render_template("auth/account.html", form=form), 400
    if not is_guest and not check_password_hash(
        stored_hash or _DUMMY_HASH, form.password.data or ""
    ):
        form.password.errors.append("Das Passwort stimmt nicht. Es wurde nichts gelöscht.")
        return render_template("auth/account.html", form=form), 400
    begin_write(db.session)
    try:
        service.delete_account(db.session, user_id, _account_tag(name) if name else None)
    except service.AccountError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return render_template("auth/account.html", form=form), 400
    db.session.commit()
    session.clear()
    logout_user()
    flash("Dein Konto und alle deine Daten sind gelöscht.", "info")
    return redirect("/")
