"""Account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from quizapp.security import password_message

USERNAME_RULE = r"^[A-Za-z0-9ÄÖÜäöüß._-]+$"


def new_password_field(label: str) -> PasswordField:
    """Return the field for a new password (its strength is checked by the form or view)."""
    return PasswordField(
        label, validators=[InputRequired("Bitte wähle ein Passwort."), Length(max=200)]
    )


def repeat_password_field(label: str) -> PasswordField:
    """Return the field that repeats the new password of the form's ``password`` field."""
    return PasswordField(
        label,
        validators=[
            InputRequired("Bitte wiederhole das Passwort."),
            EqualTo("password", "Die Passwörter stimmen nicht überein."),
        ],
    )


class LoginForm(FlaskForm):
    """Log in with user name and password."""

    username = StringField(
        "Benutzername",
        validators=[InputRequired("Bitte gib deinen Benutzernamen ein."), Length(max=200)],
    )
    password = PasswordField(
        "Passwort", validators=[InputRequired("Bitte gib dein Passwort ein."), Length(max=200)]
    )


class RegisterForm(FlaskForm):
    """Create a learner account (a guest's progress moves into it)."""

    username = StringField(
        "Benutzername",
        validators=[
            InputRequired("Bitte wähle einen Benutzernamen."),
            Length(3, 40, "Der Benutzername braucht 3 bis 40 Zeichen."),
            Regexp(USERNAME_RULE, message="Erlaubt sind Buchstaben, Ziffern, Punkt, - und _."),
        ],
    )
    password = new_password_field("Passwort")
    confirm = repeat_password_field("Passwort wiederholen")
    # Joining a class while registering (quizapp.classes); checked like the join page.
    class_code = StringField("Klassencode (optional)", validators=[Optional(), Length(max=40)])

    def validate_password(self, field: PasswordField) -> None:
        """Refuse short, easily guessed (zxcvbn) and name-derived passwords."""
        message = password_message(field.data or "", self.username.data or "")
        if message:
            raise ValidationError(message)


class PasswordForm(FlaskForm):
    """Change the password: the current one, then the new one twice."""

    current = PasswordField(
        "Bisheriges Passwort",
        validators=[InputRequired("Bitte gib dein bisheriges Passwort ein."), Length(max=200)],
    )
    password = new_password_field("Neues Passwort")
    confirm = repeat_password_field("Neues Passwort wiederholen")

    def __init__(self, *args: object, username: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.username = username

    def validate_password(self, field: PasswordField) -> None:
        """Refuse short, easily guessed (zxcvbn) and name-derived passwords."""
        message = password_message(field.data or "", self.username)
        if message:
            raise ValidationError(message)


class ResetForm(FlaskForm):
    """Set a new password with a one-time code from a teacher."""

    code = StringField(
        "Code von deiner Lehrkraft",
        validators=[InputRequired("Bitte gib den Code ein."), Length(max=40)],
    )
    password = new_password_field("Neues Passwort")
    confirm = repeat_password_field("Neues Passwort wiederholen")


class DeleteAccountForm(FlaskForm):
    """Delete the account: the password (accounts) and a tick that it is meant."""

    password = PasswordField("Dein Passwort", validators=[Length(max=200)])
    confirm = BooleanField(
        "Ich will mein Konto und alles, was dazugehört, endgültig löschen.",
        validators=[InputRequired("Bitte bestätige, dass du alles löschen willst.")],
    )
