"""Teachers' views of their classes: parse the form, call the domain, store, redirect.

A teacher sees only the classes they teach: another teacher's class, its assignments and
learners answer 404, as if they did not exist.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp import class_messages as say
from quizapp import classwork
from quizapp.classes import teach_bp as bp
from quizapp.classes.forms import (
    AssignmentForm,
    AssignmentSettingsForm,
    ButtonForm,
    ClassForm,
    CodeForm,
    ConfirmDeleteForm,
    TeacherForm,
)
from quizapp.extensions import db, login_manager
from quizapp.formats.gradebook import write_gradebook
from quizapp.guards import MAX_ID
from quizapp.models import Assignment, SchoolClass
from quizapp.quiz.routes import right_answer
from quizapp.services import classes as service
from quizapp.services.analysis import item_analysis
from quizapp.services.users import username_key


def _now() -> datetime:
    return datetime.now(UTC)


def _tz() -> str:
    return current_app.config["DISPLAY_TIMEZONE"]


@bp.before_request
def require_teacher() -> WerkzeugResponse | None:
    """Send visitors and guests to the login page and refuse learners (403)."""
    if not current_user.is_authenticated or current_user.is_guest:
        return login_manager.unauthorized()
    if not current_user.is_teacher:
        abort(403)
    return None


def _class(class_id: int) -> SchoolClass:
    school_class = service.class_of_teacher(db.session, class_id, current_user.id)
    if school_class is None:
        abort(404)
    return school_class


def _assignment(class_id: int, assignment_id: int) -> tuple[SchoolClass, Assignment]:
    school_class = _class(class_id)
    assignment = service.assignment_of_class(db.session, class_id, assignment_id)
    if assignment is None:
        abort(404)
    return school_class, assignment


def _expiry(validity: str, now: datetime) -> datetime | None:
    return now + timedelta(days=int(validity)) if validity else None


# --------------------------------------------------------------------------- classes


@bp.get("/")
def index() -> str:
    """List the teacher's classes."""
    return render_template(
        "teach/classes/index.html",
        classes=service.teacher_classes(db.session, current_user.id),
        now=_now(),
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | WerkzeugResponse | tuple[str, int]:
    """Create a class; it gets a join code at once."""
    form = ClassForm()
    if request.method == "GET":
        return render_template("teach/classes/class_form.html", form=form, school_class=None)
    if not form.validate_on_submit():
        return render_template("teach/classes/class_form.html", form=form, school_class=None), 400
    school_class = service.create_class(
        db.session,
        current_user.id,
        form.name.data.strip(),
        (form.school_year.data or "").strip(),
        _expiry(form.validity.data, _now()),
    )
    db.session.flush()
    class_id, name, code = school_class.id, school_class.name, school_class.join_code
    db.session.commit()
    flash(say.CLASS_CREATED.format(name=name, code=classwork.format_code(code)), "success")
    return redirect(url_for("teach_classes.show", class_id=class_id))


@bp.get("/<int:class_id>")
def show(class_id: int) -> str:
    """Show a class: its code, learners, teachers and assignments."""
    school_class = _class(class_id)
    return render_template(
        "teach/classes/show.html",
        school_class=school_class,
        members=service.class_members(db.session, class_id),
        teachers=service.class_teachers(db.session, class_id),
        assignments=service.class_assignments(db.session, class_id),
        code_usable=classwork.code_usable(
            school_class.join_open, school_class.join_expires_at, _now()
        ),
        code_form=CodeForm(),
        teacher_form=TeacherForm(),
        form=ButtonForm(),
        now=_now(),
    )


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
def edit(class_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    """Change a class's name and school year."""
    school_class = _class(class_id)
    form = ClassForm(obj=school_class)
    if request.method == "GET":
        return render_template(
            "teach/classes/class_form.html", form=form, school_class=school_class
        )
    if not form.validate_on_submit():
        page = render_template(
            "teach/classes/class_form.html", form=form, school_class=school_class
        )
        return page, 400
    school_class.name = form.name.data.strip()
    school_class.school_year = (form.school_year.data or "").strip()
    db.session.commit()
    flash(say.CLASS_SAVED, "success")
    return redirect(url_for("teach_classes.show", class_id=class_id))


@bp.post("/<int:class_id>/code")
def code(class_id: int) -> WerkzeugResponse:
    """Give the class a new join code, or close or open the one it has."""
    school_class = _class(class_id)
    form = CodeForm()
    if not form.validate():
        abort(400)
    service.change_code(
        db.session, school_class, form.action.data, _expiry(form.validity.data, _now())
    )
    message = say.CODE_CHANGED[form.action.data].format(
        code=classwork.format_code(school_class.join_code)
    )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("teach_classes.show", class_id=class_id))


@bp.post("/<int:class_id>/teachers")
def add_teacher(class_id: int) -> WerkzeugResponse:
    """Let another teacher share the class."""
    _class(class_id)
    form = TeacherForm()
    if not form.validate():
        flash(say.NO_TEACHER, "error")
        return redirect(url_for("teach_classes.show", class_id=class_id))
    problem = service.add_teacher(db.session, class_id, username_key(form.username.data))
    if problem:
        db.session.rollback()
        flash(say.NO_TEACHER, "error")
    else:
        db.session.commit()
        flash(say.TEACHER_ADDED.format(name=form.username.data.strip()), "success")
    return redirect(url_for("teach_classes.show", class_id=class_id))


@bp.post("/<int:class_id>/members/<int:user_id>/remove")
def remove_member(class_id: int, user_id: int) -> WerkzeugResponse:
    """Take a learner out of the class (their own progress stays)."""
    _class(class_id)
    if not ButtonForm().validate():
        abort(400)
    names = {p.user_id: p.username for p in service.class_members(db.session, class_id)}
    if not service.remove_member(db.session, class_id, user_id):
        flash(say.NOT_A_MEMBER, "info")
    else:
        db.session.commit()
        flash(say.MEMBER_REMOVED.format(name=names.get(user_id, "")), "success")
    return redirect(url_for("teach_classes.show", class_id=class_id))


@bp.route("/<int:class_id>/delete", methods=["GET", "POST"])
def delete(class_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    """Delete a class after its name is typed again; learners keep their progress."""
    school_class = _class(class_id)
    form = ConfirmDeleteForm()
    if request.method == "GET":
        return render_template("teach/classes/delete.html", school_class=school_class, form=form)
    if not form.validate_on_submit() or (form.name.data or "").strip() != school_class.name:
        form.name.errors = [say.CONFIRM_NAME]
        page = render_template("teach/classes/delete.html", school_class=school_class, form=form)
        return page, 400
    name = school_class.name
    service.delete_class(db.session, class_id)
    db.session.commit()
    flash(say.CLASS_DELETED.format(name=name), "success")
    return redirect(url_for("teach_classes.index"))


# --------------------------------------------------------------------------- assignments


def _fill_choices(form: AssignmentForm) -> None:
    form.topic.choices = [("", "–")] + [
        (str(t.id), f"{t.name} ({t.questions} Fragen)")
        for t in service.choosable_topics(db.session)
    ]
    form.document.choices = [("", "–")] + [
        (str(d.id), f"{d.name} ({d.questions} Fragen)")
        for d in service.choosable_documents(db.session)
    ]


def _settings(form: AssignmentSettingsForm, data: service.AssignmentInput, creating: bool) -> bool:
    """Read the window and rules into ``data``; return False after noting what is wrong."""
    ok = True
    tz = _tz()
    for name in ("opens_at", "due_at"):
        field = getattr(form, name)
        try:
            setattr(data, name, classwork.parse_local_time(field.data or "", tz))
        except ValueError:
            field.errors.append(say.BAD_TIME)
            ok = False
    for name, attr, high, message in (
        ("max_attempts", "max_attempts", 20, say.BAD_ATTEMPTS),
        ("time_limit", "time_limit_minutes", 600, say.BAD_TIME_LIMIT),
    ):
        field = getattr(form, name)
        try:
            setattr(data, attr, classwork.parse_count(field.data or "", 1, high))
        except ValueError:
            field.errors.append(message)
            ok = False
    data.feedback = form.feedback.data
    if not ok:
        return False
    if data.opens_at and data.due_at and data.opens_at >= data.due_at:
        form.opens_at.errors.append(say.OPENS_AFTER_DUE)
        ok = False
    if creating and data.due_at is not None and data.due_at <= _now():
        form.due_at.errors.append(say.DUE_IN_PAST)
        ok = False
    if data.kind == "quiz" and data.feedback == "after_due" and data.due_at is None:
        form.feedback.errors.append(say.DUE_NEEDED_FOR_FEEDBACK)
        ok = False
    if data.kind == "deck" and data.due_at is None:
        form.due_at.errors.append(say.DUE_NEEDED_FOR_DECK)
        ok = False
    return ok


def _id_or_none(text: str | None) -> int | None:
    """Return a chosen row id, or None for nothing chosen or a value no row can have."""
    try:
        return classwork.parse_count(text or "", 1, MAX_ID)
    except ValueError:
        return None


def _content(form: AssignmentForm) -> service.AssignmentInput | None:
    """Read what the new assignment holds; None after noting what is wrong."""
    data = service.AssignmentInput(
        title=form.title.data.strip(), kind=form.kind.data, source=form.source.data
    )
    ok = True
    if data.kind == "deck" and data.source not in ("topic", "document"):
        form.source.errors.append(say.DECK_SOURCE)
        ok = False
    data.topic_id = _id_or_none(form.topic.data)
    data.document_id = _id_or_none(form.document.data)
    if data.source == "random" and data.topic_id is not None:
        data.document_id = None  # random questions of a topic, or of a document, or of all
    data.question_ids = classwork.parse_question_ids(form.question_ids.data or "")
    data.shuffle = bool(form.shuffle.data)
    if data.source == "random":
        try:
            data.question_count = classwork.parse_count(form.question_count.data or "", 1, 50)
        except ValueError:
            data.question_count = None
        if data.question_count is None:
            form.question_count.errors.append(say.BAD_COUNT)
            ok = False
    if not ok:
        return None
    problems = service.content_problems(db.session, data)
    fields = {"source": form.source, "topic_id": form.topic, "document_id": form.document}
    fields["question_ids"] = form.question_ids
    for name, problem in problems.items():
        key, _, detail = problem.partition(":")
        fields[name].errors.append(say.CONTENT_PROBLEMS[key].format(ids=detail, n=detail))
    return None if problems else data


@bp.route("/<int:class_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(class_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    """Set the class an assignment: a quiz or a deck, with its window and rules."""
    school_class = _class(class_id)
    form = AssignmentForm()
    _fill_choices(form)

    def page(status: int = 200) -> tuple[str, int]:
        html = render_template(
            "teach/classes/assignment_form.html",
            form=form,
            school_class=school_class,
            assignment=None,
        )
        return html, status

    if request.method == "GET":
        return page()
    if not form.validate_on_submit():
        return page(400)
    data = _content(form)
    if data is None or not _settings(form, data, creating=True):
        return page(400)
    assignment = service.create_assignment(db.session, class_id, data, current_user.id)
    db.session.flush()
    assignment_id, title = assignment.id, assignment.title
    db.session.commit()
    flash(say.ASSIGNMENT_CREATED.format(title=title), "success")
    return redirect(
        url_for("teach_classes.results", class_id=class_id, assignment_id=assignment_id)
    )


@bp.route("/<int:class_id>/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(class_id: int, assignment_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    """Change an assignment's title, window and rules (its questions stay)."""
    school_class, assignment = _assignment(class_id, assignment_id)
    tz = _tz()
    form = AssignmentSettingsForm(
        data={
            "title": assignment.title,
            "opens_at": classwork.local_input(assignment.opens_at, tz),
            "due_at": classwork.local_input(assignment.due_at, tz),
            "max_attempts": str(assignment.max_attempts or ""),
            "time_limit": str(assignment.time_limit_minutes or ""),
            "feedback": assignment.feedback,
        }
    )

    def page(status: int = 200) -> tuple[str, int]:
        html = render_template(
            "teach/classes/assignment_form.html",
            form=form,
            school_class=school_class,
            assignment=assignment,
        )
        return html, status

    if request.method == "GET":
        return page()
    if not form.validate_on_submit():
        return page(400)
    data = service.AssignmentInput(
        title=form.title.data.strip(), kind=assignment.kind, source=assignment.source
    )
    if not _settings(form, data, creating=False):
        return page(400)
    service.update_assignment(db.session, assignment, data)
    db.session.commit()
    flash(say.ASSIGNMENT_SAVED, "success")
    return redirect(
        url_for("teach_classes.results", class_id=class_id, assignment_id=assignment_id)
    )


@bp.post("/<int:class_id>/assignments/<int:assignment_id>/delete")
def delete_assignment(class_id: int, assignment_id: int) -> WerkzeugResponse:
    """Delete an assignment; the learners' attempts stay in their history."""
    _, assignment = _assignment(class_id, assignment_id)
    if not ButtonForm().validate():
        abort(400)
    title = assignment.title
    service.delete_assignment(db.session, assignment_id)
    db.session.commit()
    flash(say.ASSIGNMENT_DELETED.format(title=title), "success")
    return redirect(url_for("teach_classes.show", class_id=class_id))


# --------------------------------------------------------------------------- results


@bp.get("/<int:class_id>/assignments/<int:assignment_id>")
def results(class_id: int, assignment_id: int) -> str:
    """Show who started and finished, scores, times, and each question's facility."""
    school_class, assignment = _assignment(class_id, assignment_id)
    now = _now()
    rows = service.results(db.session, assignment, now)
    items = []
    if assignment.kind == "quiz":
        items = item_analysis(db.session, where=service.assignment_answers(assignment))
    prompts = {}
    if assignment.source == "questions":
        prompts = service.question_prompts(db.session, assignment.question_ids or [])
    return render_template(
        "teach/classes/results.html",
        school_class=school_class,
        assignment=assignment,
        rows=rows,
        items=items,
        prompts=prompts,
        started=sum(1 for r in rows if r.status != "not_started"),
        finished=sum(1 for r in rows if r.status in ("finished", "done")),
        form=ButtonForm(),
        now=now,
    )


@bp.get("/<int:class_id>/assignments/<int:assignment_id>/learners/<int:user_id>")
def learner(class_id: int, assignment_id: int, user_id: int) -> str:
    """Show one learner's attempts at an assignment: every answer, the right one, the source."""
    school_class, assignment = _assignment(class_id, assignment_id)
    person = next(
        (p for p in service.class_members(db.session, class_id) if p.user_id == user_id), None
    )
    if person is None:
        abort(404)
    attempts = service.learner_attempts(db.session, assignment_id, user_id)
    answers = {
        item.id: right_answer(item.question) for attempt in attempts for item in attempt.items
    }
    deck = None
    if assignment.kind == "deck":
        deck = service.deck_progress(db.session, assignment, [user_id])[user_id]
    return render_template(
        "teach/classes/learner.html",
        school_class=school_class,
        assignment=assignment,
        person=person,
        attempts=attempts,
        right=answers,
        deck=deck,
        now=_now(),
    )


@bp.get("/<int:class_id>/assignments/<int:assignment_id>/export")
def export(class_id: int, assignment_id: int) -> Response:
    """Download the grade book: one row per learner (German number format unless ?numbers=intl)."""
    _, assignment = _assignment(class_id, assignment_id)
    german = request.args.get("numbers", "de") != "intl"
    zone = ZoneInfo(_tz())

    def local(value: datetime | None) -> datetime | None:
        return value.astimezone(zone) if value is not None else None

    rows = service.results(db.session, assignment, _now())
    if assignment.kind == "deck":
        header = say.GRADEBOOK_DECK_HEADER
        cells = [
            [
                r.username,
                say.STATUS_NAMES[r.status],
                r.deck.learned,
                r.deck.total,
                local(r.deck.done_at),
            ]
            for r in rows
        ]
    else:
        header = say.GRADEBOOK_QUIZ_HEADER
        cells = []
        for r in rows:
            best = r.best
            cells.append(
                [
                    r.username,
                    say.STATUS_NAMES[r.status],
                    len(r.attempts),
                    best.score if best else None,
                    best.max_score if best else None,
                    100 * best.score / best.max_score if best and best.max_score else None,
                    r.minutes,
                    local(best.started_at) if best else None,
                    local(best.finished_at) if best else None,
                ]
            )
    text = write_gradebook(header, cells, german)
    slug = re.sub(r"[^a-z0-9]+", "-", assignment.title.lower()).strip("-")[:40] or "aufgabe"
    return Response(
        text.encode("utf-8-sig" if german else "utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="noten-{slug}.csv"'},
    )


@bp.get("/<int:class_id>/analysis")
def class_analysis(class_id: int) -> str:
    """Item analysis of the class: its learners' answers in its assignments."""
    school_class = _class(class_id)
    items = item_analysis(db.session, where=service.class_answers(class_id))
    return render_template(
        "teach/classes/analysis.html",
        school_class=school_class,
        assignment=None,
        items=items,
        computed_at=_now(),
    )


@bp.get("/<int:class_id>/assignments/<int:assignment_id>/analysis")
def assignment_analysis(class_id: int, assignment_id: int) -> str:
    """Item analysis of one assignment within its class."""
    school_class, assignment = _assignment(class_id, assignment_id)
    items = item_analysis(db.session, where=service.assignment_answers(assignment))
    return render_template(
        "teach/classes/analysis.html",
        school_class=school_class,
        assignment=assignment,
        items=items,
        computed_at=_now(),
    )
