"""Aiken and Moodle XML imports: read as the same questions in GIFT would be."""

from __future__ import annotations

import pytest

from quizapp.bank.types import ChoiceDraft
from quizapp.formats.aiken import AikenError, parse_aiken
from quizapp.formats.common import Skipped
from quizapp.formats.gift import parse_gift
from quizapp.formats.moodlexml import MoodleXmlError, parse_moodle_xml
from quizapp.services.transfer import guess_format

AIKEN = """\
Wo wurde der Russisch-Japanische Krieg 1905 beendet?
A) Paris
B) Portsmouth
C. %50 Shimonoseki
ANSWER: B

Welcher Präsident vermittelte?
Bitte wähle.
A) Roosevelt
B) Taft
ANSWER: A
"""


def test_aiken_questions_are_single_choice_with_their_lines():
    result = parse_aiken(AIKEN, "a.txt")
    first, second = result.questions
    assert (first.kind, first.answer, first.text_format) == ("single_choice", "Portsmouth", "plain")
    assert first.choices == (
        ChoiceDraft("Paris"),
        ChoiceDraft("Portsmouth", correct=True),
        ChoiceDraft("%50 Shimonoseki"),
    )
    assert first.extra["defined_at"] == "a.txt:1"
    assert (second.prompt, second.extra["defined_at"]) == (
        "Welcher Präsident vermittelte?\nBitte wähle.",
        "a.txt:7",
    )
    # the same question written in GIFT is the same draft
    gift = parse_gift("[plain]Welcher Präsident vermittelte?\\nBitte wähle.{=Roosevelt ~Taft}")
    assert gift.questions[0].choices == second.choices
    assert guess_format("a.txt", "auto", AIKEN.encode()) == "aiken"
    assert guess_format("a.txt", "auto", b"Wer?{=a ~b}\nANSWER: A") == "gift"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Frage?\nA) a\nB) b\nANSWER: C\n", "a.txt:4: 'ANSWER: C' names no option (options: A, B)"),
        ("Frage?\nA) a\nANSWER: A\n", "a.txt:3: a question needs at least two options"),
        (
            "Frage?\nA) a\nB) b\n",
            "a.txt:1: the question has no 'ANSWER:' line at the end of the file",
        ),
        ("ANSWER: A\n", "a.txt:1: 'ANSWER:' without a question and options"),
        (
            "Frage?\nA) a\nB) b\nNeue Frage?\nA) x\nB) y\nANSWER: A",
            "a.txt:4: the question of line 1 has no 'ANSWER:' line after its options",
        ),
    ],
)
def test_aiken_errors_name_the_line(text, error):
    with pytest.raises(AikenError) as info:
        parse_aiken(text, "a.txt")
    assert info.value.errors == [error]


XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Korea und Russland</text></category>
  </question>
  <question type="multichoice">
    <name><text>Friedensort</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Wo <b>endete</b> der Krieg?</p>]]></text></questiontext>
    <generalfeedback format="markdown"><text>*1905*</text></generalfeedback>
    <idnumber>ort-1</idnumber>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<p>Portsmouth</p>]]></text>
      <feedback format="html"><text>Ja</text></feedback></answer>
    <answer fraction="0" format="html"><text>Paris</text></answer>
    <answer fraction="-50" format="plain_text"><text>%50 Boston</text></answer>
    <tags><tag><text>Krieg</text></tag><tag><text>1905</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>Parteien</text></name>
    <questiontext format="moodle_auto_format"><text>Wer f\xc3\xbchrte Krieg?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>Russland</text></answer>
    <answer fraction="50"><text>Japan</text></answer>
    <answer fraction="-100"><text>China</text></answer>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="moodle_auto_format"><text>Japan verlor.</text></questiontext>
    <answer fraction="0"><text>true</text>
      <feedback><text>Nein, Japan siegte.</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Richtig.</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>SA</text></name>
    <questiontext format="html"><text>Wer vermittelte?</text></questiontext>
    <answer fraction="100"><text>Roosevelt</text></answer>
    <answer fraction="100"><text>Theodore Roosevelt</text></answer>
  </question>
  <question type="numerical">
    <name><text>Jahr</text></name>
    <questiontext format="html"><text>Wann?</text></questiontext>
    <answer fraction="100"><text>1905</text><tolerance>0</tolerance></answer>
    <answer fraction="50"><text>1905</text><tolerance>1</tolerance></answer>
  </question>
  <question type="matching">
    <name><text>Paare</text></name>
    <questiontext format="html"><text>Ordne zu.</text></questiontext>
    <subquestion format="html"><text><![CDATA[<b>Portsmouth</b>]]></text>
      <answer><text>1905</text></answer></subquestion>
    <subquestion format="html"><text>Shimonoseki</text>
      <answer><text>1895</text></answer></subquestion>
  </question>
  <question type="essay">
    <name><text>Aufsatz</text></name>
    <questiontext format="html"><text>Schreibe.</text></questiontext>
  </question>
  <question type="multianswer">
    <name><text>Cloze</text></name>
    <questiontext format="html"><text>{1:SHORTANSWER:=x}</text></questiontext>
  </question>
