"""Anki deck export (``.apkg``) with genanki: plain Python, no Flask, no database.

``build_apkg`` writes one parent deck (normally "Diplomatiegeschichte") with a subdeck per
source document, or per topic, and one note per question in the note type "Quizapp Frage"
(fields Frage, Antwort, Erklärung, Quelle, Art, Id; one card: question on the front, answer,
explanation and source on the back).

Stable identities, so that importing a newer export into Anki updates instead of duplicating:

* note ``guid`` = ``genanki.guid_for(question.id)``: Anki matches notes by guid and, with its
  default "update notes if newer", overwrites the fields of notes it already has. The note's
  modification time is the export time, so a later export counts as newer (Anki compares whole
  seconds: two exports within the same second do not update each other).
* deck ids and the note type id are derived from SHA-256 of their names, within
  ``[2**30, 2**31)`` as genanki recommends, so they are the same in every export.

Field contents are HTML-escaped; line breaks become ``<br>``; texts written in HTML or
Markdown (``QuestionDraft.text_format``) are sanitised HTML (quizapp.richtext). Choice kinds
show their options on the front (ordering items and matching right sides in an order fixed by
the question id, not the right one). The output is deterministic for the same questions and
``timestamp``; without ``timestamp`` the current time is used for the modification times and
Anki's note and card ids.

Limitations: learners' progress in quizapp is not exported (no scheduling information), and
the note type has one card per note, so matching and ordering are "recall, then check" cards.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import genanki

from quizapp.bank.topics import FALLBACK_NAME, all_topics
from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.credit import credits
from quizapp.richtext import render

DEFAULT_DECK_NAME = "Diplomatiegeschichte"
MODEL_NAME = "Quizapp Frage"
FIELDS: tuple[str, ...] = ("Frage", "Antwort", "Erklärung", "Quelle", "Art", "Id")
GROUP_BY: tuple[str, ...] = ("document", "topic")
NO_DOCUMENT = "Ohne Quelle"

_ID_LOW, _ID_HIGH = 1 << 30, 1 << 31  # genanki's recommended range for deck and model ids
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so that the archive is reproducible
_GAP = "___"
_ORDER_SEPARATOR = " → "

#: German names of the question kinds, for the "Art" field.
KIND_NAMES: dict[str, str] = {
    "single_choice": "Einfachauswahl",
    "multiple_choice": "Mehrfachauswahl",
    "true_false": "Wahr oder falsch",
    "typed": "Freie Antwort",
    "cloze": "Lückentext",
    "date": "Datum",
    "numerical": "Zahl",
    "ordering": "Reihenfolge",
    "matching": "Zuordnung",
}
_OPTION_KINDS = ("single_choice", "multiple_choice", "date", "cloze")


def stable_id(name: str) -> int:
    """Return an Anki id for ``name``: the same in every export, in ``[2**30, 2**31)``."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return _ID_LOW + int.from_bytes(digest[:8], "big") % (_ID_HIGH - _ID_LOW)


MODEL_ID = stable_id("quizapp model: " + MODEL_NAME)

_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left;
        color: #1a1a1a; background: #fff; max-width: 40em; margin: 0 auto; }
