"""`flask users ...`: accounts from the command line, no default credentials."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from quizapp.extensions import db
from quizapp.models import User


def test_create_teacher_prompts_for_the_password(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "teacher", "frau-meier"],
        input="Tsushima-Mai-1905\nTsushima-Mai-1905\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.role == "teacher" and user.username == "frau-meier"
        assert check_password_hash(user.password_hash, "Tsushima-Mai-1905")


def test_create_refuses_weak_password_and_duplicates(app) -> None:
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "herr-k"], input="password\npassword\n")
    assert weak.exit_code == 1 and "too easy to guess" in weak.output
    ok = runner.invoke(args=["users", "create", "herr-k", "--password", "Tsushima-Mai-1905"])
    assert ok.exit_code == 0
    again = runner.invoke(args=["users", "create", "HERR-K", "--password", "Tsushima-Mai-1905"])
    assert again.exit_code == 1 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_set_role_promotes_a_learner(app) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "create", "paula", "--password", "Tsushima-Mai-1905"])
    result = runner.invoke(args=["users", "set-role", "paula", "teacher"])
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(User.role)) == "teacher"
    missing = runner.invoke(args=["users", "set-role", "niemand", "teacher"])
    assert missing.exit_code == 1 and "no such user" in missing.output
