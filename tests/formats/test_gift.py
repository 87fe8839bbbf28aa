"""Tests for the Moodle GIFT import and export (quizapp.formats.gift)."""

from __future__ import annotations

import hashlib
import os
import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.bank.clean import clean_document, decode_document
from quizapp.bank.facts import load_fact_files
from quizapp.bank.templates import build_questions
from quizapp.bank.topics import all_topics
from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.formats.gift import (
    FORMATS,
    GAP,
    MAX_ERRORS,
    MAX_QUESTIONS,
    GiftError,
    GiftResult,
    dump_gift,
    parse_gift,
)

FAST = settings(
    max_examples=int(os.environ.get("GIFT_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
WS = " \t\n\r\x00\x0b"  # what GIFT readers trim

# A Moodle 4 export (question bank -> export -> GIFT), trimmed and extended by hand so that it
# holds every kind, categories, names, the html format, comments and every escape.
MOODLE_EXPORT = r"""// question: 0  name: Switch category to $course$/top/Standard für Diplomatie/…
$CATEGORY: $course$/top/Standard für Diplomatie/Russisch-Japanischer Krieg 1904//05


// question: 101  name: Friedensort
::Friedensort::[html]<p>Wo wurde der Russisch-Japanische Krieg 1905 beendet?</p>{
	=<p>Portsmouth (New Hampshire)</p>#<p>Richtig\: unter Vermittlung Roosevelts.</p>
	~<p>Paris</p>#<p>Nein.</p>
	~<p>Shimonoseki</p>#<p>Das war 1895.</p>
	####<p>Unterzeichnet am 5. September 1905.</p>
}

// question: 102  name: Kriegsparteien
::Kriegsparteien::[html]Welche Staaten führten 1904/05 gegeneinander Krieg?{
	~%50%Russland
	~%50%Japan
	~%-100%China
	~%-100%Korea#Korea war Schauplatz, nicht Kriegspartei.
}

// question: 103  name: Tsushima
::Tsushima::[html]Die Seeschlacht bei Tsushima endete mit einem japanischen Sieg.{TRUE
#Doch\: Japan siegte.#Richtig.####Mai 1905.}

// question: 104  name: Vermittler
::Vermittler::[html]Welcher US-Präsident vermittelte den Frieden?{
	=%100%Theodore Roosevelt#
	=%100%Roosevelt#
}

// question: 105  name: Kriegsbeginn
::Kriegsbeginn::[html]In welchem Jahr begann der Krieg?{#
	=%100%1904:0#
	=%50%1905:0#Knapp daneben.
	~#Nein.
}

// question: 106  name: Jahrzehnt
::Jahrzehnt::In welchem Jahrzehnt lag der Krieg?{#1900..1909}

// question: 107  name: Verträge
::Verträge::[html]Ordnen Sie die Verträge den Jahren zu.{
	=Shimonoseki -> 1895
	=Portsmouth -> 1905
	=Neutralitätspakt -> 1941
	####Drei Wendepunkte.
}

// Lückentext mit Auswahl; der Kommentar steht mitten in der Frage
::Lücke::Der Frieden von {=Portsmouth ~Paris
// ein Kommentar zwischen den Antworten
~Berlin} beendete den Krieg.

$CATEGORY: $course$/top/Korea und Russland

::Admiral::Der japanische Admiral {=Tōgō =Togo} siegte bei Tsushima.

::Escapes::Was steht in \{a\=b\}, \~, \# und \: ?\nZweite Zeile, Backslash \\ bleibt.{
	=Gleichung\: a\=b#Richtig \{genau\}
	~Nichts \~ gar nichts
}
"""


def draft(kind: str, prompt: str, answer: str, **fields: object) -> QuestionDraft:
    """A teacher draft as parse_gift returns it (topic "allgemein", no document)."""
    values: dict[str, object] = {
        "id": "t-0123456789ab",
        "kind": kind,
        "prompt": prompt,
        "answer": answer,
        "explanation": "",
        "topic": "allgemein",
        "document": "",
        "origin": "teacher",
    }
    values.update(fields)
    return QuestionDraft(**values)  # type: ignore[arg-type]


def only(text: str) -> QuestionDraft:
    result = parse_gift(text)
    assert len(result.questions) == 1
    return result.questions[0]


def errors_of(text: str, source: str = "t.gift") -> list[str]:
    with pytest.raises(GiftError) as info:
        parse_gift(text, source)
    return info.value.errors


def same(a: QuestionDraft, b: QuestionDraft) -> None:
    for name in ("kind", "prompt", "answer", "accepted", "choices", "explanation", "topic"):
        assert getattr(a, name) == getattr(b, name), name


def round_trip(questions: list[QuestionDraft]) -> list[QuestionDraft]:
    notes: list[str] = []
    text = dump_gift(questions, warnings=notes)
    assert notes == []
    result = parse_gift(text, "export.gift")
    assert len(result.questions) == len(questions)
    return result.questions


# --------------------------------------------------------------------------- the Moodle sample


def test_moodle_export_reads_every_question():
    result = parse_gift(MOODLE_EXPORT, "moodle.gift")
    kinds = [q.kind for q in result.questions]
    assert kinds == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "typed",
        "numerical",
        "numerical",
        "matching",
        "cloze",
        "cloze",
        "single_choice",
    ]
    # "Standard für Diplomatie" is Moodle's default category; the last segment is the topic.
    topics = [q.topic for q in result.questions]
    assert topics == ["russisch-japanischer-krieg"] * 8 + ["korea"] * 2
    assert result.warnings == []
    for q in result.questions:
        assert (q.origin, q.status, q.document) == ("teacher", "draft", "")
        assert q.id.startswith("t-") and len(q.id) == 14


def test_moodle_export_single_choice_with_html_and_feedback():
    q = parse_gift(MOODLE_EXPORT, "moodle.gift").questions[0]
    assert q.prompt == "<p>Wo wurde der Russisch-Japanische Krieg 1905 beendet?</p>"
    assert q.answer == "<p>Portsmouth (New Hampshire)</p>"
    assert q.explanation == "<p>Unterzeichnet am 5. September 1905.</p>"
    assert q.choices[0] == ChoiceDraft(
        text="<p>Portsmouth (New Hampshire)</p>",
        correct=True,
        feedback="<p>Richtig: unter Vermittlung Roosevelts.</p>",
    )
    assert [c.correct for c in q.choices] == [True, False, False]
    assert q.extra["format"] == "html"
    assert q.extra["gift_name"] == "Friedensort"
    assert q.extra["category"].endswith("Russisch-Japanischer Krieg 1904//05")
    assert q.extra["defined_at"] == "moodle.gift:6"


def test_moodle_export_details_of_the_other_kinds():
    qs = parse_gift(MOODLE_EXPORT).questions
    mc, tf, sa, num, decade, match, gap_choice, gap_typed, escapes = qs[1:]
    assert mc.answer == "Russland; Japan"
    assert [c.weight for c in mc.choices] == [50, 50, -100, -100]
    assert mc.choices[3].feedback == "Korea war Schauplatz, nicht Kriegspartei."
    assert (tf.answer, tf.explanation) == ("wahr", "Mai 1905.")
    assert tf.extra["feedback_wrong"] == "Doch: Japan siegte."
    assert tf.extra["feedback_right"] == "Richtig."
    assert (sa.answer, sa.accepted, sa.choices) == ("Theodore Roosevelt", ("Roosevelt",), ())
    assert (num.answer, num.extra["tolerance"]) == ("1904", "0")
    assert num.choices == (
        ChoiceDraft(text="1904:0", correct=True, weight=100),
        ChoiceDraft(text="1905:0", correct=True, weight=50, feedback="Knapp daneben."),
        ChoiceDraft(text="*", correct=False, feedback="Nein."),
    )
    assert (decade.answer, decade.extra["min"], decade.extra["max"]) == ("1904.5", "1900", "1909")
    assert match.answer == "Shimonoseki → 1895; Portsmouth → 1905; Neutralitätspakt → 1941"
    assert match.explanation == "Drei Wendepunkte."
    assert gap_choice.prompt == f"Der Frieden von {GAP} beendete den Krieg."
    assert [c.text for c in gap_choice.choices] == ["Portsmouth", "Paris", "Berlin"]
    assert gap_choice.answer == "Portsmouth"
    assert (gap_typed.answer, gap_typed.accepted) == ("Tōgō", ("Togo",))
    assert gap_typed.prompt == f"Der japanische Admiral {GAP} siegte bei Tsushima."


def test_moodle_export_escapes():
    escapes = parse_gift(MOODLE_EXPORT).questions[-1]
    assert escapes.prompt == (
        "Was steht in {a=b}, ~, # und : ?\nZweite Zeile, Backslash \\ bleibt."
    )
    assert escapes.answer == "Gleichung: a=b"
    assert escapes.choices[0].feedback == "Richtig {genau}"
    assert escapes.choices[1].text == "Nichts ~ gar nichts"


def test_moodle_export_survives_a_round_trip():
    questions = parse_gift(MOODLE_EXPORT).questions
    again = round_trip(questions)
    for a, b in zip(questions, again, strict=True):
        same(a, b)
        assert b.extra["format"] == a.extra["format"]
    # The exported ids are teacher ids, so a second round keeps them.
    assert [q.id for q in round_trip(again)] == [q.id for q in again]


# --------------------------------------------------------------------------- kinds


def test_single_choice():
    q = only("Wer siegte bei Tsushima?{=Japan ~Russland ~China}")
    assert q.kind == "single_choice"
    assert q.answer == "Japan"
    assert q.choices == (
        ChoiceDraft(text="Japan", correct=True),
        ChoiceDraft(text="Russland"),
        ChoiceDraft(text="China"),
    )


def test_single_choice_with_partial_credit_and_zero_weight():
    q = only("Frage?{=Japan ~%50%Nippon ~%0%Russland}")
    assert q.kind == "single_choice"
    assert q.choices[1] == ChoiceDraft(text="Nippon", correct=True, weight=50)
    assert q.choices[2] == ChoiceDraft(text="Russland")  # 0% is the same as no weight


def test_equals_in_a_choice_question_takes_no_weight_like_moodle():
    q = only("Frage?{=%50%Japan ~Russland}")
    assert q.answer == "%50%Japan"


def test_several_equals_all_give_full_credit_and_the_first_is_the_answer():
    result = parse_gift("Frage?{=Japan =Nippon ~Russland}", "s.gift")
    question = result.questions[0]
    assert question.answer == "Japan" and result.warnings == []
    assert [(c.text, c.correct, c.weight) for c in question.choices] == [
        ("Japan", True, None),
        ("Nippon", True, None),
        ("Russland", False, None),
    ]


def test_multiple_choice():
    q = only("Welche?{~%50%Russland ~%50%Japan ~%-100%China}")
    assert q.kind == "multiple_choice"
    assert q.answer == "Russland; Japan"
    assert [(c.correct, c.weight) for c in q.choices] == [
        (True, 50.0),
        (True, 50.0),
        (False, -100.0),
    ]


def test_multiple_choice_weights_not_adding_up_warn():
    result = parse_gift("Welche?{~%50%Russland ~%20%Japan ~China}", "w.gift")
    assert result.questions[0].kind == "multiple_choice"
    assert result.warnings == ["w.gift:1: the positive weights add up to 70%, not 100%"]


@pytest.mark.parametrize(
    ("block", "answer"),
    [("{T}", "wahr"), ("{TRUE}", "wahr"), ("{F}", "falsch"), ("{FALSE}", "falsch")],
)
def test_true_false(block, answer):
    q = only(f"Port Arthur fiel 1905.{block}")
    assert (q.kind, q.answer, q.choices) == ("true_false", answer, ())
    assert "feedback_wrong" not in q.extra


def test_true_false_feedback():
    q = only("Port Arthur fiel 1905.{F#Doch, im Januar.#Richtig.####Nach langer Belagerung.}")
    assert (q.kind, q.answer) == ("true_false", "falsch")
    assert q.extra["feedback_wrong"] == "Doch, im Januar."
    assert q.extra["feedback_right"] == "Richtig."
    assert q.explanation == "Nach langer Belagerung."


def test_lower_case_true_is_a_short_answer_with_a_warning():
    result = parse_gift("Stimmt das?{true}", "l.gift")
    assert (result.questions[0].kind, result.questions[0].answer) == ("typed", "true")
    assert "needs T, TRUE, F or FALSE in capitals" in result.warnings[0]


def test_short_answer():
    q = only("Wer vermittelte den Frieden?{=Roosevelt =Theodore Roosevelt =T. Roosevelt}")
    assert q.kind == "typed"
    assert q.answer == "Roosevelt"
    assert q.accepted == ("Theodore Roosevelt", "T. Roosevelt")
    assert q.choices == ()


def test_short_answer_without_equals_like_moodle():
    q = only("Wo?{Portsmouth}")
    assert (q.kind, q.answer) == ("typed", "Portsmouth")


def test_short_answer_with_partial_credit_and_wrong_answers_keeps_them_as_choices():
    q = only("Wo?{=%0%Paris#Nein =Portsmouth#Ja =%50%Portsmut =Portsmouth NH}")
    assert (q.answer, q.accepted) == ("Portsmouth", ("Portsmouth NH",))
    assert q.choices == (
        ChoiceDraft(text="Paris", feedback="Nein"),
        ChoiceDraft(text="Portsmouth", correct=True, feedback="Ja"),
        ChoiceDraft(text="Portsmut", correct=True, weight=50),
    )


def test_feedback_of_an_accepted_answer_is_kept():
    result = parse_gift("Wo?{=Portsmouth =Portsmut#Tippfehler}", "f.gift")
    question = result.questions[0]
    assert question.accepted == () and result.warnings == []
    assert question.choices == (
        ChoiceDraft("Portsmouth", True),
        ChoiceDraft("Portsmut", True, feedback="Tippfehler"),
    )


def test_matching():
    q = only("Ordne zu.{=Portsmouth -> 1905 =Shimonoseki -> 1895 = -> 1941}")
    assert q.kind == "matching"
    assert q.choices == (
        ChoiceDraft(text="Portsmouth", match="1905", correct=True),
        ChoiceDraft(text="Shimonoseki", match="1895", correct=True),
        ChoiceDraft(text="", match="1941", correct=False),
    )
    assert q.answer == "Portsmouth → 1905; Shimonoseki → 1895"


def test_matching_splits_at_the_first_arrow():
    q = only("Ordne zu.{=a -> b -> c =d -> e}")
    assert q.choices[0] == ChoiceDraft(text="a", match="b -> c", correct=True)


@pytest.mark.parametrize(
    ("block", "answer", "extra"),
    [
        ("{#1905}", "1905", {}),
        ("{#1905:2}", "1905", {"tolerance": "2"}),
        ("{#1900..1910}", "1905", {"min": "1900", "max": "1910"}),
        ("{#-3.5:0.25}", "-3.5", {"tolerance": "0.25"}),
        ("{#1.5e3}", "1.5e3", {}),
        ("{# 1905 : 2 }", "1905", {"tolerance": "2"}),
    ],
)
def test_numerical(block, answer, extra):
    q = only(f"Wann endete der Krieg?{block}")
    assert (q.kind, q.answer, q.choices) == ("numerical", answer, ())
    assert {k: v for k, v in q.extra.items() if k in ("tolerance", "min", "max")} == extra


def test_numerical_with_several_weighted_answers():
    q = only("Wann?{#=1905:0 =%50%1904..1906#Fast. ~#Leider falsch.}")
    assert (q.answer, q.extra["tolerance"]) == ("1905", "0")
    assert q.choices == (
        ChoiceDraft(text="1905:0", correct=True),
        ChoiceDraft(text="1904..1906", correct=True, weight=50, feedback="Fast."),
        ChoiceDraft(text="*", correct=False, feedback="Leider falsch."),
    )


def test_missing_word_with_choices_is_a_single_choice_cloze():
    q = only("Der Frieden von {=Portsmouth ~Paris} wurde 1905 geschlossen.")
    assert q.kind == "cloze"
    assert q.prompt == "Der Frieden von ___ wurde 1905 geschlossen."
    assert q.answer == "Portsmouth"
    assert q.choices == (ChoiceDraft(text="Portsmouth", correct=True), ChoiceDraft(text="Paris"))


def test_missing_word_with_typed_answers_is_a_typed_cloze():
    q = only("Der Frieden von {=Portsmouth =Portsmut} wurde 1905 geschlossen.")
    assert q.kind == "cloze"
    assert q.prompt == "Der Frieden von ___ wurde 1905 geschlossen."
    assert (q.answer, q.accepted, q.choices) == ("Portsmouth", ("Portsmut",), ())


def test_missing_word_of_another_kind_keeps_its_kind_and_gets_the_gap():
    q = only("Der Krieg endete {#1905} mit dem Frieden von Portsmouth.")
    assert (q.kind, q.prompt) == (
        "numerical",
        "Der Krieg endete ___ mit dem Frieden von Portsmouth.",
    )


def test_the_last_four_hashes_start_the_general_feedback_like_moodle():
    q = only("F?{=a ####eins ####zwei}")
    assert q.explanation == "zwei"
    assert q.choices == (ChoiceDraft(text="a", correct=True, feedback="###eins"),)
    q = only("F?{=a #####Erklärung}")  # five: the last four count
    assert (q.answer, q.explanation, q.choices) == ("a", "Erklärung", ())


def test_multi_line_question_and_escaped_newline():
    text = "::lang::Erste Zeile\nzweite Zeile\\nmit Umbruch{\n  =a\n\n"
    assert errors_of(text) == ["t.gift:2: '{' is never closed with '}'"]
    q = only("::lang::Erste Zeile\n   zweite Zeile\\ndritte{\n  =a\n  =b\n}")
    assert q.prompt == "Erste Zeile\nzweite Zeile\ndritte"
    assert (q.answer, q.accepted) == ("a", ("b",))


def test_other_backslashes_stay_and_double_backslash_is_one():
    q = only(r"C:\Programme \\n und \x{=a}")
    assert q.prompt == "C:\\Programme \\n und \\x"


def test_formats_and_plain_text_in_brackets():
    assert only("[markdown]**Wer?**{=a}").extra["format"] == "markdown"
    assert only("[plain]Wer?{=a}").extra["format"] == "plain"
    q = only("[Quelle] Wer?{=a}")  # not a format: stays text
    assert (q.prompt, q.extra["format"]) == ("[Quelle] Wer?", "moodle")


def test_format_tag_on_answers_is_taken_off():
    q = only("[html]Wer?{=[html]<b>Roosevelt</b> ~[plain]%50% Taft}")
    assert [c.text for c in q.choices] == ["<b>Roosevelt</b>", "%50% Taft"]
    assert q.choices[1].weight is None


# --------------------------------------------------------------------------- categories, ids


def test_topic_from_category():
    text = (
        "Frage 1?{=a}\n\n$CATEGORY: $course$/top/Zweiter Weltkrieg und Separatfrieden\n\n"
        "Frage 2?{=a}\n\n$CATEGORY: $course$/top/japan-russland-heute\n\nFrage 3?{=a}\n\n"
        "$CATEGORY: $course$/top\n\nFrage 4?{=a}"
    )
    result = parse_gift(text)
    assert [q.topic for q in result.questions] == [
        "allgemein",
        "zweiter-weltkrieg",
        "japan-russland-heute",
        "allgemein",
    ]
    assert result.questions[0].extra["category"] == ""
    assert result.warnings == []


def test_unknown_category_is_slugified_with_a_warning():
    result = parse_gift("$CATEGORY: $course$/top/Geschichte/Übungen Größe 2\n\nFrage?{=a}", "c")
    assert result.questions[0].topic == "uebungen-groesse-2"
    assert result.warnings == [
        "c:1: category 'Übungen Größe 2' is not a known topic; its questions get the topic "
        "'uebungen-groesse-2'"
    ]


def test_category_line_may_head_a_question_paragraph():
    result = parse_gift("$CATEGORY: $course$/top/Korea und Russland\nFrage?{=a}")
    assert [q.topic for q in result.questions] == ["korea"]


def test_ids_are_stable_and_named_ids_follow_the_name():
    a = only("::Friedensort::Wo?{=Portsmouth}")
    b = only("// anders formatiert\n::Friedensort::  Wo genau?{=Portsmouth ~Paris}")
    assert a.id == b.id  # the name decides
    c = only("Wo?{=Portsmouth}")
    d = only("Wo?{=Portsmouth}")
    assert c.id == d.id != a.id
    assert only("Wo?{=Portsmut}").id != c.id
    assert only("::t-0123456789ab::Wo?{=Portsmouth}").id == "t-0123456789ab"


def test_result_type():
    result = parse_gift("")
    assert isinstance(result, GiftResult)
    assert (result.questions, result.warnings) == ([], [])
    assert parse_gift("// nur ein Kommentar\n\n\n$CATEGORY: $course$/top/Korea\n").questions == []


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # unbalanced braces, reported at the brace
        ("Frage\nnoch Text {=a ~b\n", "t.gift:2: '{' is never closed with '}'"),
        ("Frage =a}", "t.gift:1: '}' without '{' before it (write \\} for a literal brace)"),
        (
            "Frage{=a\n~{b}",
            "t.gift:2: '{' inside the answer block (write \\{ for a literal brace)",
        ),
        (
            "Frage{=a}\nund {=b}",
            "t.gift:2: '{' after the answer block: a question has one answer block "
            "(write \\{ for a literal brace)",
        ),
        # empty answers and empty text
        ("Frage{=a ~}", "t.gift:1: empty answer '~'"),
        ("Frage{=}", "t.gift:1: empty answer '='"),
        ("Frage{=a ==b}", "t.gift:1: empty answer '='"),
        ("Frage{=a#Feedback ~#nur Feedback}", "t.gift:1: empty answer '~#nur Feedback'"),
        ("::name::{=a}", "t.gift:1: the question text is empty"),
        # unknown syntax
        ("::name Frage{=a}", "t.gift:1: question name opened with '::' is never closed with '::'"),
        ("Ordne{=a -> b =c}", "t.gift:1: matching entry 'c' has no '->'"),
        ("Ordne{=a -> b =c -> }", "t.gift:1: matching entry 'c ->' has nothing after '->'"),
        (
            "Ordne{=a -> b}",
            "t.gift:1: a matching question needs at least two pairs 'left -> right'",
        ),
        ("$CATEGORY:   \n\nFrage{=a}", "t.gift:1: $CATEGORY: without a category path"),
        ("Frage{~%100%a}", "t.gift:1: a choice question needs at least two answers"),
        # weights outside -100..100
        ("Frage{~%150%a ~b}", "t.gift:1: weight 150% is outside -100..100"),
        ("Frage{=%-100.5%a =b}", "t.gift:1: weight -100.5% is outside -100..100"),
        # numerical answers that are no numbers
        (
            "Wann?{#neunzehnhundertfünf}",
            "t.gift:1: numerical answer 'neunzehnhundertfünf' is not a number",
        ),
        ("Wann?{#19o5:2}", "t.gift:1: numerical answer '19o5:2' is not a number with tolerance"),
        ("Wann?{#1905:-2}", "t.gift:1: numerical answer '1905:-2' has a negative tolerance"),
        ("Wann?{#1900..}", "t.gift:1: numerical answer '1900..' is not a range like 1900..1910"),
        (
            "Wann?{#1910..1900}",
            "t.gift:1: numerical range '1910..1900' has its minimum above its maximum",
        ),
        ("Wann?{#}", "t.gift:1: a numerical question needs an answer, e.g. {#1905} or {#1905:2}"),
        ("Wann?{#inf}", "t.gift:1: numerical answer 'inf' is not a number"),
        (
            "Wann?{#=%50%1905}",
            "t.gift:1: no numerical answer with full credit (no weight, or 100%)",
        ),
        # a choice question without a right answer
        (
            "Frage{~a ~b ~c}",
            "t.gift:1: no right answer: mark one with '=' or give right answers a positive "
            "%weight%",
        ),
        ("Frage{=%50%a =%0%b}", "t.gift:1: no answer with full credit (no weight, or 100%)"),
    ],
)
def test_errors_name_the_line(text, expected):
    assert errors_of(text) == [expected]


