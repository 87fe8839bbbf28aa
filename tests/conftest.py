"""Shared fixtures: every test gets its own real SQLite database, created by the migrations."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from quizapp import create_app
from quizapp.config import TestingConfig
from quizapp.extensions import db

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _make_app(db_path: Path, instance: Path, **overrides: object) -> Flask:
    return create_app(
        TestingConfig,
        instance_path=str(instance),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}",
        **overrides,
    )


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a database file migrated to head once; tests copy it (cheaper than migrating)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    app = _make_app(path, path.parent)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory, migrated_db: Path) -> Path:
    """Return a database file with the shipped bank loaded, for tests that need content."""
    path = tmp_path_factory.mktemp("loaded") / "loaded.db"
    shutil.copy(migrated_db, path)
    app = _make_app(path, path.parent)
    result = app.test_cli_runner().invoke(args=["bank", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    return path


def _app_on_copy(template: Path, tmp_path: Path) -> Iterator[Flask]:
    path = tmp_path / "test.db"
    shutil.copy(template, path)
    app = _make_app(path, tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(migrated_db: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh, empty (migrated) database."""
    yield from _app_on_copy(migrated_db, tmp_path)


@pytest.fixture
def loaded_app(loaded_db: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh database holding the shipped bank."""
    yield from _app_on_copy(loaded_db, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def loaded_client(loaded_app: Flask) -> FlaskClient:
    return loaded_app.test_client()
