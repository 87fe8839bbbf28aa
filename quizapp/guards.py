"""Rules every request passes through, kept in one place.

* Every request that may change something (POST and the other unsafe methods) begins its
  transaction for writing before the view runs, unless the view is marked
  ``@own_transaction`` (it begins writing itself after its slow part, or never writes).
"""

from __future__ import annotations

from flask import Flask, current_app, request

from quizapp.database import begin_write, wants_write_transaction
from quizapp.extensions import db


def register_guards(app: Flask) -> None:
    """Install the request-wide rules (after CSRFProtect, whose check runs first)."""

    @app.before_request
    def begin_writes_for_unsafe_methods() -> None:
        view = current_app.view_functions.get(request.endpoint or "")
        if wants_write_transaction(view, request.method):
            begin_write(db.session)
