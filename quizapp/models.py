"""Database models (SQLAlchemy 2 typed declarative style)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from markupsafe import Markup
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.bank.types import KINDS, ORIGINS, STATUSES
from quizapp.extensions import db
from quizapp.richtext import FORMATS, render, to_text


def utcnow() -> datetime:
    """Return the current time in UTC (the only clock models read, for defaults)."""
    return datetime.now(UTC)


#: Kinds whose choices are part of the question (options, items or pairs).
CHOICE_KINDS = ("single_choice", "multiple_choice", "date", "ordering", "matching")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Topic(db.Model):
    """A subject area questions are filed under, e.g. the Russo-Japanese War."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    questions: Mapped[list[Question]] = relationship(back_populates="topic")


class Document(db.Model):
    """A German source text, stored raw and cleaned of boilerplate."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # the file name
    title: Mapped[str] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(20), default="seed")  # "seed" or "upload"
    raw_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # cleaned; sentence offsets index into it
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sentences: Mapped[list[Sentence]] = relationship(
        back_populates="document",
        order_by="Sentence.position",
        cascade="all, delete-orphan",
    )
    questions: Mapped[list[Question]] = relationship(back_populates="document")

    __table_args__ = (CheckConstraint(_in("origin", ("seed", "upload")), name="origin"),)


class Sentence(db.Model):
    """One sentence of a cleaned document with its character offsets."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    position: Mapped[int]
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="sentences")

    __table_args__ = (UniqueConstraint("document_id", "position"),)

    @property
    def anchor(self) -> str:
        """Return the HTML anchor of this sentence in the document view."""
        return f"s{self.position}"


FACT_KINDS: tuple[str, ...] = ("event", "actor")
FACT_ORIGINS: tuple[str, ...] = ("curated", "generated", "teacher")
FACT_STATUSES: tuple[str, ...] = ("draft", "approved", "rejected", "retired")


class Fact(db.Model):
    """An event or an actor of the fact base; its questions are built from it by templates.

    ``data`` holds the fact as ``quizapp.bank.facts`` defines it (an Event or an Actor, in the
    form a fact file writes it); the columns beside it are what pages sort and filter by.
    """

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentence.id", ondelete="SET NULL"))
    char_start: Mapped[int | None]
    char_end: Mapped[int | None]
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Events: the date as yyyymmdd, so that the timeline is one index range in date order.
    sort_key: Mapped[int | None]
    origin: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    review_reason: Mapped[str | None] = mapped_column(Text)
    # Set once a teacher edits the fact in the app: `flask bank load` then leaves it alone.
    edited: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document | None] = relationship()
    sentence: Mapped[Sentence | None] = relationship()
    topic: Mapped[Topic | None] = relationship()

    __table_args__ = (
        CheckConstraint(_in("kind", FACT_KINDS), name="kind"),
        CheckConstraint(_in("origin", FACT_ORIGINS), name="origin"),
        CheckConstraint(_in("status", FACT_STATUSES), name="status"),
        Index("ix_fact_status_sort_key", "status", "sort_key"),
        Index("ix_fact_document_id", "document_id"),
    )


