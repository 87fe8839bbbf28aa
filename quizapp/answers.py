"""Turn a learner's submitted answer into a graded, storable response: plain Python.

The views hand in plain values (the question's kind, answer and options, and what the form
posted); nothing here touches Flask or the database. What each option or listed answer is
worth is ``quizapp.credit``'s one grading model; the comparisons are ``quizapp.grading``'s.

:func:`grade_submission` grades a posted form. :func:`review` explains a stored answer for
the feedback and results pages: every option or pair marked right or wrong, and the feedback
of what the learner chose or typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from quizapp import grading
from quizapp.bank.dates import parse_german_date
from quizapp.credit import credits, is_full
from quizapp.germanforms import parse_stored_number
from quizapp.grading import Answer, Grade, Match


class ForgedAnswer(ValueError):
    """The submission names options the page never offered: a forged or broken form."""


class IncompleteAnswer(ValueError):
    """The answer is well-formed but incomplete or contradictory; the learner can fix it."""


class EmptyChoices(IncompleteAnswer):
    """Some dropdowns of a matching were left empty and the learner has not confirmed that.

    ``fields`` are the 1-based numbers of the empty dropdowns, ``items`` their left sides.
    """

    def __init__(self, fields: list[int], items: list[str]) -> None:
        super().__init__(f"empty dropdowns: {fields}")
        self.fields = fields
        self.items = items


#: The form field with which a learner submits a matching with empty dropdowns on purpose.
CONFIRM_EMPTY = "confirm_empty"


@dataclass(frozen=True)
class Option:
    """One option as shown to the learner: its database id, text and (for matching) partner."""

    id: int
    text: str
    correct: bool
    position: int  # place in the stored question; for ordering the correct rank
    match: str | None = None
    weight: float | None = None  # credit in per cent; None: the kind's default (quizapp.credit)
    feedback: str | None = None  # shown when the learner chose or typed this option


@dataclass(frozen=True)
class Spec:
    """What grading needs to know about a question."""

    kind: str
    answer: str
    accepted: tuple[str, ...]
    options: tuple[Option, ...]  # in the order shown to the learner
    extra: Mapping[str, str] = field(default_factory=dict)  # tolerance, min, max, feedback_*

    def credits(self) -> dict[int, float]:
        """Return option id -> credit in per cent."""
        return dict(
            zip((o.id for o in self.options), credits(self.kind, self.options), strict=True)
        )


@dataclass(frozen=True)
class Graded:
    """A graded answer: the grade, what to store, and how to show it back."""

    grade: Grade
    response: object  # JSON-serialisable
    text: str  # the learner's answer in words, for feedback and results
    feedback: tuple[str, ...] = ()  # the feedback of what the learner chose or typed


def _pick(options: Sequence[Option], raw: str) -> Option:
    """Return the option a 1-based display number points at."""
    if not raw.isdigit() or not 1 <= int(raw) <= len(options):
        raise ForgedAnswer(f"unknown option {raw!r}")
    return options[int(raw) - 1]


def _texts(*texts: str | None) -> tuple[str, ...]:
    return tuple(t for t in texts if t and t.strip())


def grade_submission(spec: Spec, form: Mapping[str, str]) -> Graded:
    """Grade the posted fields of one question's form; raise ForgedAnswer on impossible input.

    Fields: ``choice`` (1-based display number) for single choice and true/false, ``text`` for
    typed, cloze, date and numerical, ``rank_<n>`` (position chosen for the n-th shown item)
    for ordering, ``match_<n>`` (1-based number of the chosen right-hand side) for matching.
    A matching with an empty dropdown raises EmptyChoices unless ``confirm_empty`` is "1".
    """
    kind = spec.kind
    if kind == "single_choice":
        chosen = _pick(spec.options, form.get("choice", ""))
        grade = grading.grade_single(chosen.id, spec.credits())
        return Graded(grade, chosen.id, chosen.text, _texts(chosen.feedback))
    if kind == "true_false":
        value = form.get("choice", "")
        if value not in ("wahr", "falsch"):
            raise ForgedAnswer(f"true/false answer {value!r}")
        grade = grading.grade_true_false(value, spec.answer)
        return Graded(grade, value, value, _true_false_feedback(spec, grade))
    if kind in ("typed", "cloze", "date", "numerical"):
        text = form.get("text", "")[:500]
        found = grade_text(spec, text)
        return Graded(found.grade, text, text, _texts(found.answer and found.answer.feedback))
    if kind == "multiple_choice":
        return _grade_multiple(spec, form)
    if kind == "ordering":
        return _grade_ordering(spec, form)
    if kind == "matching":
        return _grade_matching(spec, form)
    raise ValueError(f"unknown question kind {kind!r}")


def _true_false_feedback(spec: Spec, grade: Grade) -> tuple[str, ...]:
    key = "feedback_right" if grade.correct else "feedback_wrong"
    return _texts(spec.extra.get(key))


# --- typed answers ---------------------------------------------------------------------------


def text_answers(spec: Spec) -> list[Answer]:
    """Return the answers a typed, cloze or date question lists, in the order they count.

    The main answer and the accepted ones (full credit) come first unless the options list
    them themselves (then the option, with its credit and feedback, counts where it stands);
    then the options in their stored order (``quizapp.credit``).
    """
    ordered = sorted(spec.options, key=lambda o: o.position)
    listed = [
        Answer(o.text, credit, o.feedback)
        for o, credit in zip(ordered, credits(spec.kind, ordered), strict=True)
        if o.text.strip()
    ]
    own = {o.text.strip() for o in ordered}
    main = [Answer(t) for t in dict.fromkeys((spec.answer, *spec.accepted)) if t.strip()]
    return [a for a in main if a.text.strip() not in own] + listed


def number_interval(text: str) -> tuple[float | None, float | None] | None:
    """Read a numerical answer: "1905", "1905:2", "1905 ± 2", "1900..1910" or "*".

    Return (low, high), (None, None) for ``*``, None when it is no numerical answer.
    """
    text = text.strip()
    if text == "*":
        return (None, None)
    if ".." in text:
        low_text, _, high_text = text.partition("..")
        low, high = parse_stored_number(low_text), parse_stored_number(high_text)
        if low is None or high is None or low > high:
            return None
        return (low, high)
    for mark in (":", "±"):
        if mark in text:
            value_text, _, tolerance_text = text.partition(mark)
            value, tolerance = parse_stored_number(value_text), parse_stored_number(tolerance_text)
            if value is None or tolerance is None or tolerance < 0:
                return None
            return (value - tolerance, value + tolerance)
    value = parse_stored_number(text)
    return None if value is None else (value, value)


def _main_interval(spec: Spec) -> tuple[float, float] | None:
    """Return the interval the question's own answer, tolerance or range accepts."""
    extra = spec.extra
    if "min" in extra and "max" in extra:
        low, high = parse_stored_number(str(extra["min"])), parse_stored_number(str(extra["max"]))
        if low is not None and high is not None and low <= high:
            return (low, high)
        return None
    value = parse_stored_number(spec.answer)
    if value is None:
        return None
    tolerance = parse_stored_number(str(extra.get("tolerance", "0"))) or 0.0
    return (value - abs(tolerance), value + abs(tolerance))


