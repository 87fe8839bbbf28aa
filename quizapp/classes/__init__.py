"""Classes and assignments: learners join and do the work (``classes``), teachers run their
classes, set work and see the results (``teach_classes``, under /teach/classes)."""

from flask import Blueprint

bp = Blueprint("classes", __name__)
teach_bp = Blueprint("teach_classes", __name__, url_prefix="/teach/classes")

from quizapp.classes import routes, teach_routes  # noqa: E402,F401