class FactRevision(db.Model):
    """One change to a fact: who, when, what (field -> [before, after])."""

    id: Mapped[int] = mapped_column(primary_key=True)
    fact_id: Mapped[str] = mapped_column(ForeignKey("fact.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(_in("action", ("create", "edit", "approve", "reject")), name="action"),
        Index("ix_fact_revision_fact_id_at", "fact_id", "at"),
    )


class Question(db.Model):
    """A question of the bank; its id is stable so learner progress is never orphaned."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    accepted: Mapped[list[str]] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentence.id", ondelete="SET NULL"))
    char_start: Mapped[int | None]
    char_end: Mapped[int | None]
    # The fact a template built the question from (ordering and matching: the first of theirs).
    fact_id: Mapped[str | None] = mapped_column(ForeignKey("fact.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    review_reason: Mapped[str | None] = mapped_column(Text)
    # Set once a teacher edits the question in the app: `flask bank load` then leaves it alone.
    edited: Mapped[bool] = mapped_column(default=False)
    # Kind-specific settings (numerical: "tolerance" or "min"/"max") and import metadata.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What a teacher wrote beside the content: Moodle's question name and ID number ([id:]).
    name: Mapped[str | None] = mapped_column(String(255))
    idnumber: Mapped[str | None] = mapped_column(String(100))
    # The format of the prompt (quizapp.richtext); the explanation's where it differs.
    text_format: Mapped[str] = mapped_column(String(10), default="moodle", server_default="moodle")
    explanation_format: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship(back_populates="questions")
    document: Mapped[Document | None] = relationship(back_populates="questions")
    sentence: Mapped[Sentence | None] = relationship()
    fact: Mapped[Fact | None] = relationship()
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question",
        order_by="Choice.position",
        cascade="all, delete-orphan",
    )
    tag_rows: Mapped[list[QuestionTag]] = relationship(
        back_populates="question",
        order_by="QuestionTag.tag",
        cascade="all, delete-orphan",
    )  # loaded where shown (teacher pages, exports): a learner's page never needs them

    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("origin", ORIGINS), name="origin"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("text_format", FORMATS), name="text_format"),
        Index("ix_question_status_kind", "status", "kind"),
        Index("ix_question_document_id", "document_id"),
        Index("ix_question_topic_id", "topic_id"),
        Index("ix_question_fact_id", "fact_id"),
    )

    @property
    def tags(self) -> list[str]:
        """Return the question's tags (Moodle's [tag:...]), sorted."""
        return sorted((row.tag for row in self.tag_rows), key=str.casefold)

    def set_tags(self, tags: list[str] | tuple[str, ...]) -> bool:
        """Make the question's tags these (kept rows stay); return whether they changed."""
        wanted = set(tags)
        current = {row.tag: row for row in self.tag_rows}
        if wanted == set(current):
            return False
        for tag, row in current.items():
            if tag not in wanted:
                self.tag_rows.remove(row)
        for tag in sorted(wanted - set(current)):
            self.tag_rows.append(QuestionTag(tag=tag))
        return True

    @property
    def explanation_text_format(self) -> str:
        """Return the format the explanation is written in."""
        return self.explanation_format or self.text_format

    @property
    def prompt_html(self) -> Markup:
        """Return the prompt as safe HTML in its format (sanitised HTML, Markdown, text)."""
        return render(self.prompt, self.text_format)

    @property
    def prompt_text(self) -> str:
        """Return the prompt's words without markup (lists, short previews)."""
        return to_text(self.prompt, self.text_format)

    @property
    def explanation_html(self) -> Markup:
        """Return the explanation as safe HTML in its format."""
        return render(self.explanation, self.explanation_text_format)

    def extra_html(self, key: str) -> Markup:
        """Return a text kept in ``extra`` (true/false feedback) as safe HTML."""
        extra = self.extra or {}
        return render(extra.get(key), extra.get(f"{key}_format") or self.text_format)

    def option_labels(self) -> dict[str, Markup]:
        """Return option text -> safe HTML for the options written in HTML or Markdown.

        Answer forms label options by their text; a template looks the label up here, so an
        option in HTML is shown rendered (and sanitised), any other as the text it is.
        """
        labels = {}
        for choice in self.choices:
            fmt = choice.text_format or self.text_format
            if fmt in ("html", "markdown") and choice.text:
                labels[choice.text] = render(choice.text, fmt)
        return labels

    def to_export(self) -> dict[str, Any]:
        """Return the question as a JSON-ready dict (the `flask bank export` format).

        Every kind's choices are exported: the options of choice kinds, and the further
        answers with their own credit and feedback of typed, cloze, date and numerical ones.
        """
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "answer": self.answer,
            "accepted": list(self.accepted or []),
            "choices": [c.to_export() for c in self.choices],
            "explanation": self.explanation,
            "topic": self.topic.slug,
            "origin": self.origin,
            "status": self.status,
            "review_reason": self.review_reason,
            "fact": self.fact_id,
            "extra": dict(self.extra or {}),
            "name": self.name or "",
            "idnumber": self.idnumber or "",
            "tags": self.tags,
            "text_format": self.text_format,
            "explanation_format": self.explanation_format,
            "source": {
                "document": self.document.name if self.document else None,
                "sentence": self.sentence.text if self.sentence else None,
                "char_start": self.char_start,
                "char_end": self.char_end,
            },
        }


