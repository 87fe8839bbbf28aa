"""Moodle XML import: plain Python, no Flask.

Moodle XML is the bank export that keeps the most (``question/format/xml/format.php``).
The file is parsed with defusedxml (no DTDs, no entities, no external references: an XML
bomb or a file that reads the server's files is refused), and every question is handed to
the GIFT reader as the GIFT text Moodle would export for it. So a question read here is
stored exactly as the same question in GIFT (weights, feedback, formats, name, ID number,
tags), and messages name the line of the question's ``<question`` tag.

Kinds: ``multichoice`` (single or multiple answers), ``truefalse``, ``shortanswer``,
``numerical`` (tolerance), ``matching``; ``category`` switches the topic as GIFT's
``$CATEGORY`` does. Every other type (essay, description, cloze, calculated, drag and drop,
...) is skipped with a note, as the GIFT reader skips essays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from quizapp.bank.types import QuestionDraft
from quizapp.formats.common import Repeat, Skipped, label_of, normal_tags
from quizapp.formats.gift import GiftError, escape_name, escape_text, parse_gift_chunks

MAX_QUESTIONS = 10_000
SUPPORTED = ("multichoice", "truefalse", "shortanswer", "numerical", "matching")
#: Moodle XML's format names -> GIFT's.
FORMAT_NAMES = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
_QUESTION_TAG = re.compile(rb"<question[\s>/]")


class MoodleXmlError(ValueError):
    """The XML file cannot be read; ``errors`` name each problem as ``source:line: ...``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class MoodleXmlResult:
    """The questions of a Moodle XML file and the notes on them."""

    questions: list[QuestionDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)


def parse_moodle_xml(data: bytes, source: str = "<xml>") -> MoodleXmlResult:
    """Read a Moodle XML export into teacher drafts; raise MoodleXmlError on any problem."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise MoodleXmlError([f"{source}: XML with a DTD or entities is not accepted"]) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise MoodleXmlError([f"{source}:{line}: not well-formed XML: {exc.msg}"]) from None
    if root.tag != "quiz":
        raise MoodleXmlError([f"{source}:1: the root element is not <quiz>"])
    elements = root.findall("question")
    if len(elements) > MAX_QUESTIONS:
        raise MoodleXmlError([f"{source}: more than {MAX_QUESTIONS} questions; split the file"])
    lines = _question_lines(data, len(elements))
    chunks: list[tuple[str, str]] = []
    skipped: list[Skipped] = []
    warnings: list[str] = []
    errors: list[str] = []
    for number, element in enumerate(elements, start=1):
        place = f"{source}:{lines[number - 1]}" if lines else f"{source}:item {number}"
        kind = element.get("type", "").strip()
        if kind == "category":
            path = _text(element.find("category"))
            if path:
                chunks.append((place, "$CATEGORY: " + " ".join(path.split())))
            continue
        if not kind:
            errors.append(f"{place}: a question has no type")
            continue
        if kind not in SUPPORTED:
            name = label_of(_text(element.find("name")), _text(element.find("questiontext")))
            skipped.append(Skipped(place, name, kind))
            warnings.append(
                f"{place}: {kind} question '{name}' skipped: quizapp has no such question kind"
            )
            continue
        try:
            chunks.append((place, _gift(element, kind)))
        except _Refused as exc:
            errors.append(f"{place}: {exc}")
    if errors:
        raise MoodleXmlError(errors)
    try:
        result = parse_gift_chunks(chunks, source)
    except GiftError as exc:
        raise MoodleXmlError(exc.errors) from exc
    return MoodleXmlResult(
        list(result.questions),
        warnings + list(result.warnings),
        skipped + list(result.skipped),
        list(result.repeats),
    )


class _Refused(ValueError):
    """A question that cannot be turned into GIFT (the message says why)."""


def _question_lines(data: bytes, count: int) -> list[int]:
    """Return the line of each ``<question`` tag, or [] when the tags cannot be told apart."""
    starts = [match.start() for match in _QUESTION_TAG.finditer(data)]
    if len(starts) != count:  # "<question" inside a comment or CDATA: count instead
        return []
    lines, line, at = [], 1, 0
    for start in starts:
        line += data.count(b"\n", at, start)
        at = start
        lines.append(line)
    return lines


def _text(element: Element | None) -> str:
    """Return the ``<text>`` of an element (or its own text), trimmed."""
    if element is None:
        return ""
    inner = element.find("text")
    value = inner.text if inner is not None else element.text
    return (value or "").strip()


def _format(element: Element | None, default: str = "moodle") -> str:
    if element is None:
        return default
    return FORMAT_NAMES.get(element.get("format", ""), default)


def _rich(element: Element | None, default: str = "moodle") -> str:
    """Return a text element as GIFT: escaped, with its format as a tag."""
    return escape_text(_text(element), _format(element, default))


def _fraction(answer: Element) -> Decimal:
    raw = (answer.get("fraction") or "0").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _Refused(f"answer fraction '{raw[:40]}' is not a number") from None
    if not value.is_finite():
        raise _Refused(f"answer fraction '{raw[:40]}' is not a number")
    return value


def _weight(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return f"%{text}%"


def _feedback(answer: Element, fmt: str) -> str:
    element = answer.find("feedback")
    text = _text(element)
    return "#" + escape_text(text, _format(element, fmt)) if text else ""


def _gift(element: Element, kind: str) -> str:
    """Return a supported question as the GIFT text Moodle's GIFT export writes for it."""
    question_text = element.find("questiontext")
    fmt = _format(question_text)
    head = []
    idnumber = _text(element.find("idnumber"))
    tags = normal_tags(_text(tag) for tag in element.findall("tags/tag"))
    marks = [f"[id:{escape_name(idnumber).replace(']', chr(92) + ']')}]"] if idnumber else []
    marks += [f"[tag:{escape_name(tag).replace(']', chr(92) + ']')}]" for tag in tags]
    if marks:
        head.append("// " + " ".join(marks))
    name = _text(element.find("name"))
    prompt = escape_text(_text(question_text), fmt)
    answers = element.findall("answer")
    if kind == "matching":
        lines = [
            "=" + _rich(sub, fmt) + " -> " + escape_text(_text(sub.find("answer")))
            for sub in element.findall("subquestion")
        ]
    elif kind == "truefalse":
        lines = [_true_false(answers, fmt)]
    else:
        if not answers:
            raise _Refused(f"a {kind} question needs answers")
        lines = [_answer_line(kind, element, answer, fmt) for answer in answers]
    general = element.find("generalfeedback")
    if _text(general):
        lines.append("####" + _rich(general, fmt))
    block = "{" + ("#" if kind == "numerical" else "") + "\n" + "\n".join(lines) + "\n}"
    head.append((f"::{escape_name(name)}::" if name else "") + prompt + block)
    return "\n".join(head)


