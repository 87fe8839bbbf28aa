"""The teacher's fact base: list, look at, review, edit. Views parse, call the domain, redirect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.bank.facts import EVENT_KIND_NAMES, OFFICES, Actor, Event, validate_event
from quizapp.bank.templates import describe
from quizapp.bank.topics import all_topics
from quizapp.extensions import db
from quizapp.models import Document, Fact, Question, Sentence
from quizapp.quiz.routes import right_answer
from quizapp.services import facts as service
from quizapp.teach import bp
from quizapp.teach.factedit import (
    actor_data,
    actor_form_values,
    check_actor,
    check_event,
    event_data,
    event_form_values,
    reference_errors,
)
from quizapp.teach.forms import (
    FACT_STATUS_NAMES,
    TEMPLATE_NAMES,
    ActorForm,
    EventForm,
    FactDecisionForm,
)

PAGE_SIZE = 50
#: What a reviewer checks beside every draft (the three checks, and the two traps of options).
CHECKLIST = (
    ("Richtig", "Stimmt die Antwort nach der Quelle und nach der Geschichte?"),
    ("Verständlich", "Versteht man die Frage ohne den Text („die Gebiete“, „er“, „laut Text“)?"),
    ("Gut formuliert", "Natürliches Deutsch, Optionen einer Art, nichts verrät die Antwort?"),
    ("Falsche Optionen", "Lebten die angebotenen Personen damals und waren sie im Amt?"),
    ("Andere Antworten", "Würde eine andere richtige Antwort als falsch gewertet?"),
)


def _now() -> datetime:
    return datetime.now(UTC)


@bp.app_context_processor
def fact_names() -> dict[str, Any]:
    """Make the German names of fact statuses, event kinds and templates available."""
    return {
        "FACT_STATUS_NAMES": FACT_STATUS_NAMES,
        "EVENT_KIND_NAMES": EVENT_KIND_NAMES,
        "TEMPLATE_NAMES": TEMPLATE_NAMES,
        "OFFICE_NAMES": OFFICES,
    }


def fact_summary(fact: Fact) -> dict[str, str]:
    """Return what a list shows of a fact: its date and a readable line."""
    data = fact.data or {}
    if fact.kind == "actor":
        return {"date": "", "text": str(data.get("name", fact.id))}
    try:
        event = Event.model_validate(data)
    except ValueError:
        what = str(data.get("what") or data.get("name") or data.get("source", ""))
        return {"date": str(data.get("date", "–")), "text": what.replace(" | ", " ")}
    when, text = describe(event)
    return {"date": when, "text": text}


def context_of(fact: Fact) -> list[tuple[Sentence, bool]]:
    """Return the fact's sentence with one before and after (the middle marked)."""
    if fact.sentence is None:
        return []
    rows = db.session.scalars(
        select(Sentence)
        .where(
            Sentence.document_id == fact.sentence.document_id,
            Sentence.position.between(fact.sentence.position - 1, fact.sentence.position + 1),
        )
        .order_by(Sentence.position)
    ).all()
    return [(s, s.id == fact.sentence_id) for s in rows]


def _safe_next(target: str | None, default: str) -> str:
    """Return ``target`` if it is a path inside the app, else ``default``."""
    inside = target and target.startswith("/") and not target.startswith("//")
    if inside and not any(ch in target for ch in "\\\r\n"):
        return target
    return default


# --------------------------------------------------------------------------- list and detail


