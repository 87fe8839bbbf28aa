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

Dates
    German forms ("5. September 1905", "5. Sept. 1905", "05.09.1905", "5.9.1905",
    "1905-09-05", "Juli 1907", "07.1907", "7/1907", "1905") are parsed and compared at the
    precision of the expected answer: where only the year is asked any date in that year is
    right, where the day is asked a bare year is wrong (note ``"year_only"``). Parsing is
    :func:`quizapp.bank.dates.parse_german_date` plus the ISO and numeric month+year forms it
    does not read. Two readable dates are never typo-matched ("5. Juni" is not "5. Juli"); only
    an unreadable answer ("5. Septmber 1905") falls back to the text comparison.

Choice, true/false
    Exact match of the chosen option.

Ordering: Kendall-tau based partial credit
    ``score = 1 - discordant_pairs / (n * (n - 1) / 2)``: the fraction of item pairs the learner
    put in the correct relative order. One swap of neighbours out of 4 items scores 5/6, the
    reversed order scores 0. Only the exact order scores 1.0.

Matching
    ``score = correctly_matched_pairs / pairs``.

Note codes (``Grade.note``; the UI maps them to German text):
    ``"empty"`` nothing was answered; ``"typo"`` right with a tolerated typo;
    ``"year_only"`` only the (right) year was given, more was asked; ``"month_year_only"`` only
    the (right) month and year were given, the day was asked; ``"year_right"`` the year is right
    but the month is not; ``"month_year_right"`` month and year are right but the day is not.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from quizapp.bank.dates import parse_german_date

NOTE_EMPTY = "empty"
NOTE_TYPO = "typo"
NOTE_YEAR_ONLY = "year_only"
NOTE_MONTH_YEAR_ONLY = "month_year_only"
NOTE_YEAR_RIGHT = "year_right"
NOTE_MONTH_YEAR_RIGHT = "month_year_right"


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


# --- dates -------------------------------------------------------------------------------------

Date = tuple[int, int | None, int | None]  # (year, month, day); month/day None if not given

# Numeric forms quizapp.bank.dates does not read: ISO "1905-09-05" / "1907-07" and month+year
# "07.1907" / "7/1907". Years need three or four digits, as there.
_ISO_DATE = re.compile(r"(?P<year>\d{3,4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?", re.ASCII)
_MONTH_YEAR = re.compile(r"(?P<month>\d{1,2})\s*[./]\s*(?P<year>\d{3,4})", re.ASCII)


def _parse_date(text: str) -> Date | None:
    """Parse a date in any form a learner may type; return None if it is none."""
    text = " ".join(text.split())
    if (date := parse_german_date(text)) is not None:
        return date
    match = _ISO_DATE.fullmatch(text) or _MONTH_YEAR.fullmatch(text)
    if match is None:
        return None
    day = match.groupdict().get("day")
    # Let the bank judge impossible dates ("1905-02-30", "13/1905") in its own numeric form.
    checked = parse_german_date(f"{day or 1}.{match['month']}.{match['year']}")
    if checked is None:
        return None
    year, month, _ = checked
    return (year, month, int(day) if day else None)


def _compare_dates(given: Date, answer: Date) -> Grade:
    """Grade ``given`` at the precision of ``answer``; more precision than asked is fine."""
    (year, month, day), (want_year, want_month, want_day) = given, answer
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
    """Grade a typed date against the expected date text and accepted alternatives."""
    answers = (answer, *accepted)
    verbatim = grade_text(given, answers)
    if (verbatim.correct and not verbatim.typo) or verbatim.note == NOTE_EMPTY:
        return verbatim
    given_date = _parse_date(given)
    if given_date is None:
        # Not a date we can read, e.g. a misspelt month ("Septmber"): a typo is all that's left.
        return verbatim
    wanted = [date for text in answers if (date := _parse_date(text)) is not None]
    if not wanted:
        # No answer is a readable date ("1904/05"): the text comparison is all there is.
        return verbatim
    grades = [_compare_dates(given_date, date) for date in wanted]
    return max(grades, key=lambda grade: (grade.score, _NOTE_RANK.get(grade.note, 0)))


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


def grade_matching(given: Mapping[str, str], correct: Mapping[str, str]) -> Grade:
    """Grade a matching by the share of left items paired with the right right-hand side.

    An empty choice ("") counts as wrong. Raise ValueError if ``given`` has other left items
    than ``correct``, or right-hand sides that ``correct`` does not offer.
    """
    if set(given) != set(correct):
        raise ValueError("the given matching does not hold the same items as the correct one")
    offered = set(correct.values())
    if any(choice and choice not in offered for choice in given.values()):
        raise ValueError("the given matching uses a right-hand side that is not offered")
    if not correct:
        return _RIGHT
    right = sum(1 for left, choice in given.items() if choice == correct[left])
    if right == len(correct):
        return _RIGHT
    return Grade(right / len(correct), False)


# --- multiple choice and numbers -----------------------------------------------------------


def grade_multiple(given_ids: Sequence[int], weights: Mapping[int, float]) -> Grade:
    """Grade a multiple-choice answer as Moodle does: the sum of the picked options' weights.

    Weights are percentages (right options positive, summing to 100; wrong ones negative); the
    sum is clipped to 0..100. Raises ValueError for an option that was not offered (a forged
    form) or picked twice.
    """
    picked = list(given_ids)
    if len(set(picked)) != len(picked) or any(i not in weights for i in picked):
        raise ValueError("picked options must be distinct options of the question")
    if not picked:
        return _EMPTY
    score = min(100.0, max(0.0, sum(weights[i] for i in picked))) / 100
    full = score >= 0.9999
    return Grade(1.0 if full else round(score, 4), full)


_GERMAN_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_number(text: str) -> float | None:
    """Read a number as Germans write it ("1.905,5", "1905,5", "1.905") or plainly ("1905.5").

    A dot followed by groups of exactly three digits is a German thousands separator.
    """
    cleaned = re.sub(r"[\s\u202f\u00a0']", "", text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".", 1) if cleaned.count(",") == 1 else ""
    elif _GERMAN_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        return None
    return float(cleaned)


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
