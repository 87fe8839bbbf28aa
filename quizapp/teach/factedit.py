"""The fact editor's plain part: form values to fact data and back, and German error messages.

The checks are the fact base's own (``quizapp.bank.facts``): a fact edited in the app passes
exactly what a fact file passes. No Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from quizapp.bank.facts import OFFICES, Actor, Event

#: German messages for pydantic's own error types (our validators speak German already).
_MESSAGES = {
    "missing": "Bitte ausfüllen.",
    "string_too_short": "Bitte ausfüllen.",
    "string_too_long": "Zu lang.",
    "string_pattern_mismatch": "Nur Kleinbuchstaben, Ziffern und Bindestriche.",
    "literal_error": "Ungültige Auswahl.",
    "float_parsing": "Bitte eine Zahl angeben.",
    "greater_than_equal": "Die Zahl darf nicht negativ sein.",
}
#: Event fields the form shows, in the order of the page.
EVENT_FIELDS = (
    "kind",
    "date",
    "end",
    "what",
    "subject",
    "name",
    "place_name",
    "place_phrase",
    "participants",
    "not_options",
    "topic",
    "source",
    "note",
    "terms",
    "skip",
)
ACTOR_FIELDS = ("kind", "name", "variants", "born", "died", "roles", "note")
_OFFICE_BY_LABEL = {label.lower(): key for key, label in OFFICES.items()}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _items(text: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text or "") if part.strip()]


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return "-".join(re.findall(r"[a-z0-9]+", text.lower().translate(table)))[:16].strip("-")


# --------------------------------------------------------------------------- events


def event_form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the editor's field values of a stored event (possibly an incomplete draft)."""
    place = data.get("place") or {}
    terms = [
        t["text"] + (f" | {'; '.join(t['accept'])}" if t.get("accept") else "")
        for t in data.get("terms", [])
    ]
    return {
        "kind": data.get("kind", "other"),
        "date": data.get("date", ""),
        "end": data.get("end", "") or "",
        "what": data.get("what", ""),
        "subject": data.get("subject", "") or "",
        "name": data.get("name", "") or "",
        "place_name": place.get("name", ""),
        "place_phrase": place.get("phrase", ""),
        "participants": list(data.get("participants", [])),
        "not_options": list(data.get("not_options", [])),
        "topic": data.get("topic", "") or "",
        "source": data.get("source", ""),
        "note": data.get("note", "") or "",
        "terms": "\n".join(terms),
        "skip": list(data.get("skip", [])),
    }


