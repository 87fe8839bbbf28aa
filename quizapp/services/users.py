"""Account operations shared by the CLI and the views."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from quizapp.models import ROLES, User
from quizapp.security import MIN_PASSWORD_SCORE, check_password

USERNAME = re.compile(r"^[A-Za-z0-9ÄÖÜäöüß._-]{3,40}$")


def _password_error(password: str, username: str) -> str | None:
    verdict = check_password(password, username)
    if verdict.problem == "too_short":
        return "password must have at least 8 characters"
    if verdict.problem == "username":
        return "password must not be the user name"
    if verdict.problem == "weak":
        return (
            f"password is too easy to guess (zxcvbn score {verdict.score} of 4, "
            f"at least {MIN_PASSWORD_SCORE} needed); add a word or two"
        )
    return None


class UserError(ValueError):
    """An account cannot be created or changed as asked."""


def username_key(name: str) -> str:
    """Return the case-insensitive key that makes user names unique."""
    return name.strip().casefold()


def find_user(session: Session, name: str) -> User | None:
    """Return the account with this name (case-insensitive), or None."""
    return session.scalar(select(User).where(User.username_key == username_key(name)))


def create_user(session: Session, username: str, password: str, role: str = "learner") -> User:
    """Add an account after checking name, password and role; the caller commits."""
    username = username.strip()
    if not USERNAME.match(username):
        raise UserError(f"{username!r}: user names have 3-40 letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}")
    problem = _password_error(password, username)
    if problem:
        raise UserError(problem)
    if find_user(session, username) is not None:
        raise UserError(f"{username}: a user with this name already exists")
    user = User(
        username=username,
        username_key=username_key(username),
        password_hash=generate_password_hash(password),
        role=role,
    )
    session.add(user)
    return user


def set_role(session: Session, username: str, role: str) -> User:
    """Change an account's role; the caller commits."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}")
    user = find_user(session, username)
    if user is None or user.is_guest:
        raise UserError(f"{username}: no such user")
    user.role = role
    return user


def set_password(session: Session, username: str, password: str) -> User:
    """Give an account a new password and log it out everywhere; the caller commits."""
    user = find_user(session, username)
    if user is None or user.is_guest:
        raise UserError(f"{username}: no such user")
    problem = _password_error(password, user.username or "")
    if problem:
        raise UserError(problem)
    user.password_hash = generate_password_hash(password)
    user.rotate_session_token()
    return user
