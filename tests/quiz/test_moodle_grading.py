"""Every grading rule of the one grading model, checked with questions like Moodle's own
examples (question/format/gift/examples.txt and the question types' grading): our own
questions, written from what Moodle's examples mean, read by the GIFT reader and graded as
the quiz grades them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.answers import (
    Option,
    Spec,
    grade_submission,
    grade_text,
    number_answers,
    review,
    text_answers,
    unplayable,
)
from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.credit import credits, score_of
from quizapp.formats.gift import parse_gift


def spec_of(draft: QuestionDraft) -> Spec:
    """Return the quiz's spec of a draft as it would be stored (option ids 1, 2, ...)."""
    options = tuple(
        Option(i, c.text, c.correct, i - 1, c.match, c.weight, c.feedback)
        for i, c in enumerate(draft.choices, start=1)
    )
    return Spec(draft.kind, draft.answer, draft.accepted, options, dict(draft.extra))


def gift(text: str) -> Spec:
    (draft,) = parse_gift(text, "moodle.gift").questions
    return spec_of(draft)


def pick(spec: Spec, *texts: str) -> dict[str, object]:
    """Form data choosing the options with these texts (display numbers are 1-based)."""
    numbers = [str(i) for i, o in enumerate(spec.options, 1) if o.text in texts]
    return {"choice": numbers if spec.kind == "multiple_choice" else numbers[0]}


# --- single choice: the chosen option's credit ------------------------------------------------

DIFFICULT = "Ein schwere Frage.{~falsche Antwort ~%50%halbe Punkte =volle Punkte}"


@pytest.mark.parametrize(
    ("chosen", "score"), [("falsche Antwort", 0.0), ("halbe Punkte", 0.5), ("volle Punkte", 1.0)]
)
def test_single_choice_scores_the_chosen_options_credit(chosen: str, score: float) -> None:
    spec = gift(DIFFICULT)
    graded = grade_submission(spec, pick(spec, chosen))
    assert graded.grade.score == score and graded.grade.correct == (score == 1.0)
    assert spec.answer == "volle Punkte"


HOMETOWN = """::Heimatstadt::Wo wuchs Jesus von Nazareth auf? {
    ~Jerusalem#Eine wichtige Stadt, aber nicht seine.
    ~%25%Bethlehem#Dort wurde er geboren, aufgewachsen ist er anderswo.
    ~%50%Galiläa#Genauer, bitte.
    =Nazareth#Ja, richtig!}"""


@pytest.mark.parametrize(
    ("chosen", "score", "feedback"),
    [
        ("Jerusalem", 0.0, "Eine wichtige Stadt, aber nicht seine."),
        ("Bethlehem", 0.25, "Dort wurde er geboren, aufgewachsen ist er anderswo."),
        ("Galiläa", 0.5, "Genauer, bitte."),
        ("Nazareth", 1.0, "Ja, richtig!"),
    ],
)
def test_single_choice_partial_credit_and_the_chosen_options_feedback(
    chosen: str, score: float, feedback: str
) -> None:
    spec = gift(HOMETOWN)
    graded = grade_submission(spec, pick(spec, chosen))
    assert graded.grade.score == score
    assert graded.feedback == (feedback,)
    explained = review(spec, graded.response)
    marks = {m.text: m.verdict for m in explained.marks}
    assert marks[chosen] == {0.0: "wrong", 0.25: "partial", 0.5: "partial", 1.0: "right"}[score]
    if chosen != "Nazareth":
        assert marks["Nazareth"] == "missed"
    assert explained.feedback == (feedback,)


def test_single_choice_with_several_full_credit_answers_and_a_penalty() -> None:
    spec = gift("Wer ist in Grants Grab begraben?{=niemand =keiner ~%-50%Grant ~Jefferson}")
    assert grade_submission(spec, pick(spec, "niemand")).grade.score == 1.0
    assert grade_submission(spec, pick(spec, "keiner")).grade.score == 1.0
    # A negative credit costs nothing below zero: a question never scores less than nothing.
    assert grade_submission(spec, pick(spec, "Grant")).grade.score == 0.0


def test_single_choice_without_a_full_credit_option_cannot_be_asked() -> None:
    options = (Option(1, "A", True, 0, weight=50.0), Option(2, "B", False, 1))
    assert unplayable(Spec("single_choice", "A", (), options)) is not None


# --- multiple choice: credits added up and clipped --------------------------------------------

