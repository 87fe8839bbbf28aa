"""The teacher area: authoring, reviewing drafts, documents, import/export, item analysis."""

from flask import Blueprint

bp = Blueprint("teach", __name__, url_prefix="/teach")

from quizapp.teach import fact_routes, routes  # noqa: E402,F401
