"""CSV import and export of questions: plain Python, no Flask, no database.

# CSV format of the question bank

One question per row, for teachers who prefer a spreadsheet (LibreOffice, Excel) to YAML.
`quizapp.formats.csvio.parse_csv` reads it, `quizapp.formats.csvio.dump_csv` writes it.

## File

* UTF-8, with or without byte order mark (BOM). Excel: save as *CSV UTF-8 (durch Trennzeichen
  getrennt)*; the plain *CSV* of Excel is Windows-1252 and is rejected with the byte offset of
  the first invalid byte.
* The first row is the header. The delimiter is a comma, or a semicolon (German Excel): the
  header line decides, whichever of the two occurs more often there. An Excel hint line
  `sep=;` before the header is honoured as well.
* Cells are quoted as usual in CSV (RFC 4180): a cell containing the delimiter, a double quote
  or a line break is enclosed in `"..."`, a double quote inside is written `""`. Quoted cells
  may span several lines.
* Rows whose cells are all empty are skipped. At most 10,000 rows (without the header) and
  10,000 characters per cell.
* `dump_csv` writes commas, `\\r\\n` line ends, all thirteen columns in the order below and no BOM
  (encode the text as `utf-8-sig` if Excel is meant to open it).

## Columns

Column names are case-insensitive; their order is free. `kind`, `prompt` and `answer` are
required, the other columns may be left out. Unknown column names are an error (a typo must
not lose data silently); columns with an empty name must stay empty.

* `id`: the stable id; letters, digits, `.`, `_`, `-`, at most 64 characters. When empty:
  `t-` + the first 12 hex digits of SHA-256 over kind, prompt and answer (UTF-8, joined by
  the unit separator U+001F), so importing the same row again gives the same id.
* `kind`: `single_choice`, `multiple_choice`, `true_false`, `typed`, `cloze`, `date`,
  `numerical`, `ordering` or `matching` (see below).
* `prompt`: the question; a cloze prompt holds the gap `___`.
* `answer`: the correct answer (see below).
* `accepted`: further accepted answers, separated by ` | `.
* `choices`: options, separated by ` | ` (see below).
* `explanation`: shown after answering.
* `topic`: a topic slug (`korea`) or its German name (`Korea und Russland`); empty means
  `allgemein`.
* `document`: the file name of the source document; may be empty.
* `status`: `draft`, `approved`, `rejected` or `retired`; anything else becomes `draft`.
* `name`: the question's name (Moodle's question name); may be empty.
* `tags`: tags, separated by ` | ` (Moodle's `[tag:…]`); repeats (ignoring case) count once.
* `format`: the text format of prompt, options and explanation: `moodle` (the default when
  empty), `html`, `plain` or `markdown`.

`id`, `kind`, `topic`, `document` and `status` are trimmed; `prompt`, `answer` and
`explanation` are taken exactly as written. Every imported question gets origin `teacher`.

## Lists: `accepted` and `choices`

Items are separated by `|`; white space around an item is ignored, so `a|b` equals `a | b`.
A backslash makes the next character literal: `\\|` is a `|` inside an item, `\\\\` a
backslash, `\\ ` (backslash, space) a space kept at the start or end of an item. Empty items
in `accepted` are skipped. Each option in `choices` is written

    [*][weight%:]text[ => right side][ # feedback]

* `*` marks a correct option: `*Roosevelt | Wilhelm II. | Eduard VII.`
* `50%:text` gives the option a weight: its credit, the percentage of the score it earns or
  costs (-100..100; `-33,3%:` works too), as Moodle's answer grades (`quizapp.credit`).
* `left => right` is a pair of a matching question (`=\\>` is a literal `=>`).
* ` # text` is feedback shown after the learner picked the option (`\\#` is a literal `#`).

Without any `*` in the cell, all items of `ordering` and `matching` are correct and an option
of `multiple_choice` is correct when its weight is above 0. The items of `ordering` are
always correct (a `*` there is allowed and ignored). Whatever the `*`, an option's weight is
its credit; `*` without a weight is full credit, no `*` and no weight none.

## Kinds

* `single_choice`: at least 2 options, at least one with full credit (marked `*` without a
  weight, or `100%:`); others may give partial credit or cost points (`*50%:Bethlehem`,
  `-25%:Jerusalem`): the chosen option's credit is the score. The answer is the text of a
  full-credit option; when the answer cell is empty it is the first of them.
* `multiple_choice`: at least 2 options, at least one correct, usually with weights
  (`50%:Sachalin | 50%:Kurilen | -50%:Korea`). An empty answer becomes the correct options
  joined by `; `.
* `true_false`: answer `wahr` or `falsch` (any case); no choices.
* `typed`: the expected text; `accepted` lists further right answers; optional choices hold
  further answers with their own credit and feedback, tried in order (`75%:Nazereth # Fast`,
  `Bethlehem # Dort geboren` for a 0 % answer with feedback; `*` in an answer is a wildcard,
  `*` alone matches any other answer).
* `cloze`: the prompt holds the gap `___`, the answer fills it; optional choices are further
  answers with their own credit and feedback, as for `typed`.
* `date`: a German date the app reads: `5. September 1905`, `05.09.1905`, `September 1905`,
  `1905`. Optional choices are plausible dates, the right one marked `*`.
* `numerical`: a number (`1905`, `-3.5`, `3,5`), optionally with a tolerance (`1905:2`) or
  a range (`1905:1900..1910`); a bare range `1900..1910` has its middle as answer. A decimal
  comma becomes a point. The tolerance or range goes to `QuestionDraft.extra`
  (`tolerance`, or `min` and `max`). Optional choices are further answers with their own
  credit and feedback, tried in order: `1905`, `1905:2`, `1900..1910` or `*`
  (`50%:1904..1906 # Knapp daneben`).
* `ordering`: at least 3 items in the right order. An empty answer becomes the items joined
  by ` → `.
* `matching`: at least 2 pairs `left => right`. An empty answer becomes the pairs
  `left → right` joined by `; `.

Every draft has `extra["defined_at"]` = `source:line` of its row.

## Spreadsheet formulas (CSV injection)

`dump_csv` prefixes every cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
with a single quote `'`, so that a spreadsheet shows it as text instead of running a formula
(OWASP, "CSV Injection"): `=HYPERLINK("http://x")` is written `'=HYPERLINK("http://x")`.
`parse_csv` removes one leading quote again where it is followed by one of those characters.
To keep the round trip exact, a cell that starts with quotes followed by such a character
(`'=x`) gets one more quote on export, and import removes one quote from every cell that
starts with one or more quotes followed by such a character. `'0123` stays as it is.

## Errors

`parse_csv` collects the errors of the whole file and raises `CsvError`; its `errors` are
`source:line: message`, where line is the physical line of the file (the header is line 1;
in a row whose quoted cells span lines, the line where the offending cell starts). Reported:

* the file: invalid UTF-8 (with the byte offset), CSV syntax errors (a stray or unclosed
  quote), an empty file, more than 10,000 rows;
* the header: missing required columns (a first row naming no known column at all is one
  error), unknown or repeated column names;
* a row: cells longer than 10,000 characters, values in columns without a name, unknown or
  missing kind, missing prompt or answer, an invalid or duplicate id, an unknown topic;
* the kind: single choice without an option with full credit, fewer than 2 options, or an
  answer that is not an option with full credit; multiple choice without a correct option; ordering
  with fewer than 3 items; matching with fewer than 2 pairs or an item without `=>`; `=>`
  outside matching; weights outside -100..100; empty options; true/false answers other than
  `wahr`/`falsch` or with choices; a cloze prompt without `___`; a numerical answer that is
  no number, a negative tolerance or an empty range; a date answer that
  `quizapp.bank.dates.parse_german_date` does not read.

After 100 errors, and at a CSV syntax error, reading stops.

## Round trip

`parse_csv(dump_csv(questions))` gives the questions back (kind, prompt, answer, accepted,
choices with weight, match and feedback, explanation, topic, document, status, id, numerical
tolerance or range) for every valid question. Not kept: `origin` (always `teacher`), the
source sentence and offsets, `extra` apart from the numerical tolerance or range, white space
around `id`, `kind`, `topic`, `document` and `status`. An option that is empty in every
respect (no text, not correct, no weight, pair or feedback) and empty `accepted` items cannot
be written.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from quizapp.bank.dates import parse_german_date
from quizapp.bank.topics import FALLBACK, all_topics
from quizapp.bank.types import STATUSES, ChoiceDraft, QuestionDraft
from quizapp.credit import credits, is_full
from quizapp.formats.common import normal_tags
from quizapp.richtext import DEFAULT_FORMAT, FORMATS

#: The columns in the order dump_csv writes them.
COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "prompt",
    "answer",
    "accepted",
    "choices",
    "explanation",
    "topic",
    "document",
    "status",
    "name",
    "tags",
    "format",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("kind", "prompt", "answer")
#: Every kind the CSV format knows (quizapp.bank.types.KINDS plus the two being added).
CSV_KINDS: tuple[str, ...] = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "typed",
    "cloze",
    "date",
    "numerical",
    "ordering",
    "matching",
)
MAX_ROWS = 10_000
MAX_CELL_LENGTH = 10_000
MAX_ERRORS = 100
MAX_ID_LENGTH = 64
DEFAULT_STATUS = "draft"

# The bank's conventions, as in quizapp.bank.curated (not imported: that pulls in the YAML loader).
GAP = "___"
ORDER_SEPARATOR = " → "
PAIR_SEPARATOR = "; "
TRUE_FALSE_ANSWERS = ("wahr", "falsch")
#: Kinds whose empty answer cell is filled in from the choices.
_DERIVED_ANSWER_KINDS = ("single_choice", "multiple_choice", "ordering", "matching")

LIST_SEPARATOR = " | "
PAIR_MARK = " => "
FEEDBACK_MARK = " # "

_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")  # export: these cells get a leading quote
_QUOTED_FORMULA = re.compile(r"'+[=+\-@\t\r]")  # import: these cells lose one
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_SEP_HINT = re.compile(r"sep=(.)[ \t]*(?:\r\n|\r|\n|\Z)")
_ITEM_SPLIT = re.compile(r"\\.|\|", re.S)
_FEEDBACK_SPLIT = re.compile(r"\\.|#", re.S)
_PAIR_SPLIT = re.compile(r"\\.|=>", re.S)
_UNESCAPE = re.compile(r"\\(.)", re.S)
_NUM = r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d{1,3})?"
_WEIGHT = re.compile(r"([+-]?\d+(?:[.,]\d+)?)[ \t]*%[ \t]*:")
_NUMBER_ANSWER = re.compile(
    rf"\s*(?P<value>{_NUM})\s*(?::\s*(?P<low>{_NUM})\s*(?:\.\.\s*(?P<high>{_NUM})\s*)?)?"
)
_RANGE_ANSWER = re.compile(rf"\s*(?P<low>{_NUM})\s*\.\.\s*(?P<high>{_NUM})\s*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class CsvError(ValueError):
    """The CSV file is invalid; ``errors`` lists every problem as ``source:line: message``."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        summary = f"{count} error{'s' if count != 1 else ''} in the CSV file"
        super().__init__(summary + ":\n" + "\n".join(self.errors))


