"""Grade quiz answers fairly: plain Python, no Flask, no database, no clock.

Every grader returns a :class:`Grade` with ``score`` in ``[0, 1]``; ``correct`` is True exactly
when the score is 1.0. Input typed by a learner never raises: empty or garbage is just wrong.

Text (typed, cloze)
    Answers are compared after :func:`normalise` (case, whitespace, punctuation, quote and dash
    variants, ``ä``/``ae`` and ``ß``/``ss``, diacritics, hyphen vs space). Spaces and a leading
    German article are ignored as well ("Nord-Korea" = "Nordkorea", "die Kurilen" = "Kurilen").
    A small typo is tolerated by optimal-string-alignment edit distance (Levenshtein plus
    adjacent transpositions): no edit for answers of at most 4 characters, 1 edit for 5-8,
    2 edits for longer ones. In answers of several words each word gets its own allowance by its
    length and the answer at most the sum, so a short word must be exact ("Kim Jong-il" is not
    "Kim Jong-un", "Alexander III" is not "Alexander II"). The digits must match exactly ("1906"
    is never "1905") and so must the first letter, because a different first letter usually
    means a different word ("Ostsibirien" vs "Westsibirien"). A tolerated typo still scores 1.0
    but sets ``typo=True`` and note ``"typo"``.

Listed answers with their own credit (typed, cloze, date: :func:`grade_answers`)
    A question lists answers, each with its credit in per cent and its feedback
    (``quizapp.credit``): the main answer and the accepted ones at full credit, further ones
    with partial or no credit, ``*`` wildcards and the ``*`` catch-all. As in Moodle's short
    answer, the first answer in order that matches gives the score and the feedback. Exact
    matches (after normalising) of every answer come before typo matches, so "Nazereth" at 75 %
    is not taken for a typo of "Nazareth" at 100 %; typos count only for answers with credit.

Dates and spans of years
    Read as German readers write them (``quizapp.germanforms``): "5. September 1905",
    "am 5.9.1905", "05.09.1905", "1905-09-05", "Sept. 1905", "07.1907", "im Jahr 1905";
    "1904-1905", "1904/05", "1904–05", "1904 bis 1905", "von 1904 bis 1905". Dates are
    compared at the precision of the expected answer: where only the year is asked any date
    in that year is right, where the day is asked a bare year is not (note ``"year_only"``).
    A two-digit year ("5.9.05") counts where the question's own years leave its century
    clear, else note ``"short_year"``. Two readable dates are never typo-matched ("5. Juni" is
    not "5. Juli"); only an unreadable answer ("5. Septmber 1905") falls back to the text
    comparison.

Choice
    Single choice: the chosen option's credit (a negative credit scores 0: a question never
    scores below nothing). Multiple choice: the sum of the chosen options' credits, clipped to
    0..100 %, as Moodle grades it. True/false: the chosen value.

Numbers
    German and plain notation (``quizapp.germanforms.parse_number``: "1.905,5", "3,5",
    "−3"), optionally with a unit ("17,3 km"). Listed numerical answers (exact, ± tolerance,
    a range, or ``*``) are tried in order, the first containing the number gives its credit.

Ordering: Kendall-tau based partial credit
    ``score = 1 - discordant_pairs / (n * (n - 1) / 2)``: the fraction of item pairs the learner
    put in the correct relative order. One swap of neighbours out of 4 items scores 5/6, the
    reversed order scores 0. Only the exact order scores 1.0.

Matching
    ``score = correctly_matched_pairs / pairs``.

Note codes (``Grade.note``; the UI maps them to German text):
    ``"empty"`` nothing was answered; ``"typo"`` right with a tolerated typo;
    ``"year_only"`` only the (right) year was given, more was asked; ``"month_year_only"`` only
    the (right) month and year were given, the day is missing; ``"year_right"`` the year is
    right but the month is not; ``"month_year_right"`` month and year are right but the day is
    not; ``"short_year"`` a two-digit year the question leaves ambiguous;
    ``"range_incomplete"`` one year where a span of years was asked.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from quizapp.credit import FULL, is_full, score_of
from quizapp.germanforms import (
    DateReading,
    YearRange,
    number_readings,
    parse_date,
    parse_number,
    parse_year_range,
    resolve_short_year,
)

__all__ = ["parse_number"]  # re-exported: the editor and older callers read numbers here

NOTE_EMPTY = "empty"
NOTE_TYPO = "typo"
NOTE_YEAR_ONLY = "year_only"
NOTE_MONTH_YEAR_ONLY = "month_year_only"
NOTE_YEAR_RIGHT = "year_right"
NOTE_MONTH_YEAR_RIGHT = "month_year_right"
NOTE_SHORT_YEAR = "short_year"
NOTE_RANGE_INCOMPLETE = "range_incomplete"


@dataclass(frozen=True, slots=True)
class Grade:
    """The outcome of grading one answer."""

    score: float  # 0.0 .. 1.0
    correct: bool  # True only at score 1.0
    typo: bool = False  # right, but only thanks to typo tolerance
    note: str | None = None  # machine-readable code, see the module docstring

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score out of range: {self.score!r}")
        if self.correct and self.score != 1.0:
            raise ValueError("a correct grade must score 1.0")


_RIGHT = Grade(1.0, True)
_WRONG = Grade(0.0, False)
_EMPTY = Grade(0.0, False, note=NOTE_EMPTY)
_TYPO = Grade(1.0, True, typo=True, note=NOTE_TYPO)

# Removed rather than turned into a space, so that "P'yŏngyang" = "Pyongyang".
_APOSTROPHES = str.maketrans("", "", "'’‘‛ʼʻʽ`´ʹ′")
# Letters Unicode does not decompose into base letter + mark.
_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i"}
    | {"æ": "ae", "œ": "oe", "þ": "th"}
)
_NOT_ALNUM = re.compile(r"[^\w]|_")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_ARTICLES = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"}
)


def normalise(text: str) -> str:
    """Return ``text`` lower-cased, with umlauts spelled out, marks and punctuation removed."""
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    # Spell out umlauts before stripping marks, so "ä" meets "ae" and not "a".
    text = text.translate(_LETTERS)
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
    )
    # Recompose what NFKD split without marks (Hangul syllables), keeping the result idempotent.
    text = unicodedata.normalize("NFC", text)
    text = _NOT_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _words(normalised: str) -> tuple[str, ...]:
    """Return the words that count: a leading article is dropped."""
    words = normalised.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return tuple(words)


def _typo_budget(length: int) -> int:
    """Return how many edits a word of ``length`` characters tolerates."""
    if length <= 4:
        return 0
    if length <= 8:
        return 1
    return 2


def _numbers(words: Sequence[str]) -> list[str]:
    return [run.lstrip("0") or "0" for word in words for run in _DIGITS.findall(word)]


def _is_typo(given: Sequence[str], accepted: Sequence[str]) -> bool:
    """Tell whether the words ``given`` are a small misspelling of the words ``accepted``."""
    given_key, accepted_key = "".join(given), "".join(accepted)
    # Short words get no edit, so "Kim Jong-il" never passes for "Kim Jong-un".
    budget = min(_typo_budget(len(accepted_key)), sum(_typo_budget(len(word)) for word in accepted))
    if budget == 0 or given_key[0] != accepted_key[0] or _numbers(given) != _numbers(accepted):
        return False
    if OSA.distance(given_key, accepted_key, score_cutoff=budget) > budget:
        return False
    if len(given) != len(accepted):
        return True  # words split differently ("Wladi Wostock"): the whole key decides
    # Word by word, so a short word stays exact: "Alexander III" is not "Alexander II".
    return all(
        OSA.distance(word, want, score_cutoff=limit) <= limit
        for word, want in zip(given, accepted, strict=True)
        for limit in (_typo_budget(len(want)),)
    )


def grade_text(given: str, accepted: Sequence[str]) -> Grade:
    """Grade a typed answer against the main answer and its accepted alternatives."""
    if not isinstance(given, str) or not given.strip():
        return _EMPTY
    words = _words(normalise(given))
    candidates = []
    for answer in accepted:
        if answer_words := _words(normalise(answer)):
            candidates.append(answer_words)
        # An answer of punctuation only has no words; it can still be typed verbatim.
        elif answer.strip() and given.strip() == answer.strip():
            return _RIGHT
    if not words:
        return _WRONG
    # Spaces don't count: "Nordkorea" = "Nord-Korea", "Kim Jongun" = "Kim Jong-un".
    key = "".join(words)
    if any(key == "".join(answer_words) for answer_words in candidates):
        return _RIGHT
    if any(_is_typo(words, answer_words) for answer_words in candidates):
        return _TYPO
    return _WRONG


# --- answers with their own credit (typed, cloze, date) -----------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer a question lists, with its credit in per cent and its feedback."""

    text: str
    credit: float = FULL
    feedback: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """The grade of a typed answer and the listed answer it matched (None: none)."""

    grade: Grade
    answer: Answer | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What comparing needs of one listed answer, computed once per text."""

    words: tuple[str, ...]
    key: str
    date: DateReading | None
    span: YearRange | None
    pattern: tuple[str, ...] | None  # the answer's texts between ``*`` wildcards


_WILDCARD = re.compile(r"(?<!\\)\*+")


@functools.lru_cache(maxsize=4096)
def _prepare(text: str) -> _Prepared:
    words = _words(normalise(text))
    pattern = None
    if _WILDCARD.search(text):
        # Moodle's short-answer wildcard: "*" stands for any text, "\*" is a literal star.
        pattern = tuple(
            "".join(normalise(bit.replace("\\*", "*")).split()) for bit in _WILDCARD.split(text)
        )
    date = parse_date(text)
    if date is not None and date.short_year:
        date = None  # an answer's own year is read only with four digits
    return _Prepared(words, "".join(words), date, parse_year_range(text), pattern)


def _glob(bits: Sequence[str], key: str) -> bool:
    """Does ``key`` consist of ``bits`` in order with anything between them (``*``)?

    Leftmost matching of each middle bit is optimal for ``*``-only patterns, so this takes
    linear time where a regular expression could backtrack for ages ("*a*a*a*a*...").
    """
    first, *middle, last = bits
    if len(key) < len(first) + len(last) or not key.startswith(first) or not key.endswith(last):
        return False
    position, end = len(first), len(key) - len(last)
    for bit in middle:
        found = key.find(bit, position, end)
        if found < 0:
            return False
        position = found + len(bit)
    return True


def _question_years(prepared: Sequence[_Prepared]) -> set[int]:
    """Return the four-digit years a question's answers name (for two-digit years)."""
    years: set[int] = set()
    for p in prepared:
        if p.date is not None:
            years.add(p.date.year)
        if p.span is not None:
            years.update((p.span.start, p.span.end))
    return years


