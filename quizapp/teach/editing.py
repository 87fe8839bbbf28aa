"""What a teacher typed into the question editor, checked and turned into a draft.

Plain Python: values in, values out. The messages are German because teachers read them next
to the field they concern.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from quizapp.bank.curated import correct_position
from quizapp.bank.dates import parse_german_date
from quizapp.bank.types import WEIGHT_DECIMALS, ChoiceDraft, QuestionDraft, default_weight
from quizapp.credit import credits, is_full
from quizapp.formats.common import meta_problems
from quizapp.germanforms import parse_number, parse_stored_number

GAP = "___"
ORDER_SEPARATOR = " → "
PAIR_SEPARATOR = "; "

MESSAGES = {
    "prompt": "Bitte gib den Fragetext ein.",
    "answer": "Bitte gib die richtige Antwort ein.",
    "true_false": "Die Antwort ist „wahr“ oder „falsch“.",
    "gap": "Ein Lückentext braucht genau eine Lücke „___“ im Fragetext.",
    "no_gap": "Nur Lückentexte enthalten „___“.",
    "date": "„{}“ ist kein Datum. Schreibe z. B. „5. September 1905“, „Juli 1907“ oder „1875“.",
    "date_option": "Die falsche Antwort „{}“ ist kein Datum.",
    "single_options": "Eine Einfachauswahl braucht mindestens zwei Antworten.",
    "single_correct": "Mindestens eine Antwort muss die volle Punktzahl geben: kreuze sie als "
    "richtig an (ohne Punkte oder mit 100 %).",
    "correct_no_credit": "„{}“ ist als richtig angekreuzt, gibt aber keine Punkte.",
    "multiple_options": "Eine Mehrfachauswahl braucht mindestens zwei Antworten.",
    "multiple_correct": "Markiere mindestens eine Antwort als richtig.",
    "weights": "Die Punkte der richtigen Antworten müssen zusammen 100 % ergeben.",
    "weight": "Punkte liegen zwischen -100 und 100 %.",
    "text_weight": "Weitere Antworten geben 0 bis 100 % der Punkte.",
    "number_option": "„{}“ ist keine Zahl-Antwort. Schreibe z. B. „1905“, „1905:2“ (1905 ± 2) "
    "oder „1900..1910“.",
    "ordering": "Eine Reihenfolge braucht mindestens drei Ereignisse.",
    "matching": "Eine Zuordnung braucht mindestens zwei vollständige Paare.",
    "pair": "Zu „{}“ fehlt die rechte Seite.",
    "duplicate": "„{}“ kommt doppelt vor.",
    "number": "„{}“ ist keine Zahl.",
    "range": "Der Bereich braucht ein Minimum, das nicht größer als das Maximum ist.",
    "given_away": "Der Fragetext verrät die Antwort „{}“.",
    "answer_is_option": "Die richtige Antwort darf nicht auch als falsche Antwort stehen.",
    "id": "Die Kennung „{}“ passt nicht: erlaubt sind Buchstaben, Ziffern, Punkt, - und _ "
    "(am Anfang ein Buchstabe oder eine Ziffer), höchstens 64 Zeichen.",
    "id_reserved": "Die Kennung „{}“ ist ein Wort der Adressen dieser App; wähle eine andere.",
    "control": "Der Text enthält Steuerzeichen (etwa ein Nullzeichen); entferne sie.",
    "too_long": "{} hat höchstens {} Zeichen.",
    "too_many_options": "Eine Frage hat höchstens {} Antworten, Einträge oder Paare.",
}

#: The one rule for question ids, whichever way a question enters: an id is one URL path
#: segment (no slash) and never a word the teacher area's URLs use in its place.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
RESERVED_IDS = frozenset({"new", "bulk"})  # /teach/questions/new, /teach/review/bulk
#: What the editor's form accepts, so that an imported question can be edited later.
MAX_LENGTHS = {"prompt": 2000, "answer": 500, "explanation": 4000, "option": 500, "feedback": 2000}
MAX_OPTIONS = 12
#: Kinds whose answer the editor builds from the options (each option has its own limit).
DERIVED_ANSWER_KINDS = frozenset({"multiple_choice", "ordering", "matching"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIELD_NAMES = {
    "prompt": "Der Fragetext",
    "answer": "Die richtige Antwort",
    "explanation": "Die Erklärung",
    "option": "Jede Antwort und jeder Eintrag",
    "feedback": "Jede Rückmeldung",
}


@dataclass(frozen=True)
class OptionInput:
    """One row of the editor's option table."""

    text: str
    correct: bool = False
    match: str = ""
    weight: str = ""  # the option's credit in per cent, as typed; "" for the default
    feedback: str = ""  # shown to a learner who chose or typed this option


