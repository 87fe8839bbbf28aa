"""Learners report errors in questions; teachers decide them in the teacher area."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from quizapp.reports import routes  # noqa: E402,F401
