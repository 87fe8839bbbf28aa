"""JSON import and export: the format of `flask bank export --format json`."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from quizapp.bank.types import KINDS, STATUSES, ChoiceDraft, QuestionDraft
from quizapp.formats.common import normal_tags
from quizapp.richtext import DEFAULT_FORMAT, FORMATS

MAX_QUESTIONS = 10_000
#: Deepest nesting of arrays and objects a question file needs (list, question, choices,
#: choice); deeper files are refused before parsing (the parser would recurse into them).
MAX_DEPTH = 8


class JsonError(ValueError):
    """The JSON file cannot be imported; ``errors`` say where ("source:item N: ...")."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


def dump_json(questions: Sequence[dict[str, Any]]) -> str:
    """Return exported questions (``Question.to_export`` dicts) as a JSON array."""
    return json.dumps(list(questions), ensure_ascii=False, indent=2) + "\n"


def parse_json(data: bytes | str, source: str = "<json>") -> list[QuestionDraft]:
    """Read a JSON export back into drafts; raise JsonError naming the line or item."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JsonError([f"{source}: not UTF-8 (byte offset {exc.start})"]) from None
    depth, line = nesting(data)
    if depth > MAX_DEPTH:
        raise JsonError(
            [
                f"{source}:{line}: Die Datei ist zu tief verschachtelt (mehr als {MAX_DEPTH} "
                "Ebenen aus [ ] und { }); so sieht keine Fragendatei aus."
            ]
        )
    try:
        items = json.loads(data)
    except json.JSONDecodeError as exc:
        raise JsonError([f"{source}:{exc.lineno}: {exc.msg}"]) from None
    except RecursionError:  # cannot happen after the depth check; belt and braces
        raise JsonError([f"{source}: Die Datei ist zu tief verschachtelt."]) from None
    bad = _first_unencodable(items)
    if bad is not None:
        raise JsonError(
            [
                f"{source}: „{bad}“ enthält ein einzelnes UTF-16-Ersatzzeichen (etwa \\udcff), "
                "das kein Text sein kann. Korrigiere die Datei und lade sie noch einmal hoch."
            ]
        )
    if not isinstance(items, list):
        raise JsonError([f"{source}:1: expected a JSON array of questions"])
    if len(items) > MAX_QUESTIONS:
        raise JsonError([f"{source}: more than {MAX_QUESTIONS} questions"])
    drafts, errors, seen = [], [], set()
    for number, item in enumerate(items, start=1):
        where = f"{source}:item {number}"
        try:
            draft = _draft(item, where)
        except (KeyError, TypeError, ValueError) as exc:
            errors.append(f"{where}: {exc}")
            continue
        if draft.id in seen:
            errors.append(f"{where}: duplicate id {draft.id}")
        seen.add(draft.id)
        drafts.append(draft)
    if errors:
        raise JsonError(errors)
    return drafts


_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def nesting(text: str) -> tuple[int, int]:
    """Return the deepest nesting of [ ] and { } outside strings, and the line it is on."""
    depth = deepest = where = 0
    for match in _BRACKETS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
        elif char in "]}":
            depth -= 1
    return deepest, text.count("\n", 0, where) + 1


def _first_unencodable(value: Any) -> str | None:
    """Return the first text (shortened) that UTF-8 cannot encode: a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        texts: list[Any] = []
        if isinstance(item, str):
            texts = [item]
        elif isinstance(item, dict):
            texts = list(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        for text in texts:
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return text.encode("utf-8", "backslashreplace").decode()[:60]
    return None


def _text(item: dict[str, Any], key: str, required: bool = True) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"'{key}' must be a non-empty string")
    return value


def _format(value: Any) -> str | None:
    """Return a known text format, None for none; anything else is an error."""
    if value is None or value == "":
        return None
    if value not in FORMATS:
        raise ValueError(f"unknown text format '{str(value)[:20]}'")
    return str(value)


def _draft(item: Any, where: str) -> QuestionDraft:
    if not isinstance(item, dict):
        raise TypeError("each question must be a JSON object")
    kind = _text(item, "kind")
    if kind not in KINDS:
        raise ValueError(f"unknown kind '{kind}'")
    status = item.get("status") or "draft"
    if status not in STATUSES:
        raise ValueError(f"unknown status '{status}'")
    choices = []
    for choice in item.get("choices") or []:
        if not isinstance(choice, dict) or not isinstance(choice.get("text"), str):
            raise TypeError("each choice needs a 'text'")
        weight = choice.get("weight")
        choices.append(
            ChoiceDraft(
                text=choice["text"],
                correct=bool(choice.get("correct")),
                match=choice.get("match"),
                weight=float(weight) if weight is not None else None,
                feedback=choice.get("feedback"),
                text_format=_format(choice.get("text_format")),
                feedback_format=_format(choice.get("feedback_format")),
            )
        )
    source = item.get("source") or {}
    accepted = item.get("accepted") or []
    if not isinstance(accepted, list) or not all(isinstance(a, str) for a in accepted):
        raise TypeError("'accepted' must be a list of strings")
    extra = item.get("extra") or {}
    tags = item.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise TypeError("'tags' must be a list of strings")
    return QuestionDraft(
        id=_text(item, "id"),
        kind=kind,
        prompt=_text(item, "prompt"),
        answer=_text(item, "answer"),
        explanation=_text(item, "explanation", required=False),
        topic=_text(item, "topic", required=False) or "allgemein",
        document=(source.get("document") or "") if isinstance(source, dict) else "",
        origin="teacher",
        accepted=tuple(accepted),
        choices=tuple(choices),
        status=status,
        name=_text(item, "name", required=False),
        idnumber=_text(item, "idnumber", required=False),
        tags=normal_tags(tags),
        text_format=_format(item.get("text_format")) or DEFAULT_FORMAT,
        explanation_format=_format(item.get("explanation_format")),
        extra={
            **({str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {}),
            "defined_at": where,
        },
    )