def test_all_errors_are_collected_and_nothing_is_returned():
    text = (
        "::gut::Eine gute Frage?{=a ~b}\n\n"
        "// Kommentar\n"
        "::schlecht1::Frage{~a ~b}\n\n"
        "::gut2::Noch eine?{T}\n\n"
        "::schlecht2::Frage\n{=a\n~%200%b\n}\n\n"
        "::schlecht3::Frage{#abc}\n\n"
        "::gut::Doppelt?{T}\n"  # a repeat is no error: it gets its own id
    )
    with pytest.raises(GiftError) as info:
        parse_gift(text, "bank.gift")
    assert info.value.errors == [
        "bank.gift:4: no right answer: mark one with '=' or give right answers a positive %weight%",
        "bank.gift:8: weight 200% is outside -100..100",
        "bank.gift:13: numerical answer 'abc' is not a number",
    ]
    assert str(info.value).startswith("3 errors in the GIFT file:\nbank.gift:4: ")
    assert isinstance(info.value, ValueError)


def test_errors_stop_after_the_limit():
    text = "\n\n".join("Frage ohne Antwort}" for _ in range(MAX_ERRORS * 3))
    errors = errors_of(text)
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1].endswith("too many errors, stopped reading here")


def test_too_many_questions_is_an_error():
    text = "\n\n".join(f"::q{i}::F?{{T}}" for i in range(MAX_QUESTIONS + 1))
    assert errors_of(text) == [
        f"t.gift:{2 * MAX_QUESTIONS + 1}: more than {MAX_QUESTIONS} questions; split the file"
    ]


