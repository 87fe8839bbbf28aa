"""Flashcard views: parse the form, call the domain, store, redirect."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from quizapp import memory
from quizapp.answers import grade_text
from quizapp.cards import bp
from quizapp.cards.forms import DeckForm, RateForm, SettingsForm, TypedAnswerForm
from quizapp.charts import bar_chart
from quizapp.database import own_transaction
from quizapp.extensions import db
from quizapp.models import CardSettings, CardState, Question
from quizapp.quiz.routes import right_answer
from quizapp.services import cards as service
from quizapp.services.quiz import catalogue, spec_for

RATING_LABELS = {1: "Nochmal", 2: "Schwer", 3: "Gut", 4: "Einfach"}


def _now() -> datetime:
    return datetime.now(UTC)


def _deck_choices() -> list[tuple[str, str, int]]:
    """Return (key, label, approved questions) for every document and topic deck."""
    by_document, by_topic, _ = catalogue(db.session)
    return [(f"document:{e.key}", f"Dokument: {e.title}", e.count) for e in by_document] + [
        (f"topic:{e.key}", f"Thema: {e.title}", e.count) for e in by_topic
    ]


@bp.get("/")
def index() -> str:
    """Show the decks, today's due and new cards, and the way into a review session.

    A visitor without an account may start right away as a guest, as with quizzes.
    """
    if not current_user.is_authenticated:
        return render_template("cards/guest.html")
    settings = service.settings_for(db.session, current_user.id)
    choices = _deck_choices()
    form = DeckForm(data={"decks": settings.decks})
    form.decks.choices = [(key, f"{label} ({n} Karten)") for key, label, n in choices]
    now = _now()
    _, day_end = memory.day_bounds(memory.study_day(now, settings.timezone), settings.timezone)
    due = db.session.scalar(
        select(func.count()).select_from(
            service.card_query(current_user.id, settings.decks)
            .where(service.due_condition(now, day_end))
            .subquery()
        )
    )
    done = service.today_counts(db.session, current_user.id, now, settings.timezone)
    stats = service.statistics(db.session, current_user.id, now)
    return render_template(
        "cards/index.html",
        form=form,
        due=due,
        new_left=max(0, settings.new_per_day - done.new),
        unseen=stats.by_state["new"],
        settings=settings,
        leech_count=len(service.leeches(db.session, current_user.id)),
    )


@bp.post("/decks")
@login_required
def decks() -> Response:
    """Save the chosen decks."""
    form = DeckForm()
    form.decks.choices = [(key, label) for key, label, _ in _deck_choices()]
    if not form.validate():
        abort(400)
    settings = _stored_settings()
    settings.decks = list(form.decks.data or [])
    db.session.commit()
    flash("Deine Stapelauswahl ist gespeichert.", "success")
    return redirect(url_for("cards.index"))


def _stored_settings() -> CardSettings:
    return service.stored_settings(db.session, current_user.id)


@bp.get("/review")
@login_required
def review() -> str:
    """Show the next card's front, or its back with ``?show=<question id>``."""
    now = _now()
    nxt = service.next_card(db.session, current_user.id, now)
    if nxt.question is None:
        return render_template("cards/done.html", next_card=nxt)
    question, card = nxt.question, nxt.card
    settings = service.settings_for(db.session, current_user.id)
    show_back = request.args.get("show") == question.id
    return _render_card(question, card, show_back, settings.typed_answers)


def _render_card(
    question: Question,
    card: CardState | None,
    show_back: bool,
    typed: bool,
    verdict: object = None,
    given: str | None = None,
    status: int = 200,
    feedback: str | None = None,
) -> tuple[str, int]:
    version = card.version if card else 0
    spec = spec_for(question)
    typed = typed and question.kind in ("typed", "cloze", "date", "single_choice")
    # The front needs the typed-answer form (when typing), the back the intervals each rating
    # would give; nothing is built for the side not shown. The rating form is three hidden
    # fields and four buttons, written in the template (RateForm checks what comes back).
    typed_form = intervals = None
    if show_back:
        intervals = service.intervals(db.session, current_user.id, card, _now())
    elif typed:
        typed_form = TypedAnswerForm(data={"question_id": question.id})
    return (
        render_template(
            "cards/card.html",
            question=question,
            card=card,
            spec=spec,
            show_back=show_back,
            typed=typed,
            typed_form=typed_form,
            version=version,
            intervals=intervals,
            labels=RATING_LABELS,
            right=right_answer(question),
            verdict=verdict,
            given=given,
            feedback=feedback,
        ),
        status,
    )


