"""Store the fact base and keep the questions built from it up to date.

The database holds every fact (curated from the files, drafted by the extraction, written by
a teacher) with its status. Questions are rebuilt from the facts in the database whenever
facts change: by `flask bank load`, by a teacher approving, editing or rejecting a fact, by an
upload. A rebuild updates questions in place by their stable ids, so learners keep their
progress; a question a teacher rejected stays rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quizapp.bank.factdates import FactDate
from quizapp.bank.facts import (
    Actor,
    Event,
    FactBase,
    FactReview,
    Provenance,
    SourcedActor,
    SourcedEvent,
    fact_data,
    resolve_actor,
    validate_event,
)
from quizapp.bank.propose import Proposal
from quizapp.bank.templates import build_questions
from quizapp.bank.types import CleanedDocument, QuestionDraft
from quizapp.bank.types import Sentence as SentenceValue
from quizapp.database import lock_keys
from quizapp.models import Document, Fact, FactRevision, Question, Sentence, Topic

#: review_reason of a question whose fact is no longer approved or a draft.
FACT_GONE = "Der Fakt, aus dem die Frage gebaut wurde, gilt nicht mehr."
#: review_reason of a fact that no longer stands in the files or the extraction.
FACT_VANISHED = "Steht nicht mehr in den Fakt-Dateien bzw. wird nicht mehr vorgeschlagen."


@dataclass
class FactReport:
    """What storing the facts changed."""

    created: int = 0
    updated: int = 0
    retired: int = 0
    proposals: int = 0
    covered: int = 0


@dataclass
class QuestionReport:
    """What a rebuild of the fact-built questions changed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    ids: list[str] = field(default_factory=list)  # every question the facts give now


# --------------------------------------------------------------------------- documents


def cleaned_documents(session: Session) -> dict[str, CleanedDocument]:
    """Return every stored document as the plain-Python bank sees it."""
    documents = session.scalars(select(Document).options(selectinload(Document.sentences)))
    return {
        d.name: CleanedDocument(
            d.name,
            d.title,
            d.text,
            tuple(SentenceValue(s.position, s.start, s.end, s.text) for s in d.sentences),
        )
        for d in documents
    }


def _sentence_ids(session: Session) -> dict[tuple[str, int], int]:
    """Return (document name, sentence position) -> sentence id."""
    return {
        (name, position): sid
        for name, position, sid in session.execute(
            select(Document.name, Sentence.position, Sentence.id).join(
                Sentence, Sentence.document_id == Document.id
            )
        )
    }


# --------------------------------------------------------------------------- storing facts


def _event_values(
    sourced: SourcedEvent,
    docs: Mapping[str, Document],
    sentences: Mapping[tuple[str, int], int],
    topics: Mapping[str, Topic],
) -> dict[str, Any]:
    prov = sourced.provenance
    return {
        "kind": "event",
        "document_id": docs[prov.document].id if prov.document in docs else None,
        "sentence_id": sentences.get((prov.document, prov.sentence_index)),
        "char_start": prov.char_start,
        "char_end": prov.char_end,
        "topic_id": topics[sourced.topic].id if sourced.topic in topics else None,
        "data": fact_data(sourced.event),
        "sort_key": sourced.event.date.ordinal,
    }


def _actor_values(
    sourced: SourcedActor,
    docs: Mapping[str, Document],
    sentences: Mapping[tuple[str, int], int],
) -> dict[str, Any]:
    first: Provenance | None = next(iter(sourced.role_provenance.values()), None)
    document = sourced.document or (first.document if first else None)
    return {
        "kind": "actor",
        "document_id": docs[document].id if document in docs else None,
        "sentence_id": sentences.get((first.document, first.sentence_index)) if first else None,
        "char_start": first.char_start if first else None,
        "char_end": first.char_end if first else None,
        "topic_id": None,
        "data": fact_data(sourced.actor),
        "sort_key": None,
    }


def _proposal_values(
    proposal: Proposal,
    docs: Mapping[str, Document],
    sentences: Mapping[tuple[str, int], int],
    topics: Mapping[str, Topic],
) -> dict[str, Any]:
    sort_key = None
    if proposal.kind == "event" and proposal.data.get("date"):
        parsed = FactDate.parse(str(proposal.data["date"]))
        sort_key = parsed.ordinal if parsed else None
    return {
        "kind": proposal.kind,
        "document_id": docs[proposal.document].id if proposal.document in docs else None,
        "sentence_id": sentences.get((proposal.document, proposal.sentence_index)),
        "char_start": proposal.char_start,
        "char_end": proposal.char_end,
        "topic_id": topics[proposal.topic].id if proposal.topic in topics else None,
        "data": proposal.data,
        "sort_key": sort_key,
    }


