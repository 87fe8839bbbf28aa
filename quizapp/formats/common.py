"""What every import format shares: skipped questions, repeated questions, tags and names.

Plain Python. Moodle imports every question of a file it can and tells what it cannot; a
question bank file often holds the same question twice (copied, or exported from two
categories). The readers here do the same:

* A question of a kind quizapp has no counterpart for (essay, description, Moodle's cloze,
  calculated, ...) is *skipped*: the reader names it and its place (``file:line``) and goes
  on. Only real errors refuse a file.
* A *repeat* is a question whose id another question of the same file already has. If both
  are the same question (every field alike but where they stand), the repeat is left out
  with a note. If they differ (two questions with one name, or unnamed questions with the
  same text and answer), the repeat gets an id of its own, derived from the first id and
  its whole content: the same file gives the same ids every time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from quizapp.bank.types import QuestionDraft

#: Limits of what a teacher writes beside the content (the database columns' sizes).
MAX_NAME = 255
MAX_IDNUMBER = 100
MAX_TAG = 100
MAX_TAGS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Extra keys that say where a question was read, not what it is.
_PLACE_EXTRA = ("defined_at", "category", "topic_name", "gift_name", "format")


@dataclass(frozen=True)
class Skipped:
    """A question of the file that is not imported: its place, its name and its kind."""

    where: str  # "file:line" (or "file:item N")
    name: str  # the question's name, else the start of its text
    kind: str  # Moodle's type: "essay", "description", "multianswer", ...


@dataclass(frozen=True)
class Repeat:
    """A question that repeats the id of an earlier one of the file.

    ``merged``: it is the same question and is not imported again; else it was imported
    under ``new_id``.
    """

    where: str
    first: str  # where the earlier question is
    old_id: str
    new_id: str
    name: str
    merged: bool


@dataclass
class FileReport:
    """What a reader did besides reading questions (for the import preview)."""

    skipped: list[Skipped] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)


def label_of(name: str, text: str, length: int = 60) -> str:
    """Return a question's name, or the start of its text, to name it in messages."""
    label = " ".join((name or text).split())
    return label if len(label) <= length else label[: length - 1] + "\u2026"


def normal_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Return tags trimmed, without empty ones and repeats (case-insensitive), sorted."""
    seen: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(sorted(seen.values(), key=str.casefold))


def split_tags(text: str) -> tuple[str, ...]:
    """Return the tags of a comma-separated list as typed into a form."""
    return normal_tags(text.split(","))


def meta_problems(name: str, idnumber: str, tags: Sequence[str]) -> list[str]:
    """Return what is wrong with a question's name, ID number and tags (German)."""
    problems = []
    if len(name) > MAX_NAME:
        problems.append(f"Der Name der Frage hat höchstens {MAX_NAME} Zeichen.")
    if len(idnumber) > MAX_IDNUMBER:
        problems.append(f"Die ID-Nummer hat höchstens {MAX_IDNUMBER} Zeichen.")
    if _CONTROL.search(name) or _CONTROL.search(idnumber):
        problems.append("Name und ID-Nummer dürfen keine Steuerzeichen enthalten.")
    if len(tags) > MAX_TAGS:
        problems.append(f"Eine Frage hat höchstens {MAX_TAGS} Schlagwörter.")
    for tag in tags:
        if len(tag) > MAX_TAG:
            problems.append(f"Das Schlagwort „{tag[:40]}…“ ist länger als {MAX_TAG} Zeichen.")
        elif _CONTROL.search(tag) or any(ch in tag for ch in "<>"):
            problems.append(f"Das Schlagwort „{tag}“ enthält < , > oder Steuerzeichen.")
    return problems


def fingerprint(draft: QuestionDraft) -> str:
    """Return the content of a question as text: equal for the same question anywhere."""
    values = dataclasses.asdict(dataclasses.replace(draft, id="", extra={}))
    values["extra"] = {k: v for k, v in draft.extra.items() if k not in _PLACE_EXTRA}
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)


def derived_id(base: str, draft: QuestionDraft) -> str:
    """Return the id of a repeat that differs from the question whose id it repeats."""
    key = f"{base}\x1f{fingerprint(draft)}"
    return "t-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def settle_repeats(
    drafts: Sequence[QuestionDraft],
    where: Callable[[QuestionDraft], str],
    warn: Callable[[str, str], None],
) -> tuple[list[QuestionDraft], list[Repeat]]:
    """Give differing repeats their own ids and leave out identical ones.

    ``where(draft)`` names a question's place ("file:line"); ``warn(where, message)``
    records an (English) note for the command line. Returns the questions to import, in
    file order, and every repeat.
    """
    kept: list[QuestionDraft] = []
    repeats: list[Repeat] = []
    seen: dict[str, tuple[str, str]] = {}  # id -> (fingerprint, where)
    for draft in drafts:
        place = where(draft)
        label = label_of(draft.name, draft.prompt)
        current = fingerprint(draft)
        question_id = draft.id
        if question_id in seen and seen[question_id][0] != current:
            question_id = derived_id(draft.id, draft)
        if question_id in seen:
            first_print, first = seen[question_id]
            if first_print == current:
                repeats.append(Repeat(place, first, draft.id, question_id, label, merged=True))
                warn(place, f"repeats the question at {first}; imported once")
                continue
            # Two different questions derive one id: only a hash collision does this.
            question_id = derived_id(question_id, draft)
        if question_id != draft.id:
            first = seen[draft.id][1]
            repeats.append(Repeat(place, first, draft.id, question_id, label, merged=False))
            warn(
                place,
                f"has the id '{draft.id}' of the different question at {first}; "
                f"imported as '{question_id}'",
            )
            draft = dataclasses.replace(draft, id=question_id)
        seen[question_id] = (current, place)
        kept.append(draft)
    return kept, repeats
