"""An Anki deck shows texts written in HTML or Markdown rendered and sanitised."""

from __future__ import annotations

from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.formats import apkg


def test_html_question_fields_are_sanitised_html_and_moodle_text_stays_escaped():
    question = QuestionDraft(
        id="t-000000000001",
        kind="single_choice",
        prompt="<p>Wo <b>endete</b> der Krieg?</p><script>alert(1)</script>",
        answer="<i>Portsmouth</i>",
        explanation="Von *Roosevelt* vermittelt.",
        topic="allgemein",
        document="",
        origin="teacher",
        choices=(
            ChoiceDraft("<i>Portsmouth</i>", True),
            ChoiceDraft("<b>Paris</b>", text_format="plain"),
        ),
        text_format="html",
        explanation_format="markdown",
    )
    front = apkg._front(question)
    assert "Wo <b>endete</b> der Krieg?" in front and "<script" not in front
    assert "<li><i>Portsmouth</i></li>" in front and "<li>&lt;b&gt;Paris&lt;/b&gt;</li>" in front
    assert apkg._back(question) == "<i>Portsmouth</i>"
    fields = apkg._note(question, {}).fields
    assert fields[2] == "Von <em>Roosevelt</em> vermittelt."
    plain = QuestionDraft(
        id="t-000000000002", kind="typed", prompt="a <b>", answer="x", explanation="",
        topic="allgemein", document="", origin="teacher",
    )  # fmt: skip
    assert apkg._front(plain) == "a &lt;b&gt;"
