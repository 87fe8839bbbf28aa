"""The one grading model: what each option or listed answer of a question is worth.

Plain Python. Every kind stores its options and further answers as choices (``Choice`` rows,
``ChoiceDraft`` values) with ``correct``, ``weight`` and ``feedback``. ``weight`` is the
*credit* of the option in per cent of the question's score, Moodle's "grade" or fraction
times 100 (``%50%`` in GIFT); ``None`` means the default below. ``feedback`` is shown to a
learner whose answer chose or matched that option.

=====================  ====================================================================
kind                   what the choices are, and how they are worth
=====================  ====================================================================
single_choice          the options. The chosen option's credit is the score (a negative
                       credit scores 0). Default: 100 if ``correct`` else 0. At least one
                       option has full credit; ``answer`` is the first of those.
multiple_choice        the options. The credits of all chosen options are added up and the
                       sum is clipped to 0..100. Default: a right option without a weight
                       shares what the weighted right options leave of 100; a wrong one 0.
typed, cloze, date     further answers with their own credit, in order, besides ``answer``
                       and ``accepted`` (always full credit). Default: 100 if ``correct``
                       else 0 (Moodle's 0 % answers, for their feedback; the plausible wrong
                       dates of a date question are such answers). ``*`` in an answer is a
                       wildcard, ``*`` alone the catch-all.
numerical              further answers ``1905``, ``1905:2`` (± tolerance), ``1900..1910``
                       or ``*`` with their own credit, in order, besides ``answer`` with
                       the question's tolerance or range. Default as for typed.
true_false             no choices; ``extra["feedback_right"]`` / ``["feedback_wrong"]``.
ordering, matching     items and pairs; no credit of their own (partial credit by the share
                       of pairs in the right order, or of right pairs).
=====================  ====================================================================

``correct`` says whether an option counts as right where a page marks it (credit above 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

FULL = 100.0
#: Kinds whose listed answers are compared with what the learner typed.
TEXT_KINDS = ("typed", "cloze", "date")
#: Kinds whose options the learner picks.
PICK_KINDS = ("single_choice", "multiple_choice")


class HasCredit(Protocol):
    """Anything with a ``correct`` flag and an optional ``weight`` (Choice, ChoiceDraft, ...)."""

    @property
    def correct(self) -> bool: ...

    @property
    def weight(self) -> float | None: ...


def credits(kind: str, options: Sequence[HasCredit]) -> list[float]:
    """Return the credit in per cent of each option, in the order given."""
    if kind == "multiple_choice":
        weighted = sum(
            o.weight for o in options if o.correct and o.weight is not None and o.weight > 0
        )
        unweighted = sum(1 for o in options if o.correct and o.weight is None)
        share = max(0.0, FULL - weighted) / unweighted if unweighted else 0.0
        return [
            float(o.weight) if o.weight is not None else (share if o.correct else 0.0)
            for o in options
        ]
    return [
        float(o.weight) if o.weight is not None else (FULL if o.correct else 0.0) for o in options
    ]


def is_full(credit: float) -> bool:
    """Tell whether a credit is full marks (allowing for rounded thirds: 99.999...)."""
    return credit >= FULL - 1e-3


def score_of(credit: float) -> float:
    """Return a credit in per cent as a score in 0..1 (clipped; full credit is exactly 1)."""
    if is_full(credit):
        return 1.0
    return round(min(FULL, max(0.0, credit)) / FULL, 4)
