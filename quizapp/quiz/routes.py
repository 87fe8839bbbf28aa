"""Quiz views: parse the form, call the domain, store, redirect."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from quizapp import class_messages as say
from quizapp.answers import (
    EmptyChoices,
    ForgedAnswer,
    IncompleteAnswer,
    Review,
    correct_order,
    date_precision,
    grade_submission,
    review,
    unplayable,
)
from quizapp.auth.routes import create_guest
from quizapp.classwork import time_is_up
from quizapp.database import begin_write, own_transaction
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Document, Question
from quizapp.quiz import bp
from quizapp.quiz.forms import StartForm, build_answer_form, hint_for, key_hint_for
from quizapp.richtext import to_text
from quizapp.services.cards import apply_quiz_answer, scheduler_settings, settings_for
from quizapp.services.classes import feedback_withheld_until
from quizapp.services.quiz import (
    DEFAULT_LENGTH,
    SKIPPED,
    QuizUnavailable,
    catalogue,
    close_attempt,
    defer_item,
    draw_questions,
    finish_if_complete,
    load_slot,
    record_answer,
    skip_items,
    spec_for,
    start_attempt,
    topic_mastery,
    weak_question_ids,
)
from quizapp.template_filters import german_datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _own_attempt(attempt_id: int, *, all_questions: bool = False) -> Attempt:
    """Return the current user's attempt, or 404 (another learner's attempt does not exist).

    Its items are loaded; their questions only with ``all_questions`` (the results page):
    a question page needs one question, which loads on first use.
    """
    query = _ATTEMPT_WITH_QUESTIONS if all_questions else _ATTEMPT
    attempt = db.session.scalars(query, {"attempt_id": attempt_id}).unique().first()
    if attempt is None or not current_user.is_authenticated or attempt.user_id != current_user.id:
        abort(404)
    return attempt


# Statements every quiz page runs, built once (building one costs more than running it).
# An attempt with its items (ten rows in one round trip), or with their questions too.
_ATTEMPT = (
    select(Attempt).where(Attempt.id == bindparam("attempt_id")).options(joinedload(Attempt.items))
)
_ATTEMPT_WITH_QUESTIONS = (
    select(Attempt)
    .where(Attempt.id == bindparam("attempt_id"))
    .options(selectinload(Attempt.items).selectinload(AttemptItem.question))
)
# What a question page and a feedback page show of the question, in one statement each
# (the item's ``question`` is then found in the session without asking again).
_ASKED = (
    select(Question)
    .where(Question.id == bindparam("question_id"))
    .options(joinedload(Question.choices))
)
_EXPLAINED = (
    select(Question)
    .where(Question.id == bindparam("question_id"))
    .options(
        joinedload(Question.choices),
        joinedload(Question.sentence),
        joinedload(Question.document).load_only(Document.id, Document.name, Document.title),
    )
)


def _load_question(item: AttemptItem | None, query: Select) -> Question | None:
    """Load the item's question as a page needs it and return it.

    The item then holds the question itself: asking ``item.question`` while the loaded object
    is alive finds it in the session without a statement (the session keeps only weak
    references, so a question nobody held would be loaded again, without its options).
    """
    if item is None:
        return None
    loaded = db.session.scalars(query, {"question_id": item.question_id}).unique().first()
    # While ``loaded`` is alive, item.question is taken from the session and kept by the item.
    return item.question if loaded is not None else None


def _item(attempt: Attempt, position: int) -> AttemptItem:
    if not 0 <= position < len(attempt.items):
        abort(404)
    return attempt.items[position]


@bp.get("/")
def index() -> str:
    """List the quizzes: by document, by topic, mixed, weak spots, and unfinished attempts."""
    by_document, by_topic, total = catalogue(db.session)
    unfinished, weak = [], 0
    if current_user.is_authenticated:
        unfinished = db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == current_user.id, Attempt.state == "in_progress")
            .order_by(Attempt.started_at.desc())
        ).all()
        weak = len(weak_question_ids(db.session, current_user.id, 50))
    return render_template(
        "quiz/index.html",
        by_document=by_document,
        by_topic=by_topic,
        total=total,
        unfinished=unfinished,
        weak=weak,
        form=StartForm(),
    )


@bp.post("/start")
@own_transaction
def start() -> Response:
    """Start a quiz; a visitor without an account becomes a guest."""
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    length = int(form.length.data or DEFAULT_LENGTH)
    user_id = current_user.id if current_user.is_authenticated else None
    try:
        # The draw only reads; the write transaction below only inserts.
        draw = draw_questions(
            db.session, user_id, form.mode.data, form.key.data or "", length, random.Random()
        )
    except QuizUnavailable:
        flash("Für diese Auswahl gibt es noch keine freigegebenen Fragen.", "error")
        return redirect(url_for("quiz.index"))
    begin_write(db.session)
    if user_id is None:
        guest = create_guest()
        db.session.flush()
        login_user(guest, remember=True)
        user_id = guest.id
    attempt_id = start_attempt(db.session, user_id, draw, _now())
    db.session.commit()
    return redirect(url_for("quiz.show", attempt_id=attempt_id))


@bp.get("/<int:attempt_id>")
@login_required
def show(attempt_id: int) -> str | Response:
    """Show the current question, or the results once every question is answered."""
    attempt = _own_attempt(attempt_id)
    if not attempt.finished and time_is_up(attempt.ends_at, _now()):
        return _time_up(attempt_id, attempt.ends_at)
    item = attempt.current_item()
    _load_question(item, _ASKED)
    broken = _broken_items(attempt, item)
    if broken:
        # A question that cannot be asked must not end the quiz: skip it, tell the teacher.
        begin_write(db.session)
        skip_items(db.session, broken, _now())
        finish_if_complete(db.session, attempt_id, _now())
        db.session.commit()
        flash(SKIPPED_MESSAGE, "info")
        return redirect(url_for("quiz.show", attempt_id=attempt_id))
    if item is None:
        if not attempt.finished:
            begin_write(db.session)
            finish_if_complete(db.session, attempt_id, _now())
            db.session.commit()
        return redirect(url_for("quiz.results", attempt_id=attempt_id))
    return _render_question(attempt, item)


SKIPPED_MESSAGE = (
    "Eine Frage dieses Quiz ist fehlerhaft und wurde übersprungen; sie zählt nicht. "
    "Deine Lehrkraft sieht den Hinweis."
)


def _broken_items(attempt: Attempt, item: AttemptItem | None) -> list[int]:
    """Return the ids of the open items, in the order asked, that cannot be asked before
    the first one that can."""
    broken = []
    for later in attempt.open_items() if item is not None else ():
        if unplayable(spec_for(later.question, later.choice_order)) is None:
            break
        broken.append(later.id)
    return broken


def _render_question(
    attempt: Attempt,
    item: AttemptItem,
    form: object = None,
    status: int = 200,
    confirm_empty: bool = False,
):
    spec = spec_for(item.question, item.choice_order)
    form = form or build_answer_form(spec)
    hint = hint_for(spec)
    return (
        render_template(
            "quiz/question.html",
            attempt=attempt,
            item=item,
            question=item.question,
            form=form,
            hint=hint,
            key_hint=key_hint_for(spec),
            can_skip=len(attempt.open_items()) > 1,
            confirm_empty=confirm_empty,
        ),
        status,
    )


@bp.post("/<int:attempt_id>/<int:position>")
@own_transaction
@login_required
def answer(attempt_id: int, position: int) -> Response | tuple[str, int]:
    """Grade and store the answer to the question at ``position``, exactly once."""
    # Read and grade first, outside the write transaction: on SQLite, writers take turns, so
    # the write lock is held only for the few statements that store the answer.
    user_id = current_user.id  # read now: the write transaction expires the loaded user
    settings = scheduler_settings(settings_for(db.session, user_id))  # loaded with the user
    slot = load_slot(db.session, attempt_id, position)
    if slot is None or slot.user_id != user_id:
        abort(404)  # another learner's attempt does not exist
    if slot.answered:
        return _already_answered(attempt_id, position)
    if slot.finished:
        return _refuse(
            _own_attempt(attempt_id),
            "Dieses Quiz ist schon beendet; Antworten sind nicht mehr möglich.",
        )
    if time_is_up(slot.ends_at, _now()):
        _close(attempt_id, slot.ends_at)
        return _refuse(_own_attempt(attempt_id), say.TIME_UP_ANSWER)
    if slot.current != position:
        return _refuse(
            _own_attempt(attempt_id),
            f"Diese Frage ist gerade nicht dran. Weiter mit Frage {slot.current + 1}.",
        )
    if unplayable(slot.spec) is not None:
        begin_write(db.session)
        skip_items(db.session, [slot.item_id], _now())
        finish_if_complete(db.session, attempt_id, _now())
        db.session.commit()
        flash(SKIPPED_MESSAGE, "info")
        return redirect(url_for("quiz.show", attempt_id=attempt_id), 303)
    form = build_answer_form(slot.spec, request.form)
    if not form.validate():
        return _ask_again(attempt_id, position, form)
    try:
        graded = grade_submission(slot.spec, request.form)
    except EmptyChoices as empty:
        # Nothing is stored: the learner completes the answer or submits it as it is.
        return _ask_to_complete(attempt_id, position, form, empty)
    except IncompleteAnswer:
        form.form_errors.append("Jede Position darf nur einmal vorkommen.")
        return _ask_again(attempt_id, position, form)
    except ForgedAnswer:
        abort(400)
    now = _now()
    begin_write(db.session)
    # The conditional UPDATE decides a race between two tabs: the first answer stands.
    if not record_answer(db.session, slot.item_id, graded, now):
        db.session.rollback()
        return _already_answered(attempt_id, position)
    # The quiz answer is also a review of the question's flashcard (once per item).
    correct = graded.grade.correct
    apply_quiz_answer(db.session, user_id, slot.question_id, correct, slot.item_id, now, settings)
    finish_if_complete(db.session, attempt_id, now)
    db.session.commit()
    return redirect(url_for("quiz.feedback", attempt_id=attempt_id, position=position), 303)


def _close(attempt_id: int, ends_at: datetime) -> None:
    """Close an attempt whose time ran out: its open questions count as unanswered."""
    begin_write(db.session)
    close_attempt(db.session, attempt_id, ends_at)
    db.session.commit()


def _time_up(attempt_id: int, ends_at: datetime) -> Response:
    """Close an attempt whose time ran out and show its result."""
    _close(attempt_id, ends_at)
    flash(say.TIME_UP, "info")
    return redirect(url_for("quiz.results", attempt_id=attempt_id))


@bp.post("/<int:attempt_id>/<int:position>/skip")
@login_required
def skip(attempt_id: int, position: int) -> Response:
    """Put the current question behind the others; it comes back before the quiz ends."""
    attempt = _own_attempt(attempt_id)
    item = _item(attempt, position)
    current = attempt.current_item()
    if attempt.finished or item.answered_at is not None or current is None:
        return redirect(url_for("quiz.show", attempt_id=attempt_id), 303)
    if current.id != item.id:
        flash(f"Diese Frage ist gerade nicht dran. Weiter mit Frage {current.position + 1}.")
    elif defer_item(db.session, attempt_id, position):
        db.session.commit()
        flash(
            f"Frage {position + 1} kommt später noch einmal, bevor das Quiz endet.",
            "info",
        )
    else:
        flash("Das ist die letzte offene Frage; überspringen geht nicht mehr.", "info")
    return redirect(url_for("quiz.show", attempt_id=attempt_id), 303)


def _ask_again(attempt_id: int, position: int, form: object) -> tuple[str, int]:
    """Show the question again with the learner's input and what is wrong with it."""
    attempt = _own_attempt(attempt_id)
    return _render_question(attempt, _item(attempt, position), form, 400)


