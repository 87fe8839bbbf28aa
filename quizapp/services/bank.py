"""Build the question bank from files and store it: the seam between plain-Python bank and DB."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quizapp.bank.assemble import assemble
from quizapp.bank.clean import DocumentError, clean_document, decode_document
from quizapp.bank.curated import CurationError, load_curated
from quizapp.bank.facts import (
    FACTS_DIR,
    REVIEWS_FILE,
    FactBase,
    FactError,
    FactReview,
    load_fact_files,
    load_fact_reviews,
)
from quizapp.bank.propose import Proposal, draft_questions, propose
from quizapp.bank.templates import build_questions
from quizapp.bank.topics import all_topics
from quizapp.bank.types import CleanedDocument, QuestionDraft
from quizapp.database import begin_write
from quizapp.models import Choice, Document, Fact, Question, Sentence, Topic
from quizapp.services.facts import (
    FactReport,
    QuestionReport,
    load_fact_base,
    lock_fact_base,
    rebuild_questions,
    store_facts,
    store_questions,
)

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
    """Everything a load writes: cleaned documents, curated questions, the fact base and the
    facts the extraction proposed."""

    sources: list[SourceText]
    documents: list[CleanedDocument]
    questions: list[QuestionDraft]  # the curated questions
    facts: FactBase = field(default_factory=FactBase)
    proposals: list[Proposal] = field(default_factory=list)
    reviews: dict[str, FactReview] = field(default_factory=dict)
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
    facts: FactReport = field(default_factory=FactReport)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Return whether the load wrote anything."""
        return bool(
            self.documents_created
            or self.documents_updated
            or self.created
            or self.updated
            or self.retired
            or self.facts.created
            or self.facts.updated
            or self.facts.retired
        )

    def add(self, questions: QuestionReport) -> None:
        """Count what the rebuild of the fact-built questions changed."""
        self.created += questions.created
        self.updated += questions.updated
        self.unchanged += questions.unchanged
        self.retired += questions.retired


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
    """Clean the sources, read the curated questions and facts, propose facts from the texts.

    Raises BankError (nothing is built) if any curated file, fact file or review is invalid,
    or if a curated question asks what a fact-built one asks without saying so.
    """
    names = [s.name for s in sources]
    duplicates = sorted(n for n, c in Counter(names).items() if c > 1)
    if duplicates:
        raise BankError([f"{n}: document name used twice" for n in duplicates])
    documents = [clean_document(s.name, s.raw) for s in sources]
    by_name = {d.name: d for d in documents}
    errors: list[str] = []
    curated: list[QuestionDraft] = []
    facts = FactBase()
    reviews: dict[str, FactReview] = {}
    try:
        curated = load_curated(questions_dir, by_name)
    except CurationError as exc:
        errors.extend(exc.errors)
    try:
        facts = load_fact_files(questions_dir / FACTS_DIR, by_name)
        reviews = load_fact_reviews(questions_dir / FACTS_DIR / REVIEWS_FILE)
    except FactError as exc:
        errors.extend(exc.errors)
    if errors:
        raise BankError(errors)
    _, problems = assemble(curated, build_questions(facts))
    if problems:
        raise BankError(problems)
    proposals = [p for d in documents for p in propose(d, facts)]
    warnings = [
        f"{FACTS_DIR}/{REVIEWS_FILE}: review of {rid} matches no proposed fact"
        for rid in sorted(set(reviews) - {p.id for p in proposals})
    ]
    return Bank(list(sources), documents, curated, facts, proposals, reviews, warnings)


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


def question_values(
    draft: QuestionDraft,
    topics: dict[str, Topic],
    docs: dict[str, Document],
    sentences: dict[tuple[str, int], int] | None = None,
) -> dict[str, Any]:
    """Return the column values of a question built from ``draft``."""
    doc = docs.get(draft.document)
    sentence_id = None
    if doc is not None and draft.sentence_index is not None:
        if sentences is not None:
            sentence_id = sentences.get((doc.name, draft.sentence_index))
        else:
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
CONTENT_EXTRA = (
    "tolerance",
    "min",
    "max",
    "feedback_right",
    "feedback_wrong",
    "feedback_right_format",
    "feedback_wrong_format",
)
#: Where a question comes from: the template and facts that built it, the slot a curated one
#: replaces. Not content: an edit or an import neither shows nor changes it.
PROVENANCE_EXTRA = ("replaces", "template", "facts")
STORED_EXTRA = CONTENT_EXTRA + PROVENANCE_EXTRA


def content_extra(extra: dict[str, Any] | None) -> dict[str, Any]:
    """Return the settings of a question that are content (tolerance, feedback, ...)."""
    return {k: v for k, v in (extra or {}).items() if k not in PROVENANCE_EXTRA}


def stored_extra(draft: QuestionDraft) -> dict[str, str]:
    """Return the kind settings and import metadata of a draft that the database keeps."""
    return {k: str(v) for k, v in draft.extra.items() if k in STORED_EXTRA}


def sync_choices(question: Question, draft: QuestionDraft) -> bool:
    """Update choices in place by position (answers refer to choice ids); return if changed."""
    wanted = [(c.text, c.correct, c.match, c.weight, c.feedback) for c in draft.choices]
    current = [(c.text, c.correct, c.match, c.weight, c.feedback) for c in question.choices]
    formats = [(c.text_format, c.feedback_format) for c in draft.choices]
    if wanted == current and formats == [
        (c.text_format, c.feedback_format) for c in question.choices
    ]:
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
            row = question.choices[-1]
        else:
            row.text, row.correct, row.match = text, correct, match
            row.weight, row.feedback = weight, feedback
        row.text_format, row.feedback_format = formats[position]
    for row in rows.values():
        question.choices.remove(row)
    return True