def store_facts(
    session: Session,
    base: FactBase,
    proposals: Sequence[Proposal],
    reviews: Mapping[str, FactReview],
    now: datetime,
    *,
    documents: Iterable[str],
    curated: bool,
) -> FactReport:
    """Upsert the curated facts and the extraction's drafts; the caller commits.

    Statuses decided in the app win over the files; a fact a teacher edited is left alone.
    A draft no longer proposed for one of ``documents`` is retired, and so (when ``curated``
    says the files were read) is a curated fact no longer in the files. A draft stating what
    a curated fact states is not stored.
    """
    report = FactReport(proposals=len(proposals))
    docs = {d.name: d for d in session.scalars(select(Document))}
    sentences = _sentence_ids(session)
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    existing = {f.id: f for f in session.scalars(select(Fact))}
    wanted: dict[str, tuple[dict[str, Any], str, str, str | None]] = {}
    for sourced in base.events:
        wanted[sourced.id] = (_event_values(sourced, docs, sentences, topics), "curated",
                              "approved", None)  # fmt: skip
    for sourced_actor in base.actors.values():
        wanted[sourced_actor.id] = (_actor_values(sourced_actor, docs, sentences), "curated",
                                    "approved", None)  # fmt: skip
    for proposal in proposals:
        if proposal.covered_by:
            report.covered += 1
            continue
        review = reviews.get(proposal.id)
        status = review.decision if review else "draft"
        reason = review.reason if review else proposal.problem
        values = _proposal_values(proposal, docs, sentences, topics)
        wanted.setdefault(proposal.id, (values, "generated", status, reason))

    for fact_id, (values, origin, status, reason) in wanted.items():
        row = existing.get(fact_id)
        if row is None:
            session.add(
                Fact(
                    id=fact_id,
                    origin=origin,
                    status=status,
                    review_reason=reason,
                    edited=False,
                    created_at=now,
                    updated_at=now,
                    **values,
                )  # fmt: skip
            )
            report.created += 1
            continue
        if row.edited:
            continue
        changed = False
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
                changed = True
        # The app's decision wins; a file decides only what is new, a draft, or came back.
        if row.status in ("draft", "retired") and row.status != status:
            row.status, row.review_reason = status, reason
            changed = True
        elif row.status == "draft" and row.review_reason != reason:
            row.review_reason = reason
            changed = True
        if changed:
            row.updated_at = now
            report.updated += 1

    scope = set(documents)
    names = docs_by_id(docs)
    for fact_id, row in existing.items():
        if fact_id in wanted or row.edited or row.status not in ("draft", "approved"):
            continue
        if row.origin == "teacher" or (row.origin == "curated" and not curated):
            continue
        if row.origin == "generated" and names.get(row.document_id) not in scope:
            continue
        row.status, row.review_reason, row.updated_at = "retired", FACT_VANISHED, now
        report.retired += 1
    session.flush()
    return report


def docs_by_id(docs: Mapping[str, Document]) -> dict[int | None, str]:
    """Return document id -> name."""
    return {d.id: name for name, d in docs.items()}


# --------------------------------------------------------------------------- reading facts