def _quoted_list(items: list[str]) -> str:
    quoted = [f"„{item}“" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " und " + quoted[-1]


def _ask_to_complete(
    attempt_id: int, position: int, form: object, empty: EmptyChoices
) -> tuple[str, int]:
    """Show a matching again whose dropdowns are partly empty, saying which; nothing stored."""
    for index in empty.fields:
        field = getattr(form, f"match_{index}")
        field.errors = [*field.errors, "Hier hast du noch nichts gewählt."]
    form.form_errors.append(
        f"Bei {_quoted_list(empty.items)} hast du noch nichts gewählt. Ergänze deine Auswahl – "
        "oder gib die Antwort so ab; ein leeres Feld zählt dann als falsch."
    )
    attempt = _own_attempt(attempt_id)
    return _render_question(attempt, _item(attempt, position), form, 400, confirm_empty=True)


def _already_answered(attempt_id: int, position: int) -> Response:
    """A double click or a reload after POST: the first answer stands."""
    flash("Diese Frage hast du schon beantwortet. Deine erste Antwort zählt.", "info")
    return redirect(url_for("quiz.feedback", attempt_id=attempt_id, position=position), 303)


def _refuse(attempt: Attempt, message: str) -> tuple[str, int]:
    return render_template("quiz/refused.html", attempt=attempt, message=message), 400


@bp.get("/<int:attempt_id>/<int:position>/feedback")
@login_required
def feedback(attempt_id: int, position: int) -> str | Response:
    """Show whether the answer was right, the right answer, the explanation and the source."""
    attempt = _own_attempt(attempt_id)
    item = _item(attempt, position)
    if item.answered_at is None:
        return redirect(url_for("quiz.show", attempt_id=attempt.id))
    question = _load_question(item, _EXPLAINED)
    hidden_until = feedback_withheld_until(db.session, attempt.assignment_id, _now())
    if hidden_until is not None:  # a test: right answers only after the deadline
        flash(say.FEEDBACK_LATER.format(due=german_datetime(hidden_until)), "info")
        return redirect(url_for("quiz.show", attempt_id=attempt.id))
    return render_template(
        "quiz/feedback.html",
        attempt=attempt,
        item=item,
        question=question,
        right=right_answer(question),
        explained=explain(item),
        asked=date_precision(question.answer),
        next_item=attempt.current_item(),
    )


def explain(item: AttemptItem) -> Review:
    """Return the marks and feedback of an answered item (none for a skipped one)."""
    if item.note == SKIPPED or item.answered_at is None:
        return Review()
    return review(spec_for(item.question, item.choice_order), item.response, item.correct)


def right_answer(question: Question) -> str:
    """Return the correct answer as a learner should read it."""
    fmt = question.text_format
    if question.kind == "ordering":
        spec = spec_for(question)
        return " → ".join(to_text(o.text, fmt) for o in correct_order(spec))
    if question.kind in ("single_choice", "multiple_choice", "matching"):
        return to_text(question.answer, fmt)  # an option's words, without its markup
    return question.answer


@bp.get("/<int:attempt_id>/results")
@login_required
def results(attempt_id: int) -> str | Response:
    """Show score, time taken and every answer next to the right one."""
    attempt = _own_attempt(attempt_id, all_questions=True)
    if not attempt.finished:
        flash("Das Quiz ist noch nicht fertig. Hier geht es weiter.", "info")
        return redirect(url_for("quiz.show", attempt_id=attempt.id))
    hidden_until = feedback_withheld_until(db.session, attempt.assignment_id, _now())
    if hidden_until is not None:
        return render_template("classes/results_withheld.html", attempt=attempt, due=hidden_until)
    return render_template(
        "quiz/results.html",
        attempt=attempt,
        answers=[(item, right_answer(item.question), explain(item)) for item in attempt.items],
    )


@bp.get("/history")
@login_required
def history() -> str:
    """List this learner's attempts with scores, and mastery per topic."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == current_user.id)
        .options(selectinload(Attempt.items))
        .order_by(Attempt.started_at.desc())
    ).all()
    return render_template(
        "quiz/history.html",
        attempts=attempts,
        mastery=topic_mastery(db.session, current_user.id),
    )


def rerender_after_expired_form() -> tuple[str, int]:
    """Show the question again with the learner's input kept, after an expired CSRF token."""
    args = request.view_args or {}
    attempt = _own_attempt(int(args.get("attempt_id", 0)))
    item = _item(attempt, int(args.get("position", -1)))
    if item.answered_at is not None or attempt.finished:
        abort(400)
    spec = spec_for(item.question, item.choice_order)
    form = build_answer_form(spec, request.form)
    form.form_errors.append(
        "Die Seite war zu lange geöffnet, deine Antwort wurde noch nicht gespeichert. "
        "Sie ist unten eingetragen – sende sie bitte noch einmal ab."
    )
    return _render_question(attempt, item, form, 400)
