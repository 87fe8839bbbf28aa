"""`flask db backup` copies a live SQLite database consistently; `flask db restore` undoes."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from quizapp.extensions import db
from tests.conftest import sqlite_only

pytestmark = sqlite_only


def _count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_backup_while_writing_then_restore(loaded_app, tmp_path: Path) -> None:
    live = Path(loaded_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    questions = _count(live, "question")
    stop = threading.Event()

    def writer() -> None:
        # Another process keeps writing, as a running server would.
        con = sqlite3.connect(live, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        n = 0
        while not stop.is_set() and n < 5000:
            con.execute("BEGIN IMMEDIATE")
            con.execute(
                "INSERT INTO login_failure (key, at) VALUES (?, '2026-11-21 10:00:00')",
                (f"addr:{n}",),
            )
            con.execute("COMMIT")
            n += 1
        con.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        target = tmp_path / "sicherung.db"
        result = loaded_app.test_cli_runner().invoke(args=["db", "backup", str(target)])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert _count(target, "question") == questions
    assert 0 <= _count(target, "login_failure") <= _count(live, "login_failure")

    again = loaded_app.test_cli_runner().invoke(args=["db", "backup", str(target)])
    assert again.exit_code == 1 and "exists already" in again.output

    # Disaster: the questions are gone. Restore brings them back.
    with loaded_app.app_context():
        db.session.execute(db.text("DELETE FROM question"))
        db.session.commit()
        db.engine.dispose()
    assert _count(live, "question") == 0
    restored = loaded_app.test_cli_runner().invoke(args=["db", "restore", "--yes", str(target)])
    assert restored.exit_code == 0, restored.output
    assert _count(live, "question") == questions
    assert loaded_app.test_client().get("/").status_code == 200


def test_restore_refuses_a_file_that_is_not_a_database(loaded_app, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = loaded_app.test_cli_runner().invoke(args=["db", "restore", "--yes", str(junk)])
    assert result.exit_code == 1 and "not a healthy SQLite database" in result.output
    live = Path(loaded_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    assert _count(live, "question") > 0