TWO_PEOPLE = (
    "Wer ist in Grants Grab beigesetzt? {~Niemand ~%50%Grant ~%50%Grants Frau ~Grants Vater}"
)
TWO_PEOPLE_PENALTY = (
    "Wer ist in Grants Grab beigesetzt? "
    "{~%-50%Niemand ~%50%Grant ~%50%Grants Frau ~%-50%Grants Vater}"
)


@pytest.mark.parametrize(
    ("text", "chosen", "score"),
    [
        (TWO_PEOPLE, ("Grant", "Grants Frau"), 1.0),
        (TWO_PEOPLE, ("Grant",), 0.5),
        (TWO_PEOPLE, ("Grant", "Niemand"), 0.5),  # a 0 % option costs nothing
        (TWO_PEOPLE, ("Niemand", "Grants Vater"), 0.0),
        (TWO_PEOPLE, ("Niemand", "Grant", "Grants Frau", "Grants Vater"), 1.0),
        (TWO_PEOPLE_PENALTY, ("Grant", "Grants Frau"), 1.0),
        (TWO_PEOPLE_PENALTY, ("Grant", "Niemand"), 0.0),
        (TWO_PEOPLE_PENALTY, ("Grant", "Grants Frau", "Grants Vater"), 0.5),
        (TWO_PEOPLE_PENALTY, ("Niemand", "Grant", "Grants Frau", "Grants Vater"), 0.0),
        (TWO_PEOPLE_PENALTY, ("Niemand", "Grants Vater"), 0.0),  # clipped at 0, not -100 %
    ],
)
def test_multiple_choice_adds_the_credits_and_clips_to_0_to_100(
    text: str, chosen: tuple[str, ...], score: float
) -> None:
    spec = gift(text)
    assert spec.kind == "multiple_choice"
    assert grade_submission(spec, pick(spec, *chosen)).grade.score == score


def test_multiple_choice_marks_every_pick_and_shows_the_feedback_of_each() -> None:
    spec = gift(
        "Welche Inseln kamen 1905 an Japan? {~%100%Süd-Sachalin#Ja, bis zum 50. Breitengrad."
        " ~%-50%Kurilen#Die waren schon seit 1875 japanisch. ~%-50%Hokkaido#Immer japanisch.}"
    )
    graded = grade_submission(spec, pick(spec, "Süd-Sachalin", "Kurilen"))
    assert graded.grade.score == 0.5
    assert graded.feedback == (
        "Ja, bis zum 50. Breitengrad.",
        "Die waren schon seit 1875 japanisch.",
    )
    marks = {m.text: (m.verdict, m.chosen) for m in review(spec, graded.response).marks}
    assert marks == {
        "Süd-Sachalin": ("right", True),
        "Kurilen": ("wrong", True),
        "Hokkaido": ("", False),
    }
    missed = review(spec, [spec.options[1].id]).marks
    assert [m.verdict for m in missed] == ["missed", "wrong", ""]


def test_multiple_choice_without_weights_shares_the_credit_of_its_right_options() -> None:
    options = (
        Option(1, "A", True, 0),
        Option(2, "B", True, 1),
        Option(3, "C", True, 2, weight=50.0),
        Option(4, "D", False, 3),
    )
    assert credits("multiple_choice", options) == [25.0, 25.0, 50.0, 0.0]


# --- short answer: several answers of their own credit, in order, and * --------------------------

SHORT_HOMETOWN = """::Heimatstadt (Kurzantwort)::Wo wuchs Jesus auf? {
    =Nazareth#Ja, richtig!
    =%75%Nazereth#Richtig, aber falsch geschrieben.
    =%25%Bethlehem#Dort wurde er geboren, aufgewachsen ist er anderswo.}"""


@pytest.mark.parametrize(
    ("typed", "score", "feedback"),
    [
        ("Nazareth", 1.0, "Ja, richtig!"),
        ("nazareth", 1.0, "Ja, richtig!"),
        ("Nazereth", 0.75, "Richtig, aber falsch geschrieben."),  # exact, not a typo of 100 %
        ("Bethlehem", 0.25, "Dort wurde er geboren, aufgewachsen ist er anderswo."),
        ("Betlehem", 0.25, "Dort wurde er geboren, aufgewachsen ist er anderswo."),  # a typo
        ("Jerusalem", 0.0, None),
    ],
)
def test_short_answer_gives_the_first_matching_answers_credit_and_feedback(
    typed: str, score: float, feedback: str | None
) -> None:
    spec = gift(SHORT_HOMETOWN)
    graded = grade_submission(spec, {"text": typed})
    assert graded.grade.score == score
    assert graded.feedback == ((feedback,) if feedback else ())
    assert review(spec, typed).feedback == graded.feedback


