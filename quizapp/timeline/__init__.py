"""The timeline: every approved event in date order, for learners."""

from flask import Blueprint

bp = Blueprint("timeline", __name__, url_prefix="/timeline")

from quizapp.timeline import routes  # noqa: E402,F401
