"""Engine set-up that SQLite needs to behave well with several writers."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, has_request_context
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, scoped_session

#: Execution option that makes a session's transaction start with BEGIN IMMEDIATE on SQLite.
IMMEDIATE = "quizapp_begin_immediate"
#: Key in a pooled connection's ``info``: whether its open transaction began IMMEDIATE.
_BEGAN_IMMEDIATE = "quizapp_began_immediate"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriteOutsideWriteTransaction(RuntimeError):
    """A request wrote in a transaction not begun for writing (raised with STRICT_WRITES)."""


class WriterTurn:
    """A turn to write to one SQLite file, taken before BEGIN IMMEDIATE and given back at once.

    SQLite lets one writer in at a time and makes the others poll: its busy handler sleeps
    1, 2, 5, ... up to 100 ms between tries, so under load a waiting writer keeps sleeping
    long after the lock is free (in the load benchmark the wait for BEGIN IMMEDIATE had a p99
    of 54 ms and a maximum of 630 ms while the median was 0.02 ms). Writers of this app
    first take an advisory lock on ``<database>.writer-lock`` (flock, one per connection, so
    threads are kept apart too), polling every 0.1 to 1 ms; a process that dies holding it
    loses it with its file descriptors. The wait is bounded by the busy timeout, after which
    BEGIN IMMEDIATE meets SQLite's own lock and its usual "database is locked".
    """

    def __init__(self, path: str, timeout_ms: int) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._timeout = timeout_ms / 1000
        self.held = False

    def take(self) -> None:
        """Wait for the turn (at most the timeout); return either way."""
        deadline = time.monotonic() + self._timeout
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return
                time.sleep(pause)
                pause = min(pause * 2, 0.001)
            else:
                self.held = True
                return

    def give_back(self) -> None:
        """Let the next writer in (a no-op when the turn is not held)."""
        if self.held:
            self.held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.give_back()
        os.close(self._fd)


_TURN = "quizapp_writer_turn"


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Enable WAL, foreign keys and a busy timeout on SQLite; leave other databases alone."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_quizapp_configured", False):
        return
    engine._quizapp_configured = True  # type: ignore[attr-defined]
    lock_path = None if _is_memory(engine) else f"{engine.url.database}.writer-lock"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself, so it can choose IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if lock_path is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            record.info[_TURN] = WriterTurn(lock_path, busy_timeout_ms)
        cursor.close()

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection: Any, record: Any) -> None:
        turn = record.info.pop(_TURN, None)
        if turn is not None:
            turn.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        # A safety net: a connection back in the pool never keeps the turn.
        turn = record.info.get(_TURN) if record is not None else None
        if turn is not None:
            turn.give_back()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A read-then-write transaction begun DEFERRED fails with "database is locked" at once
        # when another writer got there first; IMMEDIATE waits for the busy timeout instead.
        immediate = bool(connection.get_execution_options().get(IMMEDIATE, False))
        connection.connection.info[_BEGAN_IMMEDIATE] = immediate
        if not immediate:
            connection.exec_driver_sql("BEGIN")
            return
        turn = connection.connection.info.get(_TURN)
        if turn is not None:
            turn.take()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if turn is not None:
                turn.give_back()
            raise

    def _end(sql: str) -> Any:
        def listener(connection: Any) -> None:
            # SQLAlchemy fires this just before it ends the transaction; end it here, then
            # give the turn back, so the next writer never finds SQLite's lock still taken.
            # (Its own COMMIT/ROLLBACK that follows finds no transaction and does nothing.)
            turn = connection.connection.info.get(_TURN)
            if turn is None or not turn.held:
                return
            try:
                dbapi_connection = connection.connection.dbapi_connection
                if dbapi_connection.in_transaction:
                    dbapi_connection.execute(sql)
            finally:
                turn.give_back()

        return listener

    event.listen(engine, "commit", _end("COMMIT"))
    event.listen(engine, "rollback", _end("ROLLBACK"))

    @event.listens_for(engine, "before_cursor_execute")
    def _check_write(
        connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        # The test suite runs with STRICT_WRITES: a request that writes in a transaction begun
        # DEFERRED fails loudly there, instead of with "database is locked" under load.
        if not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        if not has_request_context() or not current_app.config.get("STRICT_WRITES"):
            return
        if not connection.connection.info.get(_BEGAN_IMMEDIATE, False):
            raise WriteOutsideWriteTransaction(
                f"{statement.split(None, 1)[0]} in a transaction not begun with begin_write()"
            )


def _is_memory(engine: Engine) -> bool:
    return engine.url.database in (None, "", ":memory:")


def begin_write(session: Session | scoped_session) -> None:
    """Start a write transaction: BEGIN IMMEDIATE on SQLite, a no-op elsewhere.

    Call it before the unit of work reads what it will change. A transaction already open in
    the session (say, the one that loaded the logged-in user) has only read, so it is ended
    first; the objects it loaded reload on next access. A write transaction already begun is
    kept.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    current = session() if isinstance(session, scoped_session) else session
    if current.in_transaction():
        if current.connection().connection.info.get(_BEGAN_IMMEDIATE, False):
            return  # already writing (the request rule began it)
        current.commit()
    current.connection(execution_options={IMMEDIATE: True})


#: Methods that never change anything; every other request begins a write transaction.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_OWN_TRANSACTION = "quizapp_own_transaction"
View = TypeVar("View", bound=Callable[..., Any])


def own_transaction(view: View) -> View:
    """Mark a view that calls begin_write itself, after its slow part, or never writes.

    Every other POST begins its write transaction before the view runs
    (``begin_writes_for_unsafe_methods``). The hot paths (answering, logging in) first read,
    grade or hash outside the write lock and begin writing only to store the result.
    """
    setattr(view, _OWN_TRANSACTION, True)
    return view


def wants_write_transaction(view: Callable[..., Any] | None, method: str) -> bool:
    """Return whether a request to this view must begin its transaction for writing."""
    if method in SAFE_METHODS or view is None:
        return False
    return not getattr(view, _OWN_TRANSACTION, False)


def lock_keys(session: Session | scoped_session, keys: list[str]) -> None:
    """Serialise the transactions that check and change the rows of these keys.

    PostgreSQL: transaction-level advisory locks, taken in a fixed order. SQLite needs
    nothing more than begin_write: one writer at a time holds the whole database.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
