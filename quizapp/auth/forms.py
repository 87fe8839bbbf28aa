"""Account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from quizapp.security import password_problem

USERNAME_RULE = r"^[A-Za-z0-9ÄÖÜäöüß._-]+$"
PASSWORD_MESSAGES = {
    "too_short": "Das Passwort braucht mindestens 8 Zeichen.",
    "common": "Dieses Passwort ist zu verbreitet. Wähle ein anderes.",
    "username": "Das Passwort darf nicht dein Benutzername sein.",
}


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
    password = PasswordField(
        "Passwort", validators=[InputRequired("Bitte wähle ein Passwort."), Length(max=200)]
    )
    confirm = PasswordField(
        "Passwort wiederholen",
        validators=[
            InputRequired("Bitte wiederhole das Passwort."),
            EqualTo("password", "Die Passwörter stimmen nicht überein."),
        ],
    )
    # Joining a class while registering (quizapp.classes); checked like the join page.
    class_code = StringField("Klassencode (optional)", validators=[Optional(), Length(max=40)])

    def validate_password(self, field: PasswordField) -> None:
        """Refuse short, very common and name-derived passwords."""
        problem = password_problem(field.data or "", self.username.data or "")
        if problem:
            raise ValidationError(PASSWORD_MESSAGES[problem])


class PasswordForm(FlaskForm):
    """Change the password: the current one, then the new one twice."""

    current = PasswordField(
        "Bisheriges Passwort",
        validators=[InputRequired("Bitte gib dein bisheriges Passwort ein."), Length(max=200)],
    )
    password = PasswordField(
        "Neues Passwort", validators=[InputRequired("Bitte wähle ein Passwort."), Length(max=200)]
    )
    confirm = PasswordField(
        "Neues Passwort wiederholen",
        validators=[
            InputRequired("Bitte wiederhole das Passwort."),
            EqualTo("password", "Die Passwörter stimmen nicht überein."),
        ],
    )

    def __init__(self, *args: object, username: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.username = username

    def validate_password(self, field: PasswordField) -> None:
        """Refuse short, very common and name-derived passwords."""
        problem = password_problem(field.data or "", self.username)
        if problem:
            raise ValidationError(PASSWORD_MESSAGES[problem])
