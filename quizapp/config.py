"""Configuration read from environment variables, with safe defaults for a single machine."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _instance_secret(instance_path: Path) -> str:
    """Return a secret key kept in the instance folder, creating it once.

    A key generated at every start would differ between gunicorn workers and log users out;
    O_EXCL makes sure that workers starting at the same moment agree on one key.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
    for _ in range(50):  # another worker may be between creating and writing the file
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"{key_file} is empty; delete it and start again")


class Config:
    """Production-ready defaults; every value can be overridden by an environment variable."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SEEDS_DIR: Path = Path(os.environ.get("QUIZAPP_SEEDS_DIR", PROJECT_ROOT / "seeds"))
    QUESTIONS_DIR: Path = Path(os.environ.get("QUIZAPP_QUESTIONS_DIR", PROJECT_ROOT / "questions"))
    # A quiz page left open for a lesson must still submit; the token lives as long as the session.
    WTF_CSRF_TIME_LIMIT: int | None = int(os.environ.get("QUIZAPP_CSRF_TIME_LIMIT", 8 * 3600))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("QUIZAPP_SECURE_COOKIES", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = int(os.environ.get("QUIZAPP_MAX_UPLOAD_BYTES", 2 * 1024 * 1024))
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("QUIZAPP_SQLITE_BUSY_TIMEOUT_MS", 5000))
    # Imports write in batches that hold the write lock about IMPORT_BATCH_SECONDS (at most
    # IMPORT_BATCH_SIZE questions), then pause (learners' writes go first); a previewed
    # file waits IMPORT_TTL_SECONDS for its confirmation.
    IMPORT_BATCH_SECONDS = float(os.environ.get("QUIZAPP_IMPORT_BATCH_SECONDS", 0.03))
    IMPORT_BATCH_SIZE = int(os.environ.get("QUIZAPP_IMPORT_BATCH_SIZE", 500))
    IMPORT_PAUSE_SECONDS = float(os.environ.get("QUIZAPP_IMPORT_PAUSE_SECONDS", 0.005))
    IMPORT_TTL_SECONDS = int(os.environ.get("QUIZAPP_IMPORT_TTL_SECONDS", 3600))
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none):
    # the login throttle counts per client address.
    PROXY_COUNT = int(os.environ.get("QUIZAPP_PROXY_COUNT", 0))
    # Times shown to people (history, statistics); stored times are always UTC.
    DISPLAY_TIMEZONE = os.environ.get("QUIZAPP_TIMEZONE", "Europe/Berlin")
    # The item analysis reads every answer; its stored figures are refreshed in the background
    # when older than this many seconds (0: computed on every page, nothing stored).
    ANALYSIS_CACHE_SECONDS = int(os.environ.get("QUIZAPP_ANALYSIS_CACHE_SECONDS", 60))
    # A password reset code a teacher hands out works once and for this many hours.
    RESET_CODE_HOURS = float(os.environ.get("QUIZAPP_RESET_CODE_HOURS", 48))


class TestingConfig(Config):
    """Settings for the test suite: an isolated database the tests pass in."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = None  # the tests set a fresh SQLite file per test
    WTF_CSRF_ENABLED = False
    ANALYSIS_CACHE_SECONDS = 0  # tests see every answer at once; the snapshot has its own tests
    # A request writing in a transaction not begun with begin_write() raises (SQLite).
    STRICT_WRITES = True


def resolve_database_uri(configured: str | None, instance_path: Path) -> str:
    """Return the database URL: the configured one, or SQLite in the instance folder."""
    if configured:
        # Heroku-style URLs say "postgres://"; SQLAlchemy wants the psycopg 3 driver named.
        if configured.startswith("postgres://"):
            configured = "postgresql+psycopg://" + configured[len("postgres://") :]
        elif configured.startswith("postgresql://"):
            configured = "postgresql+psycopg://" + configured[len("postgresql://") :]
        return configured
    instance_path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_path / 'quizapp.db'}"


def ensure_secret_key(secret: str | None, instance_path: Path) -> str:
    """Return the configured secret key or the one stored in the instance folder."""
    return secret or _instance_secret(instance_path)