@dataclass(frozen=True)
class QuestionInput:
    """Everything the editor form holds, as plain values."""

    kind: str
    prompt: str
    answer: str = ""
    accepted: tuple[str, ...] = ()
    options: tuple[OptionInput, ...] = ()
    explanation: str = ""
    topic: str = "allgemein"
    tolerance: str = ""
    minimum: str = ""
    maximum: str = ""
    # What the teacher wrote beside the content (Moodle's name, ID number, tags) and the
    # text format every text of the question is written in.
    name: str = ""
    idnumber: str = ""
    tags: tuple[str, ...] = ()
    text_format: str = "moodle"
    feedback_right: str = ""  # true/false: shown after a right answer
    feedback_wrong: str = ""  # true/false: shown after a wrong answer

    @property
    def filled_options(self) -> list[OptionInput]:
        """Return the option rows that are not empty."""
        return [o for o in self.options if o.text.strip()]


def check(q: QuestionInput) -> list[tuple[str, str]]:
    """Return (field, message) for everything wrong with the input; empty when it is fine."""
    errors: list[tuple[str, str]] = []
    if not q.prompt.strip():
        errors.append(("prompt", MESSAGES["prompt"]))
    gaps = q.prompt.count(GAP)
    if q.kind == "cloze" and gaps != 1:
        errors.append(("prompt", MESSAGES["gap"]))
    if q.kind != "cloze" and gaps:
        errors.append(("prompt", MESSAGES["no_gap"]))
    options = q.filled_options
    texts = [o.text.strip().casefold() for o in options]
    for text in sorted({t for t in texts if texts.count(t) > 1}):
        errors.append(("options", MESSAGES["duplicate"].format(text)))
    checker = _CHECKS.get(q.kind)
    if checker is None:
        errors.append(("kind", f"Unbekannte Fragenart: {q.kind}"))
    else:
        errors.extend(checker(q, options))
    answer = q.answer.strip()
    reveals = len(answer) > 3 and answer.casefold() in q.prompt.casefold()
    if reveals and q.kind not in ("true_false", "numerical"):
        errors.append(("prompt", MESSAGES["given_away"].format(answer)))
    errors.extend(("name", message) for message in meta_problems(q.name, q.idnumber, ()))
    errors.extend(("tags", message) for message in meta_problems("", "", q.tags))
    return errors


def _needs_answer(q: QuestionInput) -> list[tuple[str, str]]:
    return [] if q.answer.strip() else [("answer", MESSAGES["answer"])]


def _weights(options: list[OptionInput]) -> list[float | None]:
    """Return each option's credit as typed (None: empty or unreadable)."""
    return [parse_number(o.weight) if o.weight.strip() else None for o in options]


def _check_weights(options: list[OptionInput], low: float, message: str) -> list[tuple[str, str]]:
    """Refuse credits that are no numbers or lie outside ``low``..100."""
    for o, w in zip(options, _weights(options), strict=True):
        if o.weight.strip() and (w is None or not low <= w <= 100):
            return [("options", MESSAGES[message])]
    return []