def _same_span_or_date(
    answer: _Prepared, span: YearRange | None, reading: DateReading | None
) -> bool:
    """Is the learner's span of years or date the answer's, exactly?"""
    if answer.span is not None and span == answer.span:
        return True
    if answer.date is None or reading is None:
        return False
    return (reading.year, reading.month, reading.day) == (
        answer.date.year,
        answer.date.month,
        answer.date.day,
    )


def _covers(given: DateReading, answer: DateReading) -> bool:
    """Is ``given`` the answer's date, at least as precise as the answer asks?"""
    if given.year != answer.year:
        return False
    if answer.month is None:
        return True
    return given.month == answer.month and (answer.day is None or given.day == answer.day)


def _graded(answer: Answer, typo: bool = False) -> Match:
    score = score_of(answer.credit)
    full = score == 1.0
    return Match(Grade(score, full, typo=typo, note=NOTE_TYPO if typo else None), answer)


def grade_answers(given: str, answers: Sequence[Answer]) -> Match:
    """Grade a typed answer against the question's listed answers, each with its own credit.

    As Moodle's short answer does, the first listed answer (in order) that the learner's text
    matches gives the score and the feedback; ``*`` in an answer matches any text. Matching is
    done in three rounds, each over all answers in order: the same text after
    :func:`normalise` (or the same date, or the same span of years, in any German form;
    ``quizapp.germanforms``); then a date more precise than the answer asks ("5. September
    1905" where "1905" is asked); then a small typo of an answer with credit above 0 (never
    between two readable dates). Nothing matched: 0, with a note when a date or span of years
    was right in part or incomplete (see the module docstring).
    """
    if not isinstance(given, str) or not given.strip():
        return Match(_EMPTY)
    words = _words(normalise(given))
    key = "".join(words)
    full_key = "".join(normalise(given).split())
    prepared = [(answer, _prepare(answer.text)) for answer in answers]
    reading = parse_date(given)
    ambiguous = False
    if reading is not None and reading.short_year:
        reading = resolve_short_year(reading, _question_years([p for _, p in prepared]))
        ambiguous = reading is None
    span = parse_year_range(given)
    for answer, p in prepared:
        if p.pattern is not None:
            if key and (_glob(p.pattern, key) or _glob(p.pattern, full_key)):
                return _graded(answer)
        elif p.words and key == p.key:
            return _graded(answer)
        elif not p.words and answer.text.strip() and given.strip() == answer.text.strip():
            # An answer of punctuation only has no words; it can still be typed verbatim.
            return _graded(answer)
        elif _same_span_or_date(p, span, reading):
            return _graded(answer)
    if reading is not None:
        for answer, p in prepared:
            if p.date is not None and _covers(reading, p.date):
                return _graded(answer)
    if words:
        for answer, p in prepared:
            if answer.credit <= 0 or p.pattern is not None or not p.words:
                continue
            if p.date is not None and (reading is not None or ambiguous):
                continue  # "5. Juni" is no typo of "5. Juli"
            if _is_typo(words, p.words):
                return _graded(answer, typo=True)
    return Match(_wrong_note(reading, span, ambiguous, prepared))


