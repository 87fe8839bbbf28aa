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
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.richtext import FORMAT_NAMES

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
    weight = StringField("Punkte in %", validators=[Optional(), Length(max=10)])
    feedback = StringField("Rückmeldung", validators=[Optional(), Length(max=2000)])


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
    name = StringField("Name der Frage (wie in Moodle)", validators=[Length(max=255)])
    idnumber = StringField("ID-Nummer (Moodle)", validators=[Length(max=100)])
    tags = StringField("Schlagwörter (durch Komma getrennt)", validators=[Length(max=2000)])
    text_format = SelectField(
        "Textformat",
        choices=[SelectChoice(k, v) for k, v in FORMAT_NAMES.items()],
        default="moodle",
    )
    feedback_right = TextAreaField(
        "Rückmeldung nach richtiger Antwort", validators=[Length(max=2000)]
    )
    feedback_wrong = TextAreaField(
        "Rückmeldung nach falscher Antwort", validators=[Length(max=2000)]
    )


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
    SelectChoice("moodlexml", "Moodle-XML"),
    SelectChoice("aiken", "Aiken (Moodle)"),
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


# --------------------------------------------------------------------------- facts

FACT_STATUS_NAMES = {
    "draft": "Entwurf",
    "approved": "freigegeben",
    "rejected": "abgelehnt",
    "retired": "zurückgezogen",
}
TEMPLATE_NAMES = {
    "date": "Datum („Wann …?“)",
    "actor": "Person („Wer …?“)",
    "place": "Ort („Wo …?“)",
    "participants": "Beteiligte",
    "true_false": "Wahr/Falsch",
    "cloze": "Lückentext",
    "ordering": "Reihenfolge",
    "matching": "Zuordnung Jahr",
}


class EventForm(FlaskForm):
    """Edit an event of the fact base (checked like a fact file)."""

    kind = SelectField("Art des Ereignisses", validate_choice=False)
    date = StringField(
        "Datum",
        validators=[Length(max=40)],
        description="So genau, wie die Quelle es sagt: „5. September 1905“, „Juni 1905“, "
        "„1918“, „Herbst 1940“, „Ende 1942“.",
    )
    end = StringField("bis (nur bei einem Zeitraum)", validators=[Length(max=40)])
    what = StringField(
        "Satz: Subjekt | finites Verb | Rest",
        validators=[Length(max=600)],
        description="Ohne Datum und ohne Punkt, z. B. „der Frieden von Portsmouth | wurde | "
        "unterzeichnet“. Aus ihm entstehen „Wann …?“, „Wer …?“ und die Aussagen.",
    )
    subject = SelectField("Das Subjekt ist die Person (für „Wer …?“)", validate_choice=False)
    name = StringField(
        "Name mit bestimmtem Artikel (optional)",
        validators=[Length(max=300)],
        description="z. B. „der Frieden von Portsmouth“, „die Konferenz von Jalta“.",
    )
    place_name = StringField("Ort (optional)", validators=[Length(max=200)])
    place_phrase = StringField(
        "Ortsangabe, wie sie im Satz steht",
        validators=[Length(max=200)],
        description="z. B. „in Wladiwostok“; für „Wo …?“ wird sie weggelassen.",
    )
    participants = SelectMultipleField("Beteiligte Staaten und Personen", validate_choice=False)
    not_options = SelectMultipleField(
        "Nie als falsche Antwort anbieten",
        validate_choice=False,
        description="Wer ebenfalls richtig sein könnte, z. B. ein Vermittler.",
    )
    topic = SelectField("Thema", validate_choice=False)
    source = TextAreaField(
        "Zitat aus der Quelle",
        validators=[Length(max=600)],
        description="Wörtlich aus dem Dokument; der Satz, in dem es steht, ist der Beleg.",
    )
    note = TextAreaField(
        "Anmerkung",
        validators=[Length(max=600)],
        description="Wo die Quelle irrt oder ungenau ist, steht hier, was richtig ist.",
    )
    terms = TextAreaField(
        "Bestimmungen oder Aussagen (eine pro Zeile)",
        validators=[Length(max=4000)],
        description="Ganzer Satz mit genau einer Lücke in [eckigen Klammern]; nach einem | "
        "weitere akzeptierte Antworten, durch ; getrennt.",
    )
    skip = SelectMultipleField(
        "Diese Fragearten nicht bauen",
        choices=[SelectChoice(k, v) for k, v in TEMPLATE_NAMES.items()],
        validate_choice=False,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    approve = BooleanField("Beim Speichern freigeben")


class ActorForm(FlaskForm):
    """Edit a person or a state of the fact base."""

    kind = SelectField(
        "Art",
        choices=[SelectChoice("person", "Person"), SelectChoice("state", "Staat")],
        validate_choice=False,
    )
    name = StringField("Name", validators=[Length(max=200)])
    variants = StringField("Weitere Schreibweisen (durch ; getrennt)", validators=[Length(max=600)])
    born = StringField("geboren (Staat: gegründet)", validators=[Length(max=40)])
    died = StringField("gestorben (Staat: aufgelöst)", validators=[Length(max=40)])
    roles = TextAreaField(
        "Ämter (eines pro Zeile)",
        validators=[Length(max=6000)],
        description="Titel | Amtsklasse | Staat | von | bis | Zitat, z. B. „russischer "
        "Außenminister | Außenminister | russland | Mai 1906 | September 1910 | Zitat“.",
    )
    note = TextAreaField("Anmerkung", validators=[Length(max=600)])
    approve = BooleanField("Beim Speichern freigeben")


class FactDecisionForm(FlaskForm):
    """Approve or reject a fact; a rejection needs a reason."""

    decision = SelectField(
        choices=[SelectChoice("approved", "freigeben"), SelectChoice("rejected", "ablehnen")]
    )
    reason = StringField("Grund der Ablehnung", validators=[Length(max=500)])
    next = HiddenField()