# --------------------------------------------------------------------------- export


def test_dump_writes_moodle_style_gift():
    questions = [
        draft(
            "single_choice",
            "Wo endete der Krieg 1905?",
            "Portsmouth",
            id="t-aaaaaaaaaaaa",
            topic="russisch-japanischer-krieg",
            explanation="Vermittelt von Roosevelt.",
            choices=(
                ChoiceDraft(text="Paris"),
                ChoiceDraft(text="Portsmouth", correct=True, feedback="Richtig: in den USA."),
            ),
        ),
        draft("true_false", "Japan siegte {klar}.", "wahr", id="t-bbbbbbbbbbbb", topic="korea"),
    ]
    assert dump_gift(questions).splitlines()[2:] == [
        "$CATEGORY: $course$/top/Russisch-Japanischer Krieg 1904//05",
        "",
        "// quizapp: kind=single_choice id=t-aaaaaaaaaaaa",
        "Wo endete der Krieg 1905?{",
        "\t~Paris",
        "\t=Portsmouth#Richtig\\: in den USA.",
        "\t####Vermittelt von Roosevelt.",
        "}",
        "",
        "$CATEGORY: $course$/top/Korea und Russland",
        "",
        "// quizapp: kind=true_false id=t-bbbbbbbbbbbb",
        "Japan siegte \\{klar\\}.{TRUE}",
    ]


