"""Static file URLs that change when the file does, so a front server may cache them for long.

``url_for("static", filename="style.css")`` becomes ``/static/style.css?v=1a2b3c4d5e``: the
version is a hash of the file's content, read once per process (files change only with a
deployment, which restarts the workers). nginx (deploy/) serves such URLs with a year's
``Cache-Control: immutable``; a URL without a version is revalidated every time.
"""

from __future__ import annotations

import hashlib
from functools import cache
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


def register_static_versions(app: Flask) -> None:
    """Add ``v=<content hash>`` to every static URL the app builds."""
    folder = Path(app.static_folder or "")

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        candidate = (folder / values["filename"]).resolve()
        if folder.resolve() not in candidate.parents:
            return  # outside the static folder: Flask refuses it anyway
        version = file_version(candidate)
        if version is not None:
            values["v"] = version
