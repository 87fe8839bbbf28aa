"""Static file URLs that change when the file does, so a front server may cache them for long.

``url_for("static", filename="style.css")`` becomes ``/static/style.css?v=1a2b3c4d5e``: the
version is a hash of the file's content, read once per process (files change only with a
deployment, which restarts the workers). nginx (deploy/) serves such URLs with a year's
``Cache-Control: immutable``; a URL without a version is revalidated every time.
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from flask import Flask


@cache
def file_version(path: Path) -> str | None:
    """Return a short hash of the file's content, or None if it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:
        return None


@lru_cache(maxsize=256)
def static_version(folder: str, filename: str) -> str | None:
    """Return the version of ``filename`` in the static ``folder`` (None outside or missing).

    Kept per process: resolving the path costs a system call per path component, and a page
    links the same few files on every request.
    """
    root = Path(folder).resolve()
    candidate = (root / filename).resolve()
    if root not in candidate.parents:
        return None  # outside the static folder: Flask refuses it anyway
    return file_version(candidate)


def register_static_versions(app: Flask) -> None:
    """Add ``v=<content hash>`` to every static URL the app builds."""
    folder = app.static_folder or ""

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        version = static_version(folder, str(values["filename"]))
        if version is not None:
            values["v"] = version
