"""Import and export of questions in every supported format, for the CLI and the views."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quizapp.bank.types import QuestionDraft
from quizapp.models import Question
from quizapp.services.bank import export_questions

FORMATS = ("gift", "csv", "json")
EXPORT_FORMATS = ("json", "gift", "csv", "apkg")
#: Formats made for learners (Moodle, spreadsheets handed out, Anki decks): without a status
#: asked for they hold only what learners may see. JSON is the backup: it keeps everything.
LEARNER_FORMATS = ("gift", "csv", "apkg")
ALL_STATUSES = ("draft", "approved", "rejected", "retired")


def default_statuses(fmt: str) -> list[str]:
    """Return the statuses an export holds when none are asked for."""
    return ["approved"] if fmt in LEARNER_FORMATS else list(ALL_STATUSES)


SUFFIXES = {".gift": "gift", ".txt": "gift", ".csv": "csv", ".json": "json"}


class ImportFailed(ValueError):
    """The file cannot be imported; ``errors`` say where and what."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def guess_format(filename: str, fmt: str | None = None) -> str:
    """Return the format asked for, or the one the file name suggests."""
    if fmt and fmt != "auto":
        if fmt not in FORMATS:
            raise ImportFailed([f"{filename}: unknown format '{fmt}'"])
        return fmt
    found = SUFFIXES.get(Path(filename).suffix.lower())
    if found is None:
        raise ImportFailed([f"{filename}: cannot tell the format; choose gift, csv or json"])
    return found


@dataclass(frozen=True)
class Parsed:
    """The questions of an import file and what the reader wants the teacher to know."""

    questions: list[QuestionDraft]
    warnings: list[str]


def parse_import(data: bytes, fmt: str, source: str) -> Parsed:
    """Parse an import file; raise ImportFailed with every error (file:line: message)."""
    from quizapp.formats.csvio import CsvError, parse_csv
    from quizapp.formats.gift import GiftError, parse_gift
    from quizapp.formats.jsonio import JsonError, parse_json

    try:
        if fmt == "gift":
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ImportFailed([f"{source}: not UTF-8 (byte offset {exc.start})"]) from None
            result = parse_gift(text, source)
            parsed = Parsed(list(result.questions), list(result.warnings))
        elif fmt == "csv":
            parsed = Parsed(parse_csv(data, source), [])
        else:
            parsed = Parsed(parse_json(data, source), [])
    except (GiftError, CsvError, JsonError) as exc:
        raise ImportFailed(list(exc.errors)) from exc
    errors = validation_errors(parsed.questions, source)
    if errors:
        raise ImportFailed(errors)
    return parsed


def validation_errors(drafts: Iterable[QuestionDraft], source: str) -> list[str]:
    """Run the question editor's checks on imported questions: "where: what" for each problem.

    A file's syntax is checked by its reader; whether each question makes sense is decided
    here, the same way for every format and as the editor decides it for a typed question.
    """
    # Imported here: the teacher package's views import this module.
    from quizapp.teach.editing import draft_problems

    errors = []
    for draft in drafts:
        where = draft.extra.get("defined_at") or f"{source} ({draft.id})"
        errors.extend(f"{where}: {message}" for message in draft_problems(draft))
    return errors


@dataclass(frozen=True)
class ExportFile:
    """An export ready to be sent or written."""

    data: bytes
    mimetype: str
    filename: str


def export(session: Session, fmt: str, statuses: Iterable[str] | None = None) -> ExportFile:
    """Export the bank in one of EXPORT_FORMATS: the questions with ``statuses``, or by
    default (none given) the approved ones for learners' formats and all for JSON."""
    from quizapp.services.teach import draft_of

    statuses = list(statuses or []) or default_statuses(fmt)
    if fmt == "json":
        from quizapp.formats.jsonio import dump_json

        data = dump_json(export_questions(session, statuses or None)).encode()
        return ExportFile(data, "application/json", "fragen.json")
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
        query = query.where(Question.status.in_(statuses))
    drafts = [draft_of(q) for q in session.scalars(query)]
    if fmt == "gift":
        from quizapp.formats.gift import dump_gift

        return ExportFile(dump_gift(drafts).encode(), "text/plain; charset=utf-8", "fragen.gift")
    if fmt == "csv":
        from quizapp.formats.csvio import dump_csv

        return ExportFile(dump_csv(drafts).encode("utf-8-sig"), "text/csv", "fragen.csv")
    if fmt == "apkg":
        from quizapp.formats.apkg import build_apkg

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "deck.apkg"
            build_apkg(drafts, "Diplomatiegeschichte", path)
            return ExportFile(path.read_bytes(), "application/octet-stream", "fragen.apkg")
    raise ValueError(f"unknown export format {fmt!r}")