@bp.post("/check")
@own_transaction  # only reads
@login_required
def check() -> tuple[str, int]:
    """Grade a typed answer with the quiz grader, then show the back with the verdict."""
    form = TypedAnswerForm()
    if not form.validate():
        abort(400)
    nxt = service.next_card(db.session, current_user.id, _now())
    if nxt.question is None or nxt.question.id != form.question_id.data:
        abort(404)
    question = nxt.question
    text = form.text.data[:200]
    # The quiz's one grading model: listed answers with their own credit and feedback.
    found = grade_text(spec_for(question), text)
    grade = found.grade
    feedback = found.answer.feedback if found.answer is not None else None
    return _render_card(
        question, nxt.card, True, True, verdict=grade, given=text, feedback=feedback
    )


@bp.post("/rate")
@login_required
def rate() -> Response | tuple[str, int]:
    """Rate the card (1 Nochmal .. 4 Einfach); an outdated page is refused, nothing counted."""
    form = RateForm()
    if not form.validate():
        abort(400)
    user_id = current_user.id
    try:
        result = service.rate(
            db.session,
            user_id,
            form.question_id.data,
            form.rating.data,
            form.version.data,
            _now(),
        )
    except service.CardError:
        abort(404)
    except service.SuspendedCard:
        db.session.rollback()
        return _refuse("Diese Karte ist ausgesetzt. Nimm sie unter „Lästige Karten“ wieder auf.")
    except service.StaleCard:
        db.session.rollback()
        return _refuse(
            "Diese Karte wurde inzwischen schon bewertet (vielleicht in einem anderen Tab). "
            "Deine Bewertung wurde nicht noch einmal gezählt.",
            409,
        )
    db.session.commit()
    if result.leech:
        flash(
            "Diese Karte hast du schon 8-mal vergessen. Sie ist jetzt ausgesetzt – "
            "unter „Lästige Karten“ kannst du sie wieder aufnehmen.",
            "info",
        )
    return redirect(url_for("cards.review"), 303)


def _refuse(message: str, status: int = 400) -> tuple[str, int]:
    return render_template("cards/refused.html", message=message), status


@bp.post("/undo")
@login_required
def undo() -> Response:
    """Undo the last rating exactly and show that card again."""
    log = service.undo_last(db.session, current_user.id)
    if log is None:
        flash("Es gibt keine Bewertung, die du rückgängig machen kannst.", "info")
        return redirect(url_for("cards.review"), 303)
    question_id = log.question_id
    db.session.commit()
    flash("Die letzte Bewertung ist rückgängig gemacht.", "success")
    return redirect(url_for("cards.review", show=question_id), 303)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> str | Response:
    """Change desired retention, daily limits, time zone and typed-answer mode."""
    current = service.settings_for(db.session, current_user.id)
    if request.method == "POST":
        form = SettingsForm(formdata=request.form)
        if form.validate():
            stored = _stored_settings()
            stored.desired_retention = float(form.desired_retention.data)
            stored.new_per_day = form.new_per_day.data
            stored.reviews_per_day = form.reviews_per_day.data
            stored.timezone = form.timezone.data
            stored.typed_answers = form.typed_answers.data
            db.session.commit()
            flash("Deine Einstellungen sind gespeichert.", "success")
            return redirect(url_for("cards.settings"))
        return render_template("cards/settings.html", form=form, stored=True), 400
    form = SettingsForm(formdata=None, obj=current)
    stored = db.session.get(CardSettings, current_user.id) is not None
    return render_template("cards/settings.html", form=form, stored=stored)


@bp.get("/leeches")
@login_required
def leeches() -> str:
    """List suspended cards (forgotten 8 times) with a way to take them back."""
    return render_template(
        "cards/leeches.html",
        cards=service.leeches(db.session, current_user.id),
        form=RateForm(),
    )


@bp.post("/leeches/<question_id>/unsuspend")
@login_required
def unsuspend(question_id: str) -> Response:
    """Take a suspended card back into the reviews."""
    try:
        service.unsuspend(db.session, current_user.id, question_id)
    except service.CardError:
        abort(404)
    db.session.commit()
    flash("Die Karte ist wieder in deinen Wiederholungen.", "success")
    return redirect(url_for("cards.leeches"))


@bp.get("/stats")
@login_required
def stats() -> str:
    """Show reviews per day, due forecast, true retention, cards by state and streak."""
    data = service.statistics(db.session, current_user.id, _now())
    reviews_chart = bar_chart(
        [(f"{d.day}.{d.month}.", n) for d, n in data.reviews_per_day],
        "Wiederholungen pro Tag in den letzten 30 Tagen",
        label_every=5,
    )
    forecast_chart = bar_chart(
        [(f"{d.day}.{d.month}.", n) for d, n in data.forecast],
        "Fällige Karten in den nächsten 14 Tagen",
        label_every=2,
    )
    return render_template(
        "cards/stats.html",
        stats=data,
        reviews_chart=reviews_chart,
        forecast_chart=forecast_chart,
        state_names={
            "new": "noch nie gelernt",
            "learning": "gerade gelernt, kommen bald wieder",
            "review": "sitzen, werden wiederholt",
            "relearning": "vergessen, werden neu gelernt",
        },
    )