def test_dump_escapes_every_special_character():
    q = draft("typed", "a~b=c#d{e}f:g\\h\ni", "x~=#{}:\\\ny")
    text = dump_gift([q])
    assert "\na\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni{" in text
    assert "\t=x\\~\\=\\#\\{\\}\\:\\\\\\ny\n" in text
    same(parse_gift(text).questions[0], q)


def test_ordering_is_exported_as_matching_with_positions():
    q = draft(
        "ordering",
        "Bringe in die richtige Reihenfolge.",
        "Shimonoseki → Portsmouth → Neutralitätspakt",
        choices=tuple(
            ChoiceDraft(text=t, correct=True)
            for t in ("Shimonoseki", "Portsmouth", "Neutralitätspakt")
        ),
    )
    text = dump_gift([q])
    assert "=Shimonoseki -> 1.\n\t=Portsmouth -> 2.\n\t=Neutralitätspakt -> 3.\n" in text
    same(parse_gift(text).questions[0], q)
    # Without the quizapp comment (as Moodle would export it again) it is a matching question.
    marker = "// quizapp: kind=ordering id=t-0123456789ab\n"
    plain = parse_gift(text.replace(marker, "")).questions[0]
    assert plain.kind == "matching"
    assert plain.choices[1] == ChoiceDraft(text="Portsmouth", match="2.", correct=True)


