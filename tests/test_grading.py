"""Tests for quizapp.grading: tables of real cases plus hypothesis properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.bank.dates import MONTH_NAMES, format_german_date
from quizapp.grading import (
    NOTE_EMPTY,
    NOTE_MONTH_YEAR_ONLY,
    NOTE_MONTH_YEAR_RIGHT,
    NOTE_TYPO,
    NOTE_YEAR_ONLY,
    NOTE_YEAR_RIGHT,
    Grade,
    grade_choice,
    grade_date,
    grade_matching,
    grade_ordering,
    grade_text,
    grade_true_false,
    normalise,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_consistent(grade: Grade) -> None:
    """Check the invariants every grade must keep."""
    assert 0.0 <= grade.score <= 1.0
    assert grade.correct == (grade.score == 1.0)
    assert not grade.typo or grade.correct


# --- Grade ---------------------------------------------------------------------------------------


def test_grade_is_frozen():
    grade = Grade(1.0, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        grade.score = 0.0  # type: ignore[misc]
    assert grade == Grade(score=1.0, correct=True, typo=False, note=None)


@pytest.mark.parametrize(("score", "correct"), [(1.5, False), (-0.1, False), (0.5, True)])
def test_grade_rejects_inconsistent_values(score, correct):
    with pytest.raises(ValueError):
        Grade(score, correct)


# --- normalise -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kurilen", "kurilen"),
        ("  Kim   Jong-un ", "kim jong un"),
        ("Kim Jong–un", "kim jong un"),  # en dash
        ("Kim Jong\u2011un", "kim jong un"),  # non-breaking hyphen
        ("Nyŏngbyŏn", "nyongbyon"),
        ("Tōkyō", "tokyo"),
        ("P'yŏngyang", "pyongyang"),
        ("P’yŏngyang", "pyongyang"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("ẞ", "ss"),
        ("Ärger über Öl", "aerger ueber oel"),
        ("u\u0308ber", "ueber"),  # decomposed ü
        ("„Barbarossa“ – «Zitat»", "barbarossa zitat"),
        ("Kurilen!?", "kurilen"),
        ("ＦＵＬＬ", "full"),  # full-width letters
        ("Ørsted Łódź", "orsted lodz"),
        ("5. September 1905", "5 september 1905"),
        ("", ""),
        ("  ...  ", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@FAST
@given(st.text())
def test_normalise_is_idempotent_and_clean(text):
    result = normalise(text)
    assert normalise(result) == result
    assert result == result.strip()
    assert "  " not in result
    assert all(c.isalnum() or c == " " for c in result)


# --- grade_text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_text", "accepted"),
    [
        ("Nyongbyon", ["Nyŏngbyŏn"]),
        ("Nyŏngbyŏn", ["Nyongbyon"]),
        ("NYŎNGBYŎN", ["Nyŏngbyŏn"]),
        ("kurilen", ["Kurilen"]),
        ("  Kurilen. ", ["Kurilen"]),
        ("die Kurilen", ["Kurilen"]),
        ("Strasse", ["Straße"]),
        ("Straße", ["Strasse"]),
        ("Maerz", ["März"]),
        ("Muenchen", ["München"]),
        ("Kim Jong Un", ["Kim Jong-un"]),
        ("kim jong-un", ["Kim Jong Un"]),
        ("Nordkorea", ["Nord-Korea"]),
        ("Pyongyang", ["P'yŏngyang"]),
        ("„Barbarossa“", ["Barbarossa"]),
        ("Tokio", ["Tokyo", "Tokio"]),  # an accepted alternative
        ("1905", ["1905"]),
        ("Portsmouth 1905", ["Portsmouth 1905"]),
        ("?", ["?"]),  # an answer of punctuation only still matches itself
    ],
)
def test_text_exact_after_normalising(given_text, accepted):
    assert grade_text(given_text, accepted) == Grade(1.0, True)


@pytest.mark.parametrize(
    ("given_text", "answer"),
    [
        ("Wladiwostock", "Wladiwostok"),  # 11 characters: up to 2 edits
        ("Wladiwstk", "Wladiwostok"),
        ("wladiwsotok", "Wladiwostok"),  # a swap of neighbours is one edit
        ("Port Artur", "Port Arthur"),
        ("Sachalim", "Sachalin"),  # 8 characters: 1 edit
        ("Kroea", "Korea"),  # 5 characters: 1 edit
        ("Marz", "März"),  # "maerz" has 5 characters
        ("Portsmuth 1905", "Portsmouth 1905"),  # digits unchanged
        ("Vertrag von Portsmuth", "Vertrag von Portsmouth"),
        ("Vertrg von Portsmuth", "Vertrag von Portsmouth"),  # 2 edits in 20 characters
        ("Wladi Wostock", "Wladiwostok"),  # split differently: the whole word decides
    ],
)
def test_text_small_typo_is_tolerated_and_flagged(given_text, answer):
    grade = grade_text(given_text, [answer])
    assert grade == Grade(1.0, True, typo=True, note=NOTE_TYPO)


@pytest.mark.parametrize(
    ("given_text", "answer"),
    [
        ("1906", "1905"),  # numbers must match exactly
        ("1950", "1905"),
        ("Portsmouth 1906", "Portsmouth 1905"),  # long, one edit, but a digit changed
        ("Portsmouth", "Portsmouth 1905"),
        ("Artikel 3", "Artikel 2"),
        ("Juni", "Juli"),  # at most 4 characters: no typo tolerated
        ("Urel", "Ural"),
        ("Karae", "Korea"),  # 5 characters: 2 edits are too many
        ("Sahcalim", "Sachalin"),  # 8 characters: 2 edits are too many
        ("Wladwstk", "Wladiwostok"),  # 3 edits are too many even for long answers
        ("Westsibirien", "Ostsibirien"),  # a different first letter is a different word
        ("Kim Jong-il", "Kim Jong-un"),  # short words must be exact
        ("Kim Jongil", "Kim Jong-un"),  # even when the words are split differently
        ("Alexander III", "Alexander II"),
        ("Nikolaus I", "Nikolaus II"),
        ("Pert Arthur", "Port Arthur"),
        ("Vertrg von Portsmth 1905", "Vertrag von Portsmouth 1905"),  # 3 edits
        ("Sachalin", "Kurilen"),
        ("!!!", "Kurilen"),
        ("Sankt Petersburg", "St. Petersburg"),
    ],
)
def test_text_wrong(given_text, answer):
    assert grade_text(given_text, [answer]) == Grade(0.0, False)


@pytest.mark.parametrize("given_text", ["", "   ", "\n\t"])
def test_text_empty(given_text):
    assert grade_text(given_text, ["Kurilen"]) == Grade(0.0, False, note=NOTE_EMPTY)


def test_text_without_accepted_answers_is_wrong():
    assert grade_text("Kurilen", []) == Grade(0.0, False)


def test_text_exact_beats_typo_of_another_alternative():
    assert grade_text("Tokio", ["Tokyo", "Tokio"]).typo is False


def test_text_garbage_type_is_wrong_not_an_error():
    assert grade_text(None, ["Kurilen"]).score == 0.0  # type: ignore[arg-type]


@FAST
@given(st.text(), st.lists(st.text(), max_size=4))
def test_text_never_raises_and_stays_consistent(given_text, accepted):
    assert_consistent(grade_text(given_text, accepted))


@FAST
@given(st.text(), st.lists(st.text(), max_size=3))
def test_text_exact_answer_always_scores_one(answer, others):
    assume(answer.strip())
    grade = grade_text(answer, [*others, answer])
    assert grade.score == 1.0
    assert grade.correct


@FAST
@given(st.text(alphabet=string.ascii_lowercase, min_size=9, max_size=20), st.data())
def test_text_one_dropped_letter_in_a_long_word_is_a_typo(word, data):
    position = data.draw(st.integers(min_value=1, max_value=len(word) - 1))
    grade = grade_text(word[:position] + word[position + 1 :], [word])
    assert grade == Grade(1.0, True, typo=True, note=NOTE_TYPO)


@FAST
@given(
    st.text(alphabet=string.ascii_letters + " ", max_size=15),
    st.integers(min_value=0, max_value=99999),
    st.text(alphabet=string.ascii_letters + " ", max_size=15),
    st.data(),
)
def test_text_changed_digit_is_never_right(prefix, number, suffix, data):
    digits = str(number)
    position = data.draw(st.integers(min_value=0, max_value=len(digits) - 1))
    other = data.draw(st.sampled_from([d for d in string.digits if d != digits[position]]))
    changed = digits[:position] + other + digits[position + 1 :]
    grade = grade_text(f"{prefix} {changed} {suffix}", [f"{prefix} {digits} {suffix}"])
    assert grade.score == 0.0


# --- grade_date ----------------------------------------------------------------------------------

FULL_DATE_FORMS = [
    "5. September 1905",
    "5 September 1905",
    "5. september 1905",
    "05.09.1905",
    "5.9.1905",
    "05. 09. 1905",
    "5. Sept. 1905",
    "5. Sep 1905",
    "1905-09-05",
    "  5.   September   1905 ",
]


@pytest.mark.parametrize("given_text", FULL_DATE_FORMS)
def test_date_full_date_in_every_form(given_text):
    assert grade_date(given_text, "5. September 1905") == Grade(1.0, True)


@pytest.mark.parametrize("answer", ["05.09.1905", "5. Sept. 1905"])
def test_date_answer_may_be_written_in_any_form_too(answer):
    assert grade_date("1905-09-05", answer) == Grade(1.0, True)


@pytest.mark.parametrize(
    ("given_text", "note"),
    [
        ("1905", NOTE_YEAR_ONLY),  # a bare year is not enough when the day is asked
        ("September 1905", NOTE_MONTH_YEAR_ONLY),
        ("09.1905", NOTE_MONTH_YEAR_ONLY),
        ("6. September 1905", NOTE_MONTH_YEAR_RIGHT),
        ("5. Oktober 1905", NOTE_YEAR_RIGHT),
        ("5. September 1906", None),
        ("5.9.06", None),  # a two-digit year in the answer's century: 1906
        ("31.02.1905", None),  # no such day
        ("irgendwann", None),
    ],
)
def test_date_full_date_wrong(given_text, note):
    assert grade_date(given_text, "5. September 1905") == Grade(0.0, False, note=note)


@pytest.mark.parametrize(
    "given_text",
    ["Juli 1907", "juli 1907", "Jul. 1907", "07.1907", "7.1907", "7/1907", "1907-07"]
    + ["30. Juli 1907", "30.07.1907"],  # more precise than asked is fine
)
def test_date_month_and_year(given_text):
    assert grade_date(given_text, "Juli 1907") == Grade(1.0, True)


@pytest.mark.parametrize(
    ("given_text", "note"),
    [("1907", NOTE_YEAR_ONLY), ("Juni 1907", NOTE_YEAR_RIGHT), ("Juli 1908", None)],
)
def test_date_month_and_year_wrong(given_text, note):
    assert grade_date(given_text, "Juli 1907") == Grade(0.0, False, note=note)


@pytest.mark.parametrize("given_text", ["1905", " 1905 ", "5. September 1905", "05.09.1905"])
def test_date_year_only(given_text):
    assert grade_date(given_text, "1905") == Grade(1.0, True)


@pytest.mark.parametrize("given_text", ["1906", "5. September 1906", "05", "190"])
def test_date_year_only_wrong(given_text):
    assert grade_date(given_text, "1905").score == 0.0


def test_date_misspelt_month_is_a_typo():
    assert grade_date("5. Septmber 1905", "5. September 1905") == Grade(
        1.0, True, typo=True, note=NOTE_TYPO
    )


def test_date_other_month_is_never_taken_for_a_typo():
    # "5 juni 1905" is one edit from "5 juli 1905", but both are readable dates.
    assert grade_date("5. Juni 1905", "5. Juli 1905") == Grade(0.0, False, note=NOTE_YEAR_RIGHT)


def test_date_accepted_alternative():
    assert grade_date("Mai 2009", "25. Mai 2009", accepted=["Mai 2009"]) == Grade(1.0, True)


def test_date_most_informative_note_wins():
    grade = grade_date("Mai 2009", "25. Mai 2010", accepted=["25. Mai 2009"])
    assert grade == Grade(0.0, False, note=NOTE_MONTH_YEAR_ONLY)


def test_date_span_of_years_is_read_and_one_year_is_incomplete():
    assert grade_date("1904/05", "1904/05") == Grade(1.0, True)
    assert grade_date("1904 bis 1905", "1904/05") == Grade(1.0, True)
    assert grade_date("1904", "1904/05") == Grade(0.0, False, note="range_incomplete")


@pytest.mark.parametrize("given_text", ["", "   "])
def test_date_empty(given_text):
    assert grade_date(given_text, "5. September 1905") == Grade(0.0, False, note=NOTE_EMPTY)


@FAST
@given(st.text(), st.text(), st.lists(st.text(), max_size=2))
def test_date_never_raises_and_stays_consistent(given_text, answer, accepted):
    assert_consistent(grade_date(given_text, answer, accepted))


@FAST
@given(st.text(alphabet="0123456789.-/ " + string.ascii_letters, max_size=20))
def test_date_never_raises_on_date_like_garbage(given_text):
    assert_consistent(grade_date(given_text, "5. September 1905"))
    assert_consistent(grade_date(given_text, "Juli 1907"))


@FAST
@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)), st.data())
def test_date_every_form_of_a_date_is_right(day, data):
    month_name = MONTH_NAMES[day.month - 1]
    form = data.draw(
        st.sampled_from(
            [
                f"{day.day}. {month_name} {day.year}",
                f"{day.day} {month_name} {day.year}",
                f"{day.day}. {month_name[:3]}. {day.year}",
                f"{day:%d.%m}.{day.year}",
                f"{day.day}.{day.month}.{day.year}",
                day.isoformat(),
            ]
        )
    )
    answer = format_german_date(day.year, day.month, day.day)
    assert grade_date(form, answer) == Grade(1.0, True)
    assert grade_date(form, str(day.year)) == Grade(1.0, True)
    assert grade_date(str(day.year), answer) == Grade(0.0, False, note=NOTE_YEAR_ONLY)


# --- choices -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_id", "correct_id", "expected"),
    [(3, 3, Grade(1.0, True)), (2, 3, Grade(0.0, False)), (True, 1, Grade(0.0, False))],
)
def test_choice(given_id, correct_id, expected):
    assert grade_choice(given_id, correct_id) == expected


@pytest.mark.parametrize(
    ("given_value", "answer", "expected"),
    [
        ("wahr", "wahr", Grade(1.0, True)),
        (" WAHR ", "wahr", Grade(1.0, True)),
        ("falsch", "Falsch", Grade(1.0, True)),
        (True, "wahr", Grade(1.0, True)),
        (False, "falsch", Grade(1.0, True)),
        ("true", "wahr", Grade(1.0, True)),  # a raw form value
        ("falsch", "wahr", Grade(0.0, False)),
        (False, "wahr", Grade(0.0, False)),
        ("wahr", "falsch", Grade(0.0, False)),
        ("vielleicht", "wahr", Grade(0.0, False)),
        ("", "wahr", Grade(0.0, False, note=NOTE_EMPTY)),
    ],
)
def test_true_false(given_value, answer, expected):
    assert grade_true_false(given_value, answer) == expected


def test_true_false_rejects_a_broken_answer():
    with pytest.raises(ValueError):
        grade_true_false("wahr", "ja")


@FAST
@given(st.text())
def test_true_false_never_raises_on_given_text(given_text):
    assert_consistent(grade_true_false(given_text, "wahr"))


# --- ordering ------------------------------------------------------------------------------------

EVENTS = ["Portsmouth 1905", "Konvention 1907", "Annexion 1910", "Neutralitätspakt 1941"]


@pytest.mark.parametrize(
    ("order", "score"),
    [
        ([0, 1, 2, 3], 1.0),
        ([1, 0, 2, 3], 5 / 6),  # one swap of neighbours: 1 of 6 pairs wrong
        ([0, 1, 3, 2], 5 / 6),
        ([0, 2, 1, 3], 5 / 6),
        ([1, 0, 3, 2], 4 / 6),
        ([3, 0, 1, 2], 3 / 6),  # last moved to the front: 3 pairs wrong
        ([0, 3, 2, 1], 3 / 6),
        ([3, 2, 1, 0], 0.0),  # reversed
    ],
)
def test_ordering_partial_credit(order, score):
    grade = grade_ordering([EVENTS[i] for i in order], EVENTS)
    assert grade.score == pytest.approx(score)
    assert grade.correct == (order == [0, 1, 2, 3])


@pytest.mark.parametrize(
    ("given_order", "correct", "score"),
    [
        ([2, 1, 3], [1, 2, 3], 2 / 3),
        ([3, 1, 2], [1, 2, 3], 1 / 3),
        ([5, 1, 2, 3, 4], [1, 2, 3, 4, 5], 6 / 10),
        (["b", "a", "a"], ["a", "a", "b"], 1 / 3),  # repeated items never count against
        ([], [], 1.0),
        (["a"], ["a"], 1.0),
    ],
)
def test_ordering_exact_values(given_order, correct, score):
    assert grade_ordering(given_order, correct).score == pytest.approx(score)


@pytest.mark.parametrize(
    "given_order",
    [
        EVENTS[:3],  # an item missing
        [*EVENTS, "Tsushima 1905"],  # an item added
        [EVENTS[0], EVENTS[0], EVENTS[2], EVENTS[3]],  # an item repeated, one missing
        ["1", "2", "3", "4"],
    ],
)
def test_ordering_forged_items_raise(given_order):
    with pytest.raises(ValueError):
        grade_ordering(given_order, EVENTS)


def test_ordering_ids_must_keep_their_type():
    with pytest.raises(ValueError):
        grade_ordering(["1", "2"], [1, 2])


@FAST
@given(
    st.lists(st.integers(), unique=True, max_size=8).flatmap(
        lambda items: st.tuples(st.just(items), st.permutations(items))
    )
)
def test_ordering_properties(pair):
    correct, given_order = pair
    grade = grade_ordering(given_order, correct)
    assert_consistent(grade)
    assert (grade.score == 1.0) == (list(given_order) == correct)
    # Kendall distance is symmetric: swapping the roles of the two orders changes nothing.
    assert grade_ordering(correct, given_order) == grade
    # Relabelling the items changes nothing either.
    assert grade_ordering([f"x{i}" for i in given_order], [f"x{i}" for i in correct]) == grade
    if len(correct) >= 2:
        assert grade_ordering(correct[::-1], correct).score == 0.0
        pairs = len(correct) * (len(correct) - 1) / 2
        swapped = [correct[1], correct[0], *correct[2:]]
        assert grade_ordering(swapped, correct).score == pytest.approx(1 - 1 / pairs)
        # Reversing both orders keeps every pair's verdict.
        assert grade_ordering(list(given_order)[::-1], correct[::-1]) == grade


@FAST
@given(
    st.lists(st.sampled_from("abc"), max_size=7).flatmap(
        lambda items: st.tuples(st.just(items), st.permutations(items))
    )
)
def test_ordering_with_repeated_items(pair):
    correct, given_order = pair
    grade = grade_ordering(given_order, correct)
    assert_consistent(grade)
    assert (grade.score == 1.0) == (list(given_order) == correct)
    assert grade_ordering(correct, given_order) == grade


# --- matching ------------------------------------------------------------------------------------

PAIRS = {
    "Vertrag von Portsmouth": "1905",
    "Russisch-Japanische Konvention": "1907",
    "Annexion Koreas": "1910",
    "Neutralitätspakt": "1941",
}


@pytest.mark.parametrize(
    ("changes", "score"),
    [
        ({}, 1.0),
        ({"Annexion Koreas": ""}, 0.75),  # unanswered counts as wrong
        ({"Annexion Koreas": "1941", "Neutralitätspakt": "1910"}, 0.5),
        ({"Annexion Koreas": "1905"}, 0.75),  # a right side may be chosen twice
        (
            {
                "Vertrag von Portsmouth": "1907",
                "Russisch-Japanische Konvention": "1910",
                "Annexion Koreas": "1941",
            },
            0.25,
        ),
        ({left: "" for left in PAIRS}, 0.0),
    ],
)
def test_matching_partial_credit(changes, score):
    grade = grade_matching(PAIRS | changes, PAIRS)
    assert grade.score == score
    assert grade.correct == (score == 1.0)


def test_matching_three_pairs():
    correct = {"a": "x", "b": "y", "c": "z"}
    assert grade_matching({"a": "y", "b": "x", "c": "z"}, correct).score == pytest.approx(1 / 3)
    assert grade_matching({}, {}) == Grade(1.0, True)


@pytest.mark.parametrize(
    "forged",
    [
        {left: right for left, right in PAIRS.items() if left != "Annexion Koreas"},
        PAIRS | {"Tsushima": "1905"},
        PAIRS | {"Annexion Koreas": "1945"},  # a right side that was never offered
    ],
)
def test_matching_forged_items_raise(forged):
    with pytest.raises(ValueError):
        grade_matching(forged, PAIRS)


@FAST
@given(
    st.dictionaries(st.text(max_size=5), st.text(min_size=1, max_size=5), max_size=6).flatmap(
        lambda correct: st.tuples(
            st.just(correct),
            st.fixed_dictionaries(
                {left: st.sampled_from([*sorted(set(correct.values())), ""]) for left in correct}
            ),
        )
    )
)
def test_matching_properties(pair):
    correct, given_pairs = pair
    grade = grade_matching(given_pairs, correct)
    assert_consistent(grade)
    right = sum(given_pairs[left] == correct[left] for left in correct)
    expected = right / len(correct) if correct else 1.0
    assert grade.score == pytest.approx(expected)
    assert grade.correct == (given_pairs == correct)
    assert grade_matching(correct, correct) == Grade(1.0, True)


# --- multiple choice and numbers (teacher-imported kinds) ---------------------------------


def test_multiple_choice_sums_weights_and_clips() -> None:
    from quizapp.grading import grade_multiple

    weights = {1: 50.0, 2: 50.0, 3: -100.0}
    assert grade_multiple([1, 2], weights) == Grade(1.0, True)
    assert grade_multiple([1], weights).score == 0.5
    assert grade_multiple([1, 3], weights).score == 0.0
    assert grade_multiple([], weights).note == "empty"
    with pytest.raises(ValueError):
        grade_multiple([9], weights)
    with pytest.raises(ValueError):
        grade_multiple([1, 1], weights)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1905", 1905.0), ("1905,5", 1905.5), ("1.905,5", 1905.5), ("1.905", 1905.0),
     ("1905.5", 1905.5), ("-3", -3.0), ("0,5", 0.5), ("abc", None), ("1,2,3", None), ("", None)],
)  # fmt: skip
def test_parse_number_reads_german_and_plain_numbers(text: str, value: float | None) -> None:
    from quizapp.grading import parse_number

    assert parse_number(text) == value


def test_numerical_exact_tolerance_and_range() -> None:
    from quizapp.grading import grade_numerical

    assert grade_numerical("1905", "1905").correct
    assert not grade_numerical("1906", "1905").correct
    assert grade_numerical("1906", "1905", tolerance=1).correct
    assert not grade_numerical("1907", "1905", tolerance=1).correct
    assert grade_numerical("1903", "", minimum=1900, maximum=1910).correct
    assert not grade_numerical("1911", "", minimum=1900, maximum=1910).correct
    assert grade_numerical("", "1905").note == "empty"
    assert not grade_numerical("neunzehnhundert", "1905").correct


# --- what learners meet on the bank's own questions (issue 11) ------------------------------


@pytest.mark.parametrize(
    "given_text",
    ["1904-1905", "1904–1905", "1904/05", "1904-05", "1904–05", "1904 bis 1905",
     "von 1904 bis 1905", "zwischen 1904 und 1905", "1904/1905"],
)  # fmt: skip
@pytest.mark.parametrize("answer", ["1904–1905", "1904-1905", "von 1904 bis 1905"])
def test_a_span_of_years_is_right_in_every_german_form(given_text, answer):
    assert grade_date(given_text, answer) == Grade(1.0, True)


@pytest.mark.parametrize("given_text", ["1904/06", "1903-1905", "1905 bis 1906"])
def test_another_span_of_years_is_wrong(given_text):
    assert grade_date(given_text, "1904–1905") == Grade(0.0, False)


def test_one_year_where_a_span_is_asked_says_so():
    assert grade_date("1904", "1904–1905").note == "range_incomplete"
    assert grade_date("1905", "1904–1905").note == "range_incomplete"


@pytest.mark.parametrize(
    "given_text", ["am 5.9.1905", "5.9.1905", "05.09.1905", "am 5. September 1905", "5. Sept. 1905"]
)
def test_a_date_with_am_is_right_in_every_form(given_text):
    assert grade_date(given_text, "am 5. September 1905") == Grade(1.0, True)


@pytest.mark.parametrize("given_text", ["Sept. 1905", "September 1905", "im September 1905"])
def test_a_missing_day_is_reported_as_missing(given_text):
    assert grade_date(given_text, "5. September 1905").note == NOTE_MONTH_YEAR_ONLY


def test_a_two_digit_year_counts_where_the_question_leaves_no_doubt():
    from quizapp.grading import Answer, grade_answers

    assert grade_date("05.09.05", "5. September 1905") == Grade(1.0, True)
    assert grade_date("5.9.05", "5. September 1905") == Grade(1.0, True)
    # A wrong date of the question in another century ending in 05: ambiguous.
    answers = [Answer("5. September 1905"), Answer("5. September 1805", credit=0)]
    assert grade_answers("5.9.05", answers).grade.note == "short_year"
    assert grade_answers("5.9.1905", answers).grade.correct


def test_a_more_precise_date_does_not_match_a_wrong_date_of_less_precision_first():
    from quizapp.grading import Answer, grade_answers

    answers = [Answer("1905", credit=0, feedback="Nur das Jahr"), Answer("5. September 1905")]
    found = grade_answers("5.9.1905", answers)
    assert found.grade.correct and found.answer == answers[1]
    assert grade_answers("1905", answers).answer == answers[0]


@FAST
@given(
    st.lists(st.text(alphabet="ab", max_size=3), min_size=2, max_size=5),
    st.text(alphabet="ab", max_size=12),
)
def test_wildcards_match_as_a_regular_expression_would(bits, key):
    import re

    from quizapp.grading import _glob

    expected = re.fullmatch(".*".join(map(re.escape, bits)), key) is not None
    assert _glob(bits, key) == expected


def test_a_hostile_wildcard_answer_takes_no_time():
    import time

    from quizapp.grading import Answer, grade_answers

    started = time.perf_counter()
    grade = grade_answers("a" * 499 + "b", [Answer("*a" * 200 + "*c")]).grade
    assert grade == Grade(0.0, False) and time.perf_counter() - started < 0.5
