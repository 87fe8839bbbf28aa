"""Turn a learner's submitted answer into a graded, storable response: plain Python.

The views hand in plain values (the question's kind, answer and options, and what the form
posted); nothing here touches Flask or the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from quizapp import grading
from quizapp.bank.dates import parse_german_date
from quizapp.grading import Grade

_NUMBER_IN_TEXT = re.compile(r"[+-]?\d[\d.,]*")


class ForgedAnswer(ValueError):
    """The submission names options the page never offered: a forged or broken form."""


@dataclass(frozen=True)
class Option:
    """One option as shown to the learner: its database id, text and (for matching) partner."""

    id: int
    text: str
    correct: bool
    position: int  # place in the stored question; for ordering the correct rank
    match: str | None = None
    weight: float | None = None  # multiple choice only


@dataclass(frozen=True)
class Spec:
    """What grading needs to know about a question."""

    kind: str
    answer: str
    accepted: tuple[str, ...]
    options: tuple[Option, ...]  # in the order shown to the learner
    extra: Mapping[str, str] = field(default_factory=dict)  # numerical: tolerance, min, max


@dataclass(frozen=True)
class Graded:
    """A graded answer: the grade, what to store, and how to show it back."""

    grade: Grade
    response: object  # JSON-serialisable
    text: str  # the learner's answer in words, for feedback and results


def _pick(options: Sequence[Option], raw: str) -> Option:
    """Return the option a 1-based display number points at."""
    if not raw.isdigit() or not 1 <= int(raw) <= len(options):
        raise ForgedAnswer(f"unknown option {raw!r}")
    return options[int(raw) - 1]


def grade_submission(spec: Spec, form: Mapping[str, str]) -> Graded:
    """Grade the posted fields of one question's form; raise ForgedAnswer on impossible input.

    Fields: ``choice`` (1-based display number) for single choice and true/false, ``text`` for
    typed, cloze and date, ``rank_<n>`` (position chosen for the n-th shown item) for ordering,
    ``match_<n>`` (1-based number of the chosen right-hand side) for matching.
    """
    kind = spec.kind
    if kind == "single_choice":
        chosen = _pick(spec.options, form.get("choice", ""))
        correct = next(o for o in spec.options if o.correct)
        return Graded(grading.grade_choice(chosen.id, correct.id), chosen.id, chosen.text)
    if kind == "true_false":
        value = form.get("choice", "")
        if value not in ("wahr", "falsch"):
            raise ForgedAnswer(f"true/false answer {value!r}")
        grade = grading.grade_true_false(value, spec.answer)
        return Graded(grade, value, "wahr" if value == "wahr" else "falsch")
    if kind in ("typed", "cloze"):
        text = form.get("text", "")[:500]
        if date_precision(spec.answer) is not None:
            # A gap that holds a date accepts it in any German form ("25.05.2009").
            return Graded(grading.grade_date(text, spec.answer, spec.accepted), text, text)
        if "tolerance" in spec.extra and grading.parse_number(spec.answer) is not None:
            # A gap that holds a measured number ("17,3" km) accepts a value within tolerance,
            # with or without its unit ("17 km").
            number = _NUMBER_IN_TEXT.search(text)
            grade = grading.grade_numerical(
                number.group() if number else text, spec.answer, **_number_range(spec)
            )
            return Graded(grade, text, text)
        return Graded(grading.grade_text(text, (spec.answer, *spec.accepted)), text, text)
    if kind == "date":
        text = form.get("text", "")[:200]
        return Graded(grading.grade_date(text, spec.answer, spec.accepted), text, text)
    if kind == "multiple_choice":
        return _grade_multiple(spec, form)
    if kind == "numerical":
        text = form.get("text", "")[:100]
        return Graded(grading.grade_numerical(text, spec.answer, **_number_range(spec)), text, text)
    if kind == "ordering":
        return _grade_ordering(spec, form)
    if kind == "matching":
        return _grade_matching(spec, form)
    raise ValueError(f"unknown question kind {kind!r}")


#: Why a stored question cannot be asked (shown to teachers next to the question).
UNPLAYABLE = {
    "options": "Zu wenige Antworten zum Auswählen.",
    "correct": "Keine Antwort ist als richtig markiert.",
    "true_false": "Die Antwort ist weder „wahr“ noch „falsch“.",
    "answer": "Die richtige Antwort fehlt.",
    "number": "Die richtige Antwort ist keine Zahl.",
    "match": "Zu einem Eintrag fehlt die rechte Seite.",
    "kind": "Diese Fragenart kennt das Quiz nicht.",
}


def unplayable(spec: Spec) -> str | None:
    """Return why the question cannot be asked and graded, or None if it can.

    Imports and the editor refuse such questions; this is the last line of defence for
    questions stored before or changed by hand: the quiz skips them instead of failing.
    """
    kind, options = spec.kind, spec.options
    needs_options = {"single_choice": 2, "multiple_choice": 2, "ordering": 2, "matching": 2}
    if kind in needs_options:
        if len(options) < needs_options[kind]:
            return UNPLAYABLE["options"]
        if kind in ("single_choice", "multiple_choice") and not any(o.correct for o in options):
            return UNPLAYABLE["correct"]
        if kind == "matching" and any(not (o.match or "").strip() for o in options):
            return UNPLAYABLE["match"]
        return None
    if kind == "true_false":
        readable = grading.normalise(spec.answer) in ("wahr", "falsch", "true", "false")
        return None if readable else UNPLAYABLE["true_false"]
    if kind == "numerical":
        if "minimum" in _number_range(spec) or grading.parse_number(spec.answer) is not None:
            return None
        return UNPLAYABLE["number"]
    if kind in ("typed", "cloze", "date"):
        return None if spec.answer.strip() else UNPLAYABLE["answer"]
    return UNPLAYABLE["kind"]


class IncompleteAnswer(ValueError):
    """The answer is well-formed but incomplete or contradictory; the learner can fix it."""


def _grade_multiple(spec: Spec, form: Mapping[str, str] | object) -> Graded:
    raw = form.getlist("choice") if hasattr(form, "getlist") else form.get("choice", [])  # type: ignore[union-attr]
    if isinstance(raw, str):
        raw = [raw]
    picked = [_pick(spec.options, value) for value in raw]
    weights = {o.id: o.weight or 0.0 for o in spec.options}
    try:
        grade = grading.grade_multiple([o.id for o in picked], weights)
    except ValueError as exc:
        raise ForgedAnswer(str(exc)) from exc
    return Graded(grade, [o.id for o in picked], "; ".join(o.text for o in picked))


def _number_range(spec: Spec) -> dict[str, float]:
    """Return grade_numerical's keyword arguments from the question's settings."""
    extra = spec.extra
    values: dict[str, float] = {}
    if "min" in extra and "max" in extra:
        low, high = grading.parse_number(extra["min"]), grading.parse_number(extra["max"])
        if low is not None and high is not None:
            values.update(minimum=low, maximum=high)
    elif "tolerance" in extra:
        tolerance = grading.parse_number(extra["tolerance"])
        if tolerance is not None:
            values["tolerance"] = tolerance
    return values


def date_precision(answer: str) -> str | None:
    """Return what a date answer asks for: "day", "month" or "year" (None if not a date)."""
    parsed = parse_german_date(answer)
    if parsed is None:
        return None
    _, month, day = parsed
    return "day" if day is not None else "month" if month is not None else "year"


def correct_order(spec: Spec) -> list[Option]:
    """Return an ordering question's options in their correct order."""
    return sorted(spec.options, key=lambda o: o.position)


