"""Database models (SQLAlchemy 2 typed declarative style)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.bank.types import KINDS, ORIGINS, STATUSES
from quizapp.extensions import db


def utcnow() -> datetime:
    """Return the current time in UTC (the only clock models read, for defaults)."""
    return datetime.now(UTC)


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
    origin: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    review_reason: Mapped[str | None] = mapped_column(Text)
    # Set once a teacher edits the question in the app: `flask bank load` then leaves it alone.
    edited: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship(back_populates="questions")
    document: Mapped[Document | None] = relationship(back_populates="questions")
    sentence: Mapped[Sentence | None] = relationship()
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question",
        order_by="Choice.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("origin", ORIGINS), name="origin"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        Index("ix_question_status_kind", "status", "kind"),
        Index("ix_question_document_id", "document_id"),
        Index("ix_question_topic_id", "topic_id"),
    )

    def to_export(self) -> dict[str, Any]:
        """Return the question as a JSON-ready dict (the `flask bank export` format)."""
        with_choices = self.kind in ("single_choice", "date", "ordering", "matching")
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "answer": self.answer,
            "accepted": list(self.accepted or []),
            "choices": [c.to_export() for c in self.choices] if with_choices else [],
            "explanation": self.explanation,
            "topic": self.topic.slug,
            "origin": self.origin,
            "status": self.status,
            "review_reason": self.review_reason,
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

    question: Mapped[Question] = relationship(back_populates="choices")

    __table_args__ = (UniqueConstraint("question_id", "position"),)

    def to_export(self) -> dict[str, Any]:
        """Return the choice as a JSON-ready dict."""
        data: dict[str, Any] = {"text": self.text, "correct": self.correct}
        if self.match is not None:
            data["match"] = self.match
        return data
