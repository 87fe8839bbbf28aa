"""German words for what the teacher area shows of stored values: history, origins, plurals."""

from __future__ import annotations

from typing import Any

from quizapp.template_filters import plain

ORIGIN_NAMES = {
    "generated": "aus einem Fakt erzeugt",
    "curated": "kuratiert",
    "teacher": "von einer Lehrkraft",
    "seed": "mitgeliefert",
    "upload": "hochgeladen",
}
ACTION_NAMES = {
    "create": "angelegt",
    "edit": "bearbeitet",
    "approve": "freigegeben",
    "reject": "abgelehnt",
    "retire": "zurückgezogen",
    "import": "importiert",
    "restore": "wieder zum Entwurf gemacht",
}
FIELD_NAMES = {
    "kind": "Fragenart",
    "prompt": "Fragetext",
    "answer": "Antwort",
    "accepted": "weitere akzeptierte Antworten",
    "explanation": "Erklärung",
    "topic": "Thema",
    "extra": "Einstellungen",
    "choices": "Antworten",
    "status": "Status",
    "review_reason": "Grund",
    "date": "Datum",
    "end": "Ende",
    "what": "Satz",
    "subject": "Subjekt",
    "name": "Name",
    "place": "Ort",
    "participants": "Beteiligte",
    "not_options": "nicht als Ablenker",
    "terms": "Bestimmungen",
    "note": "Anmerkung",
    "source": "Quelle",
    "skip": "ausgelassene Vorlagen",
    "variants": "Schreibweisen",
    "roles": "Ämter",
    "born": "geboren",
    "died": "gestorben",
    "tolerance": "Toleranz",
    "min": "Bereich von",
    "max": "bis",
}
STATUS_WORDS = {
    "draft": "Entwurf",
    "approved": "freigegeben",
    "rejected": "abgelehnt",
    "retired": "zurückgezogen",
}


def field_name(field: str) -> str:
    """Return the German name of a changed field."""
    return FIELD_NAMES.get(field, field)


def change_value(field: str, value: Any, kind_names: dict[str, str] | None = None) -> str:
    """Return a stored value as a teacher reads it: words, never Python's brackets."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if field == "status":
        return STATUS_WORDS.get(str(value), str(value))
    if field == "kind" and kind_names:
        return kind_names.get(str(value), str(value))
    if field == "choices" and isinstance(value, list):
        parts = []
        for choice in value:
            if not isinstance(choice, dict):
                parts.append(plain(choice))
                continue
            text = str(choice.get("text", ""))
            if choice.get("match"):
                text += f" → {choice['match']}"
            if choice.get("correct"):
                text += " (richtig)"
            parts.append(text)
        return "; ".join(parts)
    if isinstance(value, dict):
        return "; ".join(f"{field_name(k)}: {plain(v)}" for k, v in value.items()) or "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return plain(value)


def count(n: int, one: str, many: str) -> str:
    """Return "1 Frage" or "3 Fragen": a number with its noun in the right number."""
    return f"{n} {one if n == 1 else many}"