class Choice(db.Model):
    """An option of a question; for ordering an item in its correct place, for matching a pair."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(default=False)
    match: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[float | None]  # multiple choice: share of the score in percent, -100..100
    feedback: Mapped[str | None] = mapped_column(Text)
    # Formats of the option's text and feedback; None: the question's text format.
    text_format: Mapped[str | None] = mapped_column(String(10))
    feedback_format: Mapped[str | None] = mapped_column(String(10))

    question: Mapped[Question] = relationship(back_populates="choices")

    __table_args__ = (UniqueConstraint("question_id", "position"),)

    @property
    def text_html(self) -> Markup:
        """Return the option's text as safe HTML in its format."""
        return render(self.text, self.text_format or self.question.text_format)

    @property
    def feedback_html(self) -> Markup:
        """Return the option's feedback as safe HTML in its format."""
        return render(self.feedback, self.feedback_format or self.question.text_format)

    def to_export(self) -> dict[str, Any]:
        """Return the choice as a JSON-ready dict."""
        data: dict[str, Any] = {"text": self.text, "correct": self.correct}
        if self.match is not None:
            data["match"] = self.match
        if self.weight is not None:
            data["weight"] = self.weight
        if self.feedback:
            data["feedback"] = self.feedback
        if self.text_format:
            data["text_format"] = self.text_format
        if self.feedback_format:
            data["feedback_format"] = self.feedback_format
        return data


class QuestionTag(db.Model):
    """A tag of a question (Moodle's [tag:...]); teachers filter the question list by it."""

    question_id: Mapped[str] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)

    question: Mapped[Question] = relationship(back_populates="tag_rows")

    __table_args__ = (Index("ix_question_tag_tag", "tag"),)


ROLES: tuple[str, ...] = ("learner", "teacher")
ATTEMPT_STATES: tuple[str, ...] = ("in_progress", "finished")
ATTEMPT_MODES: tuple[str, ...] = ("document", "topic", "mixed", "weak", "timeline", "assignment")


class User(UserMixin, db.Model):
    """A learner or a teacher; a guest is a learner without credentials yet."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept as typed for display; `username_key` (lower-cased) is what makes names unique.
    username: Mapped[str | None] = mapped_column(String(40))
    username_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    is_guest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped on logout and password change so that old session cookies stop working.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))

    attempts: Mapped[list[Attempt]] = relationship(back_populates="user")
    # Read-only: loaded with the logged-in user (one round trip for both, see load_user);
    # settings are stored through quizapp.services.cards.
    card_settings: Mapped[CardSettings | None] = relationship(viewonly=True)

    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session (invalidated with the token)."""
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        """End every session and remember cookie of this user (logout, new password)."""
        self.session_token = secrets.token_hex(16)

    @property
    def is_teacher(self) -> bool:
        """Return whether the user may curate the bank."""
        return self.role == "teacher"

    @property
    def display_name(self) -> str:
        """Return the name shown in the page header."""
        return self.username or "Gast"


class LoginFailure(db.Model):
    """A failed login, kept briefly to slow down password guessing per account and address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))  # "user:<name>" or "addr:<ip>"
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_login_failure_key_at", "key", "at"),)


class Attempt(db.Model):
    """One run through a quiz by one learner: a small state machine, in progress or finished."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    score: Mapped[float | None]  # sum of item scores, set when finished
    # An attempt at a class's assignment; kept (as history) when the assignment is deleted.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL")
    )
    # Answers after this moment are not counted (time limit, deadline); None: no limit.
    ends_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="attempts")
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(_in("state", ATTEMPT_STATES), name="state"),
        CheckConstraint(_in("mode", ATTEMPT_MODES), name="mode"),
        Index("ix_attempt_user_id_started_at", "user_id", "started_at"),
        Index("ix_attempt_assignment_id_user_id", "assignment_id", "user_id"),
    )

    @property
    def finished(self) -> bool:
        """Return whether no more answers are accepted."""
        return self.state == "finished"

    def open_items(self) -> list[AttemptItem]:
        """Return the unanswered items in the order they are asked (skipped ones last)."""
        waiting = [item for item in self.items if item.answered_at is None]
        return sorted(waiting, key=lambda item: (item.deferred or 0, item.position))

    def current_item(self) -> AttemptItem | None:
        """Return the question to answer next, or None when every question is answered."""
        waiting = self.open_items()
        return waiting[0] if waiting else None