# --------------------------------------------------------------------------- public API


def parse_csv(data: bytes | str, source: str = "<csv>") -> list[QuestionDraft]:
    """Read questions from CSV (see the module docstring); raise CsvError listing every error."""
    errors = _Errors(source)
    try:
        drafts = _Reader(source, errors).read(data)
    except _TooManyErrors:
        drafts = []
    errors.raise_if_any()
    return drafts


def dump_csv(questions: Sequence[QuestionDraft]) -> str:
    """Write questions as CSV with a header row; formula-like cells are neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for question in questions:
        cells = (
            question.id,
            question.kind,
            question.prompt,
            _answer_cell(question),
            LIST_SEPARATOR.join(_escape_item(a) for a in question.accepted),
            _choices_cell(question),
            question.explanation,
            question.topic,
            question.document,
            question.status,
            question.name,
            LIST_SEPARATOR.join(_escape_item(t) for t in question.tags),
            "" if question.text_format == DEFAULT_FORMAT else question.text_format,
        )
        writer.writerow([neutralise(cell) for cell in cells])
    return buffer.getvalue()


# --------------------------------------------------------------------------- export helpers


def neutralise(cell: str) -> str:
    """Prefix a quote to a cell a spreadsheet would read as a formula (see the docstring).

    Every CSV the app writes uses it (questions, the grade book of an assignment).
    """
    return "'" + cell if _NEEDS_QUOTE.match(cell) else cell


def _escape_item(text: str, *, choice: bool = False) -> str:
    """Escape one list item so that parsing it gives ``text`` back."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|")
    if choice:
        escaped = escaped.replace("#", "\\#").replace("=>", "=\\>")
    if escaped and escaped[0].isspace():
        escaped = "\\" + escaped
    if escaped and escaped[-1].isspace() and not (len(escaped) == 2 and escaped[0] == "\\"):
        escaped = escaped[:-1] + "\\" + escaped[-1]
    return escaped


