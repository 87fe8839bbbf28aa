"""The teacher area: authoring, reviewing drafts, documents, import/export, item analysis."""

from flask import Blueprint

bp = Blueprint("teach", __name__, url_prefix="/teach")

from quizapp.teach import account_routes, fact_routes, report_routes, routes  # noqa: E402,F401
