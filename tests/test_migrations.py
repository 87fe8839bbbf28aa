"""The schema comes only from migrations: upgrade from empty, downgrade back, no drift."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from quizapp import create_app
from quizapp.config import TestingConfig
from quizapp.extensions import db


def test_upgrade_to_head_and_down_to_empty(tmp_path: Path) -> None:
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}",
    )
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"document", "sentence", "topic", "question", "choice"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "question" in inspect(db.engine).get_table_names()


def test_models_match_migrations(tmp_path: Path) -> None:
    """`flask db check` exits 0: the models and the migrations describe the same schema."""
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}",
    )
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, db.metadata) == []
