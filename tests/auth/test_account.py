"""Accounts that can be rescued and removed: reset codes, data download, deletion, guests."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select, text

from quizapp.extensions import db
from quizapp.models import CardState, ErrorReport, ResetCode, ReviewLog, User
from quizapp.services.account import issue_reset_code
from tests.helpers import (
    PASSWORD,
    answer_data,
    current_item,
    login_as,
    make_user,
    start_quiz,
    user_id,
)

NEW = "Shimonoseki-1895!"


@pytest.fixture
def teacher(loaded_app):
    make_user(loaded_app, "frau-meier", role="teacher")
    client = loaded_app.test_client()
    login_as(client, "frau-meier")
    return client


def _issue_on_the_web(teacher, uid: int) -> str:
    page = teacher.post(f"/teach/users/{uid}/reset-code").get_data(as_text=True)
    return re.search(r'id="reset-code">([A-Z0-9-]+)<', page).group(1)


def _reset(client, code: str, password: str = NEW):
    return client.post(
        "/auth/reset", data={"code": code, "password": password, "confirm": password}
    )


def test_a_teacher_issues_a_code_that_works_once(loaded_app, teacher) -> None:
    uid = make_user(loaded_app, "paula")
    code = _issue_on_the_web(teacher, uid)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    with loaded_app.app_context():  # only a hash is stored
        assert db.session.scalar(select(ResetCode.code_hash)) != code
    pupil = loaded_app.test_client()
    response = _reset(pupil, code.lower().replace("-", " "))  # as a pupil may type it
    assert response.status_code == 302
    assert "neues Passwort ist gespeichert" in pupil.get("/").get_data(as_text=True)
    # The new password works, the code does not work twice.
    login_as(loaded_app.test_client(), "paula", NEW)
    again = _reset(loaded_app.test_client(), code, "Tsushima-Mai-1905")
    assert again.status_code == 400
    assert "falsch, abgelaufen oder wurde schon benutzt" in again.get_data(as_text=True)


def test_a_wrong_or_expired_code_says_so_and_reveals_nothing(loaded_app) -> None:
    uid = make_user(loaded_app, "quentin")
    with loaded_app.app_context():
        user = db.session.get(User, uid)
        past = datetime.now(UTC) - timedelta(days=3)
        expired, _ = issue_reset_code(db.session, user, None, past, timedelta(hours=48))
        db.session.commit()
    wrong = _reset(loaded_app.test_client(), "AAAA-BBBB-CCCC")
    late = _reset(loaded_app.test_client(), expired)
    for response in (wrong, late):
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Dieser Code ist falsch, abgelaufen oder wurde schon benutzt." in page
        assert "quentin" not in page  # no word about whose code it was
    login_as(loaded_app.test_client(), "quentin", PASSWORD)  # nothing changed


def test_a_new_code_replaces_the_old_one_and_a_weak_password_keeps_the_code(
    loaded_app, teacher
) -> None:
    uid = make_user(loaded_app, "rosa")
    first = _issue_on_the_web(teacher, uid)
    second = _issue_on_the_web(teacher, uid)
    client = loaded_app.test_client()
    assert _reset(client, first).status_code == 400
    weak = _reset(client, second, "passwort123")
    assert weak.status_code == 400 and "zu leicht zu erraten" in weak.get_data(as_text=True)
    assert _reset(client, second).status_code == 302


def test_reset_code_on_the_command_line(loaded_app) -> None:
    make_user(loaded_app, "sami")
    runner = loaded_app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-password", "sami"])
    assert result.exit_code == 0, result.output
    code = re.search(r"reset code for sami: ([A-Z0-9-]+)", result.output).group(1)
    assert "valid once until" in result.output
    assert _reset(loaded_app.test_client(), code).status_code == 302
    missing = runner.invoke(args=["users", "reset-password", "niemand"])
    assert missing.exit_code == 1 and "no such user" in missing.output


def _fill_every_table_for(app, client, name: str) -> None:
    """Give the learner rows in every table an account owns."""
    attempt_id = start_quiz(client, "mixed", "", 5)
    item = current_item(app, attempt_id)
    client.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
    client.post("/reports/", data={"question_id": item.question_id, "reason": "typo"})
    page = client.get("/cards/review").get_data(as_text=True)
    qid = re.search(r'href="/cards/review\?show=([^"]+)"', page).group(1)
    client.post("/cards/rate", data={"question_id": qid, "version": "0", "rating": "3"})
    client.post(
        "/cards/settings",
        data={
            "desired_retention": "0,9",
            "new_per_day": "20",
            "reviews_per_day": "200",
            "timezone": "Europe/Berlin",
        },
    )
    with app.app_context():
        user = db.session.get(User, user_id(app, name))
        issue_reset_code(db.session, user, None, datetime.now(UTC), timedelta(hours=1))
        db.session.commit()
    stranger = app.test_client()  # a failed login on the account, from another browser
    stranger.post("/auth/login", data={"username": name, "password": "falsch-falsch"})


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        return {
            t: db.session.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar()
            for t in tables
            if t != "alembic_version"
        }


def test_deleting_an_account_removes_its_rows_from_every_table(loaded_app) -> None:
    make_user(loaded_app, "tilda")
    make_user(loaded_app, "ulla")
    tilda, ulla = loaded_app.test_client(), loaded_app.test_client()
    login_as(tilda, "tilda")
    login_as(ulla, "ulla")
    _fill_every_table_for(loaded_app, tilda, "tilda")
    _fill_every_table_for(loaded_app, ulla, "ulla")
    before = _row_counts(loaded_app)
    tilda_id = user_id(loaded_app, "tilda")
    owned = {"user", "attempt", "attempt_item", "card_state", "card_settings", "review_log"}
    owned |= {"error_report", "reset_code", "login_failure"}
    response = tilda.post("/auth/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    after = _row_counts(loaded_app)
    # Every table that held tilda's rows lost exactly those; every other table is unchanged,
    # and ulla's rows are all still there.
    for table, n in before.items():
        if table in owned:
            assert after[table] < n, table
        else:
            assert after[table] == n, table
    with loaded_app.app_context():
        assert user_id(loaded_app, "tilda") is None
        uid = user_id(loaded_app, "ulla")
        for model in (CardState, ReviewLog, ErrorReport, ResetCode):
            assert db.session.scalar(select(func.count()).where(model.user_id == uid)) >= 1
        # No column that refers to an account holds tilda's id any more.
        for table in inspect(db.engine).get_table_names():
            for fk in inspect(db.engine).get_foreign_keys(table):
                if fk["referred_table"] != "user":
                    continue
                column = fk["constrained_columns"][0]
                sql = f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" = :uid'
                assert db.session.execute(text(sql), {"uid": tilda_id}).scalar() == 0, table
    assert after["user"] == before["user"] - 1
    assert after["attempt"] == before["attempt"] - 1
    assert after["login_failure"] == before["login_failure"] - 1
    assert "Konto und alle deine Daten sind gelöscht" in tilda.get("/").get_data(as_text=True)
    assert tilda.get("/cards/").status_code == 200  # logged out: the guest offer


def test_deleting_needs_the_password_and_the_tick(loaded_app) -> None:
    make_user(loaded_app, "vera")
    client = loaded_app.test_client()
    login_as(client, "vera")
    wrong = client.post("/auth/account/delete", data={"password": "nein", "confirm": "y"})
    no_tick = client.post("/auth/account/delete", data={"password": PASSWORD})
    assert wrong.status_code == no_tick.status_code == 400
    assert "Passwort stimmt nicht" in wrong.get_data(as_text=True)
    assert "Bitte bestätige" in no_tick.get_data(as_text=True)
    assert user_id(loaded_app, "vera") is not None


def test_the_last_teacher_cannot_delete_the_account(loaded_app, teacher) -> None:
    response = teacher.post("/auth/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    assert "letzte Lehrkraft" in response.get_data(as_text=True)


def test_download_all_ones_data_as_json(loaded_app) -> None:
    make_user(loaded_app, "wim")
    client = loaded_app.test_client()
    login_as(client, "wim")
    _fill_every_table_for(loaded_app, client, "wim")
    response = client.get("/auth/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["username"] == "wim"
    assert len(data["attempts"]) == 1 and data["attempts"][0]["answers"][0]["answer"]
    assert data["cards"] and data["reviews"] and data["error_reports"]
    assert data["card_settings"]["timezone"] == "Europe/Berlin"
    assert "password" not in json.dumps(data).lower()  # no hash, no code


def test_the_account_page_links_everything(loaded_app) -> None:
    make_user(loaded_app, "xaver")
    client = loaded_app.test_client()
    login_as(client, "xaver")
    page = client.get("/auth/account").get_data(as_text=True)
    for link in ("/auth/password", "/auth/account/data.json", "/auth/account/delete", "/reports/"):
        assert link in page
    assert 'autocomplete="None"' not in page


def test_a_guests_flashcards_move_into_the_account_on_login(loaded_app) -> None:
    make_user(loaded_app, "yara")
    guest = loaded_app.test_client()
    offer = guest.get("/cards/")
    assert offer.status_code == 200 and "Als Gast loslegen" in offer.get_data(as_text=True)
    response = guest.post("/auth/guest?next=/cards/review")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cards/review")
    page = guest.get("/cards/review").get_data(as_text=True)
    qid = re.search(r'href="/cards/review\?show=([^"]+)"', page).group(1)
    assert guest.post("/cards/rate", data={"question_id": qid, "version": "0", "rating": "3"})
    login_as(guest, "yara")
    uid = user_id(loaded_app, "yara")
    with loaded_app.app_context():
        assert db.session.scalar(select(func.count()).where(User.is_guest)) == 0
        card = db.session.scalar(select(CardState).where(CardState.question_id == qid))
        assert card.user_id == uid
        assert db.session.scalar(select(ReviewLog.user_id)) == uid


def test_a_guests_flashcards_stay_on_registration(loaded_app) -> None:
    guest = loaded_app.test_client()
    guest.post("/auth/guest")
    page = guest.get("/cards/review").get_data(as_text=True)
    qid = re.search(r'href="/cards/review\?show=([^"]+)"', page).group(1)
    guest.post("/cards/rate", data={"question_id": qid, "version": "0", "rating": "3"})
    data = {"username": "zoe", "password": NEW, "confirm": NEW}
    assert guest.post("/auth/register", data=data).status_code == 302
    with loaded_app.app_context():
        card = db.session.scalar(select(CardState).where(CardState.question_id == qid))
        assert card.user_id == user_id(loaded_app, "zoe")
