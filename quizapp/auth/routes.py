"""Registration, login, logout and guest accounts."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from quizapp.auth import bp
from quizapp.auth.device import read_device, remember_device
from quizapp.auth.forms import LoginForm, PasswordForm, RegisterForm
from quizapp.database import begin_write, own_transaction
from quizapp.extensions import db, login_manager
from quizapp.models import User
from quizapp.security import account_tag, throttle_keys
from quizapp.services.account import adopt_guest
from quizapp.services.classes import code_at_registration, join_registered
from quizapp.services.throttle import check_and_count, forgive
from quizapp.services.users import find_user, username_key

# Checked against when the user does not exist, so both paths cost one password hash.
_DUMMY_HASH = generate_password_hash("timing-equaliser-not-a-password")
FAILED_LOGIN = "Benutzername oder Passwort ist falsch."


# Built once: every request of a logged-in user runs it, and building it costs more than
# running it.
_USER = select(User).where(User.id == bindparam("user_id")).options(joinedload(User.card_settings))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the user of a session id "<id>:<token>", or None if the token is outdated."""
    uid, _, token = user_id.partition(":")
    if not uid.isdigit():
        return None
    # The flashcard settings come along: the review page needs them on every card.
    user = db.session.execute(_USER, {"user_id": int(uid)}).unique().scalar_one_or_none()
    if user is None or user.session_token != token:
        return None
    return user


def _safe_next(target: str | None) -> str:
    """Return a local redirect target; anything pointing elsewhere, or unfit for a Location
    header (control characters, backslashes browsers read as slashes), goes home."""
    if (
        target
        and target.startswith("/")
        and "//" not in target
        and "\\" not in target
        and target.isprintable()
        and urlsplit(target).netloc == ""
    ):
        return target
    return url_for("main.index")


def _start_session(user: User) -> None:
    # A fresh session at login: nothing from before the login survives in the cookie.
    session.clear()
    login_user(user, remember=True)
    session.permanent = True


def _address() -> str:
    return (request.remote_addr or "-")[:64]


def _account_tag(name: str) -> str:
    return account_tag(current_app.secret_key, username_key(name))


def _too_many(wait: float, template: str, form: object) -> tuple[str, int]:
    flash(
        f"Zu viele fehlgeschlagene Versuche. Bitte warte {int(wait) + 1} Sekunden "
        "und versuche es dann noch einmal.",
        "error",
    )
    return render_template(template, form=form), 429


def _adopt_guest(guest_id: int, account: User) -> None:
    """Move a guest's quizzes, cards and reports into the account, then drop the guest."""
    adopt_guest(db.session, guest_id, account.id)


@bp.route("/login", methods=["GET", "POST"])
@own_transaction  # the slow password hash runs between two short write transactions
def login() -> str | Response | tuple[str, int]:
    """Log a user in; failed attempts are slowed down (see quizapp.security.throttle_keys)."""
    if current_user.is_authenticated and not current_user.is_guest:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    guest_id = current_user.id if current_user.is_authenticated else None
    device, tag = read_device(), _account_tag(form.username.data)
    # Check and count in one write transaction: parallel guesses see each other.
    begin_write(db.session)
    wait, counted = check_and_count(
        db.session, throttle_keys(tag, _address(), device), datetime.now(UTC)
    )
    user = None if wait else find_user(db.session, form.username.data)
    stored_hash = user.password_hash if user is not None and user.password_hash else None
    db.session.commit()
    if wait:
        return _too_many(wait, "auth/login.html", form)
    password_ok = check_password_hash(stored_hash or _DUMMY_HASH, form.password.data)
    if user is None or stored_hash is None or not password_ok:
        flash(FAILED_LOGIN, "error")  # the failure is counted already
        return render_template("auth/login.html", form=form), 200
    begin_write(db.session)
    forgive(db.session, counted)
    user = db.session.get(User, user.id)
    if guest_id is not None and guest_id != user.id:
        _adopt_guest(guest_id, user)
    db.session.commit()
    _start_session(user)
    flash(f"Willkommen zurück, {user.username}!", "success")
    response = redirect(_safe_next(request.args.get("next")))
    remember_device(response, device, tag)
    return response