def number_answers(spec: Spec) -> list[tuple[float | None, float | None, Answer]]:
    """Return the answers a numerical question lists as (low, high, answer), in order.

    The question's own answer (with its tolerance or range) comes first unless an option
    gives the same interval; then the options in their stored order (``quizapp.credit``).
    """
    ordered = sorted(spec.options, key=lambda o: o.position)
    listed = []
    for option, credit in zip(ordered, credits(spec.kind, ordered), strict=True):
        interval = number_interval(option.text)
        if interval is not None:
            listed.append((*interval, Answer(option.text, credit, option.feedback)))
    main = _main_interval(spec)
    if main is None or any((low, high) == main for low, high, _ in listed):
        return listed
    return [(*main, Answer(spec.answer)), *listed]


def grade_text(spec: Spec, text: str) -> Match:
    """Grade a typed answer to any question that can be typed, and find the answer it matched.

    Typed, cloze and date questions by their listed answers; numerical ones (and a typed gap
    that holds a measured number, with a tolerance) by their numbers; single choice (typed
    on a flashcard) by the options' texts and credits.
    """
    kind = spec.kind
    if kind == "numerical":
        return grading.grade_number_answers(text, number_answers(spec))
    if kind == "single_choice":
        answers = [
            Answer(o.text, credit, o.feedback)
            for o, credit in zip(spec.options, credits(kind, spec.options), strict=True)
        ]
        return grading.grade_answers(text, [*answers, *map(Answer, spec.accepted)])
    if "tolerance" in spec.extra and parse_stored_number(spec.answer) is not None:
        # A gap that holds a measured number ("17,3" km) accepts a value within tolerance,
        # with or without its unit ("17 km").
        measured = grading.grade_number_answers(text, number_answers(spec)[:1])
        if measured.grade.correct:
            return measured
    return grading.grade_answers(text, text_answers(spec))