def _escape_choice_text(text: str) -> str:
    """Escape the text part of an option: also a leading ``*`` and a weight-like start."""
    escaped = _escape_item(text, choice=True)
    if escaped.startswith("*"):
        escaped = "\\" + escaped
    elif match := _WEIGHT.match(escaped):
        percent = escaped.index("%", match.start(1))
        escaped = escaped[:percent] + "\\" + escaped[percent:]
    return escaped


def _number_text(value: float | Decimal) -> str:
    """Write a number without exponent and without trailing zeros: 50.0 -> "50"."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _default_correct(kind: str, choices: Sequence[ChoiceDraft]) -> list[bool]:
    """Which options count as correct when a choices cell has no ``*`` at all."""
    if kind in ("ordering", "matching"):
        return [True] * len(choices)
    if kind == "multiple_choice":
        return [c.weight is not None and c.weight > 0 for c in choices]
    return [False] * len(choices)


def _choices_cell(question: QuestionDraft) -> str:
    choices = question.choices
    stars = question.kind != "ordering" and [c.correct for c in choices] != _default_correct(
        question.kind, choices
    )
    items = []
    for choice in choices:
        item = "*" if stars and choice.correct else ""
        if choice.weight is not None:
            item += _number_text(choice.weight) + "%:"
        item += _escape_choice_text(choice.text)
        if choice.match is not None:
            item += PAIR_MARK + _escape_item(choice.match, choice=True)
        if choice.feedback is not None:
            item += FEEDBACK_MARK + _escape_item(choice.feedback, choice=True)
        items.append(item)
    return LIST_SEPARATOR.join(items)


def _answer_cell(question: QuestionDraft) -> str:
    if question.kind != "numerical":
        return question.answer
    extra = question.extra
    if "tolerance" in extra:
        return f"{question.answer}:{extra['tolerance']}"
    if "min" in extra and "max" in extra:
        return f"{question.answer}:{extra['min']}..{extra['max']}"
    return question.answer


# --------------------------------------------------------------------------- import helpers


class _TooManyErrors(Exception):
    """Raised by _Errors.add once MAX_ERRORS errors are collected."""


class _Errors:
    """Collects ``source:line: message`` strings, at most MAX_ERRORS of them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.source}:{line}: {message}")
        if len(self.items) >= MAX_ERRORS:
            self.items.append(f"{self.source}:{line}: more than {MAX_ERRORS} errors, stopped")
            raise _TooManyErrors

    def raise_if_any(self) -> None:
        if self.items:
            raise CsvError(self.items)