def test_date_is_exported_as_short_answer_with_wrong_dates_at_zero_percent():
    q = draft(
        "date",
        "Wann wurde der Frieden von Portsmouth geschlossen?",
        "5. September 1905",
        accepted=("am 5. September 1905",),
        choices=(
            ChoiceDraft(text="17. April 1895"),
            ChoiceDraft(text="5. September 1905", correct=True),
            ChoiceDraft(text="13. April 1941"),
        ),
    )
    text = dump_gift([q])
    assert (
        "{\n\t=%0%17. April 1895\n\t=5. September 1905\n\t=%0%13. April 1941\n"
        "\t=am 5. September 1905\n}"
    ) in text
    same(parse_gift(text).questions[0], q)
    # Moodle reads it as a short answer, so does parse_gift without the marker.
    plain = parse_gift(text.replace("// quizapp: kind=date id=t-0123456789ab\n", "")).questions[0]
    assert (plain.kind, plain.answer) == ("typed", "5. September 1905")


def test_cloze_with_the_gap_at_the_end_keeps_the_gap_in_the_text():
    q = draft("cloze", "Der Krieg endete mit dem Frieden von ___", "Portsmouth")
    text = dump_gift([q])
    assert "Frieden von ___{\n\t=Portsmouth\n}" in text
    same(parse_gift(text).questions[0], q)


def test_cloze_is_written_as_missing_word():
    q = draft(
        "cloze",
        "Der Frieden von ___ wurde 1905 geschlossen.",
        "Portsmouth",
        choices=(ChoiceDraft(text="Portsmouth", correct=True), ChoiceDraft(text="Paris")),
    )
    text = dump_gift([q])
    assert "\nDer Frieden von {=Portsmouth ~Paris} wurde 1905 geschlossen.\n" in text
    same(parse_gift(text).questions[0], q)


def test_kind_marker_that_does_not_fit_warns():
    text = "// quizapp: kind=ordering\nFrage?{=a ~b}"
    result = parse_gift(text, "m.gift")
    assert result.questions[0].kind == "single_choice"
    assert result.warnings == [
        "m.gift:2: '// quizapp: kind=ordering' does not fit the answers; read as single_choice"
    ]
    result = parse_gift("// quizapp: kind=ordering\nOrdne{=a -> x =b -> y}", "m.gift")
    assert result.questions[0].kind == "matching"
    assert "needs the right sides 1., 2., ..." in result.warnings[0]


def test_dump_skips_what_gift_cannot_hold_with_a_warning():
    notes: list[str] = []
    questions = [
        draft("essay", "Erzählen Sie.", "frei", id="t-111111111111"),
        draft("numerical", "Wann?", "neunzehnhundertfünf", id="t-222222222222"),
        draft(
            "multiple_choice",
            "Welche?",
            "a",
            id="t-333333333333",
            choices=(ChoiceDraft(text="a", correct=True, weight=150), ChoiceDraft(text="b")),
        ),
        draft("typed", "Wer?", "Roosevelt", id="t-444444444444"),
    ]
    text = dump_gift(questions, warnings=notes)
    assert notes == [
        "t-111111111111: skipped: GIFT has no counterpart for the kind 'essay'",
        "t-222222222222: skipped: numerical answer 'neunzehnhundertfünf' is not a number",
        "t-333333333333: skipped: weight 150 is outside -100..100",
    ]
    assert [q.answer for q in parse_gift(text).questions] == ["Roosevelt"]


