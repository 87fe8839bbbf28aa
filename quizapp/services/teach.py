"""The teacher's changes to the bank: edits with history, reviews, imports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quizapp.bank.topics import FALLBACK, all_topics
from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.models import Document, Question, QuestionRevision, Topic
from quizapp.richtext import DEFAULT_FORMAT
from quizapp.services.bank import PROVENANCE_EXTRA, content_extra, stored_extra, sync_choices


def snapshot(question: Question) -> dict[str, Any]:
    """Return the question's editable content as plain values (for history and forms)."""
    return {
        "kind": question.kind,
        "prompt": question.prompt,
        "answer": question.answer,
        "accepted": list(question.accepted or []),
        "explanation": question.explanation,
        "topic": question.topic.slug if question.topic else FALLBACK,
        "extra": content_extra(question.extra),
        "choices": [c.to_export() for c in question.choices],
        **meta_of(question),
    }


def meta_of(question: Question) -> dict[str, Any]:
    """Return what a teacher wrote beside the content: name, ID number, tags, formats."""
    return {
        "name": question.name or "",
        "idnumber": question.idnumber or "",
        "tags": question.tags,
        "text_format": question.text_format or DEFAULT_FORMAT,
        "explanation_format": question.explanation_format,
    }


def _draft_meta(draft: QuestionDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "idnumber": draft.idnumber,
        "tags": sorted(set(draft.tags), key=str.casefold),
        "text_format": draft.text_format,
        "explanation_format": draft.explanation_format,
    }


def _apply_meta(question: Question, draft: QuestionDraft) -> None:
    meta = _draft_meta(draft)
    question.name = meta["name"] or None
    question.idnumber = meta["idnumber"] or None
    question.text_format = meta["text_format"]
    question.explanation_format = meta["explanation_format"]
    question.set_tags(meta["tags"])


def draft_of(question: Question) -> QuestionDraft:
    """Return a stored question as a QuestionDraft (for the export formats)."""
    return QuestionDraft(
        id=question.id,
        kind=question.kind,
        prompt=question.prompt,
        answer=question.answer,
        explanation=question.explanation,
        topic=question.topic.slug,
        document=question.document.name if question.document else "",
        origin=question.origin,
        accepted=tuple(question.accepted or ()),
        choices=tuple(
            ChoiceDraft(
                c.text,
                c.correct,
                c.match,
                c.weight,
                c.feedback,
                text_format=c.text_format,
                feedback_format=c.feedback_format,
            )
            for c in question.choices
        ),
        sentence_index=question.sentence.position if question.sentence else None,
        char_start=question.char_start,
        char_end=question.char_end,
        status=question.status,
        name=question.name or "",
        idnumber=question.idnumber or "",
        tags=tuple(question.tags),
        text_format=question.text_format or DEFAULT_FORMAT,
        explanation_format=question.explanation_format,
        extra=dict(question.extra or {}),
    )


def keep_formats(question: Question, draft: QuestionDraft) -> QuestionDraft:
    """Keep the formats the editor does not show: the explanation's own format and each
    option's, where the text stayed the same (the editor writes every text in one format)."""
    explanation_format = (
        question.explanation_format if draft.explanation == question.explanation else None
    )
    stored = {c.position: c for c in question.choices}
    choices = []
    for position, choice in enumerate(draft.choices):
        old = stored.get(position)
        if old is not None and old.text == choice.text and choice.text_format is None:
            choice = replace(choice, text_format=old.text_format)
        if old is not None and old.feedback == choice.feedback and choice.feedback_format is None:
            choice = replace(choice, feedback_format=old.feedback_format)
        choices.append(choice)
    return replace(draft, explanation_format=explanation_format, choices=tuple(choices))


def topic_for(session: Session, slug: str, name: str | None = None) -> Topic:
    """Return the topic with this slug, creating it (e.g. from a Moodle category) if needed."""
    topic = session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        known = dict(all_topics())
        topic = Topic(slug=slug, name=known.get(slug) or name or slug.replace("-", " ").title())
        session.add(topic)
        session.flush()
    return topic


def _apply(session: Session, question: Question, draft: QuestionDraft) -> None:
    question.kind = draft.kind
    question.prompt = draft.prompt
    question.answer = draft.answer
    question.accepted = list(draft.accepted)
    question.explanation = draft.explanation
    question.topic = topic_for(session, draft.topic, _topic_name(draft))
    kept = {k: v for k, v in (question.extra or {}).items() if k in PROVENANCE_EXTRA}
    question.extra = {**kept, **content_extra(stored_extra(draft))}
    if draft.document:
        doc = session.scalar(select(Document).where(Document.name == draft.document))
        question.document_id = doc.id if doc else question.document_id
    _apply_meta(question, draft)
    sync_choices(question, draft)


def _log(
    session: Session,
    question: Question | QuestionDraft,
    user_id: int | None,
    now: datetime,
    action: str,
    changes: dict[str, Any],
) -> None:
    session.add(
        QuestionRevision(
            question_id=question.id, user_id=user_id, at=now, action=action, changes=changes
        )
    )


def create_question(
    session: Session, draft: QuestionDraft, user_id: int | None, now: datetime
) -> Question:
    """Add a teacher's question (approved: a teacher vouches for it); the caller commits."""
    question = Question(
        id=draft.id,
        origin=draft.origin,
        status=draft.status,
        edited=True,
        created_at=now,
        updated_at=now,
        kind=draft.kind,
        prompt=draft.prompt,
        answer=draft.answer,
        accepted=[],
        explanation="",
        topic_id=topic_for(session, draft.topic).id,
    )
    session.add(question)
    _apply(session, question, draft)
    session.flush()
    _log(
        session,
        question,
        user_id,
        now,
        "create",
        {k: [None, v] for k, v in snapshot(question).items()},
    )
    return question


