"""GIFT files as Moodle reads them: whole files with unsupported kinds and repeats, and what
teachers wrote beside the content (names, [id:], [tag:], text formats)."""

from __future__ import annotations

import os
import re
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.formats.common import Repeat, Skipped, derived_id, normal_tags
from quizapp.formats.gift import dump_gift, parse_gift

FAST = settings(
    max_examples=int(os.environ.get("GIFT_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Written after the semantics of Moodle's question/format/gift/examples.txt (not a copy): the
# same question three times, two different questions under one name, unnamed numerical
# questions that share text and midpoint, the same question in two spellings ({F}, {FALSE}),
# and one essay and one description, which Moodle imports and quizapp cannot.
MOODLE_LIKE = """\
// Beispiele wie in Moodles examples.txt, auf Deutsch
Wer liegt in Grants Grab?{~Grant ~Jefferson =niemand}

Grant liegt in Grants Grab.{FALSE}

Wann wurde Grant geboren?{#1822:1}

// ===Auswahl===
Wer liegt in Grants Grab?{~Grant ~Jefferson =niemand}

Grant liegt in Grants Grab.{F}

Wann wurde Grant geboren? {#1822}

Wann wurde Grant geboren? {#
    =1822:0
    =%50%1822:2}

::Heimatort::Jesus stammte aus {
    ~Jerusalem#Wichtig, aber falsch.
    =Nazareth#Ja!}.

::Heimatort:: Jesus stammte aus {
    =Nazareth#Ja!
    =%75%Nazaret#Richtig, aber falsch geschrieben.}.

Wer liegt in Grants Grab?{~Grant ~Jefferson =niemand}

::Aufsatz::Wie geht es dir?{}

Nur ein Text ohne Antworten, in Moodle eine Beschreibung.

Wann wurde Grant geboren?{#1822:5}
"""


def test_a_moodle_like_file_imports_every_supported_question():
    result = parse_gift(MOODLE_LIKE, "beispiele.txt")
    kinds = [q.kind for q in result.questions]
    assert kinds == [
        "single_choice",
        "true_false",
        "numerical",
        "numerical",
        "numerical",
        "cloze",
        "cloze",
        "numerical",
    ]
    assert result.skipped == [
        Skipped("beispiele.txt:29", "Aufsatz", "essay"),
        Skipped("beispiele.txt:31", "Nur ein Text ohne Antworten, in Moodle eine Beschreibung.",
                "description"),
    ]  # fmt: skip
    merged = [(r.where, r.first) for r in result.repeats if r.merged]
    assert merged == [
        ("beispiele.txt:9", "beispiele.txt:2"),
        ("beispiele.txt:11", "beispiele.txt:4"),  # {F} is {FALSE}
        ("beispiele.txt:27", "beispiele.txt:2"),
    ]
    renamed = [(r.where, r.first, r.old_id, r.new_id) for r in result.repeats if not r.merged]
    assert [where for where, *_ in renamed] == [
        "beispiele.txt:13",
        "beispiele.txt:15",
        "beispiele.txt:23",
        "beispiele.txt:33",
    ]
    # the numerical questions repeat the first's text and midpoint; "Heimatort" its name
    firsts = [first for _, first, *_ in renamed]
    assert firsts == ["beispiele.txt:6", "beispiele.txt:6", "beispiele.txt:19", "beispiele.txt:6"]
    ids = [q.id for q in result.questions]
    assert len(set(ids)) == len(ids)
    # Each renamed repeat's id comes from the first id and its own content: stable.
    by_place = {q.extra["defined_at"]: q for q in result.questions}
    for where, _, old, new in renamed:
        assert by_place[where].id == new == derived_id(old, by_place[where])
    again = parse_gift(MOODLE_LIKE, "beispiele.txt")
    assert [q.id for q in again.questions] == ids
    assert any("skipped" in w and ":29:" in w for w in result.warnings)


def test_a_file_with_one_supported_question_and_one_essay_imports_the_supported_one():
    result = parse_gift("::E::Erzähle.{}\n\n::Q::Wer?{=Roosevelt ~Taft}", "x.gift")
    assert [q.name for q in result.questions] == ["Q"]
    assert result.skipped == [Skipped("x.gift:1", "E", "essay")]
    assert result.warnings == [
        "x.gift:1: essay question 'E' skipped: quizapp has no such question kind"
    ]


def test_essay_with_only_general_feedback_and_unnamed_description_are_skipped():
    result = parse_gift("Erzählen Sie.{####Nur Feedback}\n\n\n[html]<p>Nur Text</p>", "e.gift")
    assert result.questions == []
    assert result.skipped == [
        Skipped("e.gift:1", "Erzählen Sie.", "essay"),
        Skipped("e.gift:4", "<p>Nur Text</p>", "description"),
    ]


def test_identical_repeats_are_merged_even_with_other_comments_and_layout():
    text = "// eins\nWer?{=a ~b}\n\n// zwei\nWer?{\n  =a\n  ~b\n}"
    result = parse_gift(text, "r.gift")
    assert len(result.questions) == 1
    assert result.repeats == [Repeat("r.gift:5", "r.gift:2", result.questions[0].id,
                                     result.questions[0].id, "Wer?", merged=True)]  # fmt: skip


def test_a_repeated_marker_id_with_other_content_gets_its_own_id():
    text = "// quizapp: kind=typed id=frage-1\nA?{=a}\n\n// quizapp: kind=typed id=frage-1\nB?{=b}"
    result = parse_gift(text, "m.gift")
    assert result.questions[0].id == "frage-1"
    assert result.questions[1].id.startswith("t-") and result.questions[1].id != "frage-1"


def test_name_idnumber_tags_and_formats_are_kept():
    text = (
        "// question: 7  name: Friedensort\n"
        "// [id:ort\\]7] [tag:Krieg] [tag:1905]\n"
        "// noch ein [tag:  krieg ] und ein zweites [id:nicht-das]\n"
        "::Friedensort::[html]<p>Wo <b>endete</b> der Krieg?</p>{\n"
        "  =<p>Portsmouth</p>#[markdown]**Ja**\n"
        "  ~[plain]<Paris>\n"
        "  ####[markdown]Vermittelt von *Roosevelt*.\n}"
    )
    q = parse_gift(text).questions[0]
    assert (q.name, q.idnumber, q.tags) == ("Friedensort", "ort]7", ("1905", "Krieg"))
    assert (q.text_format, q.explanation_format) == ("html", "markdown")
    assert q.choices == (
        ChoiceDraft("<p>Portsmouth</p>", True, feedback="**Ja**", feedback_format="markdown"),
        ChoiceDraft("<Paris>", False, text_format="plain"),
    )


def test_true_false_and_matching_formats_are_kept():
    q = parse_gift("[markdown]*Japan* siegte.{TRUE#[html]<i>Nein</i>#Gut}").questions[0]
    assert q.extra["feedback_wrong_format"] == "html"
    assert "feedback_right_format" not in q.extra
    q = parse_gift("Ordne{=[html]<b>A</b> -> 1 =B -> 2}").questions[0]
    assert [c.text_format for c in q.choices] == ["html", None]


def test_export_writes_name_idnumber_tags_and_the_id_in_the_marker():
    q = QuestionDraft(
        id="t-6fbba5df964b",
        kind="typed",
        prompt="Wer vermittelte?",
        answer="Roosevelt",
        explanation="",
        topic="allgemein",
        document="",
        origin="teacher",
        name="Vermittler [1]",
        idnumber="v]1",
        tags=("Frieden", "USA"),
        text_format="markdown",
    )
    text = dump_gift([q])
    assert "// [id:v\\]1] [tag:Frieden] [tag:USA]\n" in text
    assert "// quizapp: kind=typed id=t-6fbba5df964b\n::Vermittler [1]::[markdown]Wer" in text
    assert "::t-6fbba5df964b::" not in text
    again = parse_gift(text).questions[0]
    assert (again.id, again.name, again.idnumber, again.tags, again.text_format) == (
        q.id, q.name, q.idnumber, q.tags, q.text_format,
    )  # fmt: skip


def test_an_old_export_with_the_id_as_name_keeps_its_id():
    q = parse_gift("// quizapp: kind=typed\n::t-0123456789ab::Wer?{=a}").questions[0]
    assert q.id == "t-0123456789ab"


def test_a_bad_marker_id_is_ignored_with_a_warning():
    result = parse_gift("// quizapp: kind=typed id=../etc\nWer?{=a}", "w.gift")
    assert result.questions[0].id.startswith("t-")
    assert result.warnings == ["w.gift:1: 'id=../etc' is no quizapp id; ignored"]


# --------------------------------------------------------------------------- round trip

_TEXT = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\r"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and not s.startswith(("%", "[")))
)
_NAME = _TEXT.filter(lambda s: s.strip() == s)
_TAG = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=20,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and not re.search(r"[<>\\\[\]]", s))
)
_FORMAT = st.sampled_from(("moodle", "html", "plain", "markdown"))
_OWN_FORMAT = st.one_of(st.none(), _FORMAT)


def _own(own: str | None, fmt: str) -> str | None:
    """A text's own format as the reader gives it back: None where it is the question's."""
    return None if own == fmt else own


@st.composite
def teacher_questions(draw: st.DrawFn) -> QuestionDraft:
    fmt = draw(_FORMAT)
    kind = draw(st.sampled_from(("single_choice", "multiple_choice", "typed", "true_false")))
    explanation = draw(st.one_of(st.just(""), _TEXT))
    explanation_format = draw(_OWN_FORMAT) if explanation else None
    choices: tuple[ChoiceDraft, ...] = ()
    answer = draw(_TEXT)
    extra: dict[str, str] = {}
    if kind in ("single_choice", "multiple_choice"):
        texts = draw(st.lists(_TEXT, min_size=2, max_size=4, unique=True))
        built = []
        for index, text in enumerate(texts):
            feedback = draw(st.one_of(st.none(), _TEXT))
            weight = (100.0 if index == 0 else -100.0) if kind == "multiple_choice" else None
            built.append(
                ChoiceDraft(
                    text,
                    correct=index == 0,
                    weight=weight,
                    feedback=feedback,
                    text_format=_own(draw(_OWN_FORMAT), fmt),
                    feedback_format=_own(draw(_OWN_FORMAT), fmt) if feedback else None,
                )
            )
        choices = tuple(built)
        answer = texts[0]
    elif kind == "true_false":
        answer = draw(st.sampled_from(("wahr", "falsch")))
    return QuestionDraft(
        id="t-" + draw(st.text(alphabet="0123456789abcdef", min_size=12, max_size=12)),
        kind=kind,
        prompt=draw(_TEXT),
        answer=answer,
        explanation=explanation,
        topic="allgemein",
        document="",
        origin="teacher",
        choices=choices,
        name=draw(st.one_of(st.just(""), _NAME)),
        idnumber=draw(st.one_of(st.just(""), _TAG)),
        tags=normal_tags(draw(st.lists(_TAG, max_size=3))),
        text_format=fmt,
        explanation_format=_own(explanation_format, fmt),
        extra=extra,
    )


def _meta(q: QuestionDraft) -> tuple:
    return (
        q.id, q.kind, q.prompt, q.answer, q.explanation, q.name, q.idnumber, q.tags,
        q.text_format, q.explanation_format, q.choices,
    )  # fmt: skip


@FAST
@given(st.lists(teacher_questions(), min_size=1, max_size=4, unique_by=lambda q: q.id))
def test_round_trip_keeps_names_tags_and_formats(questions):
    # Tags compare case-insensitively (as in Moodle): the reader keeps one spelling of each.
    questions = [replace(q, tags=normal_tags(q.tags)) for q in questions]
    notes: list[str] = []
    text = dump_gift(questions, warnings=notes)
    first = parse_gift(text, "rt.gift")
    assert [_meta(q) for q in first.questions] == [_meta(q) for q in questions], text
    again = parse_gift(dump_gift(first.questions), "rt.gift")
    assert [_meta(q) for q in again.questions] == [_meta(q) for q in first.questions]


def test_only_punctuation_after_a_number_block_is_no_gap():
    assert parse_gift("Wie viel ist Pi? {#3.1415:0.0005}.").questions[0].prompt == (
        "Wie viel ist Pi?"
    )
    assert parse_gift("Japan siegte {T}!").questions[0].prompt == "Japan siegte!"
    # a gap with words around it stays a gap; choices and short answers become a cloze
    assert parse_gift("Pi ist {#3.14:0.01} ungefähr.").questions[0].prompt == "Pi ist ___ ungefähr."
    cloze = parse_gift("Zwei plus zwei ist {=vier =4}.").questions[0]
    assert (cloze.kind, cloze.prompt) == ("cloze", "Zwei plus zwei ist ___.")