def _wrong_note(
    reading: DateReading | None,
    span: YearRange | None,
    ambiguous: bool,
    prepared: Sequence[tuple[Answer, _Prepared]],
) -> Grade:
    """Return the wrong grade with the note that tells the learner the most."""
    if ambiguous:
        return Grade(0.0, False, note=NOTE_SHORT_YEAR)
    full = [p for answer, p in prepared if is_full(answer.credit)]
    if reading is not None:
        grades = [_compare_dates(reading, p.date) for p in full if p.date is not None]
        if grades:
            return max(grades, key=lambda grade: _NOTE_RANK.get(grade.note, 0))
        if reading.precision == "year" and span is None and any(p.span for p in full):
            return Grade(0.0, False, note=NOTE_RANGE_INCOMPLETE)
    return _WRONG


def _compare_dates(given: DateReading, answer: DateReading) -> Grade:
    """Grade ``given`` at the precision of ``answer``; more precision than asked is fine."""
    year, month, day = given.year, given.month, given.day
    want_year, want_month, want_day = answer.year, answer.month, answer.day
    if year != want_year:
        return _WRONG
    if want_month is None:
        return _RIGHT
    if month is None:
        return Grade(0.0, False, note=NOTE_YEAR_ONLY)
    if month != want_month:
        return Grade(0.0, False, note=NOTE_YEAR_RIGHT)
    if want_day is None:
        return _RIGHT
    if day is None:
        return Grade(0.0, False, note=NOTE_MONTH_YEAR_ONLY)
    if day != want_day:
        return Grade(0.0, False, note=NOTE_MONTH_YEAR_RIGHT)
    return _RIGHT