def edit_question(
    session: Session,
    question: Question,
    draft: QuestionDraft,
    user_id: int | None,
    now: datetime,
    *,
    approve: bool = False,
) -> dict[str, list[Any]]:
    """Change a question in place (same id, same progress) and record what changed."""
    before = snapshot(question)
    _apply(session, question, draft)
    session.flush()
    session.refresh(question)
    after = snapshot(question)
    changes = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
    if changes:
        question.edited = True
        question.updated_at = now
        _log(session, question, user_id, now, "edit", changes)
    if approve:
        set_status(session, question, "approved", None, user_id, now)
    return changes


def set_status(
    session: Session,
    question: Question,
    status: str,
    reason: str | None,
    user_id: int | None,
    now: datetime,
) -> None:
    """Approve, reject (with a reason), retire or restore a question and log it."""
    action = {"approved": "approve", "rejected": "reject", "retired": "retire", "draft": "restore"}
    if status == question.status and reason == question.review_reason:
        return
    changes = {"status": [question.status, status]}
    if reason != question.review_reason:
        changes["review_reason"] = [question.review_reason, reason]
    question.status, question.review_reason = status, reason
    question.updated_at = now
    # A decision made here must survive `flask bank load` (which leaves edited questions be).
    question.edited = True
    _log(session, question, user_id, now, action[status], changes)


@dataclass
class ImportPlan:
    """What an import would do: new questions, changed ones (id -> fields), unchanged."""

    added: list[QuestionDraft] = field(default_factory=list)
    changed: list[tuple[QuestionDraft, dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: list[QuestionDraft] = field(default_factory=list)


def plan_import(session: Session, drafts: Sequence[QuestionDraft]) -> ImportPlan:
    """Compare imported questions with the bank by id, without changing anything."""
    plan = ImportPlan()
    ids = [d.id for d in drafts]
    existing = {
        q.id: q
        for q in session.scalars(
            select(Question)
            .where(Question.id.in_(ids))
            .options(
                selectinload(Question.choices),
                selectinload(Question.topic),
                selectinload(Question.tag_rows),
            )
        )
    }
    for draft in drafts:
        question = existing.get(draft.id)
        if question is None:
            plan.added.append(draft)
            continue
        before = snapshot(question)
        after = _draft_values(draft)
        changes = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
        if changes:
            plan.changed.append((draft, changes))
        else:
            plan.unchanged.append(draft)
    return plan


def _draft_values(draft: QuestionDraft) -> dict[str, Any]:
    choices = []
    for c in draft.choices:
        item: dict[str, Any] = {"text": c.text, "correct": c.correct}
        if c.match is not None:
            item["match"] = c.match
        if c.weight is not None:
            item["weight"] = c.weight
        if c.feedback:
            item["feedback"] = c.feedback
        if c.text_format:
            item["text_format"] = c.text_format
        if c.feedback_format:
            item["feedback_format"] = c.feedback_format
        choices.append(item)
    return {
        "kind": draft.kind,
        "prompt": draft.prompt,
        "answer": draft.answer,
        "accepted": list(draft.accepted),
        "explanation": draft.explanation,
        "topic": draft.topic,
        "extra": content_extra(stored_extra(draft)),
        "choices": choices,
        **_draft_meta(draft),
    }


def apply_import(
    session: Session, plan: ImportPlan, user_id: int | None, now: datetime, *, approve: bool
) -> int:
    """Write an import plan (all of it; the caller commits or rolls back); return rows written.

    New questions are built in memory and flushed together (a 10,000-question file is
    written in batches of this; see quizapp.services.imports).
    """
    status = "approved" if approve else "draft"
    drafts = [*plan.added, *(draft for draft, _ in plan.changed)]
    topics = _topics_of(session, drafts)
    names = {d.document for d in drafts if d.document}
    documents = dict(
        session.execute(select(Document.name, Document.id).where(Document.name.in_(names))).all()
    )
    for draft in plan.added:
        draft = _with(draft, status=status, origin="teacher")
        question = Question(
            id=draft.id,
            origin=draft.origin,
            status=draft.status,
            edited=True,
            created_at=now,
            updated_at=now,
            kind=draft.kind,
            prompt=draft.prompt,
            answer=draft.answer,
            accepted=list(draft.accepted),
            explanation=draft.explanation,
            topic=topics[draft.topic],
            extra=stored_extra(draft),
            document_id=documents.get(draft.document),
        )
        _apply_meta(question, draft)
        sync_choices(question, draft)
        session.add(question)
    session.flush()
    for draft in plan.added:
        values = _draft_values(draft)  # what snapshot() reads back from the stored question
        _log(session, draft, user_id, now, "create", {k: [None, v] for k, v in values.items()})
        _log(session, draft, user_id, now, "import", {})
    for draft, _ in plan.changed:
        question = session.get(Question, draft.id)
        edit_question(session, question, draft, user_id, now)
        if approve and question.status != "approved":
            set_status(session, question, "approved", None, user_id, now)
    session.flush()
    return len(plan.added) + len(plan.changed)


def _topics_of(session: Session, drafts: Sequence[QuestionDraft]) -> dict[str, Topic]:
    """Return slug -> Topic for the drafts' topics, creating missing ones (from a category)."""
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    for draft in drafts:
        if draft.topic not in topics:
            topics[draft.topic] = topic_for(session, draft.topic, _topic_name(draft))
    return topics


def _topic_name(draft: QuestionDraft) -> str | None:
    """Return the name of a topic an import brings (a Moodle category's last segment)."""
    return draft.extra.get("topic_name") or draft.extra.get("category") or None


def _with(draft: QuestionDraft, **changes: Any) -> QuestionDraft:
    return replace(draft, **changes)
