"""Rules every request passes through, kept in one place.

* Every request that may change something (POST and the other unsafe methods) begins its
  transaction for writing before the view runs, unless the view is marked
  ``@own_transaction`` (it begins writing itself after its slow part, or never writes).
* Integers in URLs and query strings are bounded: a number no column can hold is no row of
  any table (404), not a database error.
* Path segments, parameters and form fields with a NUL character (which PostgreSQL cannot
  store), and fields whose name is no text, are refused before any view sees them.
* Every response carries the security headers: a Content-Security-Policy without inline
  script (the pages' JavaScript is in static files), no framing, no MIME sniffing, no
  Referer to other sites; pages and exports are never stored by caches (they show a
  learner's progress or a teacher's bank).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from quizapp.database import begin_write, wants_write_transaction
from quizapp.extensions import db

#: The largest id any table holds (PostgreSQL's integer; SQLite's are larger, never this large).
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` from 0 to MAX_ID; a larger number does not match the route (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def small_int(value: str) -> int:
    """Parse a query-string integer within +-MAX_ID (for ``request.args.get(type=...)``)."""
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError(f"{value!r} is out of range")
    return number


def readable(fields: MultiDict) -> bool:
    """Return whether every name is text and no name or value holds a NUL character."""
    for name, value in fields.items(multi=True):
        if not isinstance(name, str) or "\x00" in name or "\x00" in str(value):
            return False
    return True


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers without frame-ancestors
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def register_converters(app: Flask) -> None:
    """Bound ``<int:...>`` in every route (call before the blueprints are registered)."""
    app.url_map.converters["int"] = BoundedIntConverter


def register_guards(app: Flask) -> None:
    """Install the request-wide rules (after CSRFProtect, whose check runs first)."""

    @app.before_request
    def refuse_unreadable_input() -> None:
        path_values = (request.view_args or {}).values()
        if any("\x00" in str(value) for value in path_values):
            abort(404)  # no id holds a NUL character
        if not readable(request.args) or not readable(request.form):
            abort(400)
        if any(not isinstance(name, str) or "\x00" in name for name in request.files):
            abort(400)

    @app.before_request
    def begin_writes_for_unsafe_methods() -> None:
        view = current_app.view_functions.get(request.endpoint or "")
        if wants_write_transaction(view, request.method):
            begin_write(db.session)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            # Pages show a learner's progress or the teacher's bank; exports are the bank.
            response.headers["Cache-Control"] = "no-store"
        return response