def _check_text(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    return _needs_answer(q) + _check_weights(options, 0, "text_weight")


def _check_true_false(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    return [] if q.answer in ("wahr", "falsch") else [("answer", MESSAGES["true_false"])]


def _check_date(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    errors = _needs_answer(q)
    if q.answer.strip() and parse_german_date(q.answer) is None:
        errors.append(("answer", MESSAGES["date"].format(q.answer)))
    for o in options:
        if _is_right_date_row(o):
            continue  # the right date's row: the answer field holds its text
        if parse_german_date(o.text) is None:
            errors.append(("options", MESSAGES["date_option"].format(o.text)))
        elif parse_german_date(o.text) == parse_german_date(q.answer):
            errors.append(("options", MESSAGES["answer_is_option"]))
    return errors + _check_weights(options, 0, "text_weight")


def _check_single(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    errors = []
    if len(options) < 2:
        errors.append(("options", MESSAGES["single_options"]))
    weight_errors = _check_weights(options, -100, "weight")
    if weight_errors:
        return errors + weight_errors
    drafts = [_choice(o) for o in options]
    values = credits("single_choice", drafts)
    if not any(is_full(c) for c in values):
        errors.append(("options", MESSAGES["single_correct"]))
    for o, credit in zip(options, values, strict=True):
        if o.correct and credit <= 0:
            errors.append(("options", MESSAGES["correct_no_credit"].format(o.text)))
    return errors


def _check_multiple(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    errors = []
    if len(options) < 2:
        errors.append(("options", MESSAGES["multiple_options"]))
    if not any(o.correct for o in options):
        errors.append(("options", MESSAGES["multiple_correct"]))
    weight_errors = _check_weights(options, -100, "weight")
    if weight_errors or errors:
        return errors + weight_errors
    # As Moodle: the credits of the right options (as stored) add up to 100 %.
    positive = sum(w for w in _multiple_weights(options) if w > 0)
    if abs(positive - 100) > 0.5:
        errors.append(("options", MESSAGES["weights"]))
    for o, w in zip(options, _multiple_weights(options), strict=True):
        if o.correct and w <= 0:
            errors.append(("options", MESSAGES["correct_no_credit"].format(o.text)))
    return errors


def _multiple_weights(options: list[OptionInput]) -> list[float]:
    """Return the credit each multiple-choice row gets: as typed, else Moodle's default."""
    right = sum(1 for o in options if o.correct)
    wrong = len(options) - right
    return [_weight(o, default_weight(o.correct, right, wrong)) for o in options]


def _check_ordering(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    return [] if len(options) >= 3 else [("options", MESSAGES["ordering"])]


def _check_matching(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    errors = [("options", MESSAGES["pair"].format(o.text)) for o in options if not o.match.strip()]
    if sum(1 for o in options if o.match.strip()) < 2:
        errors.append(("options", MESSAGES["matching"]))
    return errors


def _check_numerical(q: QuestionInput, options: list[OptionInput]) -> list[tuple[str, str]]:
    from quizapp.answers import number_interval  # the quiz's reading of numerical answers

    errors = [
        ("options", MESSAGES["number_option"].format(o.text))
        for o in options
        if number_interval(o.text) is None
    ]
    errors.extend(_check_weights(options, 0, "text_weight"))
    if q.minimum.strip() or q.maximum.strip():
        low, high = parse_stored_number(q.minimum), parse_stored_number(q.maximum)
        if low is None or high is None or low > high:
            errors.append(("minimum", MESSAGES["range"]))
        return errors
    errors.extend(_needs_answer(q))
    if q.answer.strip() and parse_stored_number(q.answer) is None:
        errors.append(("answer", MESSAGES["number"].format(q.answer)))
    if q.tolerance.strip() and parse_stored_number(q.tolerance) is None:
        errors.append(("tolerance", MESSAGES["number"].format(q.tolerance)))
    return errors


_CHECKS = {
    "single_choice": _check_single,
    "multiple_choice": _check_multiple,
    "true_false": _check_true_false,
    "typed": _check_text,
    "cloze": _check_text,
    "date": _check_date,
    "ordering": _check_ordering,
    "matching": _check_matching,
    "numerical": _check_numerical,
}


def id_problem(question_id: str) -> str | None:
    """Return why a question id breaks the one id rule, or None."""
    if not ID_PATTERN.fullmatch(question_id):
        return MESSAGES["id"].format(question_id[:70])
    if question_id.casefold() in RESERVED_IDS:
        return MESSAGES["id_reserved"].format(question_id)
    return None


def draft_problems(draft: QuestionDraft) -> list[str]:
    """Return what is wrong with a question from an import: the editor's checks, its limits,
    the id rule and control characters. Empty when the question may be stored."""
    problems = []
    found = id_problem(draft.id)
    if found:
        problems.append(found)
    options = [text for c in draft.choices for text in (c.text, c.match or "")]
    feedback = [c.feedback or "" for c in draft.choices]
    feedback += [str(draft.extra.get(k, "")) for k in ("feedback_right", "feedback_wrong")]
    texts = [draft.prompt, draft.answer, draft.explanation, *draft.accepted, *options, *feedback]
    if any(_CONTROL.search(text) for text in texts):
        problems.append(MESSAGES["control"])
    typed_answer = [] if draft.kind in DERIVED_ANSWER_KINDS else [len(draft.answer)]
    lengths = {
        "prompt": len(draft.prompt),
        "answer": max([*typed_answer, *(len(a) for a in draft.accepted)], default=0),
        "explanation": len(draft.explanation),
        "option": max((len(text) for text in options), default=0),
        "feedback": max((len(text) for text in feedback), default=0),
    }
    for name, length in lengths.items():
        if length > MAX_LENGTHS[name]:
            problems.append(MESSAGES["too_long"].format(_FIELD_NAMES[name], MAX_LENGTHS[name]))
    if len(draft.choices) > MAX_OPTIONS:
        problems.append(MESSAGES["too_many_options"].format(MAX_OPTIONS))
    values = {
        "kind": draft.kind,
        "prompt": draft.prompt,
        "answer": draft.answer,
        "accepted": list(draft.accepted),
        "explanation": draft.explanation,
        "topic": draft.topic,
        "extra": dict(draft.extra),
        "choices": [
            {
                "text": c.text,
                "correct": c.correct,
                "match": c.match,
                "weight": c.weight,
                "feedback": c.feedback,
            }
            for c in draft.choices
        ],
    }
    problems.extend(message for _, message in check(input_from_values(values)))
    return problems


def new_id(q: QuestionInput, salt: str) -> str:
    """Return a stable id for a teacher's new question ("t-" + 12 hex)."""
    digest = hashlib.sha256(f"{q.kind}\n{q.prompt}\n{salt}".encode()).hexdigest()
    return "t-" + digest[:12]


def to_draft(q: QuestionInput, **provenance: Any) -> QuestionDraft:
    """Turn checked input into a QuestionDraft (``provenance``: id, document, origin, ...)."""
    options = q.filled_options
    choices: tuple[ChoiceDraft, ...] = ()
    answer, extra = q.answer.strip(), {}
    if q.kind == "single_choice":
        choices = tuple(_choice(o) for o in options)
        values = credits(q.kind, choices)
        answer = next(c.text for c, v in zip(choices, values, strict=True) if is_full(v))
    elif q.kind == "multiple_choice":
        choices = tuple(
            ChoiceDraft(
                o.text.strip(), weight > 0, weight=weight, feedback=o.feedback.strip() or None
            )
            for o, weight in zip(options, _multiple_weights(options), strict=True)
        )
        answer = PAIR_SEPARATOR.join(c.text for c in choices if c.correct)
    elif q.kind == "date":
        # The row ticked "richtig" without other points is the right date's: it keeps its
        # place (an edit then leaves the order alone); else the right date goes where the
        # bank's loader would put it. Other rows are wrong dates, or partly right ones.
        where = next((i for i, o in enumerate(options) if _is_right_date_row(o)), None)
        right_row = options[where] if where is not None else None
        wrong = [_choice(o) for o in options if o is not right_row]
        if where is None and wrong:
            where = correct_position(provenance["id"], len(wrong) + 1)
        feedback = (right_row.feedback.strip() or None) if right_row else None
        if wrong:
            choices = tuple(
                wrong[:where] + [ChoiceDraft(answer, True, feedback=feedback)] + wrong[where:]
            )
    elif q.kind in ("typed", "cloze", "numerical"):
        # Further answers with their own credit and feedback, in the order given.
        choices = tuple(_choice(o) for o in options)
        if q.kind == "numerical":
            if q.minimum.strip() and q.maximum.strip():
                extra = {"min": q.minimum.strip(), "max": q.maximum.strip()}
                answer = answer or f"{q.minimum.strip()}–{q.maximum.strip()}"
            elif q.tolerance.strip():
                extra = {"tolerance": q.tolerance.strip()}
    elif q.kind == "ordering":
        choices = tuple(ChoiceDraft(o.text.strip(), True) for o in options)
        answer = ORDER_SEPARATOR.join(c.text for c in choices)
    elif q.kind == "matching":
        choices = tuple(ChoiceDraft(o.text.strip(), True, match=o.match.strip()) for o in options)
        answer = PAIR_SEPARATOR.join(f"{c.text}{ORDER_SEPARATOR}{c.match}" for c in choices)
    elif q.kind == "true_false":
        for key, text in (
            ("feedback_right", q.feedback_right),
            ("feedback_wrong", q.feedback_wrong),
        ):
            if text.strip():
                extra[key] = text.strip()
    accepted = tuple(a.strip() for a in q.accepted if a.strip())
    return QuestionDraft(
        kind=q.kind,
        prompt=q.prompt.strip(),
        answer=answer,
        explanation=q.explanation.strip(),
        topic=q.topic,
        accepted=accepted,
        choices=choices,
        extra=extra,
        name=q.name.strip(),
        idnumber=q.idnumber.strip(),
        tags=q.tags,
        text_format=q.text_format,
        **provenance,
    )


def _is_right_date_row(option: OptionInput) -> bool:
    """Is this row of a date question the right date's (ticked, full or no points)?"""
    weight = parse_number(option.weight) if option.weight.strip() else None
    return option.correct and (weight is None or is_full(weight))


def _choice(option: OptionInput) -> ChoiceDraft:
    """Return an option row as a choice: its credit as typed, right when it gives credit."""
    weight = parse_number(option.weight) if option.weight.strip() else None
    if weight is not None:
        weight = round(weight, WEIGHT_DECIMALS)
    correct = option.correct if weight is None else weight > 0
    return ChoiceDraft(
        option.text.strip(), correct, weight=weight, feedback=option.feedback.strip() or None
    )


def _weight(option: OptionInput, default: float) -> float:
    value = parse_number(option.weight) if option.weight.strip() else None
    return round(default if value is None else value, WEIGHT_DECIMALS)


def input_from_values(values: Mapping[str, Any]) -> QuestionInput:
    """Build a QuestionInput from stored question values (for the edit form)."""
    kind = values["kind"]
    choices = values.get("choices", [])
    options = tuple(
        OptionInput(
            text=c["text"],
            correct=bool(c["correct"]) and kind not in ("ordering", "matching"),
            match=c.get("match") or "",
            weight=_format_weight(c.get("weight")) if kind not in ("ordering", "matching") else "",
            feedback=c.get("feedback") or "",
        )
        for c in choices
    )
    extra = values.get("extra") or {}
    return QuestionInput(
        kind=kind,
        prompt=values["prompt"],
        answer=values["answer"],
        accepted=tuple(values.get("accepted") or ()),
        options=options,
        explanation=values.get("explanation") or "",
        topic=values["topic"],
        tolerance=extra.get("tolerance", ""),
        minimum=extra.get("min", ""),
        maximum=extra.get("max", ""),
        name=values.get("name") or "",
        idnumber=values.get("idnumber") or "",
        tags=tuple(values.get("tags") or ()),
        text_format=values.get("text_format") or "moodle",
        feedback_right=extra.get("feedback_right", ""),
        feedback_wrong=extra.get("feedback_wrong", ""),
    )


def _format_weight(weight: float | None) -> str:
    if weight is None:
        return ""
    # Every stored decimal, so that saving the form unchanged changes nothing.
    text = f"{weight:.{WEIGHT_DECIMALS}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Change:
    """What an edit changed, for the question's history."""

    fields: dict[str, list[Any]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Change:
    """Return field -> [before, after] for every field whose value differs."""
    keys = sorted(set(before) | set(after))
    return Change({k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)})