def _grade_ordering(spec: Spec, form: Mapping[str, str]) -> Graded:
    n = len(spec.options)
    ranks = []
    for index in range(1, n + 1):
        raw = form.get(f"rank_{index}", "")
        if not raw.isdigit() or not 1 <= int(raw) <= n:
            raise ForgedAnswer(f"rank_{index}={raw!r}")
        ranks.append(int(raw))
    if sorted(ranks) != list(range(1, n + 1)):
        raise IncompleteAnswer("each position must be used exactly once")
    given = [o.id for _, o in sorted(zip(ranks, spec.options, strict=True), key=lambda p: p[0])]
    grade = grading.grade_ordering(given, [o.id for o in correct_order(spec)])
    by_id = {o.id: o.text for o in spec.options}
    return Graded(grade, given, " → ".join(by_id[i] for i in given))


def matching_targets(spec: Spec) -> list[str]:
    """Return the right-hand sides of a matching question as offered: sorted, so the order
    gives nothing away."""
    return sorted({o.match or "" for o in spec.options}, key=str.casefold)


def _grade_matching(spec: Spec, form: Mapping[str, str]) -> Graded:
    targets = matching_targets(spec)
    given: dict[str, str] = {}
    for index, option in enumerate(spec.options, start=1):
        raw = form.get(f"match_{index}", "")
        if raw == "":
            given[option.text] = ""
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= len(targets):
            raise ForgedAnswer(f"match_{index}={raw!r}")
        given[option.text] = targets[int(raw) - 1]
    grade = grading.grade_matching(given, {o.text: o.match or "" for o in spec.options})
    text = "; ".join(f"{left} → {right or '–'}" for left, right in given.items())
    return Graded(grade, given, text)
