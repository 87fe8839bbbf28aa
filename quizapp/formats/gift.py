"""Moodle GIFT import and export: plain Python, no Flask, no database.

GIFT is the text format of Moodle's question bank (Moodle docs, "GIFT format"; the reference is
``question/format/gift/format.php``). This module follows Moodle's reader closely:

* Questions are separated by blank lines; lines are trimmed; lines starting with ``//`` are
  comments. ``$CATEGORY: $course$/top/Name`` switches the category of the questions that follow
  (``//`` inside a category name is a literal slash, as in Moodle).
* ``::name::`` names a question; ``[html]``, ``[moodle]``, ``[plain]``, ``[markdown]`` in front
  of a text gives its format (the text is kept as written; HTML is sanitised when it is shown,
  see quizapp.richtext). An answer or feedback without a tag has the question's format.
* Comment lines of a question hold Moodle's ``[id:…]`` (ID number, the first counts; ``\\]``
  is a literal ``]``) and ``[tag:…]`` (any number), as in ``// [id:q7] [tag:Krieg]``.
* The answer block ``{...}``: ``####`` starts the general feedback (the last one counts),
  ``#`` the feedback of one answer, ``%50%`` a weight. Text after the block makes a "missing
  word" question. ``\\~ \\= \\# \\{ \\} \\: \\\\`` are literal characters and ``\\n`` a new line;
  any other backslash is kept as it is.
* Kinds, in Moodle's order of detection (the first that fits wins):

  ============================  =================  ========================================
  answer block                  Moodle type        ``QuestionDraft.kind``
  ============================  =================  ========================================
  ``{}``, no block at all       essay/description  skipped with a warning (Moodle imports it)
  ``{#1905}`` ``{#1905:2}``     numerical          ``numerical``
  ``{#1900..1910}``
  contains ``~``, has ``=``     multichoice        ``single_choice``
  contains ``~``, no ``=``      multichoice multi  ``multiple_choice`` (correct = weight > 0)
  ``=`` and ``->``              match              ``matching``
  ``T TRUE F FALSE`` (#fb)      truefalse          ``true_false``, answer "wahr"/"falsch"
  anything else (``=a =b``)     shortanswer        ``typed``: answer = first, accepted = rest
  ============================  =================  ========================================

  A missing-word question (text after the block) with short-answer or choice answers becomes a
  ``cloze`` whose prompt holds the gap ``___``; other kinds keep their kind and get the gap.

Mapping details (import):

* Weights are the credit of an answer (``quizapp.credit``, Moodle's grade in per cent):
  ``%0%`` and no weight mean the same and are stored as ``weight=None``. In choice questions
  ``=`` is full credit (``weight=None``, ``correct``), ``~`` none, ``~%w%`` gives ``w`` per cent
  and is ``correct`` iff ``w > 0``; every ``=`` answer of a question gives full credit; like
  Moodle, ``=%50%x`` in a choice question is the text ``%50%x``. Short and numerical answers
  without a weight, or with 100 %, get full credit.
* Short answers (``typed``, typed ``cloze``, ``date``): the first full-credit answer is the
  answer, further full-credit answers without feedback are ``accepted``. If any answer has
  another weight (partial credit, 0 % "wrong answers") or feedback, ``choices`` holds the first
  full-credit answer and every answer with feedback or another weight, in file order; the
  quiz tries them in that order, as Moodle does (``quizapp.grading.grade_answers``).
* Numerical: ``answer`` is the number as written (the midpoint of a range), ``extra`` holds
  ``tolerance`` or ``min``/``max``. With several answers, weights or feedback, ``choices`` holds
  every answer (text ``"1905:2"``, ``"1900..1910"``, ``"*"`` for the ``~#feedback`` catch-all),
  each with its credit; the first containing the learner's number counts.
* True/false: answer "wahr"/"falsch"; ``{TRUE#a#b}`` puts ``a`` (shown after a wrong answer)
  in ``extra["feedback_wrong"]`` and ``b`` in ``extra["feedback_right"]``.
* ``multiple_choice`` answer: the right options joined by ``"; "``; matching answer:
  ``"left → right; ..."``. A matching entry ``= -> x`` (no left side) is an extra wrong
  right-hand answer: ``ChoiceDraft(text="", match="x", correct=False)``.
* Every question: ``origin="teacher"``, ``status="draft"``, ``document=""``, topic from the last
  segment of the current ``$CATEGORY`` (a known topic's German name maps to its slug, anything
  else is slugified with a warning when it is not a known topic; no category: "allgemein").
  ``id``: the name itself if it already is a bank id (lower-case words of [a-z0-9] joined by
  "-", e.g. ``t-<12 hex>``, ``g-…``, ``portsmouth-datum``; so exporting and importing again
  keeps ids), else ``"t-"`` + 12 hex digits of SHA-256 over the name, or over
  prompt and answer for unnamed questions; a ``// quizapp: … id=<id>`` comment (quizapp's
  export) gives the id itself. ``name``, ``idnumber``, ``tags`` (sorted, without repeats),
  ``text_format`` and ``explanation_format`` (where it differs) are kept; an answer's own
  format is ``ChoiceDraft.text_format`` / ``feedback_format``. ``extra`` has ``gift_name``,
  ``category``, ``format`` and ``defined_at`` (``source:line``).
* Repeats (quizapp.formats.common): a question with the id of an earlier one is left out
  when it is the same question, else it gets an id of its own; both with a warning.

quizapp extension: a comment line ``// quizapp: kind=<kind> id=<id>`` inside a question's
paragraph names the question's id and the quizapp kind where GIFT has none. Moodle ignores it
(it is a comment). The kind is honoured only where it fits what was read: ``typed`` ->
``cloze``/``date``; ``single_choice`` or ``multiple_choice`` -> ``cloze``; ``matching``
whose right sides are exactly ``1.``, ``2.``, ... -> ``ordering``. Anything else gets a
warning and the kind GIFT implies.

Export decisions (``dump_gift``):

* Ordering has no GIFT type. It is written as a *matching* question, item -> position
  (``=Portsmouth -> 1.``), which Moodle grades sensibly, plus the kind marker, so that
  re-importing gives the ordering back. Without the marker it imports as matching.
* Date is written as a *short answer*: ``choices`` in their order, the right date as
  ``=<date text>`` and the wrong ones as ``=%0%<date>`` (Moodle scores them 0; this way the wrong
  dates and their order survive a round trip), then the accepted variants as further ``=``
  answers. Without choices: ``{=<date text> =<accepted> ...}``. Not as numerical: "5. September
  1905" is no number, and a numerical year would lose the precision the date asks for. Moodle
  compares short answers literally: "05.09.1905" is only right there if it is an accepted answer.
* Cloze is written as Moodle's missing-word form, the block in place of the first ``___``; with
  wrong options and no accepted variants as choice answers (``{=Portsmouth ~Paris}``), else as
  short answers. A gap at the very end (Moodle would not see a missing word) keeps ``___`` in the
  text and puts the block after it.
* Every question gets a comment with its ID number and tags (as Moodle writes them), the
  marker with its kind and id, its ``::name::`` if it has one (else Moodle names it from
  its text, as for its own unnamed questions), ``$CATEGORY`` lines when the topic changes
  (known topics by their German name), ``[format]`` from ``text_format``; an answer or
  feedback in another format than the question gets its own tag.
* Credit: a multiple-choice option is written with its credit (``~%50%``, ``~%-50%``, the
  defaults of ``quizapp.credit`` spelt out), a single-choice option with full credit as
  ``=``, one with partial credit or a penalty as ``~%w%``. A numerical question whose own
  answer is not among its further answers gets it written first.

Limitations: texts are trimmed at both ends (Moodle does the same) and CR becomes LF. ``->``
cannot be escaped in GIFT: a matching left side containing ``->`` cannot be written, and a
short answer containing ``->`` only when it is the only answer (written without ``=``); dump
warns. ``accepted`` of single/multiple choice questions (the generator fills it for typed
practice) has no place in GIFT and is not exported; dump warns. Weights of 0 % come back as
``None``. Formats of short and numerical answers (plain text in Moodle) are not kept.
Input is read in linear time; beyond ``MAX_ERRORS`` errors, ``MAX_QUESTIONS`` questions or
``MAX_ANSWERS`` answers per question reading stops with an error.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from quizapp.bank.topics import FALLBACK, all_topics
from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.credit import credits
from quizapp.formats.common import Repeat, Skipped, label_of, normal_tags, settle_repeats

# The bank's conventions, as in quizapp.bank.curated (not imported: that pulls in the YAML loader).
GAP = "___"  # the gap of a cloze prompt
ORDER_SEPARATOR = " → "  # ordering answers; also between the sides of a matching pair
PAIR_SEPARATOR = "; "  # between matching pairs (and, here, right multiple-choice options)

#: Every kind parse_gift returns and dump_gift writes.
GIFT_KINDS: tuple[str, ...] = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "typed",
    "cloze",
    "date",
    "numerical",
    "matching",
    "ordering",
)
FORMATS: tuple[str, ...] = ("moodle", "html", "plain", "markdown")
DEFAULT_FORMAT = "moodle"
MAX_ERRORS = 100
MAX_WARNINGS = 100
MAX_QUESTIONS = 10_000
MAX_ANSWERS = 1_000
CATEGORY_PREFIX = "$course$/top/"

_WS = " \t\n\r\x00\x0b"  # what PHP's trim() removes, so what Moodle trims
_ESC = r"\\[\\~=#{}:n]"  # one escape sequence; scanners consume it so its char is not special
_UNESCAPE = re.compile(r"\\([\\~=#{}:n])")
_TO_ESCAPE = re.compile(r"[\\~=#{}:\n]")
_BRACES = re.compile(_ESC + r"|[{}]")
_NAME_END = re.compile(_ESC + r"|::")
_HASH_RUN = re.compile(_ESC + r"|#+")
_HASH = re.compile(_ESC + r"|#")
_TILDE = re.compile(_ESC + r"|~")
_EQUALS = re.compile(_ESC + r"|=")
_CHOICE_MARK = re.compile(_ESC + r"|[~=]")
_FORMAT_TAG = re.compile(r"\[(moodle|html|plain|markdown)\]")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
_MARKER = re.compile(r"//\s*quizapp:((?:\s+\w+=\S*)+)\s*")
_MARKER_FIELD = re.compile(r"(\w+)=(\S*)")
# Moodle's [id:...] and [tag:...] in a question's comment lines (qformat_default's
# extract_idnumber_and_tags_from_comment): any character but brackets and control
# characters, "\]" for a literal "]"; tags exclude < and > too.
_IDNUMBER = re.compile(r"\[id:((?:\\\]|[^\[\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")
_CATEGORY_SPLIT = re.compile(r"(?<!/)/(?!/)")
_CONTEXT = re.compile(r"\$\w+\$")
#: A name that already is a bank id (curated "portsmouth-datum", generated "g-…", teacher
#: "t-…") is kept as the id, so a bank exported to GIFT and imported again matches itself.
_BANK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: The one id rule of the bank (quizapp.teach.editing.ID_PATTERN; not imported: Flask-free).
_QUESTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_TF_VALUES = {"T": "wahr", "TRUE": "wahr", "F": "falsch", "FALSE": "falsch"}
_POSITION = re.compile(r"(\d+)\.")
_WORD = re.compile(r"\w")
_MAX_NUMBER_LENGTH = 100
_QUOTE_LENGTH = 40

#: Which quizapp kinds a ``// quizapp: kind=`` marker may turn a GIFT reading into.
_MARKER_FITS: dict[str, tuple[str, ...]] = {
    "typed": ("cloze", "date"),
    "single_choice": ("cloze",),
    "multiple_choice": ("cloze",),
    "matching": ("ordering",),
}


class GiftError(ValueError):
    """The GIFT text is invalid; ``errors`` lists every problem as ``source:line: message``."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        summary = f"{count} error{'s' if count != 1 else ''} in the GIFT file"
        super().__init__(summary + ":\n" + "\n".join(self.errors))


