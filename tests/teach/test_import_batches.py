"""Imports by token and in batches: a file is uploaded once, and writing it lets learners in."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import ImportUpload, Question
from quizapp.services.imports import run_import
from quizapp.services.transfer import parse_import
from tests.conftest import sqlite_only
from tests.helpers import login_as, make_user


def _questions(n: int, explanation: int = 0, prefix: str = "batch") -> list[dict[str, object]]:
    return [
        {
            "id": f"{prefix}-{i}",
            "kind": "typed",
            "prompt": f"Welcher Ort gehört zu Ereignis Nummer {i}?",
            "answer": "Portsmouth",
            "explanation": "E" * explanation,
            "topic": "russisch-japanischer-krieg",
        }
        for i in range(n)
    ]


def _teacher(app: Flask, name: str = "frau-meier") -> FlaskClient:
    make_user(app, name, role="teacher")
    client = app.test_client()
    login_as(client, name)
    return client


def _preview(client: FlaskClient, payload: bytes, name: str = "fragen.json"):
    return client.post(
        "/teach/import",
        data={"file": (io.BytesIO(payload), name), "format": "auto"},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def _count(app: Flask, prefix: str = "batch") -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(Question.id.like(f"{prefix}-%")))


def test_a_file_near_the_upload_limit_previews_and_commits(loaded_app) -> None:
    teacher = _teacher(loaded_app)
    payload = json.dumps(_questions(420, explanation=3900)).encode()
    assert 1_600_000 < len(payload) < loaded_app.config["MAX_CONTENT_LENGTH"]
    preview = _preview(teacher, payload)
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert len(page) < 200_000  # the file does not travel back with the form
    response = teacher.post("/teach/import/confirm", data={"token": _token(page)})
    assert response.status_code == 302
    assert _count(loaded_app) == 420
    with loaded_app.app_context():  # the stored file is gone once imported
        assert db.session.scalar(select(func.count()).select_from(ImportUpload)) == 0


def test_a_token_works_once_for_its_own_teacher_until_it_expires(loaded_app) -> None:
    owner, colleague = _teacher(loaded_app), _teacher(loaded_app, "herr-k")
    payload = json.dumps(_questions(3)).encode()
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        token = _token(_preview(owner, payload).get_data(as_text=True))
        other = colleague.post("/teach/import/confirm", data={"token": token})
        assert other.status_code == 400 and "gibt es nicht mehr" in other.get_data(as_text=True)
        clock.shift(timedelta(hours=2))
        late = owner.post("/teach/import/confirm", data={"token": token})
        assert late.status_code == 400 and "abgelaufen" in late.get_data(as_text=True)
        fresh = _token(_preview(owner, payload).get_data(as_text=True))
        assert owner.post("/teach/import/confirm", data={"token": fresh}).status_code == 302
        again = owner.post("/teach/import/confirm", data={"token": fresh})
        assert again.status_code == 400
    assert _count(loaded_app) == 3
    with loaded_app.app_context():  # the expired preview was dropped by the next one
        assert db.session.scalar(select(func.count()).select_from(ImportUpload)) == 0


def test_an_import_is_written_in_batches_and_an_interrupted_one_completes(loaded_app) -> None:
    drafts = parse_import(json.dumps(_questions(7)).encode(), "json", "f.json").questions
    now = datetime.now(UTC)
    seen: list[int] = []

    def stop_after_two(report) -> None:
        seen.append(report.added)
        if report.batches == 2:
            raise RuntimeError("the server stops in the middle")

    with loaded_app.app_context(), pytest.raises(RuntimeError, match="stops"):
        run_import(
            db.session, drafts, None, now, approve=True, batch_size=3, pause_seconds=0,
            on_batch=stop_after_two,
        )  # fmt: skip
    assert seen == [3, 6] and _count(loaded_app) == 6
    with loaded_app.app_context():
        report = run_import(
            db.session, drafts, None, now, approve=True, batch_size=3, pause_seconds=0
        )
    assert (report.added, report.unchanged, report.batches) == (1, 6, 3)
    assert _count(loaded_app) == 7


@sqlite_only
def test_learners_write_between_the_batches(loaded_app) -> None:
    """While a slow import runs, another writer gets its turn long before the import ends."""
    drafts = parse_import(json.dumps(_questions(6)).encode(), "json", "f.json").questions
    times: dict[str, float] = {}
    started = threading.Event()

    def importer() -> None:
        with loaded_app.app_context():
            run_import(
                db.session, drafts, None, datetime.now(UTC), approve=True, batch_size=2,
                pause_seconds=0.3, on_batch=lambda report: started.set(),
            )  # fmt: skip
            times["import done"] = time.monotonic()

    thread = threading.Thread(target=importer)
    thread.start()
    assert started.wait(10)
    with loaded_app.app_context():
        begin_write(db.session)
        db.session.execute(text("INSERT INTO topic (slug, name) VALUES ('lernende', 'L')"))
        db.session.commit()
        times["learner wrote"] = time.monotonic()
    thread.join(30)
    assert times["learner wrote"] < times["import done"] - 0.2
    assert _count(loaded_app) == 6


def test_batches_can_be_sized_by_the_time_they_hold_the_lock(loaded_app) -> None:
    drafts = parse_import(json.dumps(_questions(30)).encode(), "json", "f.json").questions
    now = datetime.now(UTC)
    with loaded_app.app_context():
        slow = run_import(
            db.session, drafts[:15], None, now, approve=True, batch_size=5, pause_seconds=0,
            batch_seconds=1e-9,
        )  # fmt: skip
        fast = run_import(
            db.session, drafts[15:], None, now, approve=True, batch_size=5, pause_seconds=0,
            batch_seconds=1000,
        )  # fmt: skip
    # A batch that held the lock too long makes the next ones a single question each.
    assert (slow.batches, slow.added) == (1 + 10, 15)
    assert (fast.batches, fast.added) == (3, 15)
