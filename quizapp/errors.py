"""Error pages in German that say what happened and what to do next."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from quizapp.extensions import db

MESSAGES = {
    400: (
        "Ungültige Anfrage",
        "Diese Eingabe passt nicht zu dieser Seite. Es wurde nichts gespeichert.",
    ),
    403: ("Kein Zugriff", "Diese Seite ist Lehrkräften vorbehalten."),
    404: (
        "Nicht gefunden",
        "Diese Seite gibt es nicht (mehr). Prüfe den Link oder gehe zur Startseite.",
    ),
    405: ("Nicht erlaubt", "Diese Aktion ist hier nicht möglich."),
    413: ("Datei zu groß", "Die Datei ist zu groß. Es wurde nichts gespeichert."),
    409: (
        "Gleichzeitig geändert",
        "Jemand hat gerade dasselbe geändert. Es wurde nichts gespeichert. "
        "Lade die Seite neu und versuche es noch einmal.",
    ),
    429: ("Zu viele Versuche", "Bitte warte einen Moment und versuche es dann noch einmal."),
    503: (
        "Gerade viel los",
        "Gerade speichern sehr viele gleichzeitig. Es wurde nichts gespeichert. "
        "Versuche es in ein paar Sekunden noch einmal.",
    ),
}


def _page(code: int) -> tuple[str, int]:
    title, message = MESSAGES.get(code, ("Fehler", "Etwas ist schiefgegangen."))
    return render_template("errors/error.html", title=title, message=message), code


def register_error_handlers(app: Flask) -> None:
    """Render HTTP errors and expired forms as friendly pages."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        # A quiz page left open for hours must not lose the learner's answer: show the
        # question again with what they entered and a fresh token.
        if request.endpoint == "quiz.answer":
            from quizapp.quiz.routes import rerender_after_expired_form

            try:
                return rerender_after_expired_form()
            except HTTPException:
                pass  # another learner's attempt, or answered already: the page below
        return (
            render_template(
                "errors/error.html",
                title="Formular abgelaufen",
                message="Das Formular war zu lange geöffnet. Es wurde nichts gespeichert. "
                "Lade die Seite neu und sende es noch einmal ab.",
                back=request.path,
                back_label="Seite neu laden",
            ),
            400,
        )

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def conflict(error: Exception) -> tuple[str, int]:
        # Two requests changed the same rows at once (PostgreSQL lets both try): the second
        # stores nothing and says so, instead of a 500.
        db.session.rollback()
        return _page(409)

    @app.errorhandler(OperationalError)
    def busy(error: OperationalError) -> tuple[str, int, dict[str, str]] | OperationalError:
        # SQLite waited the whole busy timeout for another writer: ask to try again.
        if "database is locked" not in str(error.orig):
            raise error
        db.session.rollback()
        return *_page(503), {"Retry-After": "5"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        if error.code >= 500:
            # A failed flush leaves the session unusable; the page (its header shows the
            # user) must not fail on it too.
            db.session.rollback()
        return _page(error.code)
