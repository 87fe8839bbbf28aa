"""No question of a quiz gives away another's answer."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.bank.leaks import Candidate, clash, draw_compatible

DATE = Candidate("d", "date", "Wann wurde der Frieden von Portsmouth unterzeichnet?",
                 "5. September 1905")  # fmt: skip
STATEMENT = Candidate(
    "s",
    "true_false",
    "Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet.",
    "wahr",
)
WHO = Candidate("w", "single_choice", "Wer war 1940 sowjetischer Außenminister?",
                "Wjatscheslaw Molotow", ("Molotow",))  # fmt: skip
NAMING = Candidate("n", "typed", "Wo sprach Molotow im November 1940 mit Tatekawa?", "Moskau")
YEAR = Candidate("y", "cloze", "Im Jahr 1905 endete der Krieg mit dem Frieden von ___.",
                 "Portsmouth")  # fmt: skip


def test_a_statement_gives_away_the_date_question():
    assert clash(DATE, STATEMENT)


def test_a_name_in_a_prompt_gives_away_who_it_was():
    assert clash(WHO, NAMING)  # an accepted variant counts too


def test_the_year_alone_gives_a_date_away_and_a_gap_answer_counts():
    assert clash(DATE, YEAR)


def test_unrelated_questions_do_not_clash():
    assert not clash(WHO, STATEMENT)


def test_a_draw_keeps_only_compatible_questions():
    drawn = draw_compatible([DATE, STATEMENT, WHO, NAMING, YEAR], 5, random.Random(1))
    ids = {c.id for c in drawn}
    assert not ({"d", "s"} <= ids or {"w", "n"} <= ids or {"d", "y"} <= ids)


words = st.sampled_from(
    ["Molotow", "Portsmouth", "1905", "Stalin", "Jalta", "1945", "Kim", "Vertrag"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["date", "typed", "single_choice", "true_false", "ordering"]),
                  st.lists(words, min_size=1, max_size=6), words),
        min_size=1, max_size=25,
    ),
    st.integers(min_value=1, max_value=30),
    st.integers(),
)  # fmt: skip
def test_no_drawn_pair_ever_clashes(specs, length, seed):
    candidates = [
        Candidate(f"q{i}", kind, " ".join(prompt) + "?", answer)
        for i, (kind, prompt, answer) in enumerate(specs)
    ]
    drawn = draw_compatible(candidates, length, random.Random(seed))
    assert len(drawn) <= length
    assert len({c.id for c in drawn}) == len(drawn)
    for i, a in enumerate(drawn):
        for b in drawn[i + 1 :]:
            assert not clash(a, b)
