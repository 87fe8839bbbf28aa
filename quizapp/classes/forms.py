"""Forms of classes and assignments."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from quizapp.forms import GermanForm

#: How long a new or reopened join code is valid ("" = until it is closed).
VALIDITY = (("", "bis ich ihn schließe"), ("1", "1 Tag"), ("7", "7 Tage"), ("30", "30 Tage"))
KIND_NAMES = {"quiz": "Quiz", "deck": "Karteikarten-Stapel"}
SOURCE_NAMES = {
    "questions": "ausgewählte Fragen",
    "topic": "ein Thema",
    "document": "ein Dokument",
    "random": "zufällige Fragen",
}
FEEDBACK_NAMES = {
    "immediate": "nach jeder Frage (Übung)",
    "after_due": "erst nach dem Abgabetermin (Test)",
}
DATETIME = {"type": "datetime-local", "placeholder": "TT.MM.JJJJ HH:MM"}


class JoinForm(GermanForm):
    """Join a class with its code."""

    code = StringField(
        "Klassencode",
        validators=[InputRequired("Bitte gib den Code deiner Klasse ein."), Length(max=40)],
    )


class ClassForm(GermanForm):
    """Create a class or change its name and school year."""

    name = StringField(
        "Name der Klasse",
        validators=[InputRequired("Bitte gib der Klasse einen Namen."), Length(max=100)],
    )
    school_year = StringField(
        "Schuljahr", validators=[Optional(), Length(max=20, message="Höchstens 20 Zeichen.")]
    )
    validity = SelectField(
        "Der Code gilt", choices=[SelectChoice(k, v) for k, v in VALIDITY], default=""
    )


class CodeForm(GermanForm):
    """Regenerate, close or open a class's join code."""

    action = HiddenField(validators=[AnyOf(("new", "close", "open"))])
    validity = SelectField(
        "Der Code gilt", choices=[SelectChoice(k, v) for k, v in VALIDITY], default=""
    )


class TeacherForm(GermanForm):
    """Let another teacher share the class."""

    username = StringField(
        "Benutzername der Lehrkraft",
        validators=[InputRequired("Bitte gib einen Benutzernamen ein."), Length(max=40)],
    )


class ConfirmDeleteForm(GermanForm):
    """Delete a class: its name typed again."""

    name = StringField("Name der Klasse zur Bestätigung", validators=[Length(max=100)])


class ButtonForm(GermanForm):
    """A button that only needs CSRF protection."""


class AssignmentSettingsForm(GermanForm):
    """The title, window and rules of an assignment (what can change after it is set)."""

    title = StringField(
        "Titel",
        validators=[InputRequired("Bitte gib der Aufgabe einen Titel."), Length(max=200)],
    )
    opens_at = StringField("Beginn (optional)", validators=[Length(max=40)], render_kw=DATETIME)
    due_at = StringField("Abgabetermin", validators=[Length(max=40)], render_kw=DATETIME)
    max_attempts = StringField(
        "Erlaubte Versuche (leer: beliebig viele)", validators=[Length(max=10)]
    )
    time_limit = StringField("Zeitlimit in Minuten (leer: keins)", validators=[Length(max=10)])
    feedback = SelectField(
        "Rückmeldung mit den richtigen Antworten",
        choices=[SelectChoice(k, v) for k, v in FEEDBACK_NAMES.items()],
        default="immediate",
    )


class AssignmentForm(AssignmentSettingsForm):
    """A new assignment: what it holds, then its window and rules."""

    kind = SelectField("Art", choices=[SelectChoice(k, v) for k, v in KIND_NAMES.items()])
    source = SelectField("Inhalt", choices=[SelectChoice(k, v) for k, v in SOURCE_NAMES.items()])
    # Checked against the database (content_problems), with a clearer message than the choices'.
    topic = SelectField("Thema", validate_choice=False)
    document = SelectField("Dokument", validate_choice=False)
    question_ids = TextAreaField(
        "Fragen (IDs, eine pro Zeile oder durch Kommas getrennt)",
        validators=[Length(max=5000)],
    )
    question_count = StringField("Anzahl zufälliger Fragen", validators=[Length(max=10)])
    shuffle = BooleanField("Reihenfolge bei jedem Versuch mischen")
