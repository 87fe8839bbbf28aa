"""Learners' views of classes: join, leave, see the assignments, start them in one click."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from quizapp import class_messages as say
from quizapp import classwork
from quizapp.classes import bp
from quizapp.classes.forms import ButtonForm, JoinForm
from quizapp.database import begin_write, own_transaction
from quizapp.extensions import db, login_manager
from quizapp.models import Assignment, Attempt
from quizapp.services import classes as service
from quizapp.services.cards import stored_settings
from quizapp.services.quiz import QuizUnavailable
from quizapp.template_filters import german_datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _address() -> str:
    return (request.remote_addr or "-")[:64]


def _is_learner() -> bool:
    return (
        current_user.is_authenticated and not current_user.is_guest and not current_user.is_teacher
    )


@bp.app_context_processor
def class_helpers() -> dict[str, Any]:
    """Give templates the learner's assignments (computed only where a page asks for them)."""
    return {
        "my_assignments": my_assignments,
        "seconds_left": _seconds_left,
        "format_code": classwork.format_code,
    }


def my_assignments() -> list[service.LearnerAssignment]:
    """Return the current learner's assignments for the home page (due soon first)."""
    if not _is_learner():
        return []
    now = _now()
    return [
        row
        for row in service.learner_assignments(db.session, current_user.id, now)
        if classwork.on_home_page(row.status, row.assignment.due_at, now)
    ]


def _seconds_left(ends_at: datetime) -> int:
    return classwork.seconds_left(ends_at, _now())


@bp.route("/join", methods=["GET", "POST"])
def join() -> str | Response | tuple[str, int]:
    """Join a class with its code; tried codes are slowed down like failed logins."""
    form = JoinForm(data={"code": request.args.get("code", "")[:40]})
    if request.method == "GET":
        return render_template("classes/join.html", form=form)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.is_guest:
        flash(say.GUEST_CANNOT_JOIN, "info")
        return redirect(url_for("auth.register", code=(request.form.get("code") or "")[:40]))
    if not form.validate_on_submit():
        return render_template("classes/join.html", form=form), 400
    if current_user.is_teacher:
        form.code.errors.append(say.TEACHER_CANNOT_JOIN)
        return render_template("classes/join.html", form=form), 400
    user_id, now = current_user.id, _now()
    keys = classwork.join_throttle_keys(user_id, _address())
    check = service.check_code(db.session, form.code.data, keys, now)
    if check.class_id is None:
        db.session.commit()  # the wrong code stays counted
        if check.wait:
            form.code.errors.append(say.TOO_MANY_CODES.format(seconds=int(check.wait) + 1))
            return render_template("classes/join.html", form=form), 429
        form.code.errors.append(say.WRONG_CODE)
        return render_template("classes/join.html", form=form), 400
    added = service.join(db.session, check.class_id, user_id, now)
    name = service.class_name(db.session, check.class_id)
    db.session.commit()
    flash((say.JOINED if added else say.ALREADY_MEMBER).format(name=name), "success")
    return redirect(url_for("classes.mine"))


@bp.get("/classes/")
@login_required
def mine() -> str:
    """List the learner's classes and their assignments."""
    now = _now()
    classes = service.learner_classes(db.session, current_user.id)
    rows = service.learner_assignments(db.session, current_user.id, now) if classes else []
    by_class: dict[int, list[service.LearnerAssignment]] = {c.id: [] for c in classes}
    for row in rows:
        by_class[row.assignment.class_id].append(row)
    return render_template(
        "classes/mine.html", classes=classes, by_class=by_class, form=ButtonForm()
    )


@bp.post("/classes/<int:class_id>/leave")
@login_required
def leave(class_id: int) -> Response:
    """Leave a class; the learner's own progress stays."""
    if not ButtonForm().validate():
        abort(400)
    name = service.class_name(db.session, class_id)
    if not service.remove_member(db.session, class_id, current_user.id):
        abort(404)  # not in it: no such class for this learner
    db.session.commit()
    flash(say.LEFT.format(name=name), "success")
    return redirect(url_for("classes.mine"))


def _member_assignment(assignment_id: int) -> Assignment:
    assignment = service.assignment_for_member(db.session, assignment_id, current_user.id)
    if assignment is None:
        abort(404)  # another class's assignment does not exist for this learner
    return assignment


def _row_of(assignment: Assignment) -> service.LearnerAssignment:
    rows = service.learner_assignments(
        db.session, current_user.id, _now(), class_id=assignment.class_id
    )
    return next(r for r in rows if r.assignment.id == assignment.id)


@bp.get("/classes/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int) -> str:
    """Show an assignment: what it asks, until when, the learner's attempts and results."""
    return _assignment_page(_member_assignment(assignment_id))


def _assignment_page(assignment: Assignment, status: int = 200) -> Any:
    attempts = list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.assignment_id == assignment.id, Attempt.user_id == current_user.id)
            .order_by(Attempt.started_at)
        )
    )
    return (
        render_template(
            "classes/assignment.html",
            row=_row_of(assignment),
            attempts=attempts,
            deck=service.deck_key(assignment),
            form=ButtonForm(),
        ),
        status,
    )


@bp.post("/classes/assignments/<int:assignment_id>/start")
@own_transaction  # the questions are drawn before the write lock
@login_required
def start(assignment_id: int) -> Response | tuple[str, int]:
    """Start an assignment in one click: a new attempt, the running one, or the deck's cards."""
    if not ButtonForm().validate():
        abort(400)
    user_id = current_user.id
    assignment = _member_assignment(assignment_id)
    if assignment.kind == "deck":
        return _start_deck(assignment, user_id)
    try:
        draw = service.draw_for(db.session, assignment, random.Random())
    except QuizUnavailable:
        draw = None
    now = _now()
    begin_write(db.session)
    assignment = _member_assignment(assignment_id)  # again, under the lock
    started = service.start(db.session, assignment, user_id, draw, now)
    if started.attempt_id is None:
        db.session.rollback()
        flash(_refusal(assignment, started.refused or "closed"), "error")
        return _assignment_page(assignment, 400)
    db.session.commit()
    if started.resumed:
        flash(say.RESUMED, "info")
    return redirect(url_for("quiz.show", attempt_id=started.attempt_id), 303)


def _refusal(assignment: Assignment, reason: str) -> str:
    tz = current_app.config["DISPLAY_TIMEZONE"]
    return say.REFUSED[reason].format(
        opens=german_datetime(assignment.opens_at, tz) if assignment.opens_at else "",
        due=german_datetime(assignment.due_at, tz) if assignment.due_at else "",
        max=assignment.max_attempts or 0,
    )


def _start_deck(assignment: Assignment, user_id: int) -> Response:
    key = service.deck_key(assignment)
    if key is None:
        abort(404)  # its topic or document is gone
    label = assignment.topic.name if assignment.topic else assignment.document.title
    begin_write(db.session)
    settings = stored_settings(db.session, user_id)
    settings.decks = [key]
    db.session.commit()
    flash(say.DECK_STARTED.format(deck=label), "info")
    return redirect(url_for("cards.review"), 303)