@dataclass(frozen=True)
class GiftResult:
    """The questions read from a GIFT file, and what was read with some doubt.

    ``skipped``: questions of kinds quizapp has no counterpart for (essay, description);
    ``repeats``: questions whose id an earlier one has (left out, or given their own id).
    """

    questions: list[QuestionDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)


# --------------------------------------------------------------------------- public API


def parse_gift(text: str, source: str = "<gift>") -> GiftResult:
    """Read GIFT text into teacher drafts; raise GiftError listing every problem if any.

    ``source`` names the input in messages (``source:line: message``). Nothing is returned
    unless the whole text is valid.
    """
    reader = _Reader(source)
    reader.read(text)
    if reader.errors:
        raise GiftError(reader.errors)
    questions, repeats = settle_repeats(
        reader.questions,
        lambda q: q.extra["defined_at"],
        lambda where, message: reader.warnings.append(f"{where}: {message}"),
    )
    return GiftResult(
        questions=questions, warnings=reader.warnings, skipped=reader.skipped, repeats=repeats
    )


def parse_gift_chunks(chunks: Sequence[tuple[str, str]], source: str) -> GiftResult:
    """Read questions another format was turned into, each chunk GIFT text with its place.

    Messages and ``defined_at`` name each chunk's place (e.g. "file.xml:item 3") instead of
    a line of the made-up text, so the Aiken and Moodle XML readers share GIFT's mapping.
    """
    places: list[tuple[int, str]] = []
    parts: list[str] = []
    line = 1
    for place, text in chunks:
        places.append((line, place))
        parts.append(text)
        line += text.count("\n") + 2  # the chunk and the blank line after it
    reader = _Reader(source, places)
    reader.read("\n\n".join(parts))
    if reader.errors:
        raise GiftError(reader.errors)
    questions, repeats = settle_repeats(
        reader.questions,
        lambda q: q.extra["defined_at"],
        lambda where, message: reader.warnings.append(f"{where}: {message}"),
    )
    return GiftResult(questions, reader.warnings, reader.skipped, repeats)


