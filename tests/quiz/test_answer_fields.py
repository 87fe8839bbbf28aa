"""The answer fields are written by hand in quiz/_answer_fields.html (WTForms' widgets cost a
third of a question page); they must say what the widgets said, for every kind of question,
blank and after a refused answer (what was sent, the errors)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import Question
from quizapp.quiz.forms import build_answer_form, hint_for
from quizapp.services.quiz import spec_for

# The template as it was, rendering every input through WTForms' widgets: the reference.
WIDGETS = """
  {% set fields = form.answer_fields() %}
  {% set option_labels = question.option_labels() %}
  {% if question.kind in ("single_choice", "true_false", "multiple_choice") %}
  <fieldset>
    <legend class="prompt">{{ question.prompt_html }}</legend>
    <p class="hint" id="hint">{{ hint }}</p>
    {% for option in form.choice %}
    <div class="option">
      {{ option(**{'aria-describedby': 'hint'}) }} {{ option.label(text=(loop.index ~ ". "
         ~ option_labels.get(option.label.text, option.label.text))
         if question.kind != "true_false" else option.label.text) }}
    </div>
    {% endfor %}
    {% for e in form.choice.errors %}<p class="error" role="alert">{{ e }}</p>{% endfor %}
  </fieldset>
  {% elif question.kind in ("typed", "cloze", "date", "numerical") %}
  <div class="prompt" id="prompt">{{ question.prompt_html }}</div>
  <p class="hint" id="hint">{{ hint }}</p>
  <div class="field">
    {{ form.text.label }}
    {{ form.text(autocomplete="off", autofocus=True, spellcheck="false",
                 **{'aria-describedby': 'prompt hint'}) }}
    {% for e in form.text.errors %}<p class="error" role="alert">{{ e }}</p>{% endfor %}
  </div>
  {% else %}
  <fieldset>
    <legend class="prompt">{{ question.prompt_html }}</legend>
    <p class="hint" id="hint">{{ hint }}</p>
    {% for f in fields %}
    <div class="pair">
      {{ f.label(text=option_labels.get(f.label.text, f.label.text)) }}
      {{ f(**{'aria-describedby': 'hint'}) }}
      {% for e in f.errors %}<p class="error" role="alert">{{ e }}</p>{% endfor %}
    </div>
    {% endfor %}
  </fieldset>
  {% endif %}
"""
KINDS = (
    "single_choice", "true_false", "multiple_choice", "typed", "cloze", "date", "numerical",
    "ordering", "matching",
)  # fmt: skip
# What a learner might send: a first option, a text that needs escaping, a forged value.
SENT = MultiDict(
    [("choice", "1"), ("choice", "wahr"), ("text", 'Port<smouth> & "Co"'), ("rank_1", "2"),
     ("rank_2", "2"), ("match_1", "1"), ("match_2", "99")]
)  # fmt: skip


class Markup(HTMLParser):
    """The tags, their attributes and the text of a piece of HTML, whitespace ignored."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: list[tuple] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append((tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("/" + tag,))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append(("text", " ".join(data.split())))


def _render(app, question: Question, source: str | None, formdata: MultiDict | None) -> list:
    spec = spec_for(question, [c.id for c in question.choices])
    form = build_answer_form(spec, formdata)
    if formdata is not None:
        form.validate()
    env = app.jinja_env
    template = env.from_string(source) if source else env.get_template("quiz/_answer_fields.html")
    html = template.render(form=form, question=question, hint=hint_for(spec))
    return Markup(html).items


def _without_required_on_checkboxes(items: list) -> list:
    """The widgets marked every checkbox required (one must tick at least one, not all)."""
    out = []
    for item in items:
        if item[0] == "input" and ("type", "checkbox") in item[1]:
            item = ("input", tuple(a for a in item[1] if a[0] != "required"))
        out.append(item)
    return out