@bp.route("/register", methods=["GET", "POST"])
@own_transaction  # the slow password hash runs before the write lock
def register() -> str | Response:
    """Create a learner account; a guest keeps all progress made so far."""
    if current_user.is_authenticated and not current_user.is_guest:
        return redirect(url_for("main.index"))
    form = RegisterForm(data={"class_code": request.args.get("code", "")[:40]})
    if form.validate_on_submit():
        key = username_key(form.username.data)
        password_hash = generate_password_hash(form.password.data)
        begin_write(db.session)
        taken = db.session.scalar(select(User.id).where(User.username_key == key)) is not None
        if not taken:
            now = datetime.now(UTC)
            joining = code_at_registration(db.session, form.class_code.data or "", _address(), now)
            if joining.error:  # a class code that does not work: no account, the try counted
                db.session.commit()
                form.class_code.errors.append(joining.error)
                return render_template("auth/register.html", form=form), joining.status
            user = _registered(form.username.data.strip(), key, password_hash)
            join_registered(db.session, joining, user, now)
            try:
                db.session.commit()
            except IntegrityError:  # PostgreSQL: another visitor took the name just now
                db.session.rollback()
                taken = True
        if taken:
            # Not counted as a failed login: a taken name must not slow down the whole school.
            db.session.rollback()
            form.username.errors.append(
                "Mit diesem Benutzernamen ist keine Registrierung möglich. Wähle einen anderen."
            )
            return render_template("auth/register.html", form=form)
        _start_session(user)
        flash("Dein Konto ist angelegt. Dein bisheriger Fortschritt ist gespeichert.", "success")
        response = redirect(_safe_next(request.args.get("next")))
        remember_device(response, read_device(), _account_tag(key))
        return response
    return render_template("auth/register.html", form=form)


def _registered(name: str, key: str, password_hash: str) -> User:
    """Turn the current guest into an account, or add a new one (the caller commits)."""
    if current_user.is_authenticated and current_user.is_guest:
        user = db.session.get(User, current_user.id)
        user.is_guest = False
    else:
        user = User()
        db.session.add(user)
    user.username, user.username_key = name, key
    user.password_hash, user.role = password_hash, "learner"
    return user


@bp.post("/logout")
@login_required
def logout() -> Response:
    """End every session of this login: on this browser, on others, and the remember cookie."""
    user = db.session.get(User, current_user.id)
    user.rotate_session_token()  # every cookie holding the old token is refused from now on
    db.session.commit()
    # Clear first: logout_user then marks the remember-me cookie for deletion in the new session.
    session.clear()
    logout_user()
    flash("Du bist abgemeldet, auch auf allen anderen Geräten.", "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@own_transaction  # two slow hashes run outside the write lock
@login_required
def change_password() -> str | Response | tuple[str, int]:
    """Change the password; every other session of the account is logged out."""
    if current_user.is_guest:
        flash("Als Gast hast du noch kein Passwort. Registriere dich, um eines zu wählen.", "info")
        return redirect(url_for("auth.register"))
    form = PasswordForm(username=current_user.username)
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form)
    user_id, device = current_user.id, read_device()
    tag = _account_tag(current_user.username)
    begin_write(db.session)
    wait, counted = check_and_count(
        db.session, throttle_keys(tag, _address(), device), datetime.now(UTC)
    )
    stored_hash = db.session.get(User, user_id).password_hash or _DUMMY_HASH
    db.session.commit()
    if wait:
        return _too_many(wait, "auth/password.html", form)
    if not check_password_hash(stored_hash, form.current.data):
        form.current.errors.append("Das bisherige Passwort stimmt nicht.")
        return render_template("auth/password.html", form=form), 400
    new_hash = generate_password_hash(form.password.data)
    begin_write(db.session)
    forgive(db.session, counted)
    user = db.session.get(User, user_id)
    user.password_hash = new_hash
    user.rotate_session_token()
    db.session.commit()
    _start_session(user)  # this browser stays logged in, with the new token
    flash("Dein Passwort ist geändert. Alle anderen Geräte sind abgemeldet.", "success")
    response = redirect(url_for("main.index"))
    remember_device(response, device, tag)
    return response


@bp.post("/guest")
def guest() -> Response:
    """Start as a guest: progress is kept under the session cookie until registration."""
    if current_user.is_authenticated:
        abort(400)
    user = create_guest()
    db.session.commit()
    _start_session(user)
    return redirect(_safe_next(request.args.get("next")))


def create_guest() -> User:
    """Add a guest user to the session (the caller commits and logs it in)."""
    user = User(is_guest=True, role="learner")
    db.session.add(user)
    return user
