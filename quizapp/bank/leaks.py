"""No question in a quiz gives away another's answer. Plain Python.

"Wann wurde der Frieden von Portsmouth unterzeichnet?" and the true/false statement "Am
5. September 1905 wurde der Frieden von Portsmouth unterzeichnet." must not meet in one quiz;
neither may "Wer war 1940 sowjetischer Außenminister?" and a prompt naming "Außenminister
Molotow". The check compares the answers of the kinds that have one short answer with the
words of every other prompt.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from quizapp.bank.dates import parse_german_date

#: Kinds whose answer is one short text (or date, or number) a prompt could contain.
ANSWERED_KINDS = frozenset({"single_choice", "typed", "cloze", "date", "numerical"})
_MIN_LENGTH = 3


@dataclass(frozen=True)
class Candidate:
    """What the check needs of a question."""

    id: str
    kind: str
    prompt: str
    answer: str
    accepted: tuple[str, ...] = ()


_NON_WORD = re.compile(r"[^\w%]+")


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    """Return ``text`` in lower case with every run of non-word characters one space.

    Kept per process: every quiz start compares the same few hundred prompts and answers.
    """
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def answer_forms(candidate: Candidate) -> list[str]:
    """Return the texts that would give the candidate's answer away, normalised."""
    if candidate.kind not in ANSWERED_KINDS:
        return []
    forms = [candidate.answer, *candidate.accepted]
    if candidate.kind == "date":
        parsed = parse_german_date(candidate.answer)
        if parsed is not None:
            forms.append(str(parsed[0]))  # the year alone gives most of a date away
    return [f for f in (_norm(x) for x in forms) if len(f) >= _MIN_LENGTH]


def reveals(prompt: str, forms: Iterable[str]) -> bool:
    """Tell whether ``prompt`` contains one of the (normalised) answer forms as whole words."""
    text = f" {_norm(prompt)} "
    return any(f" {form} " in text for form in forms)


def clash(a: Candidate, b: Candidate) -> bool:
    """Tell whether one of two questions gives the other's answer away."""
    return reveals(b.prompt, answer_forms(a)) or reveals(a.prompt, answer_forms(b))


def draw_compatible(
    candidates: Sequence[Candidate], length: int, rng: random.Random
) -> list[Candidate]:
    """Draw up to ``length`` candidates at random, none of which reveals another's answer."""
    order = rng.sample(list(candidates), len(candidates))
    chosen: list[Candidate] = []
    forms: list[list[str]] = []
    for candidate in order:
        if len(chosen) == length:
            break
        mine = answer_forms(candidate)
        if any(reveals(candidate.prompt, f) for f in forms) or any(
            reveals(other.prompt, mine) for other in chosen
        ):
            continue
        chosen.append(candidate)
        forms.append(mine)
    return chosen
