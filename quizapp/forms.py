"""What the app's forms share."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.meta import DefaultMeta


class GermanForm(FlaskForm):
    """A form whose built-in messages ("Keine gültige Auswahl.") are WTForms' German ones."""

    class Meta:
        locales = ("de_DE", "de")

        def get_translations(self, form: object) -> object:
            # Flask-WTF hands translations to Flask-Babel, which the app does not use.
            return DefaultMeta.get_translations(self, form)