def _unescape(raw: str) -> str:
    return _UNESCAPE.sub(r"\1", raw)


def _strip(raw: str) -> str:
    """Strip unescaped white space at both ends of an escaped item."""
    stripped = raw.lstrip()
    right = stripped.rstrip()
    backslashes = len(right) - len(right.rstrip("\\"))
    if len(right) < len(stripped) and backslashes % 2:
        right = stripped[: len(right) + 1]  # the last white space was escaped: keep it
    return right


def _split_at(raw: str, pattern: re.Pattern[str], mark: str) -> tuple[str, str | None]:
    """Split ``raw`` at the first unescaped ``mark``; escapes are skipped over."""
    for match in pattern.finditer(raw):
        if match.group() == mark:
            return raw[: match.start()], raw[match.end() :]
    return raw, None


def _split_items(cell: str) -> list[str]:
    """Split a list cell at unescaped ``|``; items stay escaped and unstripped."""
    items: list[str] = []
    start = 0
    for match in _ITEM_SPLIT.finditer(cell):
        if match.group() == "|":
            items.append(cell[start : match.start()])
            start = match.end()
    items.append(cell[start:])
    return items


def _normal_number(text: str) -> str:
    return text.strip().replace(",", ".")


def _midpoint(low: str, high: str) -> str:
    return _number_text((Decimal(low) + Decimal(high)) / 2)