class AttemptItem(db.Model):
    """A question slot of an attempt and, once given, the learner's graded answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]  # 0-based; shown to learners as "Frage position+1"
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    # Choice ids in the order they were shown, so a reload shows the same page.
    choice_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    response: Mapped[Any | None] = mapped_column(JSON)
    response_text: Mapped[str | None] = mapped_column(Text)  # the answer as the learner sees it
    score: Mapped[float | None]
    correct: Mapped[bool | None]
    note: Mapped[str | None] = mapped_column(String(40))
    answered_at: Mapped[datetime | None]
    # 0 until the learner skips the question; then one more than the attempt's highest, so
    # open questions come in the order (deferred, position) and a skipped one comes back last.
    deferred: Mapped[int] = mapped_column(default=0, server_default="0")

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()

    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        Index("ix_attempt_item_question_id", "question_id"),
    )


CARD_STATES: tuple[str, ...] = ("new", "learning", "review", "relearning")
REVIEW_SOURCES: tuple[str, ...] = ("card", "quiz")


class CardSettings(db.Model):
    """A learner's flashcard settings (created on first change; defaults otherwise)."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    desired_retention: Mapped[float] = mapped_column(default=0.9)
    new_per_day: Mapped[int] = mapped_column(default=20)
    reviews_per_day: Mapped[int] = mapped_column(default=200)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    typed_answers: Mapped[bool] = mapped_column(default=False)
    # Chosen decks as "document:<id>" / "topic:<slug>"; empty means every approved question.
    decks: Mapped[list[str]] = mapped_column(JSON, default=list)

    __table_args__ = (
        CheckConstraint("desired_retention BETWEEN 0.8 AND 0.97", name="retention"),
        CheckConstraint("new_per_day BETWEEN 0 AND 1000", name="new_per_day"),
        CheckConstraint("reviews_per_day BETWEEN 0 AND 10000", name="reviews_per_day"),
    )


class CardState(db.Model):
    """A learner's memory of one question (one card), as the fsrs scheduler models it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(20), default="new")
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    suspended: Mapped[bool] = mapped_column(default=False)
    # Bumped by every rating: a second tab rating an outdated state is refused, not counted.
    version: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        CheckConstraint(_in("state", CARD_STATES), name="state"),
        # The next due card is one index range scan, however large the table grows.
        Index("ix_card_state_user_id_suspended_due", "user_id", "suspended", "due"),
        Index("ix_card_state_question_id", "question_id"),
    )


class ReviewLog(db.Model):
    """One rating of one card, with the state before it so that undo is exact."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    card_state_id: Mapped[int] = mapped_column(ForeignKey("card_state.id", ondelete="CASCADE"))
    rating: Mapped[int]
    source: Mapped[str] = mapped_column(String(10), default="card")
    # A quiz answer counts once per question per attempt.
    attempt_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempt_item.id", ondelete="SET NULL"), unique=True
    )
    reviewed_at: Mapped[datetime]
    state_before: Mapped[str] = mapped_column(String(20))  # for statistics (true retention)
    due_before: Mapped[datetime]
    scheduled_days: Mapped[float]  # interval the rating gave
    previous: Mapped[dict[str, Any]] = mapped_column(JSON)  # the CardState columns before

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating"),
        CheckConstraint(_in("source", REVIEW_SOURCES), name="source"),
        # source and state_before: today's counts (daily limits) come from the index alone
        Index(
            "ix_review_log_user_id_reviewed_at_source_state_before",
            "user_id",
            "reviewed_at",
            "source",
            "state_before",
        ),
        Index("ix_review_log_card_state_id", "card_state_id"),
    )


