"""The quiz's answer glue, as plain functions."""

from __future__ import annotations

import pytest

from quizapp.answers import (
    EmptyChoices,
    ForgedAnswer,
    IncompleteAnswer,
    Option,
    Spec,
    date_precision,
    grade_submission,
)
from quizapp.quiz.forms import hint_for


def _spec(kind: str, answer: str, options: tuple[Option, ...] = (), accepted=()) -> Spec:
    return Spec(kind, answer, tuple(accepted), options)


@pytest.mark.parametrize(
    ("answer", "precision"),
    [("5. September 1905", "day"), ("Juli 1907", "month"), ("1875", "year"), ("Jalta", None)],
)
def test_date_precision(answer: str, precision: str | None) -> None:
    assert date_precision(answer) == precision


def test_date_hint_says_what_is_asked_without_the_answer() -> None:
    assert "Monat und Jahr" in hint_for(_spec("date", "Juli 1907"))
    assert "genaue Datum" in hint_for(_spec("date", "5. September 1905"))
    assert "1905" not in hint_for(_spec("date", "5. September 1905"))


def test_cloze_gap_holding_a_date_accepts_other_date_forms() -> None:
    graded = grade_submission(_spec("cloze", "25. Mai 2009"), {"text": "25.05.2009"})
    assert graded.grade.correct


def test_single_choice_maps_display_numbers_to_options() -> None:
    options = (Option(7, "A", False, 0), Option(3, "B", True, 1))
    graded = grade_submission(_spec("single_choice", "B", options), {"choice": "2"})
    assert graded.grade.correct and graded.response == 3 and graded.text == "B"
    with pytest.raises(ForgedAnswer):
        grade_submission(_spec("single_choice", "B", options), {"choice": "3"})


def test_ordering_ranks_and_partial_credit() -> None:
    options = tuple(Option(10 + i, t, True, i) for i, t in enumerate("ABCD"))
    shown = (options[2], options[0], options[3], options[1])  # C A D B
    spec = _spec("ordering", "A → B → C → D", shown)
    right = grade_submission(spec, {"rank_1": "3", "rank_2": "1", "rank_3": "4", "rank_4": "2"})
    assert right.grade.correct and right.text == "A → B → C → D"
    swapped = grade_submission(spec, {"rank_1": "3", "rank_2": "2", "rank_3": "4", "rank_4": "1"})
    assert swapped.grade.score == pytest.approx(5 / 6)
    with pytest.raises(IncompleteAnswer):
        grade_submission(spec, {"rank_1": "1", "rank_2": "1", "rank_3": "4", "rank_4": "2"})
    with pytest.raises(ForgedAnswer):
        grade_submission(spec, {"rank_1": "9", "rank_2": "1", "rank_3": "4", "rank_4": "2"})


def test_matching_scores_per_pair() -> None:
    options = (
        Option(1, "Portsmouth", True, 0, "1905"),
        Option(2, "Jalta", True, 1, "1945"),
        Option(3, "St. Petersburg", True, 2, "1875"),
    )
    spec = _spec("matching", "", options)
    # Targets are offered sorted: 1875, 1905, 1945.
    with pytest.raises(EmptyChoices) as empty:
        grade_submission(spec, {"match_1": "2", "match_2": "1", "match_3": ""})
    assert empty.value.fields == [3] and empty.value.items == ["St. Petersburg"]
    confirmed = {"match_1": "2", "match_2": "1", "match_3": "", "confirm_empty": "1"}
    graded = grade_submission(spec, confirmed)
    assert graded.grade.score == pytest.approx(1 / 3)
    with pytest.raises(ForgedAnswer):
        grade_submission(spec, {"match_1": "7"})


def test_a_measured_number_in_a_gap_counts_within_its_tolerance():
    from quizapp.answers import Spec, grade_submission

    spec = Spec("cloze", "17,3", ("17.3",), (), {"tolerance": "0.3"})
    for given, right in (("17,3", True), ("17", True), ("17 km", True), ("17,5", True),
                         ("18", False), ("siebzehn", False), ("", False)):  # fmt: skip
        assert grade_submission(spec, {"text": given}).grade.correct is right, given