def load_fact_base(
    session: Session,
    statuses: Sequence[str] = ("approved", "draft"),
    documents: Mapping[str, CleanedDocument] | None = None,
) -> tuple[FactBase, dict[str, str]]:
    """Return the stored facts of ``statuses`` as a FactBase, and id -> problem for facts
    that cannot give questions (an incomplete draft, a quote no longer found)."""
    documents = documents if documents is not None else cleaned_documents(session)
    rows = list(
        session.scalars(
            select(Fact)
            .where(Fact.status.in_(list(statuses)))
            .options(selectinload(Fact.document), selectinload(Fact.topic))
            .order_by(Fact.kind, Fact.sort_key, Fact.id)
        )
    )
    problems: dict[str, str] = {}
    base = FactBase()
    actor_rows = [r for r in rows if r.kind == "actor"]
    for row in actor_rows:
        try:
            actor = Actor.model_validate(row.data)
        except ValidationError as exc:
            problems[row.id] = _first_problem(exc)
            continue
        default = row.document.name if row.document else None
        sourced, errors = resolve_actor(actor, documents, default)
        if sourced is None:
            problems[row.id] = errors[0]
            continue
        base.actors[actor.id] = SourcedActor(
            sourced.actor, sourced.role_provenance, default, row.status, row.origin
        )
    actors = {k: a.actor for k, a in base.actors.items()}
    for row in rows:
        if row.kind != "event":
            continue
        if row.document is None or row.document.name not in documents:
            problems[row.id] = "Das Dokument des Fakts fehlt."
            continue
        try:
            event = Event.model_validate(row.data)
        except ValidationError as exc:
            problems[row.id] = row.review_reason or _first_problem(exc)
            continue
        topic = row.topic.slug if row.topic else "allgemein"
        sourced_event, errors = validate_event(event, documents[row.document.name], actors, topic)
        if sourced_event is None:
            problems[row.id] = errors[0]
            continue
        base.events.append(
            SourcedEvent(
                sourced_event.event,
                topic,
                sourced_event.provenance,
                sourced_event.term_provenance,
                row.status,
                row.origin,
            )
        )
    return base, problems


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in error["loc"] if not str(p).startswith(("literal", "function")))
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return f"Es fehlt: {where}"
    return f"{where}: {message}" if where else message


# --------------------------------------------------------------------------- questions


def lock_fact_base(session: Session) -> None:
    """Serialise the transactions that change facts and rebuild their questions.

    A rebuild rewrites the questions of every fact (and replaces their options), so two at
    once would trip over each other's rows on PostgreSQL. Call it before reading what will be
    changed; on SQLite the write transaction already holds the whole database.
    """
    lock_keys(session, ["quizapp:fact-base"])


def rebuild_questions(session: Session, now: datetime) -> QuestionReport:
    """Build the questions of every approved and draft fact and upsert them by id.

    A question a curated one replaces is left out; a question no fact gives any more, and
    every question of the old sentence generator, is retired (not deleted: progress stays).
    """
    from quizapp.services.bank import VANISHED

    base, _ = load_fact_base(session)
    drafts = build_questions(base)
    fact_ids = set(session.scalars(select(Fact.id)))
    replaced = set()
    for curated in session.scalars(
        select(Question).where(Question.origin == "curated", Question.status != "retired")
    ):
        target = (curated.extra or {}).get("replaces")
        if target:
            replaced.add(target)
            # A curated question that stands for a fact's template belongs to that fact.
            fact_id = target.partition("/")[0]
            if curated.fact_id != (fact_id if fact_id in fact_ids else None):
                curated.fact_id = fact_id if fact_id in fact_ids else None
    drafts = [d for d in drafts if f"{d.fact}/{d.extra.get('template')}" not in replaced]
    report = store_questions(session, drafts, now)
    for question in session.scalars(
        select(Question).where(
            Question.origin == "generated",
            Question.id.not_in(report.ids),
            Question.edited.is_(False),
            Question.status.in_(("draft", "approved")),
        )
    ):
        reason = FACT_GONE if question.fact_id else VANISHED
        question.status, question.review_reason, question.updated_at = "retired", reason, now
        report.retired += 1
    session.flush()
    return report


def store_questions(
    session: Session, drafts: Sequence[QuestionDraft], now: datetime
) -> QuestionReport:
    """Upsert fact-built questions by id (a teacher's edit wins); retire nothing."""
    from quizapp.services.bank import question_values, sync_choices

    report = QuestionReport(ids=[d.id for d in drafts])
    fact_ids = set(session.scalars(select(Fact.id)))
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    docs = {d.name: d for d in session.scalars(select(Document))}
    sentences = _sentence_ids(session)
    existing = {
        q.id: q
        for q in session.scalars(
            select(Question)
            .where(Question.origin == "generated", Question.id.in_(report.ids))
            .options(selectinload(Question.choices))
        )
    }
    for draft in drafts:
        values = question_values(draft, topics, docs, sentences)
        values["fact_id"] = draft.fact if draft.fact in fact_ids else None
        question = existing.get(draft.id)
        if question is None:
            question = Question(
                id=draft.id, status=draft.status, created_at=now, updated_at=now, **values
            )
            session.add(question)
            sync_choices(question, draft)
            report.created += 1
            continue
        if question.edited:
            report.unchanged += 1
            continue
        changed = False
        for key, value in values.items():
            if getattr(question, key) != value:
                setattr(question, key, value)
                changed = True
        if question.status != "rejected" and question.status != draft.status:
            question.status, question.review_reason = draft.status, None
            changed = True
        changed = sync_choices(question, draft) or changed
        if changed:
            question.updated_at = now
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    return report


