"""Teacher forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

KIND_NAMES = {
    "single_choice": "Einfachauswahl",
    "multiple_choice": "Mehrfachauswahl",
    "true_false": "Wahr/Falsch",
    "typed": "Freitext",
    "cloze": "Lückentext",
    "date": "Datum",
    "ordering": "Reihenfolge",
    "matching": "Zuordnung",
    "numerical": "Zahl",
}
STATUS_NAMES = {
    "draft": "Entwurf",
    "approved": "freigegeben",
    "rejected": "abgelehnt",
    "retired": "zurückgezogen",
}
OPTION_ROWS = 6


class OptionForm(Form):
    """One option, item or pair of the editor (empty rows are ignored)."""

    text = StringField("Antwort / Eintrag", validators=[Optional(), Length(max=500)])
    correct = BooleanField("richtig")
    match = StringField("passt zu", validators=[Optional(), Length(max=500)])
    weight = StringField("Gewicht in %", validators=[Optional(), Length(max=10)])


class QuestionForm(FlaskForm):
    """Create or edit a question of any kind."""

    kind = SelectField("Fragenart", choices=[SelectChoice(k, v) for k, v in KIND_NAMES.items()])
    prompt = TextAreaField("Fragetext", validators=[Length(max=2000)])
    answer = StringField("Richtige Antwort", validators=[Length(max=500)])
    accepted = TextAreaField("Weitere akzeptierte Antworten (eine pro Zeile)")
    options = FieldList(FormField(OptionForm), min_entries=OPTION_ROWS, max_entries=12)
    explanation = TextAreaField("Erklärung", validators=[Length(max=4000)])
    topic = SelectField("Thema")
    tolerance = StringField("Toleranz (±)", validators=[Length(max=20)])
    minimum = StringField("Bereich von", validators=[Length(max=20)])
    maximum = StringField("bis", validators=[Length(max=20)])


class DecisionForm(FlaskForm):
    """Approve or reject a draft; a rejection needs a reason."""

    decision = SelectField(
        choices=[SelectChoice("approved", "freigeben"), SelectChoice("rejected", "ablehnen")]
    )
    reason = StringField("Grund der Ablehnung", validators=[Length(max=500)])


class StatusForm(FlaskForm):
    """Retire, restore or re-approve a question."""

    status = SelectField(choices=[SelectChoice(k, v) for k, v in STATUS_NAMES.items()])
    reason = StringField("Grund", validators=[Length(max=500)])


class UploadForm(FlaskForm):
    """Upload a German source text."""

    file = FileField(
        "Textdatei (UTF-8, .txt)",
        validators=[
            FileRequired("Bitte wähle eine Datei."),
            FileAllowed(["txt"], "Nur .txt-Dateien (reiner Text in UTF-8) sind möglich."),
        ],
    )


IMPORT_FORMATS = [
    SelectChoice("auto", "an der Dateiendung erkennen"),
    SelectChoice("gift", "GIFT (Moodle)"),
    SelectChoice("csv", "CSV"),
    SelectChoice("json", "JSON"),
]


class ImportForm(FlaskForm):
    """Upload questions to import (a preview comes first)."""

    file = FileField("Datei", validators=[FileRequired("Bitte wähle eine Datei.")])
    format = SelectField("Format", choices=IMPORT_FORMATS)
    approve = BooleanField("Importierte Fragen gleich freigeben")


class ConfirmImportForm(FlaskForm):
    """Commit a previewed import: the file waits on the server under this token."""

    token = HiddenField(validators=[InputRequired(), Length(max=64)])


class ActionForm(FlaskForm):
    """A button that only needs CSRF protection."""
