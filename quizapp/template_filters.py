"""Jinja filters that format numbers and dates the way German readers expect."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from quizapp.richtext import render, to_text

MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def german_number(value: float, digits: int = 1) -> str:
    """Format a number with a decimal comma: 87.5 -> "87,5"."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def german_percent(value: float, digits: int = 1) -> str:
    """Format a fraction as a German percentage: 0.875 -> "87,5 %"."""
    return f"{german_number(value * 100, digits)}\u00a0%"


def german_date(value: datetime) -> str:
    """Format a date as "5. September 1905"."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def german_datetime(value: datetime, tz: str | None = None) -> str:
    """Format a timestamp in the display time zone as "5. September 1905, 14:30"."""
    zone = ZoneInfo(tz or current_app.config["DISPLAY_TIMEZONE"])
    local = value.astimezone(zone) if value.tzinfo else value
    return f"{german_date(local)}, {local:%H:%M}"


def german_time(value: datetime, tz: str | None = None) -> str:
    """Format the time of day in the display time zone as "14:30"."""
    zone = ZoneInfo(tz or current_app.config["DISPLAY_TIMEZONE"])
    return f"{value.astimezone(zone):%H:%M}"


def plain(value: object) -> str:
    """Show a stored value in words: lists joined by commas, mappings as "key: value",
    nothing as an empty text (never Python's brackets and quotes)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    return str(value)


def counted(n: int, one: str, many: str) -> str:
    """Return a number with its noun in the right number: "1 Frage", "3 Fragen"."""
    return f"{n} {one if n == 1 else many}"


def register_filters(app: Flask) -> None:
    """Make the German formatting filters available in templates."""
    from quizapp.services.desk import short_title

    app.add_template_filter(short_title, "short_title")
    app.add_template_filter(german_number, "number")
    app.add_template_filter(german_percent, "percent")
    app.add_template_filter(german_date, "date_de")
    app.add_template_filter(german_datetime, "datetime_de")
    app.add_template_filter(german_time, "time_de")
    app.add_template_filter(plain, "plain")
    # Texts in Moodle's formats: {{ text | rich(fmt) }} (safe HTML), | words(fmt) (no markup).
    app.add_template_filter(render, "rich")
    app.add_template_filter(to_text, "words")
    app.add_template_filter(counted, "counted")
