"""Quiz forms: one WTForms form per question, built for the question's kind."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.answers import Spec, date_precision, matching_targets

KIND_HINTS = {
    "single_choice": "Wähle eine Antwort (Tasten 1–{n}).",
    "true_false": "Stimmt die Aussage? (Taste 1 = wahr, 2 = falsch)",
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


class AnswerForm(FlaskForm):
    """Base class of the per-question answer forms (fields are added per kind)."""

    def answer_fields(self) -> list[Field]:
        """Return the fields that hold the answer, in display order."""
        return [f for f in self if f.name != "csrf_token"]


def build_answer_form(spec: Spec, formdata: object = None) -> AnswerForm:
    """Return an answer form for the question, its options in the order shown."""

    class Form(AnswerForm):
        pass

    kind, options = spec.kind, spec.options
    if kind == "single_choice":
        Form.choice = RadioField(
            "Antwort",
            choices=[SelectChoice(str(i), o.text) for i, o in enumerate(options, start=1)],
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
            choices=[SelectChoice(str(i), o.text) for i, o in enumerate(options, start=1)],
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
        places += [SelectChoice(str(i), f"{i}.") for i in range(1, len(options) + 1)]
        for i, option in enumerate(options, start=1):
            setattr(
                Form,
                f"rank_{i}",
                SelectField(
                    option.text,
                    choices=places,
                    validators=[InputRequired(f"Wähle eine Position für „{option.text}“.")],
                ),
            )
    elif kind == "matching":
        targets = [SelectChoice("", "– bitte wählen –")]
        targets += [SelectChoice(str(i), t) for i, t in enumerate(matching_targets(spec), start=1)]
        for i, option in enumerate(options, start=1):
            setattr(Form, f"match_{i}", SelectField(option.text, choices=targets))
    else:
        raise ValueError(f"unknown question kind {kind!r}")
    return Form(formdata=formdata) if formdata is not None else Form()