def escape_text(text: str, fmt: str | None = None) -> str:
    """Write a text for a GIFT answer block: escaped, with a ``[format]`` tag if given."""
    return (f"[{fmt}]" if fmt in FORMATS else "") + _escape(text)


def escape_name(text: str) -> str:
    """Write a text for a GIFT name, a comment's [id:] or [tag:] (no line breaks)."""
    return _escape(" ".join(text.split()))


def dump_gift(questions: Sequence[QuestionDraft], *, warnings: list[str] | None = None) -> str:
    """Write questions as GIFT text that Moodle imports and parse_gift reads back.

    Questions that cannot be written (unknown kind, weight outside -100..100, a numerical
    answer that is no number) are skipped; the reason is appended to ``warnings`` if given,
    as are notes on questions written with a loss.
    """
    notes: list[str] = [] if warnings is None else warnings
    chunks = [
        "// Exportiert aus quizapp. Die Zeilen \u201e// quizapp: kind=\u2026 id=\u2026\u201c "
        "stellen beim Re-Import in quizapp Fragetyp und Kennung wieder her; Moodle ignoriert "
        "sie.\n"
    ]
    category: str | None = None
    for question in questions:
        body = _write_question(question, notes)
        if body is None:
            continue
        path = _category_path(question.topic)
        if path != category:
            chunks.append(f"$CATEGORY: {path}\n")
            category = path
        chunks.append(body)
    return "\n".join(chunks)


# --------------------------------------------------------------------------- text helpers


def _unescape(raw: str) -> str:
    return _UNESCAPE.sub(lambda m: "\n" if m[1] == "n" else m[1], raw)


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TO_ESCAPE.sub(lambda m: "\\n" if m[0] == "\n" else "\\" + m[0], text)


def _separators(raw: str, pattern: re.Pattern[str], start: int = 0) -> Iterator[re.Match[str]]:
    """Yield the unescaped matches of ``pattern`` (whose first branch is ``_ESC``)."""
    for match in pattern.finditer(raw, start):
        if match[0][0] != "\\":
            yield match


def _find(raw: str, pattern: re.Pattern[str], start: int = 0) -> int:
    return next((m.start() for m in _separators(raw, pattern, start)), -1)


def _split(
    raw: str, pattern: re.Pattern[str], maxsplit: int = -1
) -> Iterator[tuple[str, str, int]]:
    """Yield (separator before the piece, raw piece, offset of the piece); "" for the first."""
    separator, start = "", 0
    for count, match in enumerate(_separators(raw, pattern)):
        if count == maxsplit:
            break
        yield separator, raw[start : match.start()], start
        separator, start = match[0], match.end()
    yield separator, raw[start:], start


def _last_general_feedback(raw: str) -> int:
    """Return where the last unescaped ``####`` starts (as PHP's strrpos would find it)."""
    last = -1
    for match in _separators(raw, _HASH_RUN):
        if match.end() - match.start() >= 4:
            last = match.end() - 4
    return last


def _rich_text(raw: str, default_format: str) -> tuple[str, str]:
    """Trim, take a leading ``[format]`` tag off, unescape: (text, format)."""
    raw = raw.strip(_WS)
    fmt = default_format
    if tag := _FORMAT_TAG.match(raw):
        fmt = tag[1]
        raw = raw[tag.end() :].strip(_WS)
    return _unescape(raw), fmt


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LENGTH else text[: _QUOTE_LENGTH - 1] + "\u2026"