def questions_of_fact(session: Session, fact_id: str) -> list[Question]:
    """Return the questions built from a fact, in id order."""
    return list(
        session.scalars(
            select(Question)
            .where(Question.fact_id == fact_id)
            .options(selectinload(Question.choices))
            .order_by(Question.id)
        )
    )


def preview_questions(base: FactBase) -> list[QuestionDraft]:
    """Return the questions the facts give, without storing anything."""
    return build_questions(base)


# --------------------------------------------------------------------------- the teacher's changes

_ACTIONS = {"approved": "approve", "rejected": "reject", "draft": "edit", "retired": "reject"}


def _log(
    session: Session, fact: Fact, user_id: int | None, now: datetime, action: str,
    changes: dict[str, list[Any]],
) -> None:  # fmt: skip
    session.add(FactRevision(fact_id=fact.id, user_id=user_id, at=now, action=action,
                             changes=changes))  # fmt: skip


def set_fact_status(
    session: Session, fact: Fact, status: str, reason: str | None, user_id: int | None,
    now: datetime,
) -> QuestionReport:  # fmt: skip
    """Approve or reject a fact (a rejection keeps its reason), log it and rebuild the
    questions: an approved fact's questions are approved at once, a rejected fact's retired.
    The decision survives `flask bank load`. The caller commits."""
    if status != fact.status or reason != fact.review_reason:
        changes: dict[str, list[Any]] = {"status": [fact.status, status]}
        if reason != fact.review_reason:
            changes["review_reason"] = [fact.review_reason, reason]
        fact.status, fact.review_reason, fact.updated_at = status, reason, now
        fact.edited = True
        _log(session, fact, user_id, now, _ACTIONS[status], changes)
    session.flush()
    return rebuild_questions(session, now)


def save_fact(
    session: Session, fact: Fact, data: dict[str, Any], user_id: int | None, now: datetime,
    *, approve: bool = False,
) -> QuestionReport:  # fmt: skip
    """Store an edited fact (already checked), log what changed and rebuild its questions in
    place: the same ids, so learners keep their progress. The caller commits."""
    before = fact.data or {}
    changes = {
        key: [before.get(key), data.get(key)]
        for key in sorted(set(before) | set(data))
        if before.get(key) != data.get(key)
    }
    if changes:
        fact.data = data
        if fact.kind == "event":
            date = FactDate.parse(str(data.get("date", "")))
            fact.sort_key = date.ordinal if date else None
            topics = {t.slug: t for t in session.scalars(select(Topic))}
            if data.get("topic") in topics:
                fact.topic_id = topics[data["topic"]].id
        fact.edited = True
        fact.updated_at = now
        _log(session, fact, user_id, now, "edit", changes)
    if approve and fact.status != "approved":
        return set_fact_status(session, fact, "approved", None, user_id, now)
    if fact.status == "draft" and fact.review_reason and changes:
        fact.review_reason = None  # the problem the extraction saw is the teacher's to judge
    session.flush()
    return rebuild_questions(session, now)


def fact_history(session: Session, fact_id: str) -> list[FactRevision]:
    """Return a fact's changes, newest first."""
    return list(
        session.scalars(
            select(FactRevision)
            .where(FactRevision.fact_id == fact_id)
            .options(selectinload(FactRevision.user))
            .order_by(FactRevision.at.desc(), FactRevision.id.desc())
        )
    )


def actor_choices(session: Session) -> list[tuple[str, str, str]]:
    """Return (id, name, kind) of every approved or draft actor, states first, by name."""
    rows = session.scalars(
        select(Fact).where(Fact.kind == "actor", Fact.status.in_(["approved", "draft"]))
    )
    result = [
        (f.id, str(f.data.get("name", f.id)), str(f.data.get("kind", "person"))) for f in rows
    ]
    return sorted(result, key=lambda r: (r[2] != "state", r[1].lower()))
