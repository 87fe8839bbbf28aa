"""The error report form (shown on the quiz feedback and on a card's back)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from quizapp.services.reports import MAX_TEXT

REASON_NAMES = {
    "wrong_answer": "Die richtige Antwort stimmt nicht",
    "wrong_fact": "Die Frage oder die Erklärung enthält einen Fehler",
    "unclear": "Die Frage ist unklar oder hat mehrere richtige Antworten",
    "typo": "Tippfehler oder Sprachfehler",
    "other": "Etwas anderes",
}
STATUS_NAMES = {
    "open": "wartet auf eine Lehrkraft",
    "fixed": "behoben – danke!",
    "rejected": "Frage aus dem Bestand genommen – danke!",
    "dismissed": "kein Fehler gefunden",
}


class ReportForm(FlaskForm):
    """What is wrong with a question, with optional text."""

    question_id = HiddenField(validators=[InputRequired(), Length(max=64)])
    item_id = IntegerField(validators=[Optional(), NumberRange(min=0, max=2**31 - 1)])
    answer = HiddenField(validators=[Optional(), Length(max=500)])
    next = HiddenField(validators=[Optional(), Length(max=500)])
    reason = SelectField(
        "Was stimmt nicht?",
        choices=[SelectChoice(k, v) for k, v in REASON_NAMES.items()],
        validators=[InputRequired("Bitte wähle, was nicht stimmt.")],
    )
    text = TextAreaField(
        "Beschreibung (freiwillig)",
        validators=[
            Optional(),
            Length(
                max=MAX_TEXT,
                message=f"Deine Beschreibung ist zu lang: höchstens {MAX_TEXT} Zeichen.",
            ),
        ],
    )


class ResolveForm(FlaskForm):
    """A teacher's decision on a report."""

    decision = SelectField(
        choices=[
            SelectChoice("fixed", "behoben"),
            SelectChoice("rejected", "Frage ablehnen"),
            SelectChoice("dismissed", "kein Fehler"),
        ],
        validators=[InputRequired()],
    )
    response = TextAreaField("Antwort an die Lernenden", validators=[Length(max=MAX_TEXT)])
