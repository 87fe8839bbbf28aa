"""The schema comes only from migrations: upgrade from empty, downgrade back, no drift."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from quizapp.extensions import db
from tests.conftest import _make_app


def test_upgrade_to_head_and_down_to_empty(make_db, tmp_path: Path) -> None:
    app = _make_app(make_db(None), tmp_path)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"document", "sentence", "topic", "question", "choice"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "question" in inspect(db.engine).get_table_names()


def test_models_match_migrations(make_db, tmp_path: Path) -> None:
    """`flask db check` exits 0: the models and the migrations describe the same schema."""
    app = _make_app(make_db(None), tmp_path)
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, db.metadata) == []


def test_upgrading_a_loaded_database_keeps_every_row(make_db, tmp_path: Path) -> None:
    """Batch migrations rebuild tables on SQLite; no cascade may eat the children."""
    app = _make_app(make_db(None), tmp_path)
    with app.app_context():
        upgrade(revision="0003_cards")
    # The bank loader of today writes columns 0003 does not have, so copy rows in by SQL.
    with app.app_context():
        db.session.execute(text("INSERT INTO topic (id, slug, name) VALUES (1, 't', 'T')"))
        db.session.execute(
            text(
                "INSERT INTO question (id, kind, prompt, answer, accepted, explanation, topic_id,"
                " origin, status, edited, created_at, updated_at) VALUES ('q1', 'single_choice',"
                " 'P?', 'A', '[]', '', 1, 'curated', 'approved', false, '2026-01-01', '2026-01-01')"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO choice (question_id, position, text, correct) VALUES"
                " ('q1', 0, 'A', true), ('q1', 1, 'B', false)"
            )
        )
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT count(*) FROM choice")).scalar() == 2
        assert db.session.execute(text("SELECT extra FROM question")).scalar() in ("{}", {})
        db.session.rollback()  # end the reading transaction: its locks would block the DDL
        downgrade(revision="0003_cards")
        assert db.session.execute(text("SELECT count(*) FROM choice")).scalar() == 2
