"""Reading the cleaned source documents, every sentence addressable by an anchor."""

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/documents")

from quizapp.documents import routes  # noqa: E402,F401
