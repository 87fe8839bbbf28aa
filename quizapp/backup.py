"""Consistent copies of a live SQLite database with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BackupError(RuntimeError):
    """The backup or restore cannot be made (wrong database kind, unreadable file...)."""


def sqlite_path(url: str) -> Path:
    """Return the file of a ``sqlite:///`` URL; raise BackupError for other databases."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url in (prefix, prefix + ":memory:"):
        raise BackupError(
            "backups of this database are made with its own tools (PostgreSQL: pg_dump)"
        )
    return Path(url[len(prefix) :])


def _copy(source: Path, target: Path) -> int:
    """Copy ``source`` into ``target`` page by page while others may keep writing to it."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # Pages in steps, so a writer is held up for a moment at a time, never for the whole copy.
        src.backup(dst, pages=1024)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{target}: integrity check failed after copying: {check}")
        return dst.execute(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
        ).fetchone()[0]
    finally:
        dst.close()
        src.close()


def backup(url: str, target: Path) -> int:
    """Write a consistent copy of the live database at ``url`` to ``target``; return its size."""
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"{source}: no database to back up")
    if target.exists():
        raise BackupError(f"{target}: exists already; choose a new file name")
    return _copy(source, target)


def restore(url: str, backup_file: Path) -> int:
    """Replace the database at ``url`` with a backup (stop the server first); return its size."""
    target = sqlite_path(url)
    if not backup_file.exists():
        raise BackupError(f"{backup_file}: no such backup")
    probe = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        healthy = probe.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        healthy = False
    finally:
        probe.close()
    if not healthy:
        raise BackupError(f"{backup_file}: not a healthy SQLite database; nothing was changed")
    return _copy(backup_file, target)