# Among wrong date grades, prefer the note that tells the learner the most.
_NOTE_RANK = {
    None: 0,
    NOTE_YEAR_RIGHT: 1,
    NOTE_YEAR_ONLY: 2,
    NOTE_MONTH_YEAR_RIGHT: 3,
    NOTE_MONTH_YEAR_ONLY: 4,
}


def grade_date(given: str, answer: str, accepted: Sequence[str] = ()) -> Grade:
    """Grade a typed date (or span of years) against the expected text and alternatives."""
    return grade_answers(given, [Answer(text) for text in (answer, *accepted)]).grade


# --- choices -----------------------------------------------------------------------------------

_TRUE_FALSE = {"wahr": True, "true": True, "falsch": False, "false": False}


def grade_choice(given_id: int, correct_id: int) -> Grade:
    """Grade a single-choice answer by the id of the chosen option."""
    # bool is an int subclass; a True from a broken form must not pass for option 1.
    if isinstance(given_id, bool) or not isinstance(given_id, int):
        return _WRONG
    return _RIGHT if given_id == correct_id else _WRONG


def grade_true_false(given: str | bool, answer: str) -> Grade:
    """Grade a true/false answer; ``answer`` is "wahr" or "falsch" (ValueError otherwise)."""
    expected = _TRUE_FALSE.get(normalise(answer))
    if expected is None:
        raise ValueError(f"true/false answer must be 'wahr' or 'falsch', not {answer!r}")
    if isinstance(given, bool):
        chosen: bool | None = given
    elif isinstance(given, str):
        chosen = _TRUE_FALSE.get(normalise(given))
    else:
        chosen = None
    if chosen is None:
        return _EMPTY if given is None or given == "" else _WRONG
    return _RIGHT if chosen == expected else _WRONG


# --- ordering and matching ---------------------------------------------------------------------


def _discordant_pairs(ranks: Sequence[int]) -> int:
    """Count the pairs ``i < j`` with ``ranks[i] > ranks[j]`` (O(n²): orderings are short)."""
    return sum(1 for i, rank in enumerate(ranks) for later in ranks[i + 1 :] if rank > later)


