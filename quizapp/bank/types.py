"""Value types shared by the cleaning, generation and curation steps."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Every question kind the bank knows. Ordering and matching keep their items in ``choices``.
KINDS: tuple[str, ...] = (
    "single_choice",  # one correct option among several
    "true_false",  # a statement; answer is "wahr" or "falsch"
    "typed",  # free text, several accepted answers
    "cloze",  # prompt contains "___" for the gap; typed answer
    "date",  # "Wann ...?"; answer is a German date text, choices hold plausible wrong dates
    "ordering",  # choices in the correct chronological order
    "matching",  # choices: text = left side, match = right side
    "multiple_choice",  # several right options; choices carry weights (GIFT's ~%50%)
    "numerical",  # a number; extra holds "tolerance" or "min" and "max" (GIFT's {#...})
)

ORIGINS: tuple[str, ...] = ("generated", "curated", "teacher")
STATUSES: tuple[str, ...] = ("draft", "approved", "rejected", "retired")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a cleaned document; ``start``/``end`` index into the cleaned text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CleanedDocument:
    """A source document with its boilerplate removed."""

    name: str  # file name, e.g. "004_401761815e4e5e11.txt"
    title: str
    text: str  # the cleaned text; sentence offsets point into it
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class ChoiceDraft:
    """One option of a question (or one item of an ordering / one pair of a matching)."""

    text: str
    correct: bool = False
    match: str | None = None  # right-hand side, matching questions only
    weight: float | None = None  # multiple choice: percentage of the score, -100..100
    feedback: str | None = None  # shown after the learner picked this option
    # Text formats (see quizapp.richtext.FORMATS); None: the question's text format.
    text_format: str | None = None
    feedback_format: str | None = None


#: Decimal places a multiple-choice weight is stored with (the editor shows all of them).
WEIGHT_DECIMALS = 5


def default_weight(correct: bool, right: int, wrong: int) -> float:
    """Moodle's weight of a multiple-choice option, in percent of the question's score.

    Each of the ``right`` options is worth 100/right and each of the ``wrong`` ones costs
    100/wrong, so ticking everything scores nothing. Rounded as stored, so that the bank, the
    editor and the import formats agree on the same value.
    """
    share = 100 / max(right if correct else wrong, 1)
    return round(share if correct else -share, WEIGHT_DECIMALS)


@dataclass(frozen=True)
class QuestionDraft:
    """A question ready to be stored: generated from a sentence or written by a teacher."""

    id: str  # stable: derived from content for generated ones, chosen by the author for curated
    kind: str
    prompt: str
    answer: str  # the correct answer as text; ordering: items joined by " → "
    explanation: str
    topic: str  # topic slug, see quizapp.bank.topics
    document: str  # file name of the source document
    origin: str = "generated"
    accepted: tuple[str, ...] = ()  # further accepted answers for typed / cloze / date
    choices: tuple[ChoiceDraft, ...] = ()
    sentence_index: int | None = None  # index into CleanedDocument.sentences
    char_start: int | None = None  # offsets of the source sentence in the cleaned text
    char_end: int | None = None
    status: str = "draft"
    fact: str | None = None  # the fact a template built it from (its id), None otherwise
    # What a teacher wrote beside the content (Moodle's question name, ID number and tags)
    # and the text format of the prompt; the explanation has its own only where it differs.
    name: str = ""
    idnumber: str = ""
    tags: tuple[str, ...] = ()
    text_format: str = "moodle"
    explanation_format: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