</quiz>
"""


def test_moodle_xml_reads_every_supported_kind_and_skips_the_rest():
    result = parse_moodle_xml(XML, "bank.xml")
    by_name = {q.name: q for q in result.questions}
    assert [q.kind for q in result.questions] == [
        "single_choice", "multiple_choice", "true_false", "typed", "numerical", "matching",
    ]  # fmt: skip
    place = by_name["Friedensort"]
    assert (place.idnumber, place.tags, place.topic) == ("ort-1", ("1905", "Krieg"), "korea")
    assert (place.text_format, place.explanation, place.explanation_format) == (
        "html", "*1905*", "markdown",
    )  # fmt: skip
    assert place.choices == (
        ChoiceDraft("<p>Portsmouth</p>", True, feedback="Ja"),
        ChoiceDraft("Paris"),
        ChoiceDraft("%50 Boston", weight=-50.0, text_format="plain"),
    )
    assert [c.weight for c in by_name["Parteien"].choices] == [50.0, 50.0, -100.0]
    tf = by_name["TF"]
    assert (tf.answer, tf.extra["feedback_wrong"], tf.extra["feedback_right"]) == (
        "falsch", "Nein, Japan siegte.", "Richtig.",
    )  # fmt: skip
    assert (by_name["SA"].answer, by_name["SA"].accepted) == ("Roosevelt", ("Theodore Roosevelt",))
    assert [c.text for c in by_name["Jahr"].choices] == ["1905", "1905:1"]
    assert by_name["Paare"].choices[0] == ChoiceDraft("<b>Portsmouth</b>", True, match="1905")
    assert place.extra["defined_at"] == "bank.xml:6"
    assert result.skipped == [
        Skipped("bank.xml:54", "Aufsatz", "essay"),
        Skipped("bank.xml:58", "Cloze", "multianswer"),
    ]
    assert guess_format("bank.xml") == "moodlexml"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<quiz>&b;</quiz>",
            "x.xml: XML with a DTD or entities is not accepted",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<quiz>&x;</quiz>",
            "x.xml: XML with a DTD or entities is not accepted",
        ),
        (b"<quiz>\n<question type='truefalse'>\n</quiz>", "x.xml:3: not well-formed XML: "),
        (b"<fragen/>", "x.xml:1: the root element is not <quiz>"),
        (
            b"<quiz><question type='multichoice'><questiontext><text>F?</text></questiontext>"
            b"<answer fraction='viel'><text>a</text></answer></question></quiz>",
            "x.xml:1: answer fraction 'viel' is not a number",
        ),
        (
            b"<quiz>\n<question type='shortanswer'><questiontext><text>F?</text></questiontext>"
            b"</question></quiz>",
            "x.xml:2: a shortanswer question needs answers",
        ),
        (
            b"<quiz>\n<question type='multichoice'><questiontext><text>F?</text></questiontext>"
            b"<answer fraction='100'><text>a</text></answer></question></quiz>",
            "x.xml:2: a choice question needs at least two answers",
        ),
    ],
)
def test_moodle_xml_refuses_bombs_and_broken_files(data, error):
    with pytest.raises(MoodleXmlError) as info:
        parse_moodle_xml(data, "x.xml")
    assert info.value.errors[0].startswith(error), info.value.errors