@bp.get("/facts")
def facts() -> str:
    """List facts, filtered by status, kind, document and text."""
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    document = request.args.get("document", "")
    text = request.args.get("q", "").strip()
    page = max(1, min(request.args.get("page", 1, type=int), 10_000))
    query = select(Fact).options(selectinload(Fact.document))
    if status in FACT_STATUS_NAMES:
        query = query.where(Fact.status == status)
    if kind in ("event", "actor"):
        query = query.where(Fact.kind == kind)
    if document.isdigit():
        query = query.where(Fact.document_id == (int(document) if len(document) < 10 else 0))
    if text:
        like = f"%{text}%"
        query = query.where(or_(Fact.id.ilike(like), func.cast(Fact.data, db.Text).ilike(like)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Fact.kind.desc(), Fact.sort_key, Fact.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    documents = db.session.scalars(select(Document).order_by(Document.name)).all()
    return render_template(
        "teach/facts.html",
        rows=[(f, fact_summary(f)) for f in rows],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        documents=documents,
        args={"status": status, "kind": kind, "document": document, "q": text},
    )


@bp.get("/facts/<fact_id>")
def fact(fact_id: str) -> str:
    """Show a fact with its source in context, its questions, checklist and history."""
    row = db.get_or_404(Fact, fact_id)
    questions = service.questions_of_fact(db.session, row.id)
    problem = _problem_of(row)
    return render_template(
        "teach/fact.html",
        fact=row,
        summary=fact_summary(row),
        context=context_of(row),
        questions=[(q, right_answer(q)) for q in questions],
        problem=problem,
        checklist=CHECKLIST,
        decision_form=FactDecisionForm(),
        history=service.fact_history(db.session, row.id),
    )


def _problem_of(row: Fact) -> str | None:
    """Return why a fact gives no questions (an incomplete draft), or None."""
    if row.status not in ("draft", "approved"):
        return None
    _, problems = service.load_fact_base(db.session, statuses=(row.status,))
    return problems.get(row.id)


@bp.post("/facts/<fact_id>/decide")
def decide_fact(fact_id: str) -> WerkzeugResponse:
    """Approve or reject a fact; its questions follow at once."""
    service.lock_fact_base(db.session)
    row = db.get_or_404(Fact, fact_id)
    form = FactDecisionForm()
    back = _safe_next(form.next.data, url_for("teach.fact", fact_id=row.id))
    if not form.validate():
        flash("Das Formular war veraltet. Bitte versuche es noch einmal.", "error")
        return redirect(back)
    reason = (form.reason.data or "").strip() or None
    if form.decision.data == "rejected" and not reason:
        flash("Bitte gib einen Grund für die Ablehnung an.", "error")
        return redirect(back)
    if form.decision.data == "approved" and _problem_of(row):
        flash("Dieser Entwurf ist noch unvollständig. Bitte bearbeite ihn zuerst.", "error")
        return redirect(url_for("teach.edit_fact", fact_id=row.id))
    report = service.set_fact_status(
        db.session, row, form.decision.data, reason, current_user.id, _now()
    )
    db.session.commit()
    count = sum(1 for q in service.questions_of_fact(db.session, row.id) if q.status == "approved")
    if form.decision.data == "approved":
        flash(f"Fakt freigegeben; {_fragen(count)} jetzt für Lernende sichtbar.", "success")
    else:
        flash("Fakt abgelehnt; seine Fragen sind zurückgezogen.", "success")
    del report
    return redirect(back)


def _fragen(count: int) -> str:
    return "1 Frage ist" if count == 1 else f"{count} Fragen sind"


# --------------------------------------------------------------------------- editing


@bp.route("/facts/<fact_id>/edit", methods=["GET", "POST"])
def edit_fact(fact_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    """Edit a fact; its questions are rebuilt in place (same ids, progress kept)."""
    if request.method == "POST":
        service.lock_fact_base(db.session)
    row = db.get_or_404(Fact, fact_id)
    actors = service.actor_choices(db.session)
    if row.kind == "actor":
        return _edit_actor(row)
    form = EventForm(data=event_form_values(row.data or {}) if request.method == "GET" else None)
    form.kind.choices = list(EVENT_KIND_NAMES.items())
    persons = [(a, n) for a, n, k in actors if k == "person"]
    form.subject.choices = [("", "– keine –"), *persons]
    form.participants.choices = [(a, n) for a, n, _ in actors]
    form.not_options.choices = [(a, n) for a, n, _ in actors]
    form.topic.choices = [("", "– wie das Dokument –"), *all_topics()]
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        data = event_data(form.data, row.data or {"id": row.id})
        event, errors = check_event(data)
        if event is not None:
            errors = _event_references(row, event)
        if not errors:
            service.save_fact(
                db.session, row, data, current_user.id, _now(), approve=form.approve.data
            )
            db.session.commit()
            flash("Fakt gespeichert; seine Fragen sind neu gebaut (gleiche Ids).", "success")
            return redirect(url_for("teach.fact", fact_id=row.id))
    status = 400 if request.method == "POST" else 200
    page = render_template("teach/fact_edit.html", fact=row, form=form, errors=errors,
                           context=context_of(row))  # fmt: skip
    return (page, status) if status != 200 else page


def _event_references(row: Fact, event: Event) -> dict[str, list[str]]:
    documents = service.cleaned_documents(db.session)
    if row.document is None or row.document.name not in documents:
        return {"__all__": ["Das Dokument dieses Fakts fehlt."]}
    base, _ = service.load_fact_base(db.session)
    actors = {k: a.actor for k, a in base.actors.items()}
    topic = event.topic or (row.topic.slug if row.topic else "allgemein")
    _, messages = validate_event(event, documents[row.document.name], actors, topic)
    return reference_errors(messages)


def _edit_actor(row: Fact) -> str | WerkzeugResponse | tuple[str, int]:
    form = ActorForm(data=actor_form_values(row.data or {}) if request.method == "GET" else None)
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        data = actor_data(form.data, row.data or {"id": row.id})
        actor, errors = check_actor(data)
        if actor is not None:
            errors = _actor_references(row, actor)
        if not errors:
            service.save_fact(
                db.session, row, data, current_user.id, _now(), approve=form.approve.data
            )
            db.session.commit()
            flash("Gespeichert; die Fragen sind neu gebaut (gleiche Ids).", "success")
            return redirect(url_for("teach.fact", fact_id=row.id))
    status = 400 if request.method == "POST" else 200
    page = render_template("teach/fact_edit.html", fact=row, form=form, errors=errors,
                           context=context_of(row))  # fmt: skip
    return (page, status) if status != 200 else page


def _actor_references(row: Fact, actor: Actor) -> dict[str, list[str]]:
    from quizapp.bank.facts import resolve_actor

    default = row.document.name if row.document else None
    _, messages = resolve_actor(actor, service.cleaned_documents(db.session), default)
    return {"roles": [m.split(": ", 1)[-1] for m in messages]} if messages else {}


# --------------------------------------------------------------------------- review queue part


def fact_drafts(page: int, size: int) -> tuple[int, list[dict[str, Any]]]:
    """Return the number of fact drafts and one page of them, each with its context, problem
    and the draft questions it gives."""
    query = select(Fact).where(Fact.status == "draft")
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(selectinload(Fact.document), selectinload(Fact.sentence))
        .order_by(Fact.document_id, Fact.char_start, Fact.kind.desc(), Fact.id)
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    if not rows:  # an empty queue (the usual state) needs no documents loaded
        return total, []
    _, problems = service.load_fact_base(db.session, statuses=("draft",))
    ids = [r.id for r in rows]
    questions: dict[str, list[Question]] = {i: [] for i in ids}
    for q in db.session.scalars(
        select(Question)
        .where(Question.fact_id.in_(ids))
        .options(selectinload(Question.choices))
        .order_by(Question.id)
    ):
        questions[q.fact_id].append(q)  # type: ignore[index]
    return total, [
        {
            "fact": r,
            "summary": fact_summary(r),
            "context": context_of(r),
            "problem": problems.get(r.id),
            "questions": [(q, right_answer(q)) for q in questions[r.id]],
        }
        for r in rows
    ]