def event_data(values: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    """Return event data from the editor's values; ids of terms and ``legacy`` are kept."""
    data: dict[str, Any] = {"id": previous["id"], "kind": values.get("kind") or "other"}
    for key in ("date", "end", "what", "name", "topic", "source", "note", "subject"):
        value = (values.get(key) or "").strip()
        if value:
            data[key] = value
    if values.get("place_name") or values.get("place_phrase"):
        data["place"] = {
            "name": (values.get("place_name") or "").strip(),
            "phrase": (values.get("place_phrase") or "").strip(),
        }
    for key in ("participants", "not_options", "skip"):
        chosen = [v for v in values.get(key) or [] if v]
        if chosen:
            data[key] = chosen
    old_ids = [t.get("id") for t in previous.get("terms", [])]
    terms = []
    used: set[str] = set()
    for index, line in enumerate(_lines(values.get("terms"))):
        text, _, accept = line.partition("|")
        term_id = old_ids[index] if index < len(old_ids) and old_ids[index] else None
        if term_id is None or term_id in used:
            gap = re.search(r"\[([^\]]+)\]", text)
            term_id = _unique(_slug(gap.group(1) if gap else text) or "bestimmung", used)
        used.add(term_id)
        term: dict[str, Any] = {"id": term_id, "text": text.strip()}
        if accept.strip():
            term["accept"] = _items(accept)
        terms.append(term)
    if terms:
        data["terms"] = terms
    if previous.get("legacy"):
        data["legacy"] = previous["legacy"]
    return data


def _unique(base: str, used: set[str]) -> str:
    candidate, number = base, 2
    while candidate in used:
        suffix = f"-{number}"
        candidate = base[: 16 - len(suffix)] + suffix
        number += 1
    return candidate


def check_event(data: Mapping[str, Any]) -> tuple[Event | None, dict[str, list[str]]]:
    """Validate event data; return the event or the problems by form field, in German."""
    try:
        return Event.model_validate(data), {}
    except ValidationError as exc:
        return None, field_errors(exc, EVENT_FIELDS)


# --------------------------------------------------------------------------- actors


def actor_form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the editor's field values of a stored actor."""
    roles = []
    for role in data.get("roles", []):
        cells = [
            role.get("title", ""),
            OFFICES.get(role.get("office", ""), role.get("office", "")),
            role.get("state", "") or "",
            role.get("from", "") or "",
            role.get("to", "") or "",
            role.get("source", "") or "",
        ]
        roles.append(" | ".join(cells).rstrip(" |"))
    return {
        "kind": data.get("kind", "person"),
        "name": data.get("name", ""),
        "variants": "; ".join(data.get("variants", [])),
        "born": data.get("born", "") or data.get("from", "") or "",
        "died": data.get("died", "") or data.get("to", "") or "",
        "roles": "\n".join(roles),
        "note": data.get("note", "") or "",
    }


def actor_data(values: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    """Return actor data from the editor's values; a role's ``at`` and ``document`` stay."""
    kind = values.get("kind") or "person"
    data: dict[str, Any] = {"id": previous["id"], "kind": kind}
    for key in ("name", "note"):
        value = (values.get(key) or "").strip()
        if value:
            data[key] = value
    variants = _items(values.get("variants"))
    if variants:
        data["variants"] = variants
    start_key, end_key = ("born", "died") if kind == "person" else ("from", "to")
    for form_key, key in (("born", start_key), ("died", end_key)):
        value = (values.get(form_key) or "").strip()
        if value:
            data[key] = value
    if previous.get("names"):
        data["names"] = previous["names"]
    if previous.get("adjectives"):
        data["adjectives"] = previous["adjectives"]
    old_roles = previous.get("roles", [])
    roles = []
    for index, line in enumerate(_lines(values.get("roles"))):
        cells = [c.strip() for c in line.split("|")] + [""] * 6
        title, office, state, start, end, source = cells[:6]
        role: dict[str, Any] = {"title": title, "office": _OFFICE_BY_LABEL.get(office.lower(),
                                                                               office)}  # fmt: skip
        for key, value in (("state", state), ("from", start), ("to", end), ("source", source)):
            if value:
                role[key] = value
        old = old_roles[index] if index < len(old_roles) else {}
        for key in ("at", "document"):
            if old.get(key) and (key != "at" or old.get("title") == title):
                role[key] = old[key]
        roles.append(role)
    if roles:
        data["roles"] = roles
    return data


def check_actor(data: Mapping[str, Any]) -> tuple[Actor | None, dict[str, list[str]]]:
    """Validate actor data; return the actor or the problems by form field, in German."""
    try:
        return Actor.model_validate(data), {}
    except ValidationError as exc:
        return None, field_errors(exc, ACTOR_FIELDS, {"from": "born", "to": "died"})


# --------------------------------------------------------------------------- messages


def field_errors(
    exc: ValidationError, fields: tuple[str, ...], aliases: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """Return pydantic's errors as German messages keyed by the form field they concern."""
    aliases = aliases or {}
    result: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        loc = [p for p in error["loc"] if not str(p).startswith(("literal[", "function-"))]
        key = str(loc[0]) if loc else ""
        key = aliases.get(key, key)
        if key == "place":
            key = "place_phrase"
        if key not in fields:
            key = "__all__"
        message = _MESSAGES.get(error["type"]) or str(error["msg"]).removeprefix("Value error, ")
        if len(loc) > 2 and isinstance(loc[1], int):
            message = f"Zeile {loc[1] + 1}: {message}"
        result.setdefault(key, []).append(message)
    return result


def reference_errors(messages: list[str]) -> dict[str, list[str]]:
    """Sort the cross-checks' messages (quotes, names, lifespans) under their fields."""
    result: dict[str, list[str]] = {}
    for message in messages:
        text = message.split(": ", 1)[-1]
        if "Zitat" in text:
            key = "source"
        elif "Subjekt" in text:
            key = "what"
        elif "Beteiligte" in text or "unbekannte" in text:
            key = "participants"
        elif "lebte nicht" in text:
            key = "subject"
        else:
            key = "__all__"
        result.setdefault(key, []).append(text)
    return result
