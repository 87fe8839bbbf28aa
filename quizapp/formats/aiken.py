"""Aiken import (Moodle's simplest question format): plain Python, no Flask.

An Aiken file holds single-choice questions, as Moodle's ``qformat_aiken`` reads them::

    Wo wurde der Frieden von 1905 geschlossen?
    A) Paris
    B. Portsmouth
    ANSWER: B

The question text comes first (quizapp also takes several lines), then the options, each a
capital letter, ``)`` or ``.``, a space and the text, then ``ANSWER: <letter>``. Blank lines
between questions are allowed. Texts are plain (Moodle escapes them too); Aiken has no
names, ID numbers or tags. Each question is handed to the GIFT reader as
``text{=right ~wrong ...}``, so Aiken questions are stored exactly as the same question
written in GIFT; messages name the Aiken file's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.bank.types import QuestionDraft
from quizapp.formats.common import Repeat
from quizapp.formats.gift import GiftError, escape_text, parse_gift_chunks

MAX_ERRORS = 100
_OPTION = re.compile(r"([A-Z])[.)][ \t]+(.*)")
_ANSWER = re.compile(r"ANSWER:\s*(\S*)")


class AikenError(ValueError):
    """The Aiken file cannot be read; ``errors`` name each problem as ``source:line: ...``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class AikenResult:
    """The questions of an Aiken file and the notes on them."""

    questions: list[QuestionDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)


@dataclass
class _Question:
    line: int
    text: list[str] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)  # (letter, text)


def parse_aiken(text: str, source: str = "<aiken>") -> AikenResult:
    """Read Aiken text into teacher drafts; raise AikenError listing every problem if any."""
    errors: list[str] = []
    chunks: list[tuple[str, str]] = []
    current: _Question | None = None
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, start=1):
        if len(errors) >= MAX_ERRORS:
            errors.append(f"{source}:{number}: too many errors, stopped reading here")
            break
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line)
        if answer is not None:
            if current is None or not current.options:
                errors.append(f"{source}:{number}: 'ANSWER:' without a question and options")
                current = None
                continue
            chunk = _chunk(current, answer[1], f"{source}:{number}")
            if isinstance(chunk, str):
                errors.append(chunk)
            else:
                chunks.append((f"{source}:{current.line}", chunk[0]))
            current = None
        elif option is not None and current is not None and current.text:
            current.options.append((option[1], option[2].strip()))
        elif current is not None and current.options:
            errors.append(
                f"{source}:{number}: the question of line {current.line} has no 'ANSWER:' line "
                "after its options"
            )
            current = _Question(number, [line])
        elif current is None:
            current = _Question(number, [line])
        else:
            current.text.append(line)
    if current is not None:
        errors.append(
            f"{source}:{current.line}: the question has no 'ANSWER:' line at the end of the file"
        )
    if errors:
        raise AikenError(errors)
    try:
        result = parse_gift_chunks(chunks, source)
    except GiftError as exc:
        raise AikenError(exc.errors) from exc
    return AikenResult(list(result.questions), list(result.warnings), list(result.repeats))


def _chunk(question: _Question, letter: str, where: str) -> tuple[str] | str:
    """Return the question as GIFT (one tuple), or the error naming ``where``."""
    letters = [option_letter for option_letter, _ in question.options]
    if len(set(letters)) != len(letters):
        return f"{where}: an option letter is used twice"
    if len(question.options) < 2:
        return f"{where}: a question needs at least two options"
    if len(letter) != 1 or letter not in letters:
        return f"{where}: 'ANSWER: {letter}' names no option (options: {', '.join(letters)})"
    prompt = escape_text("\n".join(question.text), "plain")
    options = " ".join(
        ("=" if option_letter == letter else "~") + escape_text(text, "plain")
        for option_letter, text in question.options
    )
    return (f"{prompt}{{{options}}}",)
