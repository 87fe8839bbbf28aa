"""Engine set-up that SQLite needs to behave well with several writers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, scoped_session

#: Execution option that makes a session's transaction start with BEGIN IMMEDIATE on SQLite.
IMMEDIATE = "quizapp_begin_immediate"


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Enable WAL, foreign keys and a busy timeout on SQLite; leave other databases alone."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_quizapp_configured", False):
        return
    engine._quizapp_configured = True  # type: ignore[attr-defined]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself, so it can choose IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not _is_memory(engine):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A read-then-write transaction begun DEFERRED fails with "database is locked" at once
        # when another writer got there first; IMMEDIATE waits for the busy timeout instead.
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _is_memory(engine: Engine) -> bool:
    return engine.url.database in (None, "", ":memory:")


def begin_write(session: Session | scoped_session) -> None:
    """Start a write transaction: BEGIN IMMEDIATE on SQLite, a no-op elsewhere.

    Call it before the unit of work reads what it will change. A transaction already open in
    the session (say, the one that loaded the logged-in user) has only read, so it is ended
    first; the objects it loaded reload on next access.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    if (
        session().in_transaction()
        if isinstance(session, scoped_session)
        else session.in_transaction()
    ):
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})