def test_accepted_variants_of_choice_questions_are_not_exported_with_a_warning():
    q = draft(
        "single_choice",
        "Wer unterzeichnete für Russland?",
        "Sergej Witte",
        accepted=("Witte",),
        choices=(ChoiceDraft(text="Sergej Witte", correct=True), ChoiceDraft(text="Lawrow")),
    )
    notes: list[str] = []
    text = dump_gift([q], warnings=notes)
    assert notes == [
        "t-0123456789ab: accepted variants are not exported: GIFT choice questions have none"
    ]
    assert parse_gift(text).questions[0] == replace(q, accepted=())


def test_arrow_in_a_single_short_answer_is_written_without_equals():
    q = draft("typed", "Welche Richtung?", "Nord->Süd")
    text = dump_gift([q])
    assert "\tNord->Süd\n" in text
    same(parse_gift(text).questions[0], q)
    notes: list[str] = []
    dump_gift([replace(q, accepted=("N->S",))], warnings=notes)
    assert notes == [
        "t-0123456789ab: '->' in a short answer with several answers is read as matching"
    ]


def test_texts_that_look_like_weights_or_formats_are_protected():
    q = draft(
        "single_choice",
        "[html] ist kein Format hier",
        "%50% der Stimmen",
        explanation="[plain]auch nicht",
        choices=(
            ChoiceDraft(text="%50% der Stimmen", correct=True),
            ChoiceDraft(text="[markdown]", feedback="[html]"),
        ),
    )
    text = dump_gift([q])
    assert "\n[moodle][html] ist kein Format hier{" in text
    same(parse_gift(text).questions[0], q)


# --------------------------------------------------------------------------- round trips


ROUND_TRIP_CASES = [
    draft(
        "single_choice",
        "Wer siegte?",
        "Japan",
        explanation="Tsushima.",
        choices=(
            ChoiceDraft(text="Russland", feedback="Nein."),
            ChoiceDraft(text="Japan", correct=True),
            ChoiceDraft(text="China", weight=-50),
        ),
    ),
    draft(
        "multiple_choice",
        "Welche Staaten?",
        "Russland; Japan",
        choices=(
            ChoiceDraft(text="Russland", correct=True, weight=50),
            ChoiceDraft(text="China", weight=-100, feedback="Nein."),
            ChoiceDraft(text="Japan", correct=True, weight=50),
        ),
    ),
    draft("true_false", "Port Arthur fiel.", "wahr", explanation="1905."),
    draft("true_false", "Korea siegte.", "falsch"),
    draft("typed", "Wer vermittelte?", "Roosevelt", accepted=("Theodore Roosevelt",)),
    draft(
        "typed",
        "Wo?",
        "Portsmouth",
        choices=(
            ChoiceDraft(text="Portsmouth", correct=True, feedback="Ja."),
            ChoiceDraft(text="Portsmut", correct=True, weight=50),
            ChoiceDraft(text="Paris", feedback="Nein."),
        ),
    ),
    draft("cloze", "Der Frieden von ___ 1905.", "Portsmouth", accepted=("Portsmut",)),
    draft(
        "cloze",
        "___ siegte bei Tsushima.",
        "Japan",
        choices=(ChoiceDraft(text="Russland"), ChoiceDraft(text="Japan", correct=True)),
    ),
    draft("date", "Wann fiel Port Arthur?", "2. Januar 1905"),
    draft("numerical", "Wann?", "1905", extra={"tolerance": "1"}),
    draft("numerical", "Wann?", "1905", extra={"min": "1904", "max": "1906"}),
    draft(
        "numerical",
        "Wann?",
        "1905",
        choices=(
            ChoiceDraft(text="1905", correct=True),
            ChoiceDraft(text="1904:1", correct=True, weight=50, feedback="Fast."),
            ChoiceDraft(text="*", feedback="Nein."),
        ),
    ),
    draft(
        "matching",
        "Ordne zu.",
        "Portsmouth → 1905; Shimonoseki → 1895",
        choices=(
            ChoiceDraft(text="Portsmouth", match="1905", correct=True),
            ChoiceDraft(text="Shimonoseki", match="1895", correct=True),
            ChoiceDraft(text="", match="1941"),
        ),
    ),
    draft(
        "ordering",
        "Reihenfolge?",
        "Shimonoseki → Portsmouth",
        choices=(
            ChoiceDraft(text="Shimonoseki", correct=True),
            ChoiceDraft(text="Portsmouth", correct=True),
        ),
    ),
]


@pytest.mark.parametrize("question", ROUND_TRIP_CASES, ids=lambda q: q.kind)
def test_round_trip_of_each_kind(question):
    [again] = round_trip([question])
    same(again, question)
    assert again.id == question.id  # a teacher id is kept
    for key in ("tolerance", "min", "max"):
        assert again.extra.get(key) == question.extra.get(key)


def test_round_trip_keeps_true_false_feedback_and_format():
    q = draft(
        "true_false",
        "<p>Port Arthur fiel.</p>",
        "falsch",
        extra={"format": "html", "feedback_wrong": "Doch.", "feedback_right": "Genau."},
    )
    [again] = round_trip([q])
    assert again.extra["format"] == "html"
    assert (again.extra["feedback_wrong"], again.extra["feedback_right"]) == ("Doch.", "Genau.")
    [only_right] = round_trip([replace(q, extra={"feedback_right": "Genau."})])
    assert "feedback_wrong" not in only_right.extra
    assert only_right.extra["feedback_right"] == "Genau."


def test_every_kind_is_covered_by_the_round_trip_cases():
    from quizapp.formats.gift import GIFT_KINDS

    assert {q.kind for q in ROUND_TRIP_CASES} == set(GIFT_KINDS)