def grade_ordering(given: Sequence[str | int], correct: Sequence[str | int]) -> Grade:
    """Grade an ordering by the share of item pairs in the right relative order.

    Raise ValueError if ``given`` does not hold exactly the items of ``correct``.
    """
    given, correct = list(given), list(correct)
    if Counter(given) != Counter(correct):
        raise ValueError("the given ordering does not hold the same items as the correct one")
    # Give each item its correct position; repeated items take theirs first come, first served,
    # which never adds a discordant pair between equal items.
    positions: defaultdict[str | int, list[int]] = defaultdict(list)
    for position, item in enumerate(correct):
        positions[item].append(position)
    for queue in positions.values():
        queue.reverse()
    ranks = [positions[item].pop() for item in given]
    pairs = len(ranks) * (len(ranks) - 1) // 2
    if pairs == 0:
        return _RIGHT
    discordant = _discordant_pairs(ranks)
    if discordant == 0:
        return _RIGHT
    return Grade((pairs - discordant) / pairs, False)


def grade_matching(
    given: Mapping[str, str], correct: Mapping[str, str], offered: Sequence[str] = ()
) -> Grade:
    """Grade a matching by the share of left items paired with the right right-hand side.

    An empty choice ("") counts as wrong. ``offered`` are extra right-hand sides besides the
    correct ones (GIFT's ``= -> x``). Raise ValueError if ``given`` has other left items than
    ``correct``, or right-hand sides that are not offered.
    """
    if set(given) != set(correct):
        raise ValueError("the given matching does not hold the same items as the correct one")
    offered = set(correct.values()) | set(offered)
    if any(choice and choice not in offered for choice in given.values()):
        raise ValueError("the given matching uses a right-hand side that is not offered")
    if not correct:
        return _RIGHT
    right = sum(1 for left, choice in given.items() if choice == correct[left])
    if right == len(correct):
        return _RIGHT
    return Grade(right / len(correct), False)


# --- multiple choice and numbers -----------------------------------------------------------


def grade_multiple(given_ids: Sequence[int], credits: Mapping[int, float]) -> Grade:
    """Grade a multiple-choice answer as Moodle does: the sum of the picked options' credits.

    Credits are percentages (right options positive, usually summing to 100; wrong ones
    negative or 0); the sum is clipped to 0..100. Raises ValueError for an option that was
    not offered (a forged form) or picked twice.
    """
    picked = list(given_ids)
    if len(set(picked)) != len(picked) or any(i not in credits for i in picked):
        raise ValueError("picked options must be distinct options of the question")
    if not picked:
        return _EMPTY
    score = score_of(sum(credits[i] for i in picked))
    return Grade(score, score == 1.0)


def grade_single(given_id: int, credits: Mapping[int, float]) -> Grade:
    """Grade a single-choice answer by the chosen option's credit (negative credit: 0).

    Raises ValueError for an option that was not offered.
    """
    if isinstance(given_id, bool) or given_id not in credits:
        raise ValueError("the chosen option is not an option of the question")
    score = score_of(credits[given_id])
    return Grade(score, score == 1.0)


def grade_numerical(
    given: str,
    answer: str,
    tolerance: float = 0.0,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Grade:
    """Grade a number: exact, within ``answer ± tolerance``, or within ``minimum..maximum``."""
    if not given.strip():
        return _EMPTY
    value = parse_number(given)
    if value is None:
        return _WRONG
    if minimum is not None and maximum is not None:
        return _RIGHT if minimum <= value <= maximum else _WRONG
    expected = parse_number(answer)
    if expected is None:
        return _WRONG
    return _RIGHT if abs(value - expected) <= abs(tolerance) + 1e-9 else _WRONG


def grade_number_answers(
    given: str, answers: Sequence[tuple[float | None, float | None, Answer]]
) -> Match:
    """Grade a number against listed answers ``(low, high, answer)``, first match wins.

    ``low..high`` is the interval an answer accepts (the number ± its tolerance, or its
    range); ``(None, None)`` is Moodle's ``*``, matching any answer. The number may carry a
    unit or per-cent sign ("17,3 km", "90 %"), which is not checked. "3.141" is read both
    as German (3141) and with a decimal point (``quizapp.germanforms.number_readings``).
    """
    if not isinstance(given, str) or not given.strip():
        return Match(_EMPTY)
    values = number_readings(given)
    for low, high, answer in answers:
        if low is None and high is None:
            return _graded(answer)
        if low is None or high is None:
            continue
        if any(low - 1e-9 <= value <= high + 1e-9 for value in values):
            return _graded(answer)
    return Match(_WRONG)
