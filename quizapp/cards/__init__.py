"""Flashcards with spaced repetition: decks, review sessions, settings, statistics."""

from flask import Blueprint

bp = Blueprint("cards", __name__, url_prefix="/cards")

from quizapp.cards import routes  # noqa: E402,F401
