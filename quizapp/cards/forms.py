"""Flashcard forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, StopValidation
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


#: Desired retention in steps of 0.01, shown with a decimal comma.
RETENTION_CHOICES = [f"0.{n}" for n in range(80, 98)]
RETENTION_NOTES = {"0.80": "weniger Wiederholungen", "0.90": "empfohlen", "0.97": "sehr viele"}
REGION_NAMES = {
    "Africa": "Afrika", "America": "Amerika", "Antarctica": "Antarktis", "Arctic": "Arktis",
    "Asia": "Asien", "Atlantic": "Atlantik", "Australia": "Australien", "Europe": "Europa",
    "Indian": "Indischer Ozean", "Pacific": "Pazifik", "Etc": "Sonstige",
}  # fmt: skip


def retention_value(value: object) -> str:
    """Return a retention as its choice value ("0.9", "0,9" and 0.9 give "0.90")."""
    try:
        return f"{Decimal(str(value).strip().replace(',', '.')):.2f}"[:10]
    except (InvalidOperation, ValueError):
        return str(value)[:10]


def retention_label(value: str) -> str:
    """Return "0,90 (empfohlen)": German decimals and what the value means."""
    note = RETENTION_NOTES.get(value)
    return value.replace(".", ",") + (f" ({note})" if note else "")


def timezone_label(name: str) -> str:
    """Return "Berlin (Europa)" for "Europe/Berlin"."""
    region, _, place = name.partition("/")
    if not place:
        return name
    return f"{place.replace('_', ' ').replace('/', ' – ')} ({REGION_NAMES.get(region, region)})"


@lru_cache(maxsize=1)
def timezone_choices() -> list[SelectChoice]:
    """Return (IANA name, German label) of every time zone with a region, by region and place."""
    names = [
        n
        for n in available_timezones()
        if "/" in n and not n.startswith(("SystemV/", "posix/", "right/"))
    ]
    names.sort(key=lambda n: (REGION_NAMES.get(n.split("/")[0], n), timezone_label(n)))
    return [SelectChoice(n, timezone_label(n)) for n in names]


def _one_of_the_choices(form: FlaskForm, field: SelectField) -> None:
    if field.data not in {choice.value for choice in field.choices}:
        raise StopValidation(field.description or "Bitte wähle einen der angebotenen Werte.")


class SettingsForm(FlaskForm):
    """A learner's flashcard settings."""

    desired_retention = SelectField(
        "Gewünschte Erinnerungsquote",
        choices=[SelectChoice(v, retention_label(v)) for v in RETENTION_CHOICES],
        coerce=retention_value,
        validate_choice=False,
        description="Erlaubt sind Werte von 0,80 bis 0,97.",
        validators=[_one_of_the_choices],
    )
    new_per_day = IntegerField(
        "Neue Karten pro Tag",
        validators=[
            InputRequired("Bitte gib eine Zahl von 0 bis 1000 ein."),
            NumberRange(0, 1000, "Erlaubt sind 0 bis 1000."),
        ],
        render_kw={"min": 0, "max": 1000, "inputmode": "numeric"},
    )
    reviews_per_day = IntegerField(
        "Wiederholungen pro Tag",
        validators=[
            InputRequired("Bitte gib eine Zahl von 0 bis 10000 ein."),
            NumberRange(0, 10000, "Erlaubt sind 0 bis 10000."),
        ],
        render_kw={"min": 0, "max": 10000, "inputmode": "numeric"},
    )
    timezone = SelectField(
        "Zeitzone",
        validate_choice=False,
        description="Unbekannte Zeitzone. Wähle eine aus der Liste, z. B. Berlin (Europa).",
        validators=[_one_of_the_choices],
    )
    typed_answers = BooleanField("Antwort vor dem Umdrehen eintippen")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        # WTForms says "Not a valid integer value." in English; say it in German.
        for field in (self.new_per_day, self.reviews_per_day):
            if field.raw_data and field.data is None:
                field.process_errors = ["Bitte gib eine ganze Zahl ein, z. B. 20."]
