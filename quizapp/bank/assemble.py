"""Put the curated and the fact-built questions together: one question per fact and kind.

A curated question that asks what a template asks says so (``replaces: <fact>/<template>``)
and wins: the template's question is left out. A curated question that asks the same as a
template's without saying so is an error, so the bank never teaches one thing twice under two
ids. Plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from quizapp.bank.dates import parse_german_date
from quizapp.bank.types import QuestionDraft

#: Prompts at least this similar (rapidfuzz token-set ratio) with the same answer are one question.
SAME_QUESTION = 82
#: Kinds whose questions can ask the same thing: a date and a typed year, a choice and a text.
_FAMILY = {
    "date": "when",
    "numerical": "when",
    "single_choice": "what",
    "typed": "what",
    "cloze": "what",
    "multiple_choice": "which",
    "true_false": "statement",
    "ordering": "order",
    "matching": "match",
}


def assemble(
    curated: Sequence[QuestionDraft], generated: Sequence[QuestionDraft]
) -> tuple[list[QuestionDraft], list[str]]:
    """Return the bank (curated first) and the problems found, as ``where: what`` lines."""
    errors: list[str] = []
    by_slot = {(g.fact, g.extra.get("template")): g for g in generated if g.fact}
    replaced: set[str] = set()
    for question in curated:
        target = question.extra.get("replaces")
        if not target:
            continue
        fact, _, template = target.partition("/")
        found = by_slot.get((fact, template))
        where = question.extra.get("defined_at", question.id)
        if found is None:
            errors.append(f"{where}: 'replaces: {target}' matches no question built from the facts")
            continue
        replaced.add(found.id)
    kept = [g for g in generated if g.id not in replaced]
    for question in curated:
        where = question.extra.get("defined_at", question.id)
        for other in kept:
            if other.document == question.document and same_question(question, other):
                errors.append(
                    f"{where}: '{question.id}' asks what '{other.id}' (built from fact "
                    f"'{other.fact}') asks: add 'replaces: {other.fact}/"
                    f"{other.extra.get('template')}' or ask something else"
                )
    errors.extend(_same_events(kept))
    return [*curated, *kept], errors


def _same_events(generated: Sequence[QuestionDraft]) -> list[str]:
    """Report two facts that state one event (their date questions ask the same): one
    event is defined once, in one document's file."""
    dates = [g for g in generated if g.extra.get("template") == "date" and g.fact]
    errors = []
    for i, a in enumerate(dates):
        for b in dates[i + 1 :]:
            if a.fact != b.fact and same_question(a, b):
                errors.append(
                    f"facts '{a.fact}' ({a.document}) and '{b.fact}' ({b.document}) state the "
                    f"same event ({a.answer}): define it once"
                )
    return errors


def same_question(a: QuestionDraft, b: QuestionDraft) -> bool:
    """Tell whether two questions ask the same: the same kind of answer, the same answer,
    and nearly the same prompt."""
    family = _FAMILY.get(a.kind)
    if family is None or family != _FAMILY.get(b.kind) or family in ("order", "match"):
        return False
    if family == "statement":
        return fuzz.token_set_ratio(a.prompt, b.prompt) >= 90 and a.answer == b.answer
    if not _same_answer(a.answer, b.answer):
        return False
    return fuzz.token_set_ratio(a.prompt, b.prompt) >= SAME_QUESTION


def _same_answer(a: str, b: str) -> bool:
    left, right = parse_german_date(a), parse_german_date(b)
    if left is not None and right is not None:
        return left == right
    return " ".join(a.lower().split()) == " ".join(b.lower().split())
