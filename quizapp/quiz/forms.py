"""Quiz forms: one WTForms form per question, built for the question's kind."""

from __future__ import annotations

from functools import lru_cache

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.answers import Spec, date_precision, matching_items, matching_targets
from quizapp.forms import GermanForm

KIND_HINTS = {
    "single_choice": "Wähle eine Antwort.",
    "true_false": "Stimmt die Aussage?",
    "typed": "Tippe deine Antwort ein.",
    "cloze": "Ergänze die Lücke.",
    "ordering": "Bringe die Ereignisse in die zeitliche Reihenfolge: 1 = das früheste.",
    "matching": "Ordne jedem Eintrag links das Passende zu.",
    "multiple_choice": "Mehrere Antworten können richtig sein. Falsche Kreuze kosten Punkte.",
    "numerical": "Gib eine Zahl ein.",
}


DATE_HINTS = {
    "day": "Gefragt ist das genaue Datum: „Tag. Monat Jahr“ oder „TT.MM.JJJJ“.",
    "month": "Gefragt sind Monat und Jahr: „Monat Jahr“ oder „MM.JJJJ“.",
    "year": "Gefragt ist das Jahr (JJJJ).",
    None: "Gib das Datum so genau an, wie du es weißt.",
}


#: Keys quiz.js understands, for the kinds they apply to (shown only with a keyboard).
KEY_HINTS = {
    "single_choice": "Tastatur: Tasten 1–{n} wählen eine Antwort, Enter gibt sie ab.",
    "true_false": "Tastatur: Taste 1 = wahr, 2 = falsch, Enter gibt die Antwort ab.",
    "multiple_choice": "Tastatur: Tasten 1–{n} kreuzen an oder ab, Enter gibt die Antwort ab.",
}


def key_hint_for(spec: Spec) -> str | None:
    """Return the keyboard hint for a question, or None where digit keys do nothing."""
    hint = KEY_HINTS.get(spec.kind)
    return hint.format(n=min(len(spec.options), 9)) if hint else None


def hint_for(spec: Spec) -> str:
    """Return the instruction shown under a question (never the answer itself)."""
    if spec.kind == "date":
        return DATE_HINTS[date_precision(spec.answer)]
    return KIND_HINTS[spec.kind].format(n=len(spec.options))


class StartForm(FlaskForm):
    """Start a quiz of a given kind."""

    mode = HiddenField(validators=[InputRequired()])
    key = HiddenField()
    length = SelectField(
        "Anzahl Fragen",
        choices=[SelectChoice(n, n) for n in ("5", "10", "20", "50")],
        default="10",
        validators=[Optional()],
    )


class AnswerForm(GermanForm):
    """Base class of the per-question answer forms (fields are added per kind).

    A value no option has (only a forged request sends one) is refused in German.
    """

    def answer_fields(self) -> list[Field]:
        """Return the fields that hold the answer, in display order."""
        return [f for f in self if f.name != "csrf_token"]


def build_answer_form(spec: Spec, formdata: object = None) -> AnswerForm:
    """Return an answer form for the question, its options in the order shown."""
    if spec.kind == "matching":
        texts = tuple(o.text for o in matching_items(spec))
        targets = tuple(matching_targets(spec))
    else:
        texts, targets = tuple(o.text for o in spec.options), ()
    form_class = _answer_form_class(spec.kind, texts, targets)
    return form_class(formdata=formdata) if formdata is not None else form_class()


@lru_cache(maxsize=1024)
def _answer_form_class(kind: str, texts: tuple[str, ...], targets: tuple[str, ...]) -> type:
    """Return the form class for a kind and its option texts (made once, then reused)."""

    class Form(AnswerForm):
        pass

    if kind == "single_choice":
        Form.choice = RadioField(
            "Antwort",
            choices=[SelectChoice(str(i), text) for i, text in enumerate(texts, start=1)],
            validators=[InputRequired("Bitte wähle eine Antwort.")],
        )
    elif kind == "true_false":
        Form.choice = RadioField(
            "Die Aussage ist",
            choices=[SelectChoice("wahr", "wahr"), SelectChoice("falsch", "falsch")],
            validators=[InputRequired("Bitte wähle wahr oder falsch.")],
        )
    elif kind == "multiple_choice":
        Form.choice = SelectMultipleField(
            "Antworten",
            choices=[SelectChoice(str(i), text) for i, text in enumerate(texts, start=1)],
            option_widget=CheckboxInput(),
            widget=ListWidget(prefix_label=False),
            validators=[InputRequired("Bitte kreuze mindestens eine Antwort an.")],
        )
    elif kind in ("typed", "cloze", "date", "numerical"):
        Form.text = StringField(
            "Deine Antwort",
            validators=[InputRequired("Bitte gib eine Antwort ein."), Length(max=200)],
        )
    elif kind == "ordering":
        places = [SelectChoice("", "–")]
        places += [SelectChoice(str(i), f"{i}.") for i in range(1, len(texts) + 1)]
        for i, text in enumerate(texts, start=1):
            setattr(
                Form,
                f"rank_{i}",
                SelectField(
                    text,
                    choices=places,
                    validators=[InputRequired(f"Wähle eine Position für „{text}“.")],
                ),
            )
    elif kind == "matching":
        choices = [SelectChoice("", "– bitte wählen –")]
        choices += [SelectChoice(str(i), t) for i, t in enumerate(targets, start=1)]
        for i, text in enumerate(texts, start=1):
            setattr(Form, f"match_{i}", SelectField(text, choices=choices))
    else:
        raise ValueError(f"unknown question kind {kind!r}")
    return Form
