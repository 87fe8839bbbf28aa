"""Shared fixtures: every test gets its own real database, created by the migrations.

SQLite by default: a template file is migrated (and loaded with the bank) once per session and
copied for each test. With ``TEST_DATABASE_URL`` pointing at a PostgreSQL server (a role that
may create databases), the same templates become PostgreSQL databases and each test gets a
``CREATE DATABASE ... TEMPLATE`` copy: the whole suite then runs against PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from quizapp import create_app
from quizapp.config import TestingConfig, resolve_database_uri
from quizapp.extensions import db

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")

sqlite_only = pytest.mark.skipif(
    ON_POSTGRES, reason="exercises SQLite itself (pragmas, file locks, backup API)"
)


def _make_app(database: Path | str, instance: Path, **overrides: object) -> Flask:
    """Create an app on a database given as SQLite file or URL."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    return create_app(
        TestingConfig, instance_path=str(instance), SQLALCHEMY_DATABASE_URI=url, **overrides
    )


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()


class Databases:
    """Hands out fresh databases copied from named templates ("empty", "migrated", "loaded")."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.templates: dict[str, str] = {}
        self.admin: Engine | None = None
        self.created: list[str] = []
        if ON_POSTGRES:
            admin_url = resolve_database_uri(POSTGRES_URL, root)
            self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            self.base = make_url(admin_url)
            self.prefix = f"qt_{os.getpid()}_{uuid.uuid4().hex[:6]}"

    def _new_name(self) -> str:
        return f"{self.prefix}_{uuid.uuid4().hex[:10]}"

    def _url_of(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        """Return the URL of a new database, empty or copied from a template."""
        if self.admin is None:
            path = self.root / f"{uuid.uuid4().hex}.db"
            if template is not None:
                shutil.copy(self.templates[template].removeprefix("sqlite:///"), path)
            return f"sqlite:///{path}"
        name = self._new_name()
        source = f' TEMPLATE "{make_url(self.templates[template]).database}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{source}'))
        self.created.append(name)
        return self._url_of(name)

    def drop_all(self) -> None:
        """Drop every database this run created (PostgreSQL only)."""
        if self.admin is None:
            return
        with self.admin.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Build the migrated and loaded templates once per session."""
    root = tmp_path_factory.mktemp("databases")
    dbs = Databases(root)
    migrated = dbs.create()
    app = _make_app(migrated, root)
    with app.app_context():
        upgrade()
    _dispose(app)
    dbs.templates["migrated"] = migrated
    loaded = dbs.create("migrated")
    app = _make_app(loaded, root)
    result = app.test_cli_runner().invoke(args=["bank", "load"])
    assert result.exit_code == 0, result.output
    _dispose(app)
    dbs.templates["loaded"] = loaded
    yield dbs
    dbs.drop_all()


@pytest.fixture
def make_db(databases: Databases) -> Callable[[str | None], str]:
    """Return a function giving the URL of a fresh database ("migrated", "loaded" or empty)."""
    return databases.create


def _app_on(url: str, tmp_path: Path) -> Iterator[Flask]:
    app = _make_app(url, tmp_path)
    yield app
    _dispose(app)


@pytest.fixture
def app(make_db, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh, empty (migrated) database."""
    yield from _app_on(make_db("migrated"), tmp_path)


@pytest.fixture
def loaded_app(make_db, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh database holding the shipped bank."""
    yield from _app_on(make_db("loaded"), tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def loaded_client(loaded_app: Flask) -> FlaskClient:
    return loaded_app.test_client()


def run_sql(url: str, statement: str, params: dict | None = None) -> list[tuple]:
    """Run one SQL statement on a database outside the app (tests arranging data)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params or {})
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()
