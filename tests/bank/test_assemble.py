"""One question per fact and kind: a curated question replaces, a duplicate is an error."""

from __future__ import annotations

from dataclasses import replace

from quizapp.bank.assemble import assemble, same_question
from quizapp.bank.templates import build_questions
from quizapp.bank.types import QuestionDraft
from tests.bank.factkit import EVENTS, kit_base


def curated(qid: str, prompt: str, answer: str, kind: str = "date", **extra: str) -> QuestionDraft:
    return QuestionDraft(
        id=qid, kind=kind, prompt=prompt, answer=answer, explanation="", topic="korea",
        document="kit.txt", origin="curated", status="approved",
        extra={"defined_at": f"q/kit.yaml:{len(qid)}", **extra},
    )  # fmt: skip


def test_a_curated_question_that_says_what_it_replaces_wins(tmp_path):
    generated = build_questions(kit_base(tmp_path / "facts"))
    mine = curated("portsmouth-datum", "Wann wurde der Frieden von Portsmouth geschlossen?",
                   "5. September 1905", replaces="portsmouth/date")  # fmt: skip
    bank, errors = assemble([mine], generated)
    assert errors == []
    ids = {q.id for q in bank}
    assert "portsmouth-datum" in ids and "f-portsmouth-date" not in ids


def test_a_duplicate_without_replaces_is_an_error_that_says_what_to_write(tmp_path):
    generated = build_questions(kit_base(tmp_path / "facts"))
    mine = curated("portsmouth-datum", "Wann wurde der Frieden von Portsmouth unterzeichnet?",
                   "05.09.1905")  # fmt: skip
    _, errors = assemble([mine], generated)
    assert errors == [
        "q/kit.yaml:16: 'portsmouth-datum' asks what 'f-portsmouth-date' (built from fact "
        "'portsmouth') asks: add 'replaces: portsmouth/date' or ask something else"
    ]


def test_replacing_what_no_fact_gives_is_an_error(tmp_path):
    generated = build_questions(kit_base(tmp_path / "facts"))
    mine = curated("x", "Wann?", "1905", replaces="portsmouth/place")
    _, errors = assemble([mine], generated)
    assert errors == ["q/kit.yaml:1: 'replaces: portsmouth/place' matches no question built from "
                      "the facts"]  # fmt: skip


def test_two_facts_stating_one_event_are_an_error(tmp_path):
    twice = EVENTS + (
        "  - id: portsmouth-nochmal\n    kind: treaty\n    date: 5. September 1905\n"
        "    what: der Frieden von Portsmouth | wurde | unterzeichnet\n"
        "    source: Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet.\n"
    )
    _, errors = assemble([], build_questions(kit_base(tmp_path / "facts", twice)))
    assert errors == [
        "facts 'portsmouth' (kit.txt) and 'portsmouth-nochmal' (kit.txt) state the same event "
        "(5. September 1905): define it once"
    ]


def test_same_question_needs_the_same_answer_and_a_similar_prompt():
    a = curated("a", "Wann wurde der Frieden von Portsmouth unterzeichnet?", "5. September 1905")
    assert same_question(a, replace(a, answer="05.09.1905"))
    assert not same_question(a, replace(a, answer="6. September 1905"))
    assert not same_question(a, replace(a, prompt="Wann starb Stalin?"))
    assert not same_question(a, replace(a, kind="ordering"))