.hinweis { color: #555; font-size: 0.85em; margin-top: 0.5em; }
.luecke { font-weight: bold; }
.antwort { font-weight: bold; }
.erklaerung { margin-top: 1em; }
.quelle { margin-top: 1em; color: #555; font-size: 0.8em; }
"""

_FRONT = '<div class="frage">{{Frage}}</div>'
_BACK = (
    "{{FrontSide}}\n<hr id=answer>\n"
    '<div class="antwort">{{Antwort}}</div>\n'
    '{{#Erklärung}}<div class="erklaerung">{{Erklärung}}</div>{{/Erklärung}}\n'
    '{{#Quelle}}<div class="quelle">Quelle: {{Quelle}}</div>{{/Quelle}}'
)

MODEL = genanki.Model(
    MODEL_ID,
    MODEL_NAME,
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "Karte", "qfmt": _FRONT, "afmt": _BACK}],
    css=_CSS,
)


def build_apkg(
    questions: Sequence[QuestionDraft],
    deck_name: str,
    path: Path,
    *,
    group_by: str = "document",
    titles: Mapping[str, str] | None = None,
    timestamp: float | None = None,
) -> None:
    """Write ``questions`` as an Anki package to ``path``.

    ``deck_name`` is the parent deck; the subdecks are the questions' documents (shown by
    ``titles[document]`` when given, else by file name) or, with ``group_by="topic"``, their
    topics' German names. ``timestamp`` (seconds since the epoch) defaults to now.
    Raises ValueError for an unknown ``group_by``, an empty deck name or duplicate question ids.
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, not {group_by!r}")
    if not deck_name.strip():
        raise ValueError("the deck name must not be empty")
    counts = Counter(q.id for q in questions)
    duplicates = sorted(qid for qid, count in counts.items() if count > 1)
    if duplicates:
        raise ValueError(f"duplicate question ids: {', '.join(duplicates)}")

    subdecks: dict[str, list[QuestionDraft]] = {}
    for question in questions:
        label = _group_label(question, group_by, titles or {})
        subdecks.setdefault(f"{deck_name}::{label}", []).append(question)

    used_ids: set[int] = set()
    decks = [genanki.Deck(_unique_id(deck_name, used_ids), deck_name)]
    for name in sorted(subdecks):
        deck = genanki.Deck(_unique_id(name, used_ids), name)
        for question in subdecks[name]:
            deck.add_note(_note(question, titles or {}))
        decks.append(deck)
    _write(genanki.Package(decks), Path(path), time.time() if timestamp is None else timestamp)


# --------------------------------------------------------------------------- helpers


def _unique_id(name: str, used: set[int]) -> int:
    """stable_id(name), moved on deterministically in the unlikely case of a collision."""
    deck_id = stable_id(name)
    while deck_id in used:
        deck_id = _ID_LOW + (deck_id - _ID_LOW + 1) % (_ID_HIGH - _ID_LOW)
    used.add(deck_id)
    return deck_id


def _group_label(question: QuestionDraft, group_by: str, titles: Mapping[str, str]) -> str:
    if group_by == "topic":
        label = dict(all_topics()).get(question.topic) or question.topic or FALLBACK_NAME
    else:
        label = titles.get(question.document) or question.document or NO_DOCUMENT
    # "::" would nest deeper; a deck name must not be blank.
    label = " ".join(label.replace("::", ":").split())
    return label or NO_DOCUMENT


def _write(package: genanki.Package, path: Path, timestamp: float) -> None:
    """Like genanki.Package.write_to_file, but reproducible and without a leaked temp file."""
    with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            entry = zipfile.ZipInfo("collection.anki2", date_time=_ZIP_DATE)
            archive.writestr(entry, db_path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
            archive.writestr(zipfile.ZipInfo("media", date_time=_ZIP_DATE), "{}")


def _note(question: QuestionDraft, titles: Mapping[str, str]) -> genanki.Note:
    source = titles.get(question.document) or question.document
    fields = [
        _front(question),
        _back(question),
        _rich(question.explanation, question.explanation_format or question.text_format),
        _text(source),
        _text(KIND_NAMES.get(question.kind, question.kind)),
        _text(question.id),
    ]
    tags = ["quizapp", question.kind, question.topic]
    return genanki.Note(
        model=MODEL,
        fields=fields,
        guid=genanki.guid_for(question.id),
        tags=["".join(tag.split()) for tag in tags if tag.strip()],
    )


def _text(text: str) -> str:
    """HTML-escape ``text`` for an Anki field; line breaks become <br>."""
    escaped = html.escape(text, quote=True)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _rich(text: str, fmt: str | None) -> str:
    """A text in its format: HTML and Markdown sanitised (quizapp.richtext), else escaped."""
    return str(render(text, fmt)) if fmt in ("html", "markdown") else _text(text)


def _choice_text(question: QuestionDraft, choice: ChoiceDraft) -> str:
    return _rich(choice.text, choice.text_format or question.text_format)


def _list(items: Sequence[str], *, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def _hint(text: str) -> str:
    return f'<div class="hinweis">{_text(text)}</div>'


def _shuffled(question: QuestionDraft, texts: Sequence[str]) -> list[str]:
    """``texts`` in an order fixed by the question id, not the given one if avoidable."""

    def key(item: tuple[int, str]) -> bytes:
        return hashlib.sha256(f"{question.id}\x1f{item[0]}\x1f{item[1]}".encode()).digest()

    order = [text for _, text in sorted(enumerate(texts), key=key)]
    if order == list(texts) and len(set(texts)) > 1:
        order = order[1:] + order[:1]
    return order


def _front(question: QuestionDraft) -> str:
    prompt = _rich(question.prompt, question.text_format)
    if question.kind == "cloze":
        prompt = prompt.replace(_GAP, f'<span class="luecke">{_GAP}</span>')
    parts = [prompt]
    kind, choices = question.kind, question.choices
    if kind == "true_false":
        parts.append(_hint("Wahr oder falsch?"))
    elif kind == "ordering":
        parts.append(_hint("Bringe in die richtige Reihenfolge:"))
        parts.append(_list([_text(t) for t in _shuffled(question, [c.text for c in choices])]))
    elif kind == "matching":
        parts.append(_hint("Ordne zu:"))
        lefts = [c.text for c in choices if c.text]
        rights = [c.match for c in choices if c.match is not None]
        parts.append(_list([_text(t) for t in lefts]))
        parts.append(_list([_text(t) for t in _shuffled(question, rights)]))
    elif kind in _OPTION_KINDS and choices and not _answers_with_credit(question):
        if kind == "multiple_choice":
            parts.append(_hint("Mehrere Antworten können richtig sein."))
        parts.append(_list([_choice_text(question, c) for c in choices]))
    return "".join(parts)


def _back(question: QuestionDraft) -> str:
    kind, choices = question.kind, question.choices
    if kind == "ordering" and choices:
        return _list([_text(c.text) for c in choices], ordered=True)
    if kind == "matching" and choices:
        pairs = [c for c in choices if c.correct and c.match is not None]
        return _list([_text(f"{c.text}{_ORDER_SEPARATOR}{c.match}") for c in pairs])
    if kind == "multiple_choice" and choices:
        return _list([_option(c) for c in choices if c.correct])
    if kind == "true_false":
        return _text(question.answer.capitalize())
    if kind == "single_choice":
        right = next((c for c in choices if c.correct and c.text == question.answer), None)
        if right is not None:
            return _choice_text(question, right)
    answer = _text(question.answer)
    if kind == "numerical":
        extra = question.extra
        if "tolerance" in extra:
            answer += _text(f" (± {extra['tolerance']})")
        elif "min" in extra and "max" in extra:
            answer += _text(f" (von {extra['min']} bis {extra['max']})")
    if question.accepted:
        answer += _hint("Auch richtig: " + "; ".join(question.accepted))
    partial = [
        f"{c.text} ({_percent(credit)})"
        for c, credit in zip(choices, credits(kind, choices), strict=True)
        if 0 < credit < 100
    ]
    if partial:
        answer += _hint("Teilweise richtig: " + "; ".join(partial))
    return answer


def _answers_with_credit(question: QuestionDraft) -> bool:
    """Are a cloze's choices typed answers with credit or feedback rather than options?"""
    if question.kind != "cloze":
        return False
    return any(c.weight is not None or c.feedback for c in question.choices)


def _percent(credit: float) -> str:
    return f"{credit:g} %".replace(".", ",")


def _option(choice: ChoiceDraft) -> str:
    text = _text(choice.text)
    if choice.weight is not None:
        text += _text(f" ({_percent(choice.weight)})")
    return text
