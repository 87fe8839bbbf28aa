"""The URLs every page builds again and again, built once per process.

A page's navigation and style sheet are a dozen ``url_for`` calls without arguments whose
result never changes while the process runs (static URLs carry their file's version, read
once per process as well; see quizapp.static_files). Templates get a ``url_for`` that keeps
those; every other call (ids, query arguments, external URLs, blueprint-relative names)
goes to Flask's as it is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import flask
from flask import Flask, has_request_context, request


def register_url_cache(app: Flask) -> None:
    """Give this app's templates a ``url_for`` that keeps argument-less and static URLs."""

    @lru_cache(maxsize=512)
    def built(endpoint: str, script_root: str, filename: str | None) -> str:
        values = {} if filename is None else {"filename": filename}
        return flask.url_for(endpoint, **values)

    def url_for(endpoint: str, **values: Any) -> str:
        plain = not values or (endpoint == "static" and values.keys() == {"filename"})
        if not plain or endpoint.startswith(".") or not has_request_context():
            return flask.url_for(endpoint, **values)
        filename = values.get("filename")
        return built(endpoint, request.script_root, None if filename is None else str(filename))

    app.jinja_env.globals["url_for"] = url_for