class QuestionRevision(db.Model):
    """One change to a question: who, when, what (field -> [before, after])."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            _in("action", ("create", "edit", "approve", "reject", "retire", "import", "restore")),
            name="action",
        ),
        Index("ix_question_revision_question_id_at", "question_id", "at"),
    )


class ImportUpload(db.Model):
    """A previewed import file, kept on the server until the teacher confirms it (or it expires).

    The confirm form sends only the token: the file is not uploaded a second time, so a file
    that fits the upload limit once can always be committed.
    """

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(10))
    approve: Mapped[bool] = mapped_column(default=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    __table_args__ = (Index("ix_import_upload_expires_at", "expires_at"),)


class SchoolClass(db.Model):
    """A class a teacher runs: learners join it with its code, teachers set it assignments."""

    __tablename__ = "school_class"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    school_year: Mapped[str] = mapped_column(String(20), default="")
    # Always set; regenerating replaces it, closing keeps it (it can be opened again).
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    join_open: Mapped[bool] = mapped_column(default=True)
    join_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="school_class", passive_deletes=True, order_by="Assignment.id"
    )


class ClassTeacher(db.Model):
    """A teacher of a class (several teachers may share one)."""

    class_id: Mapped[int] = mapped_column(
        ForeignKey("school_class.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_class_teacher_user_id", "user_id"),)


class ClassMember(db.Model):
    """A learner in a class."""

    class_id: Mapped[int] = mapped_column(
        ForeignKey("school_class.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_class_member_user_id", "user_id"),)


ASSIGNMENT_KINDS: tuple[str, ...] = ("quiz", "deck")
ASSIGNMENT_SOURCES: tuple[str, ...] = ("questions", "topic", "document", "random")
FEEDBACK_POLICIES: tuple[str, ...] = ("immediate", "after_due")


class Assignment(db.Model):
    """Work set to a class: a quiz or a flashcard deck, with its window and rules.

    A quiz takes chosen questions (``question_ids``), a topic, a document, or
    ``question_count`` random approved questions of a selection (a topic, a document or the
    whole bank); a deck is a topic or a document whose cards are all to be learned once by
    ``due_at``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("school_class.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_count: Mapped[int | None]
    shuffle: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    max_attempts: Mapped[int | None]
    time_limit_minutes: Mapped[int | None]
    feedback: Mapped[str] = mapped_column(String(20), default="immediate")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="assignments")
    topic: Mapped[Topic | None] = relationship()
    document: Mapped[Document | None] = relationship()

    __table_args__ = (
        CheckConstraint(_in("kind", ASSIGNMENT_KINDS), name="kind"),
        CheckConstraint(_in("source", ASSIGNMENT_SOURCES), name="source"),
        CheckConstraint(_in("feedback", FEEDBACK_POLICIES), name="feedback"),
        CheckConstraint("max_attempts IS NULL OR max_attempts >= 1", name="max_attempts"),
        CheckConstraint(
            "time_limit_minutes IS NULL OR time_limit_minutes BETWEEN 1 AND 600",
            name="time_limit_minutes",
        ),
        CheckConstraint(
            "question_count IS NULL OR question_count BETWEEN 1 AND 50", name="question_count"
        ),
        Index("ix_assignment_class_id_due_at", "class_id", "due_at"),
    )


REPORT_REASONS: tuple[str, ...] = ("wrong_answer", "wrong_fact", "unclear", "typo", "other")
REPORT_STATUSES: tuple[str, ...] = ("open", "fixed", "rejected", "dismissed")


class ErrorReport(db.Model):
    """A learner's report of an error in a question, and what a teacher made of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    attempt_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempt_item.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    # The learner's answer as they saw it when they reported (quiz or typed card answer).
    answer_text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    response: Mapped[str | None] = mapped_column(Text)  # the teacher's word to the learner
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    question: Mapped[Question] = relationship()
    resolver: Mapped[User | None] = relationship(foreign_keys=[resolved_by])
    attempt_item: Mapped[AttemptItem | None] = relationship()

    __table_args__ = (
        CheckConstraint(_in("reason", REPORT_REASONS), name="reason"),
        CheckConstraint(_in("status", REPORT_STATUSES), name="status"),
        Index("ix_error_report_status_created_at", "status", "created_at"),
        Index("ix_error_report_user_id_created_at", "user_id", "created_at"),
        Index("ix_error_report_question_id", "question_id"),
    )


class ResetCode(db.Model):
    """A one-time code a teacher hands a learner to set a new password; it expires.

    Only a hash of the code is stored: whoever reads the database cannot use open codes.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_reset_code_user_id", "user_id"),)


class AnalysisSnapshot(db.Model):
    """The class-wide item analysis as last computed, so that reading it costs one row.

    Computing it reads every answer ever given (seconds at a million answers); the teachers'
    pages read this row instead, and a stale one is refreshed off the request path
    (``quizapp.services.analysis``). ``refresh_started_at`` is the claim of the one process
    that is refreshing it.
    """

    scope: Mapped[str] = mapped_column(String(20), primary_key=True)  # "school"
    computed_at: Mapped[datetime]  # the figures count the answers given until then
    items: Mapped[list[Any]] = mapped_column(JSON)  # ItemStats as plain values
    refresh_started_at: Mapped[datetime | None]


class BankRevision(db.Model):
    """A number that grows with every change to the bank's questions, options, documents and
    topics: database triggers count it up (migration 0013), whoever writes.

    Each process keeps what a quiz draws from while the number stays the same
    (``quizapp.services.quiz``): starting a quiz then reads this row instead of the pool.
    """

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
