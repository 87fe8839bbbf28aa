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


def test_classes_migrate_up_and_down_keeping_attempts(make_db, tmp_path: Path) -> None:
    """0011_classes: the tables come and go; attempts at assignments stay, as quizzes."""
    app = _make_app(make_db(None), tmp_path)
    with app.app_context():
        upgrade(revision="0007_facts")
        db.session.execute(
            text(
                'INSERT INTO "user" (id, username, username_key, role, is_guest, created_at,'
                " session_token) VALUES (1, 'anna', 'anna', 'learner', false, '2026-01-01', 't')"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO attempt (id, user_id, mode, title, state, started_at) VALUES"
                " (1, 1, 'mixed', 'Quiz', 'finished', '2026-01-01')"
            )
        )
        db.session.commit()
        upgrade(revision="0011_classes")
        tables = set(inspect(db.engine).get_table_names())
        assert {"school_class", "class_member", "class_teacher", "assignment"} <= tables
        db.session.execute(
            text(
                "INSERT INTO school_class (id, name, school_year, join_code, join_open, created_at)"
                " VALUES (1, '10b', '', 'ABCDEFGH', true, '2026-01-01')"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO assignment (id, class_id, title, kind, source, question_ids,"
                " shuffle, feedback, created_at) VALUES (1, 1, 'HA', 'quiz', 'questions', '[]',"
                " false, 'immediate', '2026-01-01')"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO attempt (id, user_id, mode, title, state, started_at, assignment_id,"
                " ends_at) VALUES (2, 1, 'assignment', 'HA', 'in_progress', '2026-01-01', 1,"
                " '2026-01-02')"
            )
        )
        db.session.commit()
        # Deleting a class deletes its assignments; the attempt stays (SET NULL). (A fresh
        # connection: the one that ran the migrations may still have foreign keys off.)
        db.session.remove()
        db.engine.dispose()
        db.session.execute(text("DELETE FROM school_class WHERE id = 1"))
        db.session.commit()
        assert (
            db.session.execute(text("SELECT assignment_id FROM attempt WHERE id = 2")).scalar()
            is None
        )
        db.session.rollback()
        downgrade(revision="0007_facts")
        assert not {"school_class", "assignment"} & set(inspect(db.engine).get_table_names())
        modes = db.session.execute(text("SELECT id, mode FROM attempt ORDER BY id")).all()
        assert [tuple(m) for m in modes] == [(1, "mixed"), (2, "mixed")]
        db.session.rollback()
        upgrade()