def store_bank(session: Session, bank: Bank, now: datetime) -> LoadReport:
    """Upsert documents, curated questions and facts, then rebuild the fact-built questions.

    Statuses decided in the app win over the files, and a question or fact a teacher edited
    in the app is left untouched. The caller commits.
    """
    lock_fact_base(session)
    report = LoadReport(warnings=list(bank.warnings))
    topics = _sync_topics(session)
    session.flush()
    docs = {
        src.name: _sync_document(session, src, cleaned, report)
        for src, cleaned in zip(bank.sources, bank.documents, strict=True)
    }
    existing = {
        q.id: q
        for q in session.scalars(
            select(Question)
            .where(Question.origin == "curated")
            .options(selectinload(Question.choices))
        )
    }
    for draft in bank.questions:
        values = question_values(draft, topics, docs)
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
        if question.status == "retired" and question.review_reason == VANISHED:
            question.status, question.review_reason = draft.status, None
            changed = True
        changed = sync_choices(question, draft) or changed
        if changed:
            question.updated_at = now
            report.updated += 1
        else:
            report.unchanged += 1

    wanted_ids = {q.id for q in bank.questions}
    for qid, question in existing.items():
        if qid in wanted_ids or question.edited or question.status not in ("draft", "approved"):
            continue
        question.status, question.review_reason = "retired", VANISHED
        question.updated_at = now
        report.retired += 1
    session.flush()
    report.facts = store_facts(
        session,
        bank.facts,
        bank.proposals,
        bank.reviews,
        now,
        documents=[s.name for s in bank.sources],
        curated=True,
    )
    report.add(rebuild_questions(session, now))
    return report


@dataclass(frozen=True)
class Drafted:
    """What an upload drafted: the facts proposed and the questions they give."""

    facts: list[Proposal]
    questions: list[Question]


def add_document(
    session: Session, source: SourceText, questions_dir: Path, now: datetime
) -> Drafted:
    """Store an uploaded document, propose facts from it alone and build their questions.

    The new text's facts are drafts: its questions exist as drafts until a teacher approves
    the facts. Other documents are not touched. The proposal runs before the write
    transaction begins, so that it does not keep learners' answers waiting.
    """
    del questions_dir  # the curated files concern the seeds only
    if session.scalar(select(Document).where(Document.name == source.name)) is not None:
        raise BankError([f"{source.name}: Ein Dokument mit diesem Namen gibt es schon."])
    cleaned = clean_document(source.name, source.raw)
    base, _ = load_fact_base(session, statuses=("approved",))
    proposals = propose(cleaned, base)
    drafts = draft_questions(proposals, {source.name: cleaned}, base)
    begin_write(session)  # the slow part is done; store under the write lock
    lock_fact_base(session)
    if session.scalar(select(Document).where(Document.name == source.name)) is not None:
        raise BankError([f"{source.name}: Ein Dokument mit diesem Namen gibt es schon."])
    report = LoadReport()
    _sync_topics(session)
    session.flush()
    _sync_document(session, source, cleaned, report)
    store_facts(session, FactBase(), proposals, {}, now, documents=[source.name], curated=False)
    store_questions(session, drafts, now)
    questions = list(
        session.scalars(
            select(Question)
            .where(Question.id.in_([d.id for d in drafts]))
            .options(selectinload(Question.choices))
            .order_by(Question.id)
        )
    )
    return Drafted(proposals, questions)


@dataclass(frozen=True)
class BankStats:
    """Question counts by kind, origin, status and document."""

    total: int
    by_kind: dict[str, int]
    by_origin: dict[str, int]
    by_status: dict[str, int]
    by_document: dict[str, dict[str, int]]
    by_kind_and_origin: dict[str, dict[str, int]] = field(default_factory=dict)
    #: approved facts: document name ("" for shared actors) -> {"events": n, "actors": n,
    #: "terms": n}
    facts: dict[str, dict[str, int]] = field(default_factory=dict)
    fact_statuses: dict[str, int] = field(default_factory=dict)


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
    by_kind_and_origin: dict[str, dict[str, int]] = {}
    for kind, origin, n in session.execute(
        select(Question.kind, Question.origin, func.count())
        .where(Question.status == "approved")
        .group_by(Question.kind, Question.origin)
        .order_by(Question.kind)
    ):
        by_kind_and_origin.setdefault(kind, {})[origin] = n
    facts: dict[str, dict[str, int]] = {}
    for name, kind, data in session.execute(
        select(Document.name, Fact.kind, Fact.data)
        .outerjoin(Document, Document.id == Fact.document_id)
        .where(Fact.status == "approved")
    ):
        row = facts.setdefault(name or "", {"events": 0, "actors": 0, "terms": 0})
        row["events" if kind == "event" else "actors"] += 1
        row["terms"] += len((data or {}).get("terms", []))
    return BankStats(
        total=total,
        by_kind=count_by(Question.kind),
        by_origin=count_by(Question.origin),
        by_status=count_by(Question.status),
        by_document=by_document,
        by_kind_and_origin=by_kind_and_origin,
        facts=dict(sorted(facts.items())),
        fact_statuses=count_by(Fact.status),
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
            selectinload(Question.tag_rows),
        )
        .order_by(Question.id)
    )
    if statuses:
        query = query.where(Question.status.in_(list(statuses)))
    return [q.to_export() for q in session.scalars(query)]
