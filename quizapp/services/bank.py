"""Build the question bank from files and store it: the seam between plain-Python bank and DB."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quizapp.bank.clean import DocumentError, clean_document, decode_document
from quizapp.bank.curated import CurationError, load_curated, load_reviews
from quizapp.bank.generate import generate
from quizapp.bank.topics import all_topics
from quizapp.bank.types import CleanedDocument, QuestionDraft
from quizapp.database import begin_write
from quizapp.models import Choice, Document, Question, Sentence, Topic

REVIEWS_FILE = "reviews.yaml"
#: review_reason the loader writes when a generated question is no longer produced.
VANISHED = "Wird aus der aktuellen Quelle nicht mehr erzeugt."


class BankError(Exception):
    """The bank's files are invalid; ``errors`` lists each problem as "where: what"."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class SourceText:
    """A document's raw text before cleaning, and where it came from."""

    name: str
    raw: str
    origin: str = "seed"


@dataclass
class Bank:
    """Everything a load writes: cleaned documents and the questions built from them."""

    sources: list[SourceText]
    documents: list[CleanedDocument]
    questions: list[QuestionDraft]
    warnings: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    """What a load changed, for the CLI to print."""

    documents_created: int = 0
    documents_updated: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Return whether the load wrote anything."""
        return bool(
            self.documents_created or self.documents_updated or self.created or self.updated
        ) or bool(self.retired)


def read_source_file(path: Path, origin: str = "seed") -> SourceText:
    """Read and decode one document file; raise BankError naming the file on bad input."""
    try:
        raw = decode_document(path.read_bytes(), path.name)
    except DocumentError as exc:
        raise BankError([f"{path}: {exc}"]) from exc
    except OSError as exc:
        raise BankError([f"{path}: cannot read file ({exc.strerror})"]) from exc
    return SourceText(path.name, raw, origin)


def read_seeds(seeds_dir: Path) -> list[SourceText]:
    """Read every ``*.txt`` in the seeds folder, collecting all errors before raising."""
    sources, errors = [], []
    for path in sorted(seeds_dir.glob("*.txt")):
        try:
            sources.append(read_source_file(path))
        except BankError as exc:
            errors.extend(exc.errors)
    if errors:
        raise BankError(errors)
    return sources


def uploaded_sources(session: Session) -> list[SourceText]:
    """Return the documents teachers added to the database (they have no file in seeds/)."""
    rows = session.scalars(select(Document).where(Document.origin == "upload").order_by("name"))
    return [SourceText(d.name, d.raw_text, "upload") for d in rows]


def build_bank(sources: Sequence[SourceText], questions_dir: Path) -> Bank:
    """Clean the sources, generate drafts, read the curated bank and the review decisions.

    Raises BankError (nothing is built) if any curated file or review is invalid.
    """
    names = [s.name for s in sources]
    duplicates = sorted(n for n, c in Counter(names).items() if c > 1)
    if duplicates:
        raise BankError([f"{n}: document name used twice" for n in duplicates])
    documents = [clean_document(s.name, s.raw) for s in sources]
    by_name = {d.name: d for d in documents}
    try:
        curated = load_curated(questions_dir, by_name)
        reviews = load_reviews(questions_dir / REVIEWS_FILE)
    except CurationError as exc:
        raise BankError(exc.errors) from exc

    generated = generate(documents)
    warnings = []
    generated_ids = {q.id for q in generated}
    for review_id in sorted(set(reviews) - generated_ids):
        warnings.append(f"{REVIEWS_FILE}: review for {review_id} matches no generated question")
    reviewed = []
    for q in generated:
        review = reviews.get(q.id)
        if review is not None:
            q = replace(q, status=review.decision, extra={**q.extra, "reason": review.reason or ""})
        reviewed.append(q)

    curated_ids = {q.id for q in curated}
    clash = sorted(curated_ids & generated_ids)
    if clash:
        raise BankError(
            [f"{questions_dir}: curated id {i} clashes with a generated id" for i in clash]
        )
    return Bank(list(sources), documents, [*curated, *reviewed], warnings)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sync_topics(session: Session) -> dict[str, Topic]:
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    for slug, name in all_topics():
        topic = topics.get(slug)
        if topic is None:
            topics[slug] = topic = Topic(slug=slug, name=name)
            session.add(topic)
        elif topic.name != name:
            topic.name = name
    return topics


def _sync_document(
    session: Session, source: SourceText, cleaned: CleanedDocument, report: LoadReport
) -> Document:
    doc = session.scalar(select(Document).where(Document.name == source.name))
    sha = _sha(source.raw)
    if doc is None:
        doc = Document(
            name=source.name,
            title=cleaned.title,
            origin=source.origin,
            raw_text=source.raw,
            text=cleaned.text,
            sha256=sha,
        )
        session.add(doc)
        report.documents_created += 1
    elif (doc.sha256, doc.text, doc.title) != (sha, cleaned.text, cleaned.title):
        doc.raw_text, doc.text, doc.title, doc.sha256 = source.raw, cleaned.text, cleaned.title, sha
        report.documents_updated += 1
    else:
        return doc
    # Sentences are updated in place by position so that questions keep pointing at them.
    existing = {s.position: s for s in doc.sentences}
    for s in cleaned.sentences:
        row = existing.pop(s.index, None)
        if row is None:
            doc.sentences.append(Sentence(position=s.index, start=s.start, end=s.end, text=s.text))
        else:
            row.start, row.end, row.text = s.start, s.end, s.text
    for row in existing.values():
        doc.sentences.remove(row)
    session.flush()
    return doc


def _question_values(
    draft: QuestionDraft, topics: dict[str, Topic], docs: dict[str, Document]
) -> dict[str, Any]:
    doc = docs.get(draft.document)
    sentence_id = None
    if doc is not None and draft.sentence_index is not None:
        sentence_id = next(
            (s.id for s in doc.sentences if s.position == draft.sentence_index), None
        )
    return {
        "kind": draft.kind,
        "prompt": draft.prompt,
        "answer": draft.answer,
        "accepted": list(draft.accepted),
        "explanation": draft.explanation,
        "topic_id": topics[draft.topic].id,
        "document_id": doc.id if doc else None,
        "sentence_id": sentence_id,
        "char_start": draft.char_start,
        "char_end": draft.char_end,
        "origin": draft.origin,
        "extra": stored_extra(draft),
    }


#: QuestionDraft.extra keys kept in the database: what grading and feedback need. The rest
#: (provenance, an import's file name or category) is for humans and not stored.
STORED_EXTRA = ("tolerance", "min", "max", "feedback_right", "feedback_wrong")


def stored_extra(draft: QuestionDraft) -> dict[str, str]:
    """Return the kind settings and import metadata of a draft that the database keeps."""
    return {k: str(v) for k, v in draft.extra.items() if k in STORED_EXTRA}


def sync_choices(question: Question, draft: QuestionDraft) -> bool:
    """Update choices in place by position (answers refer to choice ids); return if changed."""
    wanted = [(c.text, c.correct, c.match, c.weight, c.feedback) for c in draft.choices]
    current = [(c.text, c.correct, c.match, c.weight, c.feedback) for c in question.choices]
    if wanted == current:
        return False
    rows = {c.position: c for c in question.choices}
    for position, (text, correct, match, weight, feedback) in enumerate(wanted):
        row = rows.pop(position, None)
        if row is None:
            question.choices.append(
                Choice(
                    position=position,
                    text=text,
                    correct=correct,
                    match=match,
                    weight=weight,
                    feedback=feedback,
                )
            )
        else:
            row.text, row.correct, row.match = text, correct, match
            row.weight, row.feedback = weight, feedback
    for row in rows.values():
        question.choices.remove(row)
    return True


def store_bank(session: Session, bank: Bank, now: datetime) -> LoadReport:
    """Upsert documents and questions by their stable ids; the caller commits.

    Statuses decided in the app win over the files: a review decision from reviews.yaml
    applies only to a question that is new or still a draft, and a question a teacher
    edited in the app is left untouched.
    """
    report = LoadReport(warnings=list(bank.warnings))
    topics = _sync_topics(session)
    session.flush()
    docs = {
        src.name: _sync_document(session, src, cleaned, report)
        for src, cleaned in zip(bank.sources, bank.documents, strict=True)
    }
    existing = {
        q.id: q for q in session.scalars(select(Question).options(selectinload(Question.choices)))
    }
    for draft in bank.questions:
        values = _question_values(draft, topics, docs)
        reason = draft.extra.get("reason") or None
        question = existing.get(draft.id)
        if question is None:
            question = Question(
                id=draft.id, status=draft.status, review_reason=reason, created_at=now, **values
            )
            question.updated_at = now
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
        new_status = question.status
        if question.status == "draft" and draft.status != "draft":
            new_status = draft.status
        elif question.status == "retired" and question.review_reason == VANISHED:
            new_status, reason = draft.status, reason
        if new_status != question.status:
            question.status, question.review_reason = new_status, reason
            changed = True
        changed = sync_choices(question, draft) or changed
        if changed:
            question.updated_at = now
            report.updated += 1
        else:
            report.unchanged += 1

    wanted_ids = {q.id for q in bank.questions}
    for qid, question in existing.items():
        vanished = qid not in wanted_ids and question.origin in ("generated", "curated")
        if vanished and not question.edited and question.status in ("draft", "approved"):
            question.status, question.review_reason = "retired", VANISHED
            question.updated_at = now
            report.retired += 1
    session.flush()
    return report


def add_document(session: Session, source: SourceText, questions_dir: Path, now: datetime) -> int:
    """Store an uploaded document and generate its draft questions; return how many are new.

    The whole corpus is regenerated because distractors are drawn from every document.
    The generation runs before the write transaction begins, so that it does not keep
    learners' answers waiting; only storing the result holds the write lock.
    """
    if session.scalar(select(Document).where(Document.name == source.name)) is not None:
        raise BankError([f"{source.name}: a document with this name already exists"])
    seeds = [
        SourceText(d.name, d.raw_text, d.origin)
        for d in session.scalars(select(Document).order_by(Document.name))
    ]
    bank = build_bank([*seeds, source], questions_dir)
    if not any(q.document == source.name for q in bank.questions):
        # Still stored: a teacher may write questions for it by hand.
        bank.warnings.append(f"{source.name}: no questions could be generated from this text")
    begin_write(session)  # hardening (issue 15): generate first, then take the write lock
    if session.scalar(select(Document).where(Document.name == source.name)) is not None:
        raise BankError([f"{source.name}: a document with this name already exists"])
    report = store_bank(session, bank, now)
    return report.created


@dataclass(frozen=True)
class BankStats:
    """Question counts by kind, origin, status and document."""

    total: int
    by_kind: dict[str, int]
    by_origin: dict[str, int]
    by_status: dict[str, int]
    by_document: dict[str, dict[str, int]]


def bank_stats(session: Session) -> BankStats:
    """Count the questions in the database along each dimension."""

    def count_by(column: Any) -> dict[str, int]:
        rows = session.execute(select(column, func.count()).group_by(column).order_by(column))
        return {str(key): n for key, n in rows}

    by_document: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(Document.name, Question.status, func.count())
        .join(Question, Question.document_id == Document.id)
        .group_by(Document.name, Question.status)
        .order_by(Document.name)
    )
    for name, status, n in rows:
        by_document.setdefault(name, {})[status] = n
    total = session.scalar(select(func.count()).select_from(Question)) or 0
    return BankStats(
        total=total,
        by_kind=count_by(Question.kind),
        by_origin=count_by(Question.origin),
        by_status=count_by(Question.status),
        by_document=by_document,
    )


def export_questions(session: Session, statuses: Iterable[str] | None = None) -> list[dict]:
    """Return every question (optionally only some statuses) in the JSON export format."""
    query = (
        select(Question)
        .options(
            selectinload(Question.choices),
            selectinload(Question.topic),
            selectinload(Question.document),
            selectinload(Question.sentence),
        )
        .order_by(Question.id)
    )
    if statuses:
        query = query.where(Question.status.in_(list(statuses)))
    return [q.to_export() for q in session.scalars(query)]
