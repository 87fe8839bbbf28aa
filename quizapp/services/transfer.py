"""Import and export of questions in every supported format, for the CLI and the views."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quizapp.bank.types import QuestionDraft
from quizapp.formats.common import Repeat, Skipped, meta_problems
from quizapp.models import Question
from quizapp.services.bank import export_questions

FORMATS = ("gift", "csv", "json", "aiken", "moodlexml")
EXPORT_FORMATS = ("json", "gift", "csv", "apkg")
#: Formats made for learners (Moodle, spreadsheets handed out, Anki decks): without a status
#: asked for they hold only what learners may see. JSON is the backup: it keeps everything.
LEARNER_FORMATS = ("gift", "csv", "apkg")
ALL_STATUSES = ("draft", "approved", "rejected", "retired")


def default_statuses(fmt: str) -> list[str]:
    """Return the statuses an export holds when none are asked for."""
    return ["approved"] if fmt in LEARNER_FORMATS else list(ALL_STATUSES)


SUFFIXES = {
    ".gift": "gift",
    ".txt": "gift",
    ".csv": "csv",
    ".json": "json",
    ".aiken": "aiken",
    ".xml": "moodlexml",
}
#: An Aiken file: every question ends with a line "ANSWER: <letter>".
_AIKEN_ANSWER = re.compile(rb"^[ \t]*ANSWER:[ \t]*[A-Za-z]\b", re.MULTILINE)


class ImportFailed(ValueError):
    """The file cannot be imported; ``errors`` say where and what."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def guess_format(filename: str, fmt: str | None = None, data: bytes | None = None) -> str:
    """Return the format asked for, or the one the file name (and content) suggests.

    A ``.txt`` file is GIFT unless it has no ``{`` and its questions end with Aiken's
    ``ANSWER: B`` lines.
    """
    if fmt and fmt != "auto":
        if fmt not in FORMATS:
            raise ImportFailed([f"{filename}: unknown format '{fmt}'"])
        return fmt
    found = SUFFIXES.get(Path(filename).suffix.lower())
    if found is None:
        names = ", ".join(FORMATS)
        raise ImportFailed([f"{filename}: cannot tell the format; choose {names}"])
    if found == "gift" and data is not None and b"{" not in data and _AIKEN_ANSWER.search(data):
        return "aiken"
    return found


@dataclass(frozen=True)
class Parsed:
    """The questions of an import file and what the reader wants the teacher to know.

    ``skipped``: questions of kinds quizapp has none of (not imported); ``repeats``:
    questions that repeat an earlier one's id (left out, or imported under their own id).
    """

    questions: list[QuestionDraft]
    warnings: list[str]
    skipped: list[Skipped] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)


def _text(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"{source}: not UTF-8 (byte offset {exc.start})"]) from None


def parse_import(data: bytes, fmt: str, source: str) -> Parsed:
    """Parse an import file; raise ImportFailed with every error (file:line: message).

    Questions of kinds quizapp has no counterpart for are skipped, not refused (as Moodle
    imports what it can); a file with nothing left to import is refused.
    """
    from quizapp.formats.aiken import AikenError, parse_aiken
    from quizapp.formats.csvio import CsvError, parse_csv
    from quizapp.formats.gift import GiftError, parse_gift
    from quizapp.formats.jsonio import JsonError, parse_json
    from quizapp.formats.moodlexml import MoodleXmlError, parse_moodle_xml

    try:
        if fmt == "gift":
            result = parse_gift(_text(data, source), source)
            parsed = Parsed(
                list(result.questions), list(result.warnings), result.skipped, result.repeats
            )
        elif fmt == "aiken":
            aiken = parse_aiken(_text(data, source), source)
            parsed = Parsed(aiken.questions, aiken.warnings, [], aiken.repeats)
        elif fmt == "moodlexml":
            xml = parse_moodle_xml(data, source)
            parsed = Parsed(xml.questions, xml.warnings, xml.skipped, xml.repeats)
        elif fmt == "csv":
            parsed = Parsed(parse_csv(data, source), [])
        else:
            parsed = Parsed(parse_json(data, source), [])
    except (GiftError, CsvError, JsonError, AikenError, MoodleXmlError) as exc:
        raise ImportFailed(list(exc.errors)) from exc
    errors = validation_errors(parsed.questions, source)
    if errors:
        raise ImportFailed(errors)
    if not parsed.questions and (parsed.skipped or parsed.repeats):
        raise ImportFailed([f"{source}: the file holds no question to import"])
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
        problems = draft_problems(draft) + meta_problems(draft.name, draft.idnumber, draft.tags)
        errors.extend(f"{where}: {message}" for message in problems)
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
            selectinload(Question.tag_rows),
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