def _answer_line(kind: str, element: Element, answer: Element, fmt: str) -> str:
    fraction = _fraction(answer)
    if kind == "multichoice":
        single = _text(element.find("single")).lower() in ("true", "1")
        weight = _weight(fraction) if fraction else ""
        mark = "=" if single and fraction == 100 else "~" + weight
        return mark + _rich(answer, fmt) + _feedback(answer, fmt)
    mark = "=" if fraction == 100 else "=" + _weight(fraction)
    text = _text(answer)
    if kind == "numerical":
        tolerance = _text(answer.find("tolerance"))
        if text != "*" and tolerance and Decimal(_number(tolerance)) != 0:
            text = f"{text}:{_number(tolerance)}"
        return mark + text + _feedback(answer, fmt)
    # Short answers are plain text in Moodle; the tag keeps a leading "%" from being a weight.
    return mark + escape_text(text, "plain" if fmt != "plain" else None) + _feedback(answer, fmt)


def _number(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _Refused(f"numerical answer '{text[:40]}' is not a number") from None
    return format(value.normalize(), "f") if value.is_finite() else text


def _true_false(answers: list[Element], fmt: str) -> str:
    by_text = {_text(a).lower(): a for a in answers}
    true, false = by_text.get("true"), by_text.get("false")
    if true is None or false is None:
        raise _Refused("a truefalse question needs answers")
    right_is_true = _fraction(true) >= _fraction(false)
    right, wrong = (true, false) if right_is_true else (false, true)
    line = "TRUE" if right_is_true else "FALSE"
    wrong_feedback, right_feedback = _feedback(wrong, fmt), _feedback(right, fmt)
    if right_feedback:
        return line + (wrong_feedback or "#") + right_feedback
    return line + wrong_feedback
