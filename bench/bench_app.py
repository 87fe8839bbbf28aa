"""The app as `make serve` runs it, plus one route the load benchmark measures as a floor.

``POST /bench/noop`` does what every logged-in form POST of the app must do before any work
of its own: read the session cookie, check the CSRF token, load the user, answer with a
redirect. Its throughput against the hello route's shows how much of the hello-world route's
throughput a real form POST can reach at best on the same server. It exists only in the
benchmark's server (bench/bench_load.py starts gunicorn with ``bench.bench_app:app``).
"""

from __future__ import annotations

from flask import redirect
from flask_login import login_required
from werkzeug.wrappers import Response

from quizapp import create_app
from quizapp.database import own_transaction

app = create_app()


@app.post("/bench/noop")
@own_transaction  # it writes nothing: no write transaction either
@login_required
def noop() -> Response:
    """An authenticated, CSRF-checked form POST that stores nothing."""
    return redirect("/cards/review", 303)