def test_the_fact_built_bank_survives_a_round_trip():
    root = Path(__file__).resolve().parents[2]
    documents = {
        p.name: clean_document(p.name, decode_document(p.read_bytes(), p.name))
        for p in sorted((root / "seeds").glob("*.txt"))
    }
    questions = build_questions(load_fact_files(root / "questions" / "facts", documents))
    assert len({q.kind for q in questions}) >= 5
    notes: list[str] = []
    again = parse_gift(dump_gift(questions, warnings=notes), "bank.gift").questions
    assert len(again) == len(questions)
    choice_kinds = ("single_choice", "multiple_choice")
    for a, b in zip(questions, again, strict=True):
        expected = replace(a, accepted=()) if a.kind in choice_kinds else a
        same(b, expected)
        # The exported name is the bank id, so the id survives the round trip.
        assert b.id == a.id
    # The only loss: accepted variants of choice questions, each named in a warning.
    lossy = [q.id for q in questions if q.kind in choice_kinds and q.accepted]
    assert [n.split(":")[0] for n in notes] == lossy


# --------------------------------------------------------------------------- hardening


def test_ten_megabytes_of_nonsense_finish():
    rng = random.Random(1905)
    alphabet = "abcäß  ~=#{}:\\%->[]$/.*09TF\n\n\t"
    text = "".join(rng.choices(alphabet, k=10_000_000))
    with pytest.raises(GiftError) as info:
        parse_gift(text, "junk")
    assert 0 < len(info.value.errors) <= MAX_ERRORS + 1


@pytest.mark.parametrize(
    "text",
    [
        "{" + "~" * 10_000_000 + "}",
        "Q{" + "=a -> b " * 1_250_000 + "}",
        "::" * 5_000_000,
        "\\" * 10_000_000,
        "Q{" + "#" * 10_000_000 + "}",
        "Q{~" + "%" * 10_000_000 + "}",
        "Q{#" + "1" * 10_000_000 + "}",
        "Q{~%" + "1" * 10_000_000 + "% ~b}",
        "Q{" + "=" * 10_000_000 + "}",
        "a" * 10_000_000,
        "F?{T}\n\n" * 1_500_000,
    ],
    ids=[
        "tildes",
        "pairs",
        "colons",
        "backslashes",
        "hashes",
        "percents",
        "digits",
        "weight-digits",
        "equals",
        "letters",
        "questions",
    ],
)
def test_ten_megabyte_pathological_inputs_finish(text):
    try:
        result = parse_gift(text)
    except GiftError as error:
        assert 0 < len(error.errors) <= MAX_ERRORS + 1
    else:
        assert result.questions == []


# --------------------------------------------------------------------------- properties

GIFT_CHARS = list("~=#{}:\\%[]->_$/*.,0123456789TF\n\t äöüß€→“”")
raw_text = st.text(alphabet=st.sampled_from(GIFT_CHARS) | st.characters(), max_size=300)
gift_lines = st.lists(
    st.sampled_from(
        [
            "::n::",
            "{",
            "}",
            "~",
            "=",
            "#",
            "####",
            "->",
            "%50%",
            "%-200%",
            "\\",
            "\n",
            "\n\n",
            "// c",
            "// quizapp: kind=cloze",
            "// quizapp: kind=ordering",
            "$CATEGORY: $course$/top/Korea",
            "[html]",
            "T",
            "FALSE",
            "1905",
            "..",
            ":",
            "1.",
            "Frage",
            " ",
        ]
    )
    | st.text(max_size=5),
    max_size=40,
).map("".join)


@FAST
@given(st.one_of(raw_text, gift_lines))
def test_parse_never_raises_anything_but_gift_error(text):
    try:
        result = parse_gift(text)
    except GiftError as error:
        assert error.errors
        assert all(e.startswith("<gift>:") for e in error.errors)
    else:
        for q in result.questions:
            assert q.id.startswith("t-") and q.prompt and q.origin == "teacher"


# Texts as a GIFT file can hold them: trimmed, no CR (becomes LF), with GIFT's special characters.
TEXT_CHARS = st.sampled_from(list("~=#{}:\\%[]_$/*.-> äöüß\n\t")) | st.characters(
    exclude_characters="\r", exclude_categories=("Cs",)
)
any_text = (
    st.text(alphabet=TEXT_CHARS, min_size=1, max_size=20).map(lambda t: t.strip(WS)).filter(bool)
)
# '->' cannot be escaped: it must not occur where GIFT looks for it (answers, matching sides).
answer_text = any_text.filter(lambda t: "->" not in t)
feedback = st.none() | answer_text
explanation = st.just("") | any_text
# Weights in hundredths, never 0 (stored as None) and never 100 (full credit, no weight).
weight = st.one_of(st.integers(-10_000, -1), st.integers(1, 9_999)).map(lambda n: n / 100)
TOPICS = [slug for slug, _ in all_topics()] + ["eigene-fragen"]


@st.composite
def question_drafts(draw: st.DrawFn, qid: str) -> QuestionDraft:
    kind = draw(
        st.sampled_from(
            [
                "single_choice",
                "multiple_choice",
                "true_false",
                "typed",
                "cloze",
                "date",
                "numerical",
                "matching",
                "ordering",
            ]
        )
    )
    prompt = draw(any_text)
    fields: dict[str, object] = {
        "id": qid,
        "topic": draw(st.sampled_from(TOPICS)),
        "explanation": draw(explanation),
        "extra": {"format": draw(st.sampled_from(FORMATS))},
    }
    if kind == "single_choice":
        answer, choices = draw(_choices())
        return draft(kind, prompt, answer, choices=choices, **fields)
    if kind == "multiple_choice":
        options = draw(st.lists(st.tuples(answer_text, weight, feedback), min_size=2, max_size=5))
        if not any(w > 0 for _, w, _ in options):
            options[0] = (options[0][0], 100.0, options[0][2])
        choices = tuple(
            ChoiceDraft(text=t, correct=w > 0, weight=w, feedback=f) for t, w, f in options
        )
        answer = "; ".join(c.text for c in choices if c.correct)
        return draft(kind, prompt, answer, choices=choices, **fields)
    if kind == "true_false":
        extra = dict(fields.pop("extra"))  # type: ignore[call-overload]
        for key in ("feedback_wrong", "feedback_right"):
            if text := draw(feedback):
                extra[key] = text
        return draft(kind, prompt, draw(st.sampled_from(["wahr", "falsch"])), extra=extra, **fields)
    if kind in ("typed", "date"):
        answer, accepted, choices = draw(_short_answers())
        return draft(kind, prompt, answer, accepted=accepted, choices=choices, **fields)
    if kind == "cloze":
        before, after = draw(any_text), draw(st.just("") | any_text)
        prompt = f"{before} {GAP} {after}".strip(WS)
        if draw(st.booleans()):
            answer, choices = draw(_choices())
            return draft(kind, prompt, answer, choices=choices, **fields)
        answer, accepted, choices = draw(_short_answers())
        return draft(kind, prompt, answer, accepted=accepted, choices=choices, **fields)
    if kind == "numerical":
        numerical = draw(_numerical())
        fields["extra"] = {**fields["extra"], **numerical.pop("extra", {})}  # type: ignore[dict-item]
        return draft(kind, prompt, **numerical, **fields)  # type: ignore[arg-type]
    if kind == "matching":
        pairs = draw(st.lists(st.tuples(answer_text, any_text), min_size=2, max_size=5))
        choices = tuple(ChoiceDraft(text=left, match=right, correct=True) for left, right in pairs)
        if draw(st.booleans()):
            choices += (ChoiceDraft(text="", match=draw(any_text)),)
        answer = "; ".join(f"{c.text} → {c.match}" for c in choices if c.correct)
        return draft(kind, prompt, answer, choices=choices, **fields)
    items = draw(st.lists(answer_text, min_size=2, max_size=5))
    choices = tuple(ChoiceDraft(text=item, correct=True) for item in items)
    return draft("ordering", prompt, " → ".join(items), choices=choices, **fields)