def test_every_accepted_answer_keeps_its_feedback() -> None:
    spec = gift("Wer liegt in Grants Grab?{=niemand#Sehr gut! =keiner#Auch sehr gut!}")
    assert grade_submission(spec, {"text": "niemand"}).feedback == ("Sehr gut!",)
    assert grade_submission(spec, {"text": "keiner"}).feedback == ("Auch sehr gut!",)


def test_two_plus_two_accepts_the_word_and_the_digit() -> None:
    spec = gift("Zwei plus zwei ist {=vier =4}.")
    assert spec.kind == "cloze"
    for typed in ("vier", "4", " Vier "):
        assert grade_submission(spec, {"text": typed}).grade.correct, typed
    assert not grade_submission(spec, {"text": "5"}).grade.correct


def test_the_catch_all_gives_its_credit_and_feedback_to_any_other_answer() -> None:
    spec = gift("Hauptstadt Japans?{=Tokio =Tokyo =%10%*#Gemeint ist die heutige Hauptstadt.}")
    assert grade_submission(spec, {"text": "Tokyo"}).grade.correct
    other = grade_submission(spec, {"text": "Kyoto"})
    assert other.grade.score == 0.1
    assert other.feedback == ("Gemeint ist die heutige Hauptstadt.",)
    assert grade_submission(spec, {"text": ""}).grade.note == "empty"


def test_a_wildcard_matches_any_text_in_its_place() -> None:
    spec = gift("Wie hieß der Vertrag von 1905?{=%50%*Portsmouth* =Friede von Portsmouth}")
    assert grade_submission(spec, {"text": "Vertrag von Portsmouth"}).grade.score == 0.5
    assert grade_submission(spec, {"text": "Portsmouth"}).grade.score == 0.5
    # In order, as Moodle: the wildcard comes first and matches the full name too.
    assert grade_submission(spec, {"text": "Friede von Portsmouth"}).grade.score == 0.5
    assert grade_submission(spec, {"text": "Shimonoseki"}).grade.score == 0.0


def test_an_escaped_star_is_no_wildcard() -> None:
    spec = gift("Zeichen?{=a\\*b}")  # GIFT keeps the backslash; Moodle reads a literal star
    assert [answer.text for answer in text_answers(spec)] == ["a\\*b"]
    assert grade_text(spec, "a*b").grade.correct
    assert not grade_text(spec, "axyzb").grade.correct


def test_typed_answers_try_the_plain_accepted_ones_before_the_listed_ones() -> None:
    spec = gift("Wo?{=Portsmouth =Portsmouth NH =%50%USA#Genauer bitte.}")
    assert [a.text for a in text_answers(spec)] == ["Portsmouth NH", "Portsmouth", "USA"]
    assert [a.credit for a in text_answers(spec)] == [100.0, 100.0, 50.0]


# --- numerical: several answers of their own credit ----------------------------------------------

GRANT_BORN = """::Numerisch::Wann wurde Ulysses S. Grant geboren? {#
    =1822:0#Richtig! Volle Punktzahl.
    =%50%1822:2#Er wurde 1822 geboren. Halbe Punktzahl, weil du nah dran bist.}"""


@pytest.mark.parametrize(
    ("typed", "score"),
    [("1822", 1.0), ("1823", 0.5), ("1820", 0.5), ("1824", 0.5), ("1825", 0.0), ("1.822", 1.0)],
)
def test_numerical_answers_are_tried_in_order_with_their_own_credit(
    typed: str, score: float
) -> None:
    spec = gift(GRANT_BORN)
    graded = grade_submission(spec, {"text": typed})
    assert graded.grade.score == score
    if score == 0.5:
        close = "Er wurde 1822 geboren. Halbe Punktzahl, weil du nah dran bist."
        assert graded.feedback == (close,)


@pytest.mark.parametrize(
    ("block", "right", "wrong"),
    [
        ("{#1822}", ["1822", "1822,0", "+1822"], ["1821", "achtzehnhundert"]),
        ("{#1822:5}", ["1817", "1827", "1820,5"], ["1816", "1828"]),
        ("{#3.1415:0.0005}", ["3,141", "3.1415", "3,142"], ["3,14", "3.143"]),
        ("{#3.141..3.142}", ["3,1415", "3.141", "3,142"], ["3,14", "3.143"]),
        ("{#17.3:0.3}", ["17,3 km", "17 km", "17,6"], ["18 km"]),
    ],
)
def test_numerical_tolerance_range_and_decimal_comma(
    block: str, right: list[str], wrong: list[str]
) -> None:
    spec = gift(f"Wie viel?{block}")
    for typed in right:
        assert grade_submission(spec, {"text": typed}).grade.correct, typed
    for typed in wrong:
        assert not grade_submission(spec, {"text": typed}).grade.correct, typed