@functools.cache
def _topic_keys() -> dict[str, str]:
    """Return {casefolded slug or German name: slug}."""
    keys: dict[str, str] = {}
    for slug, name in all_topics():
        keys[slug.casefold()] = slug
        keys[unicodedata.normalize("NFC", name).casefold()] = slug
    return keys


def _content_id(kind: str, prompt: str, answer: str) -> str:
    key = "\x1f".join((kind, prompt, answer))
    return "t-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class _Reader:
    """Reads one CSV text into drafts, reporting into an _Errors."""

    def __init__(self, source: str, errors: _Errors) -> None:
        self.source = source
        self.errors = errors
        self.width = 0  # number of header cells
        self.unnamed: set[int] = set()  # header cells without a name

    # ---------------------------------------------------------------- file level

    def read(self, data: bytes | str) -> list[QuestionDraft]:
        text = self._decode(data)
        if text is None:
            return []
        first_line = 1
        hint = _SEP_HINT.match(text)
        if hint is not None and hint.group(1) in ",;\t":
            delimiter = hint.group(1)
            text = text[hint.end() :]
            first_line = 2
        else:
            header_line = _LINE_BREAK.split(text, maxsplit=1)[0]
            delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        records = self._records(text, delimiter, first_line)
        header = next((r for r in records if any(cell.strip() for cell in r[1])), None)
        if header is None:
            if not self.errors.items:
                self.errors.add(first_line, "the file is empty; a header row is required")
            return []
        columns = self._header(*header)
        if columns is None:
            return []
        drafts: list[QuestionDraft] = []
        first_seen: dict[str, int] = {}
        rows = 0
        for line, row in records:
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > MAX_ROWS:
                self.errors.add(line, f"more than {MAX_ROWS} rows; split the file")
                break
            draft, question_id = self._row(line, row, columns)
            if question_id is None:
                continue
            if question_id in first_seen:
                self.errors.add(
                    line, f"duplicate id '{question_id}' (first at line {first_seen[question_id]})"
                )
                continue
            first_seen[question_id] = line
            if draft is not None:
                drafts.append(draft)
        return drafts

    def _decode(self, data: bytes | str) -> str | None:
        if isinstance(data, str):
            return data.removeprefix("\ufeff")
        raw = bytes(data)
        start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
        try:
            return raw[start:].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = start + exc.start
            line = len(_LINE_BREAK_BYTES.findall(raw, 0, offset)) + 1
            self.errors.add(
                line,
                f"not valid UTF-8 at byte {offset} ({exc.reason}); save the file as 'CSV UTF-8'",
            )
            return None

    def _records(
        self, text: str, delimiter: str, first_line: int
    ) -> Iterator[tuple[int, list[str]]]:
        """Yield (physical line where the record starts, cells); stop at a syntax error."""
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        offset = first_line - 1
        end = 0
        while True:
            start = end + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                where = ""
                if reader.line_num > start:
                    where = f" (in the row starting at line {start + offset})"
                self.errors.add(reader.line_num + offset, f"CSV syntax error: {exc}{where}")
                return
            end = reader.line_num
            yield start + offset, row

    def _header(self, line: int, header: list[str]) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        problems: list[str] = []
        self.width = len(header)
        for index, name in enumerate(header):
            key = name.strip().casefold()
            if not key:
                self.unnamed.add(index)
            elif key not in COLUMNS:
                problems.append(f"unknown column '{_short(name)}' (known: {', '.join(COLUMNS)})")
            elif key in columns:
                problems.append(f"column '{key}' appears twice")
            else:
                columns[key] = index
        if columns:  # else the first row is no header at all: one error says it
            for problem in problems:
                self.errors.add(line, problem)
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            self.errors.add(
                line,
                f"missing header column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}; the first row must name the columns",
            )
            return None
        return columns

    # ---------------------------------------------------------------- row level

    def _row(
        self, line: int, row: list[str], columns: dict[str, int]
    ) -> tuple[QuestionDraft | None, str | None]:
        """Return (the draft or None if invalid, its id or None if unknown)."""
        lines = [line]  # physical line where each cell starts
        for cell in row:
            lines.append(lines[-1] + len(_LINE_BREAK.findall(cell)))
        before = len(self.errors.items)
        for index, cell in enumerate(row):
            if len(cell) > MAX_CELL_LENGTH:
                self.errors.add(
                    lines[index],
                    f"cell {index + 1} has {len(cell)} characters (at most {MAX_CELL_LENGTH})",
                )
            elif (index >= self.width or index in self.unnamed) and cell.strip():
                self.errors.add(lines[index], f"cell {index + 1} has no column name")
        if len(self.errors.items) > before:
            return None, None

        def cell(column: str) -> tuple[str, int]:
            index = columns.get(column)
            if index is None or index >= len(row):
                return "", line
            value = row[index]
            if _QUOTED_FORMULA.match(value):
                value = value[1:]
            return value, lines[index]

        row_reader = _RowReader(self, line, cell)
        return row_reader.read(), row_reader.question_id


