"""Teacher views: parse the form, call the domain, store, redirect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from quizapp.answers import Spec, number_answers, text_answers, unplayable
from quizapp.bank.topics import FALLBACK, FALLBACK_NAME
from quizapp.database import SAFE_METHODS, begin_write, own_transaction
from quizapp.extensions import db, login_manager
from quizapp.formats.common import split_tags
from quizapp.formats.german import KIND_NAMES_DE, german, german_place
from quizapp.guards import small_int
from quizapp.models import (
    AttemptItem,
    Document,
    Fact,
    Question,
    QuestionRevision,
    QuestionTag,
    Sentence,
    Topic,
    User,
)
from quizapp.quiz.forms import build_answer_form, hint_for
from quizapp.quiz.routes import right_answer
from quizapp.richtext import DEFAULT_FORMAT, FORMAT_NAMES
from quizapp.security import local_path
from quizapp.services import imports
from quizapp.services import teach as service
from quizapp.services.bank import BankError, SourceText, add_document
from quizapp.services.quiz import SKIPPED, skipped_questions, spec_for
from quizapp.services.reports import open_count
from quizapp.services.transfer import (
    EXPORT_FORMATS,
    ImportFailed,
    export,
    guess_format,
    parse_import,
)
from quizapp.teach import bp, wording
from quizapp.teach.editing import OptionInput, QuestionInput, check, input_from_values, new_id
from quizapp.teach.editing import to_draft as input_to_draft
from quizapp.teach.forms import (
    KIND_NAMES,
    OPTION_ROWS,
    STATUS_NAMES,
    ActionForm,
    ConfirmImportForm,
    DecisionForm,
    FactDecisionForm,
    ImportForm,
    QuestionForm,
    StatusForm,
    UploadForm,
)
from quizapp.teach.snapshot import school_item_analysis

PAGE_SIZE = 50


def _now() -> datetime:
    return datetime.now(UTC)


@bp.before_request
def require_teacher() -> WerkzeugResponse | None:
    """Send guests to the login page and refuse learners (403) on every teacher page."""
    if not current_user.is_authenticated or current_user.is_guest:
        return login_manager.unauthorized()
    if not current_user.is_teacher:
        abort(403)
    return None


@bp.app_context_processor
def teacher_names() -> dict[str, Any]:
    """Make the German names of kinds, statuses, origins, formats and history available in
    templates."""
    return {
        "KIND_NAMES": KIND_NAMES,
        "STATUS_NAMES": STATUS_NAMES,
        "FORMAT_NAMES": FORMAT_NAMES,
        "ORIGIN_NAMES": wording.ORIGIN_NAMES,
        "ACTION_NAMES": wording.ACTION_NAMES,
        "field_name": wording.field_name,
        "change_value": lambda field, value: wording.change_value(field, value, KIND_NAMES),
    }


@bp.get("/")
def index() -> str:
    """Show the bank's counts, its documents and what waits: drafts, reports, skipped."""
    by_status = dict(
        db.session.execute(select(Question.status, func.count()).group_by(Question.status)).all()
    )
    facts = dict(db.session.execute(select(Fact.status, func.count()).group_by(Fact.status)).all())
    approved = (
        select(Question.document_id, func.count().label("n"))
        .where(Question.status == "approved")
        .group_by(Question.document_id)
        .subquery()
    )
    sentences = (
        select(Sentence.document_id, func.count().label("n"))
        .group_by(Sentence.document_id)
        .subquery()
    )
    documents = db.session.execute(
        select(Document, func.coalesce(sentences.c.n, 0), func.coalesce(approved.c.n, 0))
        .outerjoin(sentences, sentences.c.document_id == Document.id)
        .outerjoin(approved, approved.c.document_id == Document.id)
        .order_by(Document.name)
    ).all()
    return render_template(
        "teach/index.html",
        by_status=by_status,
        documents=documents,
        open_reports=open_count(db.session),
        fact_drafts=facts.get("draft", 0),
        facts_approved=facts.get("approved", 0),
        skipped=skipped_questions(db.session),
    )


# --------------------------------------------------------------------------- questions