@pytest.mark.parametrize("sent", [None, SENT], ids=["blank", "refused"])
def test_hand_written_fields_say_what_the_widgets_said(loaded_app, sent) -> None:
    with loaded_app.test_request_context("/"):
        questions = db.session.scalars(
            select(Question).where(Question.status == "approved").order_by(Question.id)
        ).all()
        seen = set()
        for question in questions:
            if question.kind in seen:
                continue
            seen.add(question.kind)
            mine = _render(loaded_app, question, None, sent)
            widgets = _without_required_on_checkboxes(_render(loaded_app, question, WIDGETS, sent))
            assert mine == widgets, question.kind
            inputs = [i for i in mine if i[0] in ("input", "select")]
            assert inputs, question.kind
            if sent is not None:
                assert ("text", "Keine gültige Auswahl.") in mine or question.kind not in (
                    "matching",
                ), "a forged value is refused in German"
    assert seen == set(KINDS)


def test_a_sent_text_is_kept_escaped_and_a_chosen_option_stays_chosen(loaded_app) -> None:
    with loaded_app.test_request_context("/"):
        by_kind = {
            kind: db.session.scalar(
                select(Question).where(Question.status == "approved", Question.kind == kind)
            )
            for kind in ("typed", "single_choice", "ordering")
        }
        typed = _render(loaded_app, by_kind["typed"], None, SENT)
        field = next(i for i in typed if i[0] == "input")
        assert ("value", 'Port<smouth> & "Co"') in field[1]  # unescaped by the parser
        html = loaded_app.jinja_env.get_template("quiz/_answer_fields.html").render(
            form=build_answer_form(spec_for(by_kind["typed"]), SENT),
            question=by_kind["typed"],
            hint="",
        )
        assert 'value="Port&lt;smouth&gt; &amp; &#34;Co&#34;"' in html
        choice = _render(loaded_app, by_kind["single_choice"], None, SENT)
        checked = [i for i in choice if i[0] == "input" and ("checked", None) in i[1]]
        assert [dict(i[1])["value"] for i in checked] == ["1"]
        ranks = _render(loaded_app, by_kind["ordering"], None, SENT)
        selected = [i for i in ranks if i[0] == "option" and ("selected", None) in i[1]]
        assert [dict(i[1])["value"] for i in selected] == ["2", "2"]
        # A rank left out is an error shown by its field.
        assert any(i[0] == "text" and i[1].startswith("Wähle eine Position") for i in ranks)


HOSTILE = '<img src=x onerror="alert(1)"> & „Port“'


@pytest.mark.parametrize("fmt", ["moodle", "html", "markdown"])
@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice", "ordering", "matching"])
def test_options_with_markup_and_special_characters_say_what_the_widgets_said(
    loaded_app, kind, fmt
) -> None:
    """Options in HTML or Markdown are shown rendered and sanitised, plain ones escaped: the
    shipped bank has neither, so these questions are made up."""
    from quizapp.models import Choice

    with loaded_app.test_request_context("/"):
        topic_id = db.session.scalar(select(Question.topic_id))
        begin_write(db.session)  # rolled back at the end
        texts = [HOSTILE, "<b>fett</b> & *schräg*", 'Zitat "eins"', "1905 < 1910"]
        question = Question(
            id=f"made-up-{kind}-{fmt}", kind=kind, prompt="Welche?", answer="", topic_id=topic_id,
            origin="teacher", status="approved", text_format=fmt,
        )  # fmt: skip
        question.choices = [
            Choice(
                position=i, text=t, correct=i == 0,
                match=f"Ziel <{i}> & „{i}“" if kind == "matching" else None,
            )
            for i, t in enumerate(texts)
        ]  # fmt: skip
        db.session.add(question)
        db.session.flush()
        for sent in (None, SENT):
            mine = _render(loaded_app, question, None, sent)
            widgets = _without_required_on_checkboxes(_render(loaded_app, question, WIDGETS, sent))
            assert mine == widgets, (kind, fmt, sent)
        html = loaded_app.jinja_env.get_template("quiz/_answer_fields.html").render(
            form=build_answer_form(spec_for(question, [c.id for c in question.choices])),
            question=question,
            hint="",
        )
        assert "onerror" not in html or "&lt;img" in html  # never a live attribute
        assert "<script" not in html
        db.session.rollback()


def test_a_forged_true_false_value_is_refused_in_german(loaded_app) -> None:
    with loaded_app.test_request_context("/"):
        question = db.session.scalar(
            select(Question).where(Question.status == "approved", Question.kind == "true_false")
        )
        items = _render(loaded_app, question, None, MultiDict({"choice": "vielleicht"}))
        assert ("text", "Keine gültige Auswahl.") in items
