"""Registration, login, logout and guest accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from quizapp.auth import bp
from quizapp.auth.forms import LoginForm, RegisterForm
from quizapp.database import begin_write, own_transaction
from quizapp.extensions import db, login_manager
from quizapp.models import Attempt, LoginFailure, User
from quizapp.security import (
    ACCOUNT_FREE_FAILURES,
    ADDRESS_FREE_FAILURES,
    WINDOW_SECONDS,
    login_delay,
)
from quizapp.services.users import username_key

# Checked against when the user does not exist, so both paths cost one password hash.
_DUMMY_HASH = generate_password_hash("timing-equaliser-not-a-password")
FAILED_LOGIN = "Benutzername oder Passwort ist falsch."


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the user of a session id "<id>:<token>", or None if the token is outdated."""
    uid, _, token = user_id.partition(":")
    if not uid.isdigit():
        return None
    user = db.session.get(User, int(uid))
    if user is None or user.session_token != token:
        return None
    return user


def _safe_next(target: str | None) -> str:
    """Return a local redirect target; anything pointing elsewhere goes home."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and "//" not in target:
        return target
    return url_for("main.index")


def _start_session(user: User) -> None:
    # A fresh session at login: nothing from before the login survives in the cookie.
    session.clear()
    login_user(user, remember=True)
    session.permanent = True


def _failure_keys(name: str) -> tuple[str, str]:
    return f"user:{username_key(name)}"[:120], f"addr:{request.remote_addr or '-'}"[:120]


def _wait_seconds(keys: tuple[str, str], now: datetime) -> float:
    since = now - timedelta(seconds=WINDOW_SECONDS)
    waits = []
    for key, free in zip(keys, (ACCOUNT_FREE_FAILURES, ADDRESS_FREE_FAILURES), strict=True):
        times = db.session.scalars(
            select(LoginFailure.at).where(LoginFailure.key == key, LoginFailure.at >= since)
        ).all()
        waits.append(login_delay(times, now, free))
    return max(waits)


def _adopt_guest(guest: User, account: User) -> None:
    """Move a guest's attempts into the account they logged in to, then drop the guest."""
    db.session.execute(
        update(Attempt).where(Attempt.user_id == guest.id).values(user_id=account.id)
    )
    db.session.delete(guest)


@bp.route("/login", methods=["GET", "POST"])
@own_transaction  # the slow password hash runs before the write lock
def login() -> str | Response | tuple[str, int]:
    """Log a user in; failures are slowed down per account and per address."""
    if current_user.is_authenticated and not current_user.is_guest:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        now = datetime.now(UTC)
        keys = _failure_keys(form.username.data)
        wait = _wait_seconds(keys, now)
        if wait > 0:
            seconds = int(wait) + 1
            flash(
                f"Zu viele fehlgeschlagene Anmeldungen. Bitte warte {seconds} Sekunden "
                "und versuche es dann noch einmal.",
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(
            select(User).where(User.username_key == username_key(form.username.data))
        )
        password_ok = check_password_hash(
            user.password_hash if user and user.password_hash else _DUMMY_HASH,
            form.password.data,
        )
        # Both outcomes write; the slow hash above stays outside SQLite's write lock.
        begin_write(db.session)
        if user is None or not password_ok:
            # Old failures no longer count; dropping them keeps the table small.
            window_start = now - timedelta(seconds=WINDOW_SECONDS)
            db.session.execute(delete(LoginFailure).where(LoginFailure.at < window_start))
            db.session.add_all(LoginFailure(key=key, at=now) for key in keys)
            db.session.commit()
            flash(FAILED_LOGIN, "error")
            return render_template("auth/login.html", form=form), 200
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
        if current_user.is_authenticated and current_user.is_guest:
            _adopt_guest(db.session.get(User, current_user.id), user)
        db.session.commit()
        _start_session(user)
        flash(f"Willkommen zurück, {user.username}!", "success")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@own_transaction  # the slow password hash runs before the write lock
def register() -> str | Response:
    """Create a learner account; a guest keeps all progress made so far."""
    if current_user.is_authenticated and not current_user.is_guest:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        key = username_key(form.username.data)
        password_hash = generate_password_hash(form.password.data)
        begin_write(db.session)
        taken = db.session.scalar(select(User.id).where(User.username_key == key)) is not None
        if not taken:
            user = _registered(form.username.data.strip(), key, password_hash)
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
        return redirect(_safe_next(request.args.get("next")))
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
    """End the session (guests lose access to their progress, so they are asked first)."""
    # Clear first: logout_user then marks the remember-me cookie for deletion in the new session.
    session.clear()
    logout_user()
    flash("Du bist abgemeldet.", "info")
    return redirect(url_for("main.index"))


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