@bp.get("/questions")
def questions() -> str:
    """List questions, filtered by status, kind, tag and text (prompt, answer, name, ID
    number or tag)."""
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    text = request.args.get("q", "").strip()[:200]
    tag = request.args.get("tag", "").strip()[:100]
    page = max(1, request.args.get("page", 1, type=small_int))
    query = select(Question).options(selectinload(Question.topic), selectinload(Question.tag_rows))
    if status in STATUS_NAMES:
        query = query.where(Question.status == status)
    if kind in KIND_NAMES:
        query = query.where(Question.kind == kind)
    if tag:
        tagged = select(QuestionTag.question_id).where(
            func.lower(QuestionTag.tag) == tag.casefold()
        )
        query = query.where(Question.id.in_(tagged))
    if text:
        like = f"%{text}%"
        with_tag = select(QuestionTag.question_id).where(QuestionTag.tag.ilike(like))
        query = query.where(
            or_(
                Question.prompt.ilike(like),
                Question.answer.ilike(like),
                Question.name.ilike(like),
                Question.idnumber.ilike(like),
                Question.id.in_(with_tag),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Question.updated_at.desc(), Question.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "teach/questions.html",
        questions=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters={"status": status, "kind": kind, "q": text, "tag": tag},
        tags=db.session.scalars(
            select(QuestionTag.tag).distinct().order_by(QuestionTag.tag).limit(500)
        ).all(),
    )


def _topic_choices() -> list[tuple[str, str]]:
    topics = db.session.execute(select(Topic.slug, Topic.name).order_by(Topic.name)).all()
    choices = [(slug, name) for slug, name in topics]
    if FALLBACK not in {slug for slug, _ in choices}:
        choices.append((FALLBACK, FALLBACK_NAME))
    return choices


def _question_form(values: dict[str, Any] | None = None) -> QuestionForm:
    if values is None:
        form = QuestionForm()
    else:
        q = input_from_values(values)
        data = {
            "kind": q.kind,
            "prompt": q.prompt,
            "answer": q.answer,
            "accepted": "\n".join(q.accepted),
            "explanation": q.explanation,
            "topic": q.topic,
            "tolerance": q.tolerance,
            "minimum": q.minimum,
            "maximum": q.maximum,
            "name": q.name,
            "idnumber": q.idnumber,
            "tags": ", ".join(q.tags),
            "text_format": q.text_format,
            "feedback_right": q.feedback_right,
            "feedback_wrong": q.feedback_wrong,
            "options": [
                {
                    "text": o.text,
                    "correct": o.correct,
                    "match": o.match,
                    "weight": o.weight,
                    "feedback": o.feedback,
                }
                for o in q.options
            ],
        }
        form = QuestionForm(formdata=None, data=data)
    form.topic.choices = _topic_choices()
    # Two empty rows beyond the filled ones leave room to add options without JavaScript.
    filled = sum(1 for o in form.options.data if (o.get("text") or "").strip())
    target = min(form.options.max_entries or 12, max(OPTION_ROWS, filled + 2))
    while len(form.options) < target:
        form.options.append_entry()
    return form


def _input_of(form: QuestionForm) -> QuestionInput:
    options = tuple(
        OptionInput(
            text=(o["text"] or "").strip(),
            correct=bool(o["correct"]),
            match=(o["match"] or "").strip(),
            weight=(o["weight"] or "").strip(),
            feedback=(o["feedback"] or "").strip(),
        )
        for o in form.options.data
    )
    return QuestionInput(
        kind=form.kind.data,
        prompt=form.prompt.data or "",
        answer=(form.answer.data or "").strip(),
        accepted=tuple(line for line in (form.accepted.data or "").splitlines() if line.strip()),
        options=options,
        explanation=form.explanation.data or "",
        topic=form.topic.data or FALLBACK,
        tolerance=form.tolerance.data or "",
        minimum=form.minimum.data or "",
        maximum=form.maximum.data or "",
        name=(form.name.data or "").strip(),
        idnumber=(form.idnumber.data or "").strip(),
        tags=split_tags(form.tags.data or ""),
        text_format=form.text_format.data or DEFAULT_FORMAT,
        feedback_right=form.feedback_right.data or "",
        feedback_wrong=form.feedback_wrong.data or "",
    )


def _validated(form: QuestionForm) -> QuestionInput | None:
    """Return the input if form and content are valid, else attach the errors to the form."""
    if not form.validate_on_submit():
        return None
    value = _input_of(form)
    problems = check(value)
    for field, message in problems:
        target = getattr(form, field, None)
        if field == "options" or target is None:
            form.form_errors.append(message)
        else:
            target.errors = [*target.errors, message]
    return None if problems else value


@bp.route("/questions/new", methods=["GET", "POST"])
def new_question() -> str | WerkzeugResponse | tuple[str, int]:
    """Write a new question; a teacher's question is approved at once."""
    form = _question_form()
    if request.method == "GET" and request.args.get("kind") in KIND_NAMES:
        form.kind.data = request.args["kind"]
    if request.method == "POST":
        value = _validated(form)
        if value is None:
            return render_template("teach/edit.html", form=form, question=None), 400
        draft = input_to_draft(
            value,
            id=new_id(value, f"{current_user.id}:{_now().isoformat()}"),
            document="",
            origin="teacher",
            status="approved",
        )
        question = service.create_question(db.session, draft, current_user.id, _now())
        db.session.commit()
        flash("Die Frage ist gespeichert und freigegeben.", "success")
        return redirect(url_for("teach.question", question_id=question.id))
    return render_template("teach/edit.html", form=form, question=None)


def _question_to_change(question_id: str) -> Question:
    """Return the question, locked against a second teacher's change on PostgreSQL (a POST
    already holds SQLite's write lock), or 404."""
    lock = request.method not in SAFE_METHODS
    return db.get_or_404(Question, question_id, with_for_update=lock)


@bp.get("/questions/<question_id>")
def question(question_id: str) -> str:
    """Show a question as a learner sees it, with its source, status and history."""
    q = db.get_or_404(Question, question_id)
    spec = spec_for(q, [c.id for c in q.choices])
    problems = [message for _, message in check(input_from_values(service.snapshot(q)))]
    broken = unplayable(spec)
    if broken and broken not in problems:
        problems.insert(0, broken)
    skipped = db.session.scalar(
        select(func.count()).where(AttemptItem.question_id == q.id, AttemptItem.note == SKIPPED)
    )
    history = db.session.scalars(
        select(QuestionRevision)
        .where(QuestionRevision.question_id == q.id)
        .options(selectinload(QuestionRevision.user))
        .order_by(QuestionRevision.at.desc(), QuestionRevision.id.desc())
    ).all()
    return render_template(
        "teach/question.html",
        question=q,
        graded_options=_graded_options(spec),
        preview_form=build_answer_form(spec),
        hint=hint_for(spec),
        right=right_answer(q),
        history=history,
        context=_context(q),
        status_form=StatusForm(data={"status": q.status}),
        problems=problems,
        skipped=skipped,
    )


def _graded_options(spec: Spec) -> list[tuple[str, float, str | None]]:
    """Return (text, credit in per cent, feedback) of every option or listed answer that
    grading uses, in the order it tries them; empty for ordering and matching."""
    if spec.kind in ("single_choice", "multiple_choice"):
        values = spec.credits()
        return [(o.text, values[o.id], o.feedback) for o in spec.options]
    if spec.kind == "numerical":
        return [(a.text, a.credit, a.feedback) for _, _, a in number_answers(spec)]
    if spec.kind in ("typed", "cloze", "date"):
        return [(a.text, a.credit, a.feedback) for a in text_answers(spec)]
    return []


@bp.route("/questions/<question_id>/edit", methods=["GET", "POST"])
def edit_question(question_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    """Correct a question: same id, so every learner's progress on it stays."""
    q = _question_to_change(question_id)
    form = _question_form(None if request.method == "POST" else service.snapshot(q))
    if request.method == "POST":
        value = _validated(form)
        if value is None:
            return render_template("teach/edit.html", form=form, question=q, back=_back()), 400
        draft = input_to_draft(
            value,
            id=q.id,
            document=q.document.name if q.document else "",
            origin=q.origin,
            status=q.status,
        )
        draft = service.keep_formats(q, draft)
        approve = request.form.get("approve") == "1"
        was_draft = q.status == "draft"
        changes = service.edit_question(
            db.session, q, draft, current_user.id, _now(), approve=approve
        )
        db.session.commit()
        if approve and was_draft:
            message = (
                "Die Frage ist gespeichert und freigegeben."
                if changes
                else "Nichts geändert; die Frage ist freigegeben."
            )
            flash(message, "success")
        else:
            flash(
                "Die Frage ist gespeichert." if changes else "Nichts geändert.",
                "success" if changes else "info",
            )
        back = local_path(request.form.get("next"))
        return redirect(back or url_for("teach.question", question_id=q.id))
    return render_template("teach/edit.html", form=form, question=q, back=_back())


def _back() -> str | None:
    """Return where the editor came from (the review queue), if it is a page of this site."""
    return local_path(request.values.get("next"))


@bp.post("/questions/<question_id>/status")
def set_status(question_id: str) -> WerkzeugResponse:
    """Retire, restore, approve or reject a question (a rejection needs a reason)."""
    q = _question_to_change(question_id)
    form = StatusForm()
    if not form.validate():
        abort(400)
    reason = (form.reason.data or "").strip() or None
    if form.status.data == "rejected" and not reason:
        flash("Bitte gib einen Grund für die Ablehnung an.", "error")
        return redirect(url_for("teach.question", question_id=q.id))
    service.set_status(db.session, q, form.status.data, reason, current_user.id, _now())
    db.session.commit()
    flash(f"Die Frage ist jetzt {STATUS_NAMES[form.status.data]}.", "success")
    return redirect(url_for("teach.question", question_id=q.id))


def _context(q: Question) -> list[tuple[Sentence, bool]]:
    """Return the source sentence with one sentence before and after (the middle marked)."""
    if q.sentence is None:
        return []
    rows = db.session.scalars(
        select(Sentence)
        .where(
            Sentence.document_id == q.sentence.document_id,
            Sentence.position.between(q.sentence.position - 1, q.sentence.position + 1),
        )
        .order_by(Sentence.position)
    ).all()
    return [(s, s.id == q.sentence_id) for s in rows]


# --------------------------------------------------------------------------- review queue


@bp.get("/review")
def review() -> str:
    """List what awaits review: fact drafts with the questions they would give, then draft
    questions that stand alone (imports); each with its source sentence in context."""
    from quizapp.teach.fact_routes import CHECKLIST, fact_drafts

    page = max(1, request.args.get("page", 1, type=small_int))
    fact_total, facts = fact_drafts(page, 20)
    query = select(Question).where(Question.status == "draft", Question.fact_id.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    drafts = db.session.scalars(
        query.options(selectinload(Question.choices), selectinload(Question.sentence))
        .order_by(Question.document_id, Question.char_start, Question.id)
        .limit(20)
        .offset((page - 1) * 20)
    ).all()
    pages = max(1, -(-max(total, fact_total) // 20))
    return render_template(
        "teach/review.html",
        facts=facts,
        fact_total=fact_total,
        drafts=[(q, _context(q), right_answer(q)) for q in drafts],
        total=total,
        page=page,
        pages=pages,
        checklist=CHECKLIST,
        form=DecisionForm(),
        fact_form=FactDecisionForm(),
        bulk_form=ActionForm(),
    )


@bp.post("/review/<question_id>")
def decide(question_id: str) -> WerkzeugResponse:
    """Approve or reject one draft."""
    q = _question_to_change(question_id)
    form = DecisionForm()
    if not form.validate():
        abort(400)
    reason = (form.reason.data or "").strip() or None
    if form.decision.data == "rejected" and not reason:
        flash("Bitte gib einen Grund für die Ablehnung an.", "error")
        page = request.form.get("page", 1, type=small_int)
        return redirect(url_for("teach.review", page=max(1, page), _anchor=f"q-{q.id}"), 303)
    back = local_path(request.form.get("next")) or url_for("teach.review")
    if q.status != "draft":
        # Decided meanwhile in another tab or by another teacher: say so, change nothing.
        flash(f"Diese Frage ist schon {STATUS_NAMES[q.status]}; nichts geändert.", "info")
        return redirect(back, 303)
    service.set_status(db.session, q, form.decision.data, reason, current_user.id, _now())
    db.session.commit()
    word = "freigegeben" if form.decision.data == "approved" else "abgelehnt"
    flash(f"Frage {word}.", "success")
    return redirect(back, 303)


@bp.post("/review/bulk")
def bulk_approve() -> WerkzeugResponse:
    """Approve every selected draft that is still a draft; say what was skipped and why.

    A selection made in a tab that is out of date (another tab or teacher decided some of
    them meanwhile) approves what is still a draft instead of failing as a whole.
    """
    if not ActionForm().validate():
        abort(400)
    back = local_path(request.form.get("next")) or url_for("teach.review")
    ids = sorted(set(request.form.getlist("ids")))[:500]
    if not ids:
        flash("Keine Frage ausgewählt. Kreuze die Fragen an, die du freigeben willst.", "info")
        return redirect(back, 303)
    found = db.session.scalars(
        select(Question).where(Question.id.in_(ids)).order_by(Question.id).with_for_update()
    ).all()
    drafts = [q for q in found if q.status == "draft"]
    for q in drafts:
        service.set_status(db.session, q, "approved", None, current_user.id, _now())
    db.session.commit()
    decided = [q for q in found if q.status != "draft" and q not in drafts]
    missing = len(ids) - len(found)
    message = f"{_questions(len(drafts))} freigegeben."
    if decided:
        message += (
            f" {_questions(len(decided))} übersprungen: inzwischen schon entschieden"
            f" ({', '.join(sorted({STATUS_NAMES[q.status] for q in decided}))})."
        )
    if missing:
        message += f" {_questions(missing)} übersprungen: gibt es nicht mehr."
    flash(message, "success" if drafts else "info")
    return redirect(back, 303)


def _questions(n: int) -> str:
    """Return "1 Frage" or "n Fragen"."""
    return f"{n} Frage" if n == 1 else f"{n} Fragen"


# --------------------------------------------------------------------------- documents


@bp.route("/documents", methods=["GET", "POST"])
@own_transaction  # add_document generates the drafts before it begins writing
def documents() -> str | WerkzeugResponse | tuple[str, int]:
    """List the documents and upload a new German text; its drafts go to the review queue."""
    form = UploadForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _documents_page(form), 400
        upload = form.file.data
        name = _safe_name(upload.filename or "dokument.txt")
        from quizapp.bank.clean import DocumentError, decode_document

        try:
            raw = decode_document(upload.read(), name)
            created = add_document(
                db.session,
                SourceText(name, raw, "upload"),
                current_app.config["QUESTIONS_DIR"],
                _now(),
            )
        except (DocumentError, BankError) as exc:
            db.session.rollback()
            errors = exc.errors if isinstance(exc, BankError) else [str(exc)]
            form.file.errors = [*form.file.errors, *errors]
            return _documents_page(form), 400
        db.session.commit()
        waiting = "1 Entwurf wartet" if created == 1 else f"{created} Entwürfe warten"
        flash(f"„{name}“ ist gespeichert; {waiting} auf deine Prüfung.", "success")
        return redirect(url_for("teach.review"))
    return _documents_page(form)


def _safe_name(filename: str) -> str:
    from werkzeug.utils import secure_filename

    name = secure_filename(filename) or "dokument.txt"
    return name if name.endswith(".txt") else name + ".txt"


def _documents_page(form: UploadForm) -> str:
    docs = db.session.execute(
        select(Document, func.count(Question.id))
        .outerjoin(Question, Question.document_id == Document.id)
        .group_by(Document.id)
        .order_by(Document.name)
    ).all()
    return render_template("teach/documents.html", form=form, documents=docs)


# --------------------------------------------------------------------------- import / export


@bp.route("/import", methods=["GET", "POST"])
@own_transaction  # reading and checking a large file runs before the write lock
def import_questions() -> str | tuple[str, int]:
    """Upload a GIFT, CSV or JSON file and see what it would add or change."""
    form = ImportForm()
    if request.method == "GET":
        return render_template("teach/import.html", form=form)
    if not form.validate_on_submit():
        return render_template("teach/import.html", form=form), 400
    upload = form.file.data
    data = upload.read()
    name = upload.filename or "import"
    try:
        fmt = guess_format(name, form.format.data, data)
        parsed = parse_import(data, fmt, name)
    except ImportFailed as exc:
        errors = [german(error) for error in exc.errors]
        return render_template("teach/import.html", form=form, errors=errors), 400
    plan = service.plan_import(db.session, parsed.questions)
    begin_write(db.session)
    token = imports.store_upload(
        db.session,
        current_user.id,
        name,
        fmt,
        bool(form.approve.data),
        data,
        _now(),
        current_app.config["IMPORT_TTL_SECONDS"],
    )
    db.session.commit()
    return render_template(
        "teach/import_preview.html",
        plan=plan,
        confirm=ConfirmImportForm(data={"token": token}),
        name=name,
        warnings=[german(warning) for warning in parsed.warnings],
        skipped=parsed.skipped,
        repeats=parsed.repeats,
        german_place=german_place,
        KIND_NAMES_DE=KIND_NAMES_DE,
        approve=bool(form.approve.data),
        shown=PREVIEW_ITEMS,
    )


#: Questions the preview lists by name (a 10,000-question file is summed up beyond this).
PREVIEW_ITEMS = 300
EXPIRED_PREVIEW = (
    "Diese Vorschau gibt es nicht mehr: sie ist abgelaufen oder schon importiert. "
    "Lade die Datei bitte noch einmal hoch."
)


@bp.post("/import/confirm")
@own_transaction  # writes in batches, each its own short write transaction
def confirm_import() -> WerkzeugResponse | tuple[str, int]:
    """Write a previewed import in batches that let learners' answers through."""
    form = ConfirmImportForm()
    if not form.validate():
        abort(400)
    user_id, token = current_user.id, form.token.data
    upload = imports.find_upload(db.session, token, user_id, _now())
    if upload is None:
        return render_template(
            "teach/import.html", form=ImportForm(), errors=[EXPIRED_PREVIEW]
        ), 400
    name, fmt, approve, data = upload.filename, upload.format, upload.approve, upload.data
    try:
        parsed = parse_import(data, fmt, name)
    except ImportFailed as exc:  # the checks changed since the preview
        errors = [german(error) for error in exc.errors]
        return render_template("teach/import.html", form=ImportForm(), errors=errors), 400
    report = imports.run_import(
        db.session,
        parsed.questions,
        user_id,
        _now(),
        approve=approve,
        batch_size=current_app.config["IMPORT_BATCH_SIZE"],
        batch_seconds=current_app.config["IMPORT_BATCH_SECONDS"],
        pause_seconds=current_app.config["IMPORT_PAUSE_SECONDS"],
    )
    begin_write(db.session)
    imports.forget_upload(db.session, token)
    db.session.commit()
    flash(
        f"Import abgeschlossen: {_questions(report.added)} neu, {report.changed} geändert, "
        f"{report.unchanged} unverändert"
        + (f", {len(parsed.skipped)} übersprungen." if parsed.skipped else "."),
        "success",
    )
    return redirect(url_for("teach.questions"))


@bp.get("/export")
def export_file() -> str | Response:
    """Download the bank as JSON, GIFT, CSV or an Anki deck."""
    fmt = request.args.get("format")
    if fmt is None:
        return render_template("teach/export.html", formats=EXPORT_FORMATS)
    if fmt not in EXPORT_FORMATS:
        abort(400)
    statuses = [s for s in request.args.getlist("status") if s in STATUS_NAMES]
    result = export(db.session, fmt, statuses)
    return Response(
        result.data,
        mimetype=result.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )


# --------------------------------------------------------------------------- class


@bp.get("/analysis")
def analysis() -> str:
    """Show how each question works in class: facility, discrimination, option picks."""
    computed_at, items = school_item_analysis()
    answered = len(items)
    only_flagged = request.args.get("flagged") == "1"
    if only_flagged:
        items = [i for i in items if i.flags]
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(pages, max(1, request.args.get("page", 1, type=small_int)))
    return render_template(
        "teach/analysis.html",
        items=items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        shown=len(items),
        first=(page - 1) * PAGE_SIZE + 1,
        page=page,
        pages=pages,
        answered=answered,
        only_flagged=only_flagged,
        computed_at=computed_at,
        cache_seconds=current_app.config["ANALYSIS_CACHE_SECONDS"],
    )


@bp.get("/class")
def class_overview() -> str:
    """List the learners with their last activity and mastery by topic, and the teachers."""
    from quizapp.services.analysis import class_overview as overview

    teachers = db.session.scalars(
        select(User).where(User.role == "teacher").order_by(User.username_key)
    ).all()
    return render_template(
        "teach/class.html", rows=overview(db.session), teachers=teachers, form=ActionForm()
    )