def _number_text(value: float | Decimal) -> str:
    """Write a number without exponent and without trailing zeros: 50.0 -> "50"."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _slugify(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(umlaut, spelled)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@functools.cache
def _known_topics() -> tuple[dict[str, str], dict[str, str]]:
    """Return ({slug or slugified German name: slug}, {slug: German name})."""
    by_key: dict[str, str] = {}
    names: dict[str, str] = {}
    for slug, name in all_topics():
        by_key[slug] = slug
        by_key[_slugify(name)] = slug
        names[slug] = name
    return by_key, names


def _content_id(name: str | None, prompt: str, answer: str) -> str:
    if name and len(name) <= 64 and _BANK_ID.fullmatch(name):
        return name
    key = name if name else f"{prompt}\x1f{answer}"
    return "t-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _answer_of(choices: Sequence[ChoiceDraft]) -> str:
    """The answer of a choice question: the first '=' option, else the first right one."""
    marked = [c for c in choices if c.correct and c.weight is None]
    right = marked or [c for c in choices if c.correct]
    return right[0].text if right else ""


# --------------------------------------------------------------------------- import


@dataclass
class _Entry:
    """One answer of an answer block, unescaped."""

    text: str
    weight: float | None  # the %weight% as written
    feedback: str | None
    separator: str  # "=", "~" or "" (the first answer, written without either)
    text_format: str | None = None  # a [format] of its own (None: the question's)
    feedback_format: str | None = None

    @property
    def full_credit(self) -> bool:
        return self.weight is None or self.weight == 100

    def choice(self, correct: bool) -> ChoiceDraft:
        weight = None if self.weight == 0 else self.weight
        return ChoiceDraft(
            text=self.text,
            correct=correct,
            weight=weight,
            feedback=self.feedback,
            text_format=self.text_format,
            feedback_format=self.feedback_format if self.feedback else None,
        )


@dataclass
class _Parsed:
    kind: str
    answer: str
    accepted: tuple[str, ...] = ()
    choices: tuple[ChoiceDraft, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


class _Reader:
    """Reads a whole GIFT text; collects questions, errors and warnings."""

    def __init__(self, source: str, places: Sequence[tuple[int, str]] = ()) -> None:
        self.source = source
        # (first line, place) of each chunk when the text was made from another format
        self.places = list(places)
        self.starts = [start for start, _ in self.places]
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.questions: list[QuestionDraft] = []
        self.skipped: list[Skipped] = []
        self.category = ""
        self.topic_name = ""  # the last segment of the category: the name of a new topic
        self.topic = FALLBACK
        self.stopped = False
        self.known_topics, _ = _known_topics()

    def place(self, line: int) -> str:
        """Name a line of the text as messages do: "source:line", or the chunk's place."""
        if not self.places:
            return f"{self.source}:{line}"
        return self.places[max(bisect_right(self.starts, line) - 1, 0)][1]

    def error(self, line: int, message: str) -> None:
        if self.stopped:
            return
        self.errors.append(f"{self.place(line)}: {message}")
        if len(self.errors) >= MAX_ERRORS:
            self.errors.append(f"{self.place(line)}: too many errors, stopped reading here")
            self.stopped = True

    def warn(self, line: int, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(f"{self.place(line)}: {message}")
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append(f"{self.place(line)}: further warnings left out")

    def read(self, text: str) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        lines: list[tuple[int, str]] = []
        comments: list[tuple[int, str]] = []
        for number, line in enumerate(text.split("\n"), start=1):
            if self.stopped:
                return
            line = line.strip(_WS)
            if not line:
                if lines:
                    self.paragraph(lines, comments)
                lines, comments = [], []
            elif line.startswith("//"):
                comments.append((number, line))
            else:
                lines.append((number, line))
        if lines and not self.stopped:
            self.paragraph(lines, comments)

    def paragraph(self, lines: list[tuple[int, str]], comments: list[tuple[int, str]]) -> None:
        number, first = lines[0]
        if first.startswith("$CATEGORY:"):
            self.switch_category(number, first[len("$CATEGORY:") :].strip(_WS))
            lines = lines[1:]
            if not lines:
                return
        if len(self.questions) >= MAX_QUESTIONS:
            self.error(lines[0][0], f"more than {MAX_QUESTIONS} questions; split the file")
            self.stopped = True
            return
        question = _QuestionReader(self, lines, _Comments.read(self, comments)).read()
        if question is not None:
            self.questions.append(question)

    def skip(self, line: int, name: str, kind: str) -> None:
        """Note a question of a kind quizapp cannot take (Moodle would import it)."""
        self.skipped.append(Skipped(self.place(line), name, kind))
        self.warn(line, f"{kind} question '{name}' skipped: quizapp has no such question kind")

    def switch_category(self, line: int, path: str) -> None:
        if not path:
            self.error(line, "$CATEGORY: without a category path")
            return
        segments = [s.replace("//", "/").strip() for s in _CATEGORY_SPLIT.split(path)]
        if segments and _CONTEXT.fullmatch(segments[0]):
            segments = segments[1:]
            if segments and segments[0] == "top":
                segments = segments[1:]
        segments = [s for s in segments if s]
        self.category = path
        self.topic_name = segments[-1] if segments else ""
        if not segments:
            self.topic = FALLBACK
            return
        slug = _slugify(segments[-1])
        if slug in self.known_topics:
            self.topic = self.known_topics[slug]
            return
        self.topic = slug or FALLBACK
        self.warn(
            line,
            f"category '{_quote(segments[-1])}' is not a known topic; "
            f"its questions get the topic '{self.topic}'",
        )


@dataclass(frozen=True)
class _Comments:
    """What the comment lines of a question say: Moodle's [id:] and [tag:], quizapp's marker."""

    kind: tuple[int, str] | None = None  # (line, kind) of "// quizapp: kind=..."
    question_id: str | None = None  # "// quizapp: ... id=..." (a quizapp export)
    idnumber: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def read(cls, reader: _Reader, comments: list[tuple[int, str]]) -> _Comments:
        kind: tuple[int, str] | None = None
        question_id: str | None = None
        idnumber = ""
        tags: list[str] = []
        for number, line in comments:
            if found := _MARKER.fullmatch(line):
                fields = dict(_MARKER_FIELD.findall(found[1]))
                if "kind" in fields:
                    kind = (number, fields["kind"])
                wanted = fields.get("id")
                if wanted is not None:
                    if _QUESTION_ID.fullmatch(wanted):
                        question_id = wanted
                    else:
                        reader.warn(number, f"'id={_quote(wanted)}' is no quizapp id; ignored")
                continue
            # Like Moodle: the first [id:] of the question's comments, every [tag:].
            if not idnumber and (found := _IDNUMBER.search(line)):
                idnumber = found[1].replace("\\]", "]").strip()
            tags += [tag.replace("\\]", "]").strip() for tag in _TAG.findall(line)]
        return cls(kind, question_id, idnumber, normal_tags(tags))


class _QuestionReader:
    """Reads one question paragraph (comment lines already removed)."""

    def __init__(self, reader: _Reader, lines: list[tuple[int, str]], comments: _Comments) -> None:
        self.reader = reader
        self.line = lines[0][0]
        self.raw = "\n".join(text for _, text in lines)
        self.numbers = [number for number, _ in lines]
        self.offsets: list[int] = []
        offset = 0
        for _, text in lines:
            self.offsets.append(offset)
            offset += len(text) + 1
        self.comments = comments
        self.marker = comments.kind
        self.failed = False

    # ----------------------------------------------------------------- reporting

    def error(self, message: str, at: int | None = None) -> None:
        self.failed = True
        line = self.line if at is None else self.numbers[bisect_right(self.offsets, at) - 1]
        self.reader.error(line, message)

    def warn(self, message: str) -> None:
        self.reader.warn(self.line, message)

    # ----------------------------------------------------------------- structure

    def read(self) -> QuestionDraft | None:
        raw = self.raw
        name: str | None = None
        start = 0
        if raw.startswith("::"):
            end = _find(raw, _NAME_END, 2)
            if end < 0:
                self.error("question name opened with '::' is never closed with '::'")
                return None
            name = _unescape(raw[2:end].strip(_WS)) or None
            start = end + 2

        if self.description(raw[start:], name):
            return None
        block = self.answer_block(start)
        if block is None:
            return None
        open_at, close_at = block
        before, inner, after = raw[start:open_at], raw[open_at + 1 : close_at], raw[close_at + 1 :]
        missing_word = bool(after.strip(_WS))

        feedback_raw = ""
        separator = _last_general_feedback(inner)
        if separator >= 0:
            inner, feedback_raw = inner[:separator], inner[separator + 4 :]

        prompt, fmt = _rich_text(before + GAP + after if missing_word else before, DEFAULT_FORMAT)
        explanation, explanation_format = _rich_text(feedback_raw, fmt)
        if not inner.strip(_WS):
            # Moodle reads an empty block ({} or only general feedback) as an essay.
            self.reader.skip(self.line, label_of(name or "", prompt), "essay")
            return None
        if not prompt:
            self.error("the question text is empty")
        parsed = self.answers(inner.strip(_WS), fmt)
        if parsed is None or self.failed:
            return None
        parsed = self.apply_marker(parsed, missing_word)
        if parsed is None:
            return None
        if missing_word and parsed.kind != "cloze" and not _WORD.search(_unescape(after)):
            # "Pi? {#3.1415:0.0005}." Only punctuation follows a block that is no gap in
            # quizapp (a number, true/false, matching): the text ends there, without "___".
            prompt, _ = _rich_text(before, DEFAULT_FORMAT)
            tail = after.strip(_WS)
            if not prompt.endswith((".", "?", "!", ":")):
                prompt += _unescape(tail)

        extra = {
            "gift_name": name or "",
            "category": self.reader.category,
            "topic_name": self.reader.topic_name,
            "format": fmt,
            "defined_at": self.reader.place(self.line),
            **parsed.extra,
        }
        question_id = self.comments.question_id or _content_id(name, prompt, parsed.answer)
        return QuestionDraft(
            id=question_id,
            kind=parsed.kind,
            prompt=prompt,
            answer=parsed.answer,
            explanation=explanation,
            topic=self.reader.topic,
            document="",
            origin="teacher",
            accepted=parsed.accepted,
            choices=parsed.choices,
            status="draft",
            name=name or "",
            idnumber=self.comments.idnumber,
            tags=self.comments.tags,
            text_format=fmt,
            explanation_format=explanation_format
            if explanation and explanation_format != fmt
            else None,
            extra=extra,
        )

    def description(self, raw: str, name: str | None) -> bool:
        """Skip a text without any brace, which Moodle imports as a description."""
        if _find(raw, _BRACES) >= 0:
            return False
        text, _ = _rich_text(raw, DEFAULT_FORMAT)
        self.reader.skip(self.line, label_of(name or "", text), "description")
        return True

    def answer_block(self, start: int) -> tuple[int, int] | None:
        """Find the one ``{...}`` of the question; report brace errors at the brace's line."""
        open_at = close_at = -1
        for match in _separators(self.raw, _BRACES, start):
            brace, at = match[0], match.start()
            if open_at < 0:
                if brace == "}":
                    self.error("'}' without '{' before it (write \\} for a literal brace)", at)
                    return None
                open_at = at
            elif close_at < 0:
                if brace == "{":
                    self.error("'{' inside the answer block (write \\{ for a literal brace)", at)
                    return None
                close_at = at
            else:
                self.error(
                    f"'{brace}' after the answer block: a question has one answer block "
                    f"(write \\{brace} for a literal brace)",
                    at,
                )
                return None
        if open_at < 0:  # only a '}' before: reported above
            return None
        if close_at < 0:
            self.error("'{' is never closed with '}'", open_at)
            return None
        return open_at, close_at

    def answers(self, raw: str, fmt: str) -> _Parsed | None:
        """Tell the kind from the answer block, as Moodle does, and read it."""
        if raw[0] == "#":
            return self.numerical(raw[1:], fmt)
        if _find(raw, _TILDE) >= 0:
            return self.choice(raw, fmt)
        if "->" in raw and _find(raw, _EQUALS) >= 0:
            return self.matching(raw, fmt)
        hash_at = _find(raw, _HASH)
        head = raw[:hash_at].strip(_WS) if hash_at > 0 else raw
        if head in _TF_VALUES:
            return self.true_false(raw, fmt)
        if head.upper() in _TF_VALUES and "=" not in head:
            self.warn(
                f"'{head}' is read as a short answer; true/false needs T, TRUE, F or FALSE "
                f"in capitals"
            )
        return self.short_answer(raw, fmt)

    def entries(
        self, raw: str, pattern: re.Pattern[str], fmt: str, weights: str
    ) -> list[_Entry] | None:
        """Split answers at ``pattern``; ``weights``: "all" or "unless=" (choice questions)."""
        entries: list[_Entry] = []
        for separator, piece, _ in _split(raw, pattern):
            if self.reader.stopped:
                return None
            if not separator and not piece.strip(_WS):
                continue  # nothing before the first '=' / '~'
            if len(entries) >= MAX_ANSWERS:
                self.error(f"more than {MAX_ANSWERS} answers in one question")
                return None
            entry = self.entry(piece, separator, fmt, weights == "all" or separator != "=")
            if entry is not None:
                entries.append(entry)
        return None if self.failed else entries

    def entry(self, piece: str, separator: str, fmt: str, with_weight: bool) -> _Entry | None:
        piece = piece.strip(_WS)
        weight: float | None = None
        if with_weight and (found := _WEIGHT.match(piece)):
            if len(found[1]) > 40:
                self.error(f"weight '%{_quote(found[1])}%' is too long")
                return None
            weight = float(found[1])
            if not -100 <= weight <= 100:
                self.error(f"weight {found[1]}% is outside -100..100")
                return None
            piece = piece[found.end() :]
        parts = list(_split(piece, _HASH, 1))
        text, text_format = _rich_text(parts[0][1], fmt)
        feedback, feedback_format = _rich_text(parts[1][1], fmt) if len(parts) > 1 else ("", fmt)
        if not text:
            shown = (separator + piece).strip(_WS) or separator or "(nothing)"
            self.error(f"empty answer '{_quote(shown)}'")
            return None
        return _Entry(
            text,
            weight,
            feedback or None,
            separator,
            text_format=text_format if text_format != fmt else None,
            feedback_format=feedback_format if feedback_format != fmt else None,
        )

    # ----------------------------------------------------------------- kinds

    def choice(self, raw: str, fmt: str) -> _Parsed | None:
        entries = self.entries(raw, _CHOICE_MARK, fmt, "unless=")
        if entries is None:
            return None
        if len(entries) < 2:
            self.error("a choice question needs at least two answers")
            return None
        for entry in entries:
            if not entry.separator:
                self.warn(
                    f"answer '{_quote(entry.text)}' has neither '=' nor '~'; read as a wrong "
                    f"answer, as Moodle does"
                )
        choices = tuple(e.choice(e.separator == "=" or (e.weight or 0) > 0) for e in entries)
        if any(e.separator == "=" for e in entries):
            # Every '=' answer, and every '~%100%' one, gives full credit; '~%50%' half.
            return _Parsed("single_choice", _answer_of(choices), choices=choices)
        right = [c for c in choices if c.correct]
        if not right:
            self.error(
                "no right answer: mark one with '=' or give right answers a positive %weight%"
            )
            return None
        total = sum(c.weight or 0 for c in right)
        if abs(total - 100) > 0.01:
            self.warn(f"the positive weights add up to {_number_text(total)}%, not 100%")
        answer = PAIR_SEPARATOR.join(c.text for c in right)
        return _Parsed("multiple_choice", answer, choices=choices)

    def short_answer(self, raw: str, fmt: str) -> _Parsed | None:
        entries = self.entries(raw, _EQUALS, fmt, "all")
        if entries is None:
            return None
        full = [e for e in entries if e.full_credit]
        if not full:
            self.error("no answer with full credit (no weight, or 100%)")
            return None
        first = full[0]
        choices: tuple[ChoiceDraft, ...] = ()
        if any(e.feedback or not e.full_credit for e in entries):
            # The answers with their own credit or feedback, and the first full one, in the
            # file's order (the first that matches counts, as in Moodle); further full-credit
            # answers without feedback are ``accepted``.
            choices = tuple(
                e.choice(e.full_credit or (e.weight or 0) > 0)
                for e in entries
                if e is first or e.feedback or not e.full_credit
            )
        accepted = tuple(e.text for e in full[1:] if not (choices and e.feedback))
        return _Parsed("typed", first.text, accepted=accepted, choices=choices)

    def true_false(self, raw: str, fmt: str) -> _Parsed:
        parts = [piece for _, piece, _ in _split(raw, _HASH, 2)]
        answer = _TF_VALUES[parts[0].strip(_WS)]
        extra: dict[str, str] = {}
        for key, piece in zip(("feedback_wrong", "feedback_right"), parts[1:], strict=False):
            text, text_format = _rich_text(piece, fmt)
            if text:
                extra[key] = text
                if text_format != fmt:
                    extra[key + "_format"] = text_format
        return _Parsed("true_false", answer, extra=extra)

    def matching(self, raw: str, fmt: str) -> _Parsed | None:
        choices: list[ChoiceDraft] = []
        for separator, piece, _ in _split(raw, _EQUALS):
            if self.reader.stopped:
                return None
            if not separator and not piece.strip(_WS):
                continue
            if len(choices) >= MAX_ANSWERS:
                self.error(f"more than {MAX_ANSWERS} answers in one question")
                return None
            arrow = piece.find("->")
            if arrow < 0:
                self.error(f"matching entry '{_quote(piece)}' has no '->'")
                continue
            left, left_format = _rich_text(piece[:arrow], fmt)
            right = _unescape(piece[arrow + 2 :].strip(_WS))
            if not right:
                self.error(f"matching entry '{_quote(piece)}' has nothing after '->'")
                continue
            own_format = left_format if left and left_format != fmt else None
            choices.append(
                ChoiceDraft(text=left, match=right, correct=bool(left), text_format=own_format)
            )
        if self.failed:
            return None
        pairs = [c for c in choices if c.correct]
        if len(pairs) < 2:
            self.error("a matching question needs at least two pairs 'left -> right'")
            return None
        if len(pairs) < len(choices):
            self.warn("entries without a left side are kept as extra wrong right-hand answers")
        answer = PAIR_SEPARATOR.join(f"{c.text}{ORDER_SEPARATOR}{c.match}" for c in pairs)
        return _Parsed("matching", answer, choices=tuple(choices))

    def numerical(self, raw: str, fmt: str) -> _Parsed | None:
        wrong_feedback = ""
        tilde = _find(raw, _TILDE)
        if tilde >= 0:
            parts = list(_split(raw[tilde + 1 :], _HASH, 1))
            if len(parts) > 1:
                wrong_feedback = _rich_text(parts[1][1], fmt)[0]
            raw = raw[:tilde]
        entries = self.entries(raw, _EQUALS, fmt, "all")
        if entries is None:
            return None
        if not entries:
            self.error("a numerical question needs an answer, e.g. {#1905} or {#1905:2}")
            return None
        specs: list[tuple[str, str, dict[str, str]]] = []  # (text, answer, extra)
        for entry in entries:
            spec = self.numeric_spec(entry.text)
            if spec is None:
                return None
            specs.append(spec)
        primary = next(
            (
                (entry, spec)
                for entry, spec in zip(entries, specs, strict=True)
                if entry.full_credit and spec[0] != "*"
            ),
            None,
        )
        if primary is None:
            self.error("no numerical answer with full credit (no weight, or 100%)")
            return None
        _, (_, answer, extra) = primary
        choices: tuple[ChoiceDraft, ...] = ()
        if (
            len(entries) > 1
            or wrong_feedback
            or any(e.feedback or not e.full_credit for e in entries)
        ):
            choices = tuple(
                _with_text(e.choice(e.weight is None or e.weight > 0), spec[0])
                for e, spec in zip(entries, specs, strict=True)
            )
            if wrong_feedback:
                choices += (ChoiceDraft(text="*", correct=False, feedback=wrong_feedback),)
        return _Parsed("numerical", answer, choices=choices, extra=extra)

    def numeric_spec(self, text: str) -> tuple[str, str, dict[str, str]] | None:
        """Check "1905", "1905:2" or "1900..1910": (canonical text, answer, extra)."""
        if text == "*":
            return "*", "*", {}
        if len(text) > _MAX_NUMBER_LENGTH:
            self.error(f"numerical answer '{_quote(text)}' is too long")
            return None
        range_at = text.find("..")
        colon_at = text.find(":")
        if range_at > 0:
            low, high = text[:range_at].strip(), text[range_at + 2 :].strip()
            if not (_NUMBER.fullmatch(low) and _NUMBER.fullmatch(high)):
                self.error(f"numerical answer '{_quote(text)}' is not a range like 1900..1910")
                return None
            if Decimal(low) > Decimal(high):
                self.error(f"numerical range '{_quote(text)}' has its minimum above its maximum")
                return None
            middle = _number_text(((Decimal(low) + Decimal(high)) / 2).normalize())
            return f"{low}..{high}", middle, {"min": low, "max": high}
        if colon_at > 0:
            value, tolerance = text[:colon_at].strip(), text[colon_at + 1 :].strip()
            if not (_NUMBER.fullmatch(value) and _NUMBER.fullmatch(tolerance)):
                self.error(f"numerical answer '{_quote(text)}' is not a number with tolerance")
                return None
            if Decimal(tolerance) < 0:
                self.error(f"numerical answer '{_quote(text)}' has a negative tolerance")
                return None
            return f"{value}:{tolerance}", value, {"tolerance": tolerance}
        if not _NUMBER.fullmatch(text):
            self.error(f"numerical answer '{_quote(text)}' is not a number")
            return None
        return text, text, {}

    # ----------------------------------------------------------------- quizapp kinds

    def apply_marker(self, parsed: _Parsed, missing_word: bool) -> _Parsed | None:
        """Turn a missing-word question into a cloze, or follow a ``// quizapp: kind=``."""
        if missing_word and parsed.kind in ("typed", "single_choice", "multiple_choice"):
            parsed = self.as_cloze(parsed)
        if self.marker is None:
            return parsed
        _, wanted = self.marker
        if wanted == parsed.kind:
            return parsed
        if wanted not in _MARKER_FITS.get(parsed.kind, ()):
            self.warn(
                f"'// quizapp: kind={wanted}' does not fit the answers; read as {parsed.kind}"
            )
            return parsed
        if wanted == "cloze":
            return self.as_cloze(parsed)
        if wanted == "date":
            return _Parsed("date", parsed.answer, parsed.accepted, parsed.choices, parsed.extra)
        return self.as_ordering(parsed)

    def as_cloze(self, parsed: _Parsed) -> _Parsed:
        if parsed.kind == "typed":
            return _Parsed("cloze", parsed.answer, parsed.accepted, parsed.choices, parsed.extra)
        return _Parsed("cloze", _answer_of(parsed.choices), (), parsed.choices, parsed.extra)

    def as_ordering(self, parsed: _Parsed) -> _Parsed:
        positions: dict[int, str] = {}
        for choice in parsed.choices:
            found = _POSITION.fullmatch(choice.match or "")
            if not choice.correct or found is None or int(found[1]) in positions:
                break
            positions[int(found[1])] = choice.text
        if sorted(positions) != list(range(1, len(parsed.choices) + 1)):
            self.warn(
                "'// quizapp: kind=ordering' needs the right sides 1., 2., ...; read as matching"
            )
            return parsed
        items = [positions[p] for p in sorted(positions)]
        choices = tuple(ChoiceDraft(text=item, correct=True) for item in items)
        return _Parsed("ordering", ORDER_SEPARATOR.join(items), choices=choices)


def _with_text(choice: ChoiceDraft, text: str) -> ChoiceDraft:
    """Return ``choice`` with another text (ChoiceDraft is frozen)."""
    return ChoiceDraft(
        text=text,
        correct=choice.correct,
        match=choice.match,
        weight=choice.weight,
        feedback=choice.feedback,
    )


# --------------------------------------------------------------------------- export


def _is_plain_spec(text: str) -> bool:
    """Is ``text`` a numerical answer that needs no escaping: 1905, 1905:2, 1900..1910, *?"""
    parts = re.split(r"\.\.|:", text, maxsplit=1)
    return text == "*" or all(_NUMBER.fullmatch(p.strip()) for p in parts)


def _interval(spec: str) -> tuple[Decimal, Decimal] | None:
    """Return the interval a numerical answer ``1905``, ``1905:2`` or ``1900..1910`` accepts."""
    low, _, high = spec.partition("..")
    value, _, tolerance = low.partition(":")
    try:
        if high:
            return (Decimal(low.strip()), Decimal(high.strip()))
        middle, spread = Decimal(value.strip()), Decimal(tolerance.strip() or "0")
    except ArithmeticError:
        return None
    return (middle - abs(spread), middle + abs(spread))


def _category_path(topic: str) -> str:
    _, names = _known_topics()
    name = " ".join(names.get(topic, topic).split()) or FALLBACK
    name = name.replace("/", "//")
    if name.startswith("/"):
        name = " " + name
    if name.endswith("/"):
        name += " "
    return CATEGORY_PREFIX + name


def _needs_tag(text: str, weighted: bool) -> bool:
    """Would the reader take the start of ``text`` for a format tag (or a weight)?"""
    return bool(_FORMAT_TAG.match(text)) or (weighted and text.startswith("%"))


def _rich(text: str, fmt: str, *, weighted: bool = False, always_tag: bool = False) -> str:
    tag = f"[{fmt}]" if always_tag or _needs_tag(text, weighted) else ""
    return tag + _escape(text)


def _feedback(text: str | None, fmt: str, own: str | None = None) -> str:
    return "#" + _rich_in(text, fmt, own) if text else ""


def _rich_in(text: str, fmt: str, own: str | None, *, weighted: bool = False) -> str:
    """Write a text of the question: tagged with its own format where that differs."""
    if own in FORMATS and own != fmt:
        return _rich(text, own, always_tag=True)
    return _rich(text, fmt, weighted=weighted)


def _meta_comment(question: QuestionDraft) -> str:
    """Moodle's comment line with the ID number and tags: ``// [id:x] [tag:a] [tag:b]``."""
    marks = [f"[id:{_bracketed(question.idnumber)}]"] if question.idnumber.strip() else []
    marks += [f"[tag:{_bracketed(tag)}]" for tag in question.tags if tag.strip()]
    return "// " + " ".join(marks) + "\n" if marks else ""


def _bracketed(text: str) -> str:
    return " ".join(text.split()).replace("]", "\\]")


def _weight_text(weight: float) -> str:
    return f"%{_number_text(weight)}%"


def _short_head(weight: float | None, correct: bool) -> str:
    """How a short or numerical answer starts: ``=``, ``=%50%`` or ``=%0%`` (wrong)."""
    if weight is not None:
        return "=" + _weight_text(weight)
    return "=" if correct else "=%0%"


class _Writer:
    """Writes one question; ``None`` from ``write`` means it is skipped (with a note)."""

    def __init__(self, question: QuestionDraft, notes: list[str]) -> None:
        self.q = question
        self.notes = notes
        fmt = question.text_format
        if fmt == DEFAULT_FORMAT:  # drafts from before the field: the reader's extra
            fmt = question.extra.get("format", DEFAULT_FORMAT)
        self.fmt = fmt if fmt in FORMATS else DEFAULT_FORMAT

    def note(self, message: str) -> None:
        self.notes.append(f"{self.q.id}: {message}")

    def write(self) -> str | None:
        q = self.q
        if not q.prompt.strip(_WS):
            self.note("skipped: the prompt is empty")
            return None
        if q.kind in ("typed", "date", "cloze", "numerical") and not q.answer.strip(_WS):
            self.note("skipped: the answer is empty")
            return None
        for choice in q.choices:
            if choice.weight is not None and not -100 <= choice.weight <= 100:
                self.note(f"skipped: weight {choice.weight} is outside -100..100")
                return None
        writer = {
            "single_choice": self.choice_block,
            "multiple_choice": self.choice_block,
            "true_false": self.true_false_block,
            "typed": self.short_answer_block,
            "date": self.short_answer_block,
            "numerical": self.numerical_block,
            "matching": self.matching_block,
            "ordering": self.ordering_block,
        }.get(q.kind)
        if q.kind == "cloze":
            return self.cloze()
        if writer is None:
            self.note(f"skipped: GIFT has no counterpart for the kind '{q.kind}'")
            return None
        block = writer()
        if block is None:
            return None
        return self.head() + self.prompt(q.prompt) + block + "\n"

    def head(self) -> str:
        """Comments (ID number and tags, quizapp's kind and id), then the name if any."""
        q = self.q
        name = f"::{_escape(q.name)}::" if q.name.strip(_WS) else ""
        return f"{_meta_comment(q)}// quizapp: kind={q.kind} id={q.id}\n{name}"

    def prompt(self, text: str) -> str:
        return _rich(text, self.fmt, always_tag=self.fmt != DEFAULT_FORMAT)

    def general_feedback(self) -> list[str]:
        if not self.q.explanation:
            return []
        return ["####" + _rich_in(self.q.explanation, self.fmt, self.q.explanation_format)]

    def block(self, lines: list[str], inline: bool = False, head: str = "") -> str:
        """``{head line line ####feedback}``, on one line or one answer a line (as Moodle)."""
        lines = lines + self.general_feedback()
        if inline:
            return "{" + head + " ".join(lines) + "}"
        return "{" + head + "\n" + "".join(f"\t{line}\n" for line in lines) + "}"

    # ----------------------------------------------------------------- kinds

    def choice_line(self, choice: ChoiceDraft, credit: float | None = None) -> str:
        """``=right``, ``~wrong`` or ``~%50%partly``; ``credit`` writes that weight instead."""
        if credit is not None:
            head = "~" + _weight_text(credit) if credit else "~"
        elif choice.weight is not None and not (choice.correct and choice.weight == 100):
            head = "~" + _weight_text(choice.weight)
        else:
            head = "=" if choice.correct else "~"
        text = _rich_in(choice.text, self.fmt, choice.text_format, weighted=True)
        return head + text + _feedback(choice.feedback, self.fmt, choice.feedback_format)

    def choice_block(self, inline: bool = False) -> str | None:
        if len(self.q.choices) < 2:
            self.note("skipped: a choice question needs at least two options")
            return None
        if self.q.accepted:
            self.note("accepted variants are not exported: GIFT choice questions have none")
        if self.q.kind == "multiple_choice":
            # Every option with its credit: without '=' Moodle reads multiple answers.
            values = credits(self.q.kind, self.q.choices)
            lines = [self.choice_line(c, v) for c, v in zip(self.q.choices, values, strict=True)]
            return self.block(lines, inline)
        return self.block([self.choice_line(c) for c in self.q.choices], inline)

    def true_false_block(self) -> str | None:
        q = self.q
        if q.answer not in ("wahr", "falsch"):
            self.note(f"skipped: true/false answer '{q.answer}' is not 'wahr' or 'falsch'")
            return None
        text = "TRUE" if q.answer == "wahr" else "FALSE"
        wrong, right = q.extra.get("feedback_wrong", ""), q.extra.get("feedback_right", "")
        if wrong or right:
            own = q.extra.get("feedback_wrong_format")
            text += "#" + _rich_in(wrong, self.fmt, own) if wrong else "#"
        if right:
            text += "#" + _rich_in(right, self.fmt, q.extra.get("feedback_right_format"))
        return self.block([text], inline=True)

    def short_answer_line(
        self,
        text: str,
        weight: float | None,
        correct: bool,
        feedback: str | None,
        feedback_format: str | None = None,
    ) -> str:
        return (
            _short_head(weight, correct)
            + _rich(text, self.fmt, weighted=True)
            + _feedback(feedback, self.fmt, feedback_format)
        )

    def short_answer_lines(self) -> list[str]:
        q = self.q
        lines: list[str] = []
        answer_written = False
        for choice in q.choices:
            if (
                not answer_written
                and choice.correct
                and choice.text == q.answer
                and choice.weight in (None, 100)
            ):
                answer_written = True
            line = self.short_answer_line(
                choice.text, choice.weight, choice.correct, choice.feedback, choice.feedback_format
            )
            lines.append(line)
        if not answer_written:
            lines.insert(0, self.short_answer_line(q.answer, None, True, None))
        lines += [self.short_answer_line(text, None, True, None) for text in q.accepted]
        if any("->" in line for line in lines):
            if len(lines) == 1 and lines[0].startswith("="):
                lines[0] = lines[0][1:]  # without '=', Moodle does not read it as matching
            else:
                self.note("'->' in a short answer with several answers is read as matching")
        return lines

    def short_answer_block(self, inline: bool = False) -> str | None:
        return self.block(self.short_answer_lines(), inline)

    def numerical_block(self) -> str | None:
        q = self.q
        if not q.choices:
            spec = self.numeric_spec()
            if spec is None:
                return None
            return self.block(["#" + spec], inline=True)
        lines = []
        main = self.numeric_spec(quiet=True)
        listed = {_interval(choice.text) for choice in q.choices}
        if main is not None and _interval(main) not in listed:
            lines.append("=" + main)  # the question's own answer, then its further ones
        for index, choice in enumerate(q.choices):
            is_last = index == len(q.choices) - 1
            if choice.text == "*" and not choice.correct and choice.weight is None and is_last:
                lines.append("~" + _feedback(choice.feedback, self.fmt, choice.feedback_format))
                continue
            head = _short_head(choice.weight, choice.correct)
            text = choice.text if _is_plain_spec(choice.text) else _rich(choice.text, self.fmt)
            lines.append(head + text + _feedback(choice.feedback, self.fmt, choice.feedback_format))
        return self.block(lines, head="#")

    def numeric_spec(self, quiet: bool = False) -> str | None:
        q = self.q
        extra = q.extra
        if "min" in extra and "max" in extra:
            spec = f"{extra['min']}..{extra['max']}"
        elif "tolerance" in extra:
            spec = f"{q.answer}:{extra['tolerance']}"
        else:
            spec = q.answer
        if not _is_plain_spec(spec) or spec == "*":
            if not quiet:
                self.note(f"skipped: numerical answer '{spec}' is not a number")
            return None
        return spec

    def matching_block(self) -> str | None:
        lines = []
        for choice in self.q.choices:
            left = choice.text if choice.correct else ""
            if "->" in left:
                self.note(f"the left side '{left}' contains '->', which GIFT cannot escape")
            right = (choice.match or "").replace("\r\n", "\n").replace("\r", "\n")
            own = choice.text_format if left else None
            lines.append("=" + _rich_in(left, self.fmt, own) + " -> " + _escape(right))
        if len(lines) < 2:
            self.note("skipped: a matching question needs at least two pairs")
            return None
        return self.block(lines)

    def ordering_block(self) -> str | None:
        items = [c.text for c in self.q.choices] or self.q.answer.split(ORDER_SEPARATOR)
        lines = []
        for position, item in enumerate(items, start=1):
            if "->" in item:
                self.note(f"the item '{item}' contains '->', which GIFT cannot escape")
            lines.append("=" + _rich(item, self.fmt) + f" -> {position}.")
        if len(lines) < 2:
            self.note("skipped: an ordering question needs at least two items")
            return None
        return self.block(lines)

    def cloze(self) -> str:
        q = self.q
        as_choices = (
            len(q.choices) >= 2
            and not q.accepted
            and _answer_of(q.choices) == q.answer
            and any(not (c.correct and c.weight is None) for c in q.choices)
        )
        if as_choices:
            lines = [self.choice_line(c) for c in q.choices]
        else:
            lines = self.short_answer_lines()
        gap = q.prompt.find(GAP)
        after = q.prompt[gap + len(GAP) :] if gap >= 0 else ""
        if gap >= 0 and after.strip(_WS):
            before = q.prompt[:gap]
            tag = self.fmt != DEFAULT_FORMAT or _needs_tag(before, weighted=False)
            text = (
                (f"[{self.fmt}]" if tag else "")
                + _escape(before)
                + self.block(lines, inline=True)
                + _escape(after)
            )
            return self.head() + text + "\n"
        return self.head() + self.prompt(q.prompt) + self.block(lines) + "\n"


def _write_question(question: QuestionDraft, notes: list[str]) -> str | None:
    return _Writer(question, notes).write()