# --- playability ------------------------------------------------------------------------------

#: Why a stored question cannot be asked (shown to teachers next to the question).
UNPLAYABLE = {
    "options": "Zu wenige Antworten zum Auswählen.",
    "correct": "Keine Antwort gibt die volle Punktzahl.",
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
    if kind in ("single_choice", "multiple_choice", "ordering"):
        if len(options) < 2:
            return UNPLAYABLE["options"]
        values = credits(kind, options)
        if kind == "single_choice" and not any(is_full(c) for c in values):
            return UNPLAYABLE["correct"]
        if kind == "multiple_choice" and not any(c > 0 for c in values):
            return UNPLAYABLE["correct"]
        return None
    if kind == "matching":
        items = matching_items(spec)
        if len(items) < 2:
            return UNPLAYABLE["options"]
        if any(not (o.match or "").strip() for o in items):
            return UNPLAYABLE["match"]
        return None
    if kind == "true_false":
        readable = grading.normalise(spec.answer) in ("wahr", "falsch", "true", "false")
        return None if readable else UNPLAYABLE["true_false"]
    if kind == "numerical":
        full = [a for a in number_answers(spec) if is_full(a[2].credit)]
        return None if full else UNPLAYABLE["number"]
    if kind in ("typed", "cloze", "date"):
        return None if spec.answer.strip() else UNPLAYABLE["answer"]
    return UNPLAYABLE["kind"]


# --- multiple choice, ordering, matching -------------------------------------------------------


def _grade_multiple(spec: Spec, form: Mapping[str, str] | object) -> Graded:
    raw = form.getlist("choice") if hasattr(form, "getlist") else form.get("choice", [])  # type: ignore[union-attr]
    if isinstance(raw, str):
        raw = [raw]
    picked = [_pick(spec.options, value) for value in raw]
    try:
        grade = grading.grade_multiple([o.id for o in picked], spec.credits())
    except ValueError as exc:
        raise ForgedAnswer(str(exc)) from exc
    text = "; ".join(o.text for o in picked)
    return Graded(grade, [o.id for o in picked], text, _texts(*(o.feedback for o in picked)))


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


def matching_items(spec: Spec) -> list[Option]:
    """Return the left sides of a matching question as shown (an option without a left side
    is only an extra right-hand side to choose from, as GIFT's ``= -> x``)."""
    return [o for o in spec.options if o.text.strip()]


def matching_targets(spec: Spec) -> list[str]:
    """Return the right-hand sides of a matching question as offered: sorted, so the order
    gives nothing away."""
    return sorted(
        {o.match or "" for o in spec.options if (o.match or "").strip()}, key=str.casefold
    )


def _grade_matching(spec: Spec, form: Mapping[str, str]) -> Graded:
    targets = matching_targets(spec)
    items = matching_items(spec)
    given: dict[str, str] = {}
    empty: list[int] = []
    for index, option in enumerate(items, start=1):
        raw = form.get(f"match_{index}", "")
        if raw == "":
            given[option.text] = ""
            empty.append(index)
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= len(targets):
            raise ForgedAnswer(f"match_{index}={raw!r}")
        given[option.text] = targets[int(raw) - 1]
    if empty and form.get(CONFIRM_EMPTY) != "1":
        raise EmptyChoices(empty, [items[i - 1].text for i in empty])
    grade = grading.grade_matching(given, {o.text: o.match or "" for o in items}, targets)
    text = "; ".join(f"{left} → {right or '–'}" for left, right in given.items())
    return Graded(grade, given, text)


# --- explaining a stored answer ----------------------------------------------------------------

RIGHT, WRONG, PARTIAL, MISSED, EMPTY = "right", "wrong", "partial", "missed", "empty"


@dataclass(frozen=True)
class Mark:
    """One option, item or pair of an answered question, marked for the learner.

    ``verdict``: "right" (chosen and right), "wrong" (chosen and wrong), "partial" (chosen,
    partial credit), "missed" (right but not chosen), "empty" (a dropdown left empty) or ""
    (neither chosen nor right).
    """

    text: str
    verdict: str
    chosen: bool = False
    credit: float | None = None  # choice kinds: the option's credit in per cent
    feedback: str | None = None  # the option's feedback, when it was chosen
    given: str | None = None  # matching: the chosen right side; ordering: the place given
    expected: str | None = None  # matching: the right side; ordering: the right place


@dataclass(frozen=True)
class Review:
    """A stored answer explained: its marks and the feedback of what the learner chose."""

    marks: tuple[Mark, ...] = ()
    feedback: tuple[str, ...] = ()


def review(spec: Spec, response: object, correct: bool | None = None) -> Review:
    """Explain a stored response (``AttemptItem.response``) with the question as it is now.

    ``correct`` is the stored verdict (true/false feedback depends on it).

    Never raises: a response that no longer fits the question (its options changed since)
    is explained as far as it fits.
    """
    kind = spec.kind
    try:
        if kind in ("single_choice", "multiple_choice"):
            return _review_choices(spec, response)
        if kind == "matching":
            return _review_matching(spec, response)
        if kind == "ordering":
            return _review_ordering(spec, response)
        if kind == "true_false" and isinstance(response, str) and correct is not None:
            key = "feedback_right" if correct else "feedback_wrong"
            return Review(feedback=_texts(spec.extra.get(key)))
        if kind in ("typed", "cloze", "date", "numerical") and isinstance(response, str):
            found = grade_text(spec, response)
            return Review(feedback=_texts(found.answer and found.answer.feedback))
    except (TypeError, ValueError, KeyError):
        pass
    return Review()


def _review_choices(spec: Spec, response: object) -> Review:
    chosen = set(response) if isinstance(response, list) else {response}
    values = spec.credits()
    marks = []
    for option in spec.options:
        credit = values[option.id]
        picked = option.id in chosen
        if picked and spec.kind == "single_choice" and credit > 0 and not is_full(credit):
            verdict = PARTIAL
        elif picked:
            verdict = RIGHT if credit > 0 else WRONG
        else:
            verdict = (
                MISSED if credit > 0 and (spec.kind == "multiple_choice" or is_full(credit)) else ""
            )
        feedback = option.feedback if picked and option.feedback else None
        marks.append(Mark(option.text, verdict, picked, credit, feedback))
    return Review(tuple(marks), _texts(*(m.feedback for m in marks)))


def _review_matching(spec: Spec, response: object) -> Review:
    if not isinstance(response, dict):
        return Review()
    marks = []
    for option in matching_items(spec):
        given = response.get(option.text)
        given = given if isinstance(given, str) else ""
        expected = option.match or ""
        verdict = EMPTY if not given else RIGHT if given == expected else WRONG
        marks.append(Mark(option.text, verdict, bool(given), given=given, expected=expected))
    return Review(tuple(marks))


def _review_ordering(spec: Spec, response: object) -> Review:
    if not isinstance(response, list):
        return Review()
    by_id = {o.id: o for o in spec.options}
    right_place = {o.id: place for place, o in enumerate(correct_order(spec), start=1)}
    marks = []
    for place, option_id in enumerate(response, start=1):
        option = by_id.get(option_id)
        if option is None:
            continue
        expected = right_place[option_id]
        verdict = RIGHT if expected == place else WRONG
        marks.append(Mark(option.text, verdict, True, given=f"{place}.", expected=f"{expected}."))
    return Review(tuple(marks))
