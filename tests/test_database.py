"""SQLite writers take turns through quizapp.database.WriterTurn (a flock beside the file)."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from quizapp import create_app
from quizapp.config import TestingConfig
from quizapp.database import begin_write
from quizapp.extensions import db
from tests.conftest import sqlite_only

pytestmark = sqlite_only


def _lock_file(app: Flask) -> Path:
    with app.app_context():
        return Path(f"{db.engine.url.database}.writer-lock")


def _turn_is_free(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def _write(value: str) -> None:
    db.session.execute(text("INSERT INTO topic (slug, name) VALUES (:v, :v)"), {"v": value})


def test_a_waiting_writer_goes_on_right_after_the_first_commits(app: Flask) -> None:
    events: list[str] = []
    first_has_turn = threading.Event()
    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            with app.app_context():
                first_has_turn.wait(5)
                begin_write(db.session)  # waits: the first writer has the turn
                events.append("second began")
                _write("zweiter")
                db.session.commit()
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=second_writer)
    thread.start()
    with app.app_context():
        begin_write(db.session)
        assert not _turn_is_free(_lock_file(app))
        first_has_turn.set()
        time.sleep(0.2)  # let the second writer queue up behind this one
        _write("erster")
        events.append("first commits")
        db.session.commit()
    thread.join(10)
    assert not failures
    assert events == ["first commits", "second began"]
    assert _turn_is_free(_lock_file(app))
    with app.app_context():
        slugs = db.session.scalars(text("SELECT slug FROM topic ORDER BY id")).all()
    assert slugs[-2:] == ["erster", "zweiter"]


@pytest.mark.parametrize("end", ["rollback", "close"])
def test_the_turn_is_given_back_without_a_commit(app: Flask, end: str) -> None:
    with app.app_context():
        begin_write(db.session)
        _write("verworfen")
        assert not _turn_is_free(_lock_file(app))
        getattr(db.session, end)()  # a rollback, or a request ending without commit
        assert _turn_is_free(_lock_file(app))
        assert db.session.scalar(text("SELECT count(*) FROM topic WHERE slug = 'verworfen'")) == 0


def test_the_wait_for_a_turn_is_bounded_by_the_busy_timeout(app: Flask, tmp_path: Path) -> None:
    impatient = create_app(
        TestingConfig,
        instance_path=str(tmp_path / "impatient"),
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SQLITE_BUSY_TIMEOUT_MS=100,
    )
    with app.app_context():
        begin_write(db.session)
        with impatient.app_context():
            with pytest.raises(OperationalError, match="locked"):
                begin_write(db.session)
            db.session.rollback()
            db.engine.dispose()
        _write("geduldig")
        db.session.commit()
    assert _turn_is_free(_lock_file(app))
