"""The application factory, configuration and database set-up."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from quizapp import create_app
from quizapp.config import Config, TestingConfig, resolve_database_uri
from quizapp.extensions import db
from tests.conftest import sqlite_only


def test_default_database_is_sqlite_in_instance_folder(tmp_path: Path) -> None:
    assert resolve_database_uri(None, tmp_path) == f"sqlite:///{tmp_path / 'quizapp.db'}"


def test_database_url_overrides_and_names_the_psycopg_driver(tmp_path: Path) -> None:
    url = resolve_database_uri("postgres://u:p@localhost/quiz", tmp_path)
    assert url == "postgresql+psycopg://u:p@localhost/quiz"
    assert resolve_database_uri("sqlite:///x.db", tmp_path) == "sqlite:///x.db"


def test_database_url_from_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")

    class EnvConfig(Config):
        SQLALCHEMY_DATABASE_URI = __import__("os").environ["DATABASE_URL"]
        SECRET_KEY = "x"

    app = create_app(EnvConfig, instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'env.db'}"


def test_secret_key_is_created_once_in_instance_folder(tmp_path: Path) -> None:
    class NoSecret(TestingConfig):
        SECRET_KEY = None

    instance = str(tmp_path / "instance")
    first = create_app(NoSecret, instance_path=instance, SQLALCHEMY_DATABASE_URI="sqlite://")
    # Several gunicorn workers each create an app: they must all read the same key.
    second = create_app(NoSecret, instance_path=instance, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32


@sqlite_only
def test_sqlite_pragmas_are_set(app) -> None:
    with app.app_context():
        conn = db.session.connection()
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


@sqlite_only
def test_begin_write_takes_the_write_lock_at_once(app) -> None:
    """A write transaction begun IMMEDIATE blocks a second writer until it ends."""
    import sqlite3

    from quizapp.database import begin_write

    with app.app_context():
        begin_write(db.session)
        db.session.execute(text("SELECT 1"))
        path = db.engine.url.database
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            raise AssertionError("a second writer got the lock")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
        finally:
            other.close()
        db.session.rollback()


def test_home_page_without_bank_explains_how_to_load(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'lang="de"' in page
    assert "flask bank load" in page


def test_home_page_lists_documents_by_short_title_without_bank_statistics(loaded_client) -> None:
    page = loaded_client.get("/").get_data(as_text=True)
    assert "Der Friede von Portsmouth" in page
    assert "Moskau und Tokio haben sich darauf geeinigt" in page
    assert "Nesawissimaja" not in page  # the title's whole first sentence is cut short
    assert "004_401761815e4e5e11.txt" not in page  # file names are for teachers
    assert "freigegebene Fragen" not in page  # bank statistics live in the teacher area


def test_unknown_page_is_404(client) -> None:
    assert client.get("/gibt-es-nicht").status_code == 404
