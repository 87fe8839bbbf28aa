"""The one write rule: unsafe requests begin their transaction for writing before the view.

Views marked ``@own_transaction`` call begin_write themselves; with STRICT_WRITES (the test
suite's setting) a request that writes in a transaction begun DEFERRED raises, so the whole
suite checks every write path. Conflicts and a busy database answer with a page, not a 500.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quizapp import create_app
from quizapp.config import TestingConfig
from quizapp.database import WriteOutsideWriteTransaction, begin_write, own_transaction
from quizapp.extensions import csrf, db
from tests.conftest import sqlite_only


def _insert_topic(slug: str) -> str:
    db.session.execute(text("INSERT INTO topic (slug, name) VALUES (:s, :s)"), {"s": slug})
    db.session.commit()
    return "ok"


@pytest.fixture
def probe_app(app: Flask) -> Flask:
    """The test app with a few extra routes that write in different ways."""

    @app.post("/probe/plain")
    @csrf.exempt
    def plain() -> str:
        return _insert_topic("plain")

    @app.post("/probe/own")
    @csrf.exempt
    @own_transaction
    def own() -> str:
        db.session.execute(text("SELECT count(*) FROM topic")).scalar()
        begin_write(db.session)
        return _insert_topic("own")

    @app.post("/probe/forgot")
    @csrf.exempt
    @own_transaction
    def forgot() -> str:
        db.session.execute(text("SELECT count(*) FROM topic")).scalar()
        return _insert_topic("forgot")

    @app.get("/probe/get-writes")
    def get_writes() -> str:
        return _insert_topic("get")

    @app.post("/probe/conflict")
    @csrf.exempt
    def conflict() -> str:
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    return app


def test_a_post_begins_writing_before_the_view(probe_app: Flask) -> None:
    assert probe_app.test_client().post("/probe/plain").status_code == 200


def test_a_view_that_begins_writing_itself_may_read_first(probe_app: Flask) -> None:
    assert probe_app.test_client().post("/probe/own").status_code == 200


@sqlite_only
def test_a_view_that_forgets_to_begin_writing_fails_in_the_tests(probe_app: Flask) -> None:
    with pytest.raises(WriteOutsideWriteTransaction, match="INSERT"):
        probe_app.test_client().post("/probe/forgot")
    with pytest.raises(WriteOutsideWriteTransaction):
        probe_app.test_client().get("/probe/get-writes")


def test_a_conflict_is_a_409_page_in_german(probe_app: Flask) -> None:
    response = probe_app.test_client().post("/probe/conflict")
    assert response.status_code == 409
    assert "Jemand hat gerade dasselbe geändert" in response.get_data(as_text=True)


@sqlite_only
def test_a_writer_waiting_longer_than_the_busy_timeout_gets_a_503_page(
    app: Flask, tmp_path: Path
) -> None:
    impatient = create_app(
        TestingConfig,
        instance_path=str(tmp_path / "impatient"),
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SQLITE_BUSY_TIMEOUT_MS=50,
    )
    with app.app_context():
        begin_write(db.session)  # another writer holds the lock for the whole request
        response = impatient.test_client().post("/auth/guest")
        db.session.rollback()
    with impatient.app_context():
        db.engine.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Versuche es in ein paar Sekunden" in response.get_data(as_text=True)