@st.composite
def _choices(draw: st.DrawFn) -> tuple[str, tuple[ChoiceDraft, ...]]:
    """One '=' answer and wrong (or partly right, weighted) options, in any order."""
    answer = draw(answer_text)
    others = draw(
        st.lists(
            st.tuples(answer_text, st.none() | weight, feedback).map(
                lambda o: ChoiceDraft(
                    text=o[0], correct=(o[1] or 0) > 0, weight=o[1], feedback=o[2]
                )
            ),
            min_size=1,
            max_size=4,
        )
    )
    others.insert(
        draw(st.integers(0, len(others))),
        ChoiceDraft(text=answer, correct=True, feedback=draw(feedback)),
    )
    return answer, tuple(others)


@st.composite
def _short_answers(draw: st.DrawFn) -> tuple[str, tuple[str, ...], tuple[ChoiceDraft, ...]]:
    """Answer, accepted variants and maybe weighted/wrong answers kept as choices."""
    answer = draw(answer_text)
    accepted = tuple(draw(st.lists(answer_text, max_size=3)))
    if draw(st.booleans()):
        return answer, accepted, ()
    others = draw(
        st.lists(
            st.tuples(answer_text, st.none() | weight, feedback).map(
                lambda o: ChoiceDraft(
                    text=o[0], correct=(o[1] or 0) > 0, weight=o[1], feedback=o[2]
                )
            ),
            min_size=1,
            max_size=4,
        )
    )
    others.insert(
        draw(st.integers(0, len(others))),
        ChoiceDraft(text=answer, correct=True, feedback=draw(feedback)),
    )
    return answer, accepted, tuple(others)


@st.composite
def _numerical(draw: st.DrawFn) -> dict[str, object]:
    number = st.integers(-5000, 5000).map(lambda n: str(n / 4).removesuffix(".0"))
    if draw(st.booleans()):
        answer = draw(number)
        variant = draw(st.sampled_from(["plain", "tolerance", "range"]))
        if variant == "plain":
            return {"answer": answer}
        if variant == "tolerance":
            return {
                "answer": answer,
                "extra": {"tolerance": draw(st.sampled_from(["0", "2", "0.5"]))},
            }
        low, high = sorted([float(answer), float(draw(number))])
        low_text, high_text = (str(v).removesuffix(".0") for v in (low, high))
        middle = str((low + high) / 2).removesuffix(".0")
        return {"answer": middle, "extra": {"min": low_text, "max": high_text}}
    spec = st.one_of(
        number,
        st.tuples(number, st.sampled_from(["0", "1", "2.5"])).map(":".join),
        st.tuples(number, number).map(lambda p: "..".join(sorted(p, key=float))),
    )
    first = ChoiceDraft(text=draw(spec), correct=True, feedback=draw(feedback))
    others = draw(
        st.lists(
            st.tuples(spec, weight, feedback).map(
                lambda o: ChoiceDraft(text=o[0], correct=o[1] > 0, weight=o[1], feedback=o[2])
            ),
            min_size=1,
            max_size=3,
        )
    )
    choices = (first, *others)
    if draw(st.booleans()):
        choices += (ChoiceDraft(text="*", feedback=draw(answer_text)),)
    # As the reader gives it: the first full-credit answer is also the question's own
    # answer with its tolerance or range (so the writer need not write it again).
    spec_text = first.text
    extra: dict[str, str] = {}
    if ".." in spec_text:
        low, high = (float(p) for p in spec_text.split(".."))
        answer = str((low + high) / 2).removesuffix(".0")
        extra = dict(zip(("min", "max"), spec_text.split(".."), strict=True))
    else:
        answer, _, tolerance = spec_text.partition(":")
        extra = {"tolerance": tolerance} if tolerance else {}
    return {"answer": answer, "choices": choices, "extra": extra}


ids = st.lists(
    st.text(alphabet="0123456789abcdef", min_size=12, max_size=12),
    min_size=1,
    max_size=5,
    unique=True,
)


@st.composite
def question_lists(draw: st.DrawFn) -> list[QuestionDraft]:
    return [draw(question_drafts(f"t-{hex_id}")) for hex_id in draw(ids)]


@FAST
@given(question_lists())
def test_dump_then_parse_gives_the_same_questions(questions):
    again = round_trip(questions)
    for a, b in zip(questions, again, strict=True):
        same(b, a)
        assert b.id == a.id
        assert b.extra["format"] == a.extra["format"]
        if a.kind == "true_false":
            assert b.extra.get("feedback_wrong") == a.extra.get("feedback_wrong")
            assert b.extra.get("feedback_right") == a.extra.get("feedback_right")
        if a.kind == "numerical" and not a.choices:
            for key in ("tolerance", "min", "max"):
                assert b.extra.get(key) == a.extra.get(key), key


@FAST
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß0123456789-. ", min_size=1, max_size=30))
def test_a_name_gives_a_stable_teacher_id(name):
    name = name.strip()
    if not name:
        name = "leer"
    q = only(f"::{name}::Wann endete der Krieg?{{#1905}}")
    expected = "t-" + hashlib.sha256(name.encode()).hexdigest()[:12]
    is_bank_id = re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name) and len(name) <= 64
    assert q.id == (name if is_bank_id else expected)
    assert q.extra["gift_name"] == name
