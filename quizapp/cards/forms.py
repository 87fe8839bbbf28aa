"""Flashcard forms."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, NumberRange, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def finite(form: FlaskForm, field: DecimalField) -> None:
    """Refuse NaN and infinities (Decimal reads "NaN", "sNaN" and "Infinity")."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("Bitte gib eine Zahl ein, z. B. 0,9.")


class RateForm(FlaskForm):
    """Rate the shown card; ``version`` is the card state the page showed."""

    question_id = HiddenField(validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)])
    rating = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=4)])


class TypedAnswerForm(FlaskForm):
    """Type the answer before the card is flipped."""

    question_id = HiddenField(validators=[InputRequired()])
    text = StringField("Deine Antwort", validators=[InputRequired("Bitte gib eine Antwort ein.")])


class DeckForm(FlaskForm):
    """Choose the decks to study (none chosen: everything)."""

    decks = SelectMultipleField(
        "Stapel", option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False)
    )


class SettingsForm(FlaskForm):
    """A learner's flashcard settings."""

    desired_retention = DecimalField(
        "Gewünschte Erinnerungsquote",
        places=2,
        validators=[
            InputRequired("Bitte gib eine Zahl zwischen 0,80 und 0,97 ein."),
            finite,
            NumberRange(0.80, 0.97, "Erlaubt sind Werte von 0,80 bis 0,97."),
        ],
    )
    new_per_day = IntegerField(
        "Neue Karten pro Tag",
        validators=[InputRequired(), NumberRange(0, 1000, "Erlaubt sind 0 bis 1000.")],
    )
    reviews_per_day = IntegerField(
        "Wiederholungen pro Tag",
        validators=[InputRequired(), NumberRange(0, 10000, "Erlaubt sind 0 bis 10000.")],
    )
    timezone = StringField("Zeitzone", validators=[InputRequired()])
    typed_answers = BooleanField("Antwort vor dem Umdrehen eintippen")

    def validate_timezone(self, field: StringField) -> None:
        """Accept IANA time zone names such as Europe/Berlin."""
        if field.data not in available_timezones():
            raise ValidationError("Unbekannte Zeitzone. Beispiel: Europe/Berlin")

    def __init__(self, *args: object, **kwargs: object) -> None:
        # German users type a decimal comma.
        formdata = kwargs.get("formdata")
        if formdata is not None and "desired_retention" in formdata:
            formdata = formdata.copy()
            formdata["desired_retention"] = formdata["desired_retention"].replace(",", ".")
            kwargs["formdata"] = formdata
        super().__init__(*args, **kwargs)