class _RowReader:
    """Validates one row and builds its draft."""

    def __init__(self, reader: _Reader, line: int, cell: Callable[[str], tuple[str, int]]) -> None:
        self.reader = reader
        self.line = line
        self.cell = cell
        self.ok = True
        self.question_id: str | None = None  # the id given or derived, None if unknown

    def error(self, line: int, message: str) -> None:
        self.ok = False
        self.reader.errors.add(line, message)

    def read(self) -> QuestionDraft | None:
        kind_text, kind_line = self.cell("kind")
        kind = kind_text.strip().casefold()
        if not kind:
            self.error(kind_line, "missing kind")
        elif kind not in CSV_KINDS:
            self.error(kind_line, f"unknown kind '{_short(kind)}' (known: {', '.join(CSV_KINDS)})")
        prompt, prompt_line = self.cell("prompt")
        if not prompt.strip():
            self.error(prompt_line, "missing prompt")
        accepted_cell, _ = self.cell("accepted")
        accepted = tuple(
            _unescape(item) for item in (_strip(raw) for raw in _split_items(accepted_cell)) if item
        )
        choices_cell, choices_line = self.cell("choices")
        choices = self._choices(kind, choices_cell, choices_line) if kind in CSV_KINDS else None
        explanation, _ = self.cell("explanation")
        topic = self._topic()
        document = self.cell("document")[0].strip()
        status = self.cell("status")[0].strip().casefold()
        if status not in STATUSES:
            status = DEFAULT_STATUS
        question_id, id_line = self.cell("id")
        question_id = question_id.strip()
        if question_id and (len(question_id) > MAX_ID_LENGTH or not _ID.fullmatch(question_id)):
            self.error(
                id_line,
                f"invalid id '{_short(question_id)}': letters, digits, '.', '_', '-', "
                f"at most {MAX_ID_LENGTH} characters",
            )
        answer_cell, answer_line = self.cell("answer")
        answer, extra = answer_cell, {"defined_at": f"{self.reader.source}:{self.line}"}
        if choices is not None:
            checked = self._check_kind(
                kind, prompt, prompt_line, answer_cell, answer_line, choices, choices_line
            )
            if checked is not None:
                answer, more = checked
                extra.update(more)
        if question_id:
            self.question_id = question_id
        if not self.ok or choices is None:
            return None
        self.question_id = question_id or _content_id(kind, prompt, answer)
        text_format = self.cell("format")[0].strip().casefold() or DEFAULT_FORMAT
        if text_format not in FORMATS:
            self.error(self.cell("format")[1], f"unknown text format '{_short(text_format)}'")
            return None
        tags_cell, _ = self.cell("tags")
        tags = normal_tags(_unescape(_strip(raw)) for raw in _split_items(tags_cell))
        return QuestionDraft(
            id=self.question_id,
            kind=kind,
            prompt=prompt,
            answer=answer,
            explanation=explanation,
            topic=topic,
            document=document,
            origin="teacher",
            accepted=accepted,
            choices=choices,
            status=status,
            name=self.cell("name")[0].strip(),
            tags=tags,
            text_format=text_format,
            extra=extra,
        )

    def _topic(self) -> str:
        text, line = self.cell("topic")
        key = unicodedata.normalize("NFC", text.strip()).casefold()
        if not key:
            return FALLBACK
        slug = _topic_keys().get(key)
        if slug is None:
            known = ", ".join(slug for slug, _ in all_topics())
            self.error(line, f"unknown topic '{_short(text.strip())}' (known: {known})")
            return FALLBACK
        return slug

    def _choices(self, kind: str, cell: str, line: int) -> tuple[ChoiceDraft, ...] | None:
        if not cell.strip():
            return ()
        before = len(self.reader.errors.items)
        choices: list[ChoiceDraft] = []
        starred = False
        for number, raw_item in enumerate(_split_items(cell), start=1):
            item = _strip(raw_item)
            if not item:
                self.error(line, f"option {number} is empty (two '|' in a row?)")
                continue
            correct = item.startswith("*")
            if correct:
                starred = True
                item = _strip(item[1:])
            weight: float | None = None
            if match := _WEIGHT.match(item):
                weight = float(match.group(1).replace(",", "."))
                if not -100 <= weight <= 100:
                    self.error(
                        line, f"option {number}: weight {match.group(1)}% is outside -100..100"
                    )
                item = _strip(item[match.end() :])
            item, feedback = _split_at(item, _FEEDBACK_SPLIT, "#")
            left, right = _split_at(item, _PAIR_SPLIT, "=>")
            if right is not None and kind != "matching":
                self.error(
                    line,
                    f"option {number}: 'left => right' pairs are for matching questions only "
                    "(write '=\\>' for a literal '=>')",
                )
            elif right is None and kind == "matching":
                self.error(
                    line, f"option {number} '{_short(_unescape(left))}' needs 'left => right'"
                )
            choices.append(
                ChoiceDraft(
                    text=_unescape(_strip(left)),
                    correct=correct,
                    match=None if right is None else _unescape(_strip(right)),
                    weight=weight,
                    feedback=None if feedback is None else _unescape(_strip(feedback)),
                )
            )
        if len(self.reader.errors.items) > before:
            return None
        if kind == "ordering":
            return tuple(_with_correct(c, True) for c in choices)
        if not starred:
            default = _default_correct(kind, choices)
            return tuple(_with_correct(c, d) for c, d in zip(choices, default, strict=True))
        return tuple(choices)

    def _check_kind(
        self,
        kind: str,
        prompt: str,
        prompt_line: int,
        answer: str,
        answer_line: int,
        choices: tuple[ChoiceDraft, ...],
        choices_line: int,
    ) -> tuple[str, dict[str, str]] | None:
        """Check the kind-specific rules; return (answer, extra) or None."""
        correct = [c for c in choices if c.correct]
        derived: str | None = None
        if kind == "single_choice":
            if len(choices) < 2:
                self.error(
                    choices_line, f"single_choice needs at least 2 options, got {len(choices)}"
                )
            full = [
                c.text for c, v in zip(choices, credits(kind, choices), strict=True) if is_full(v)
            ]
            if not full:
                self.error(
                    choices_line,
                    "single_choice needs an option with full credit: mark it with '*' "
                    "(without a weight, or 100%:)",
                )
            else:
                derived = full[0]
                if answer and answer not in full:
                    self.error(
                        answer_line,
                        f"answer '{_short(answer)}' is not an option with full credit "
                        f"('{_short(derived)}')",
                    )
        elif kind == "multiple_choice":
            if len(choices) < 2:
                self.error(
                    choices_line, f"multiple_choice needs at least 2 options, got {len(choices)}"
                )
            if not correct:
                self.error(
                    choices_line,
                    "multiple_choice needs at least one correct option ('*' or a weight above 0)",
                )
            derived = PAIR_SEPARATOR.join(c.text for c in correct)
        elif kind == "ordering":
            if len(choices) < 3:
                self.error(
                    choices_line,
                    f"ordering needs at least 3 items in the right order, got {len(choices)}",
                )
            derived = ORDER_SEPARATOR.join(c.text for c in choices)
        elif kind == "matching":
            pairs = [c for c in correct if c.match is not None]
            if len(pairs) < 2:
                self.error(
                    choices_line,
                    f"matching needs at least 2 pairs 'left => right', got {len(pairs)}",
                )
            derived = PAIR_SEPARATOR.join(f"{c.text}{ORDER_SEPARATOR}{c.match}" for c in pairs)
        elif kind == "true_false" and choices:
            self.error(choices_line, "true_false takes no choices")

        if not answer.strip():
            if derived is None:
                if kind not in _DERIVED_ANSWER_KINDS:  # else the choices error says it all
                    self.error(answer_line, "missing answer")
                return None
            return derived, {}
        if kind == "true_false":
            value = answer.strip().casefold()
            if value not in TRUE_FALSE_ANSWERS:
                self.error(answer_line, "true_false answer must be 'wahr' or 'falsch'")
            return value, {}
        if kind == "cloze" and GAP not in prompt:
            self.error(prompt_line, f"cloze prompt needs the gap '{GAP}'")
        if kind == "date" and parse_german_date(answer) is None:
            self.error(
                answer_line,
                f"date answer '{_short(answer)}' is not a German date "
                "(e.g. '5. September 1905', '05.09.1905', 'September 1905', '1905')",
            )
        if kind == "numerical":
            return self._numerical(answer, answer_line)
        return answer, {}

    def _numerical(self, answer: str, line: int) -> tuple[str, dict[str, str]] | None:
        if match := _NUMBER_ANSWER.fullmatch(answer):
            value = _normal_number(match["value"])
            if match["low"] is None:
                return value, {}
            if match["high"] is None:
                tolerance = _normal_number(match["low"])
                if Decimal(tolerance) < 0:
                    self.error(line, f"numerical tolerance '{tolerance}' is negative")
                return value, {"tolerance": tolerance}
            return self._range(value, match["low"], match["high"], line)
        if match := _RANGE_ANSWER.fullmatch(answer):
            low, high = _normal_number(match["low"]), _normal_number(match["high"])
            return self._range(_midpoint(low, high), low, high, line)
        self.error(
            line,
            f"numerical answer '{_short(answer)}' is not a number "
            "(e.g. '1905', '3,5', '1905:2' or '1900..1910')",
        )
        return None

    def _range(self, value: str, low: str, high: str, line: int) -> tuple[str, dict[str, str]]:
        low, high = _normal_number(low), _normal_number(high)
        if Decimal(low) > Decimal(high):
            self.error(line, f"numerical range {low}..{high} is empty")
        return value, {"min": low, "max": high}


def _with_correct(choice: ChoiceDraft, correct: bool) -> ChoiceDraft:
    if choice.correct == correct:
        return choice
    return ChoiceDraft(
        text=choice.text,
        correct=correct,
        match=choice.match,
        weight=choice.weight,
        feedback=choice.feedback,
    )