def test_numerical_catch_all_feedback() -> None:
    spec = gift("Wann endete der Krieg?{#=1905 =%50%1904..1906#Knapp daneben. ~#Leider falsch.}")
    assert [a.text for _, _, a in number_answers(spec)] == ["1905", "1904..1906", "*"]
    assert grade_submission(spec, {"text": "1906"}).feedback == ("Knapp daneben.",)
    wrong = grade_submission(spec, {"text": "1945"})
    assert wrong.grade.score == 0.0 and wrong.feedback == ("Leider falsch.",)


def test_a_numerical_question_built_in_the_editor_grades_its_own_answer_first() -> None:
    options = (Option(1, "1904..1906", False, 0, weight=50.0, feedback="Fast."),)
    spec = Spec("numerical", "1905", (), options, {"tolerance": "0"})
    assert grade_submission(spec, {"text": "1905"}).grade.correct
    assert grade_submission(spec, {"text": "1904"}).grade.score == 0.5


# --- true/false -------------------------------------------------------------------------------


def test_true_false_feedback_depends_on_the_answer() -> None:
    spec = gift("Grant ist in Grants Grab begraben.{FALSE#Niemand ist dort begraben.#Genau.}")
    wrong = grade_submission(spec, {"choice": "wahr"})
    assert not wrong.grade.correct and wrong.feedback == ("Niemand ist dort begraben.",)
    right = grade_submission(spec, {"choice": "falsch"})
    assert right.grade.correct and right.feedback == ("Genau.",)
    assert review(spec, "wahr", correct=False).feedback == ("Niemand ist dort begraben.",)


# --- matching ----------------------------------------------------------------------------------


def test_matching_scores_the_share_of_right_pairs_and_marks_each() -> None:
    spec = gift(
        "Ordne die Hauptstädte zu. {=Kanada -> Ottawa =Italien -> Rom =Japan -> Tokio "
        "=Indien -> Neu-Delhi}"
    )
    targets = ["Neu-Delhi", "Ottawa", "Rom", "Tokio"]  # offered sorted
    form = {"match_1": "2", "match_2": "2", "match_3": "4", "match_4": "1"}
    graded = grade_submission(spec, form)
    assert graded.grade.score == 0.75
    marks = review(spec, graded.response).marks
    assert [(m.text, m.verdict, m.given, m.expected) for m in marks] == [
        ("Kanada", "right", "Ottawa", "Ottawa"),
        ("Italien", "wrong", "Ottawa", "Rom"),
        ("Japan", "right", "Tokio", "Tokio"),
        ("Indien", "right", "Neu-Delhi", "Neu-Delhi"),
    ]
    assert targets == sorted(targets)


def test_an_extra_right_hand_side_is_offered_but_no_item() -> None:
    spec = gift("Ordne zu. {=Portsmouth -> 1905 =Shimonoseki -> 1895 = -> 1875}")
    from quizapp.answers import matching_items, matching_targets

    assert [o.text for o in matching_items(spec)] == ["Portsmouth", "Shimonoseki"]
    assert matching_targets(spec) == ["1875", "1895", "1905"]
    graded = grade_submission(spec, {"match_1": "3", "match_2": "2"})
    assert graded.grade.correct


# --- the same model over every credit ------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.none() | st.integers(-100, 100).map(float)),
        min_size=2,
        max_size=6,
    ),
    st.data(),
)
def test_choice_scores_always_follow_the_credits(rows, data) -> None:
    choices = [ChoiceDraft(f"O{i}", c, weight=w) for i, (c, w) in enumerate(rows)]
    options = tuple(
        Option(i + 1, c.text, c.correct, i, weight=c.weight) for i, c in enumerate(choices)
    )
    values = credits("multiple_choice", choices)
    chosen = data.draw(st.sets(st.integers(0, len(options) - 1), min_size=1))
    spec = Spec("multiple_choice", "", (), options)
    graded = grade_submission(spec, {"choice": [str(i + 1) for i in sorted(chosen)]})
    assert graded.grade.score == score_of(sum(values[i] for i in chosen))
    single = Spec("single_choice", "", (), options)
    one = data.draw(st.integers(0, len(options) - 1))
    values = credits("single_choice", choices)
    assert grade_submission(single, {"choice": str(one + 1)}).grade.score == score_of(values[one])
