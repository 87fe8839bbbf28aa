"""Anki export (quizapp.formats.apkg), checked by importing it with the official anki package."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportAnkiPackageUpdateCondition,
    ImportResponse,
)
from anki.notes import Note

from quizapp.bank.types import ChoiceDraft, QuestionDraft
from quizapp.formats.apkg import FIELDS, MODEL_ID, MODEL_NAME, build_apkg, stable_id

PARENT = "Diplomatiegeschichte"
DOC_A = "004_401761815e4e5e11.txt"
DOC_B = "005_9a3c1e0b7d2f4a66.txt"
T1 = 1_800_000_000.0  # fixed export times; the second export must be newer for Anki
T2 = T1 + 60
IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


def question(qid: str, kind: str, prompt: str, answer: str, **more: object) -> QuestionDraft:
    values: dict[str, object] = {
        "explanation": "",
        "topic": "russisch-japanischer-krieg",
        "document": DOC_A,
        "origin": "teacher",
    }
    values.update(more)
    return QuestionDraft(id=qid, kind=kind, prompt=prompt, answer=answer, **values)  # type: ignore[arg-type]


QUESTIONS: tuple[QuestionDraft, ...] = (
    question(
        "portsmouth-vermittler",
        "single_choice",
        'Wessen Angebot nahm der Zar an? <b>"Vermittlung"</b> & mehr',
        "Theodore Roosevelt",
        choices=(
            ChoiceDraft("Wilhelm II."),
            ChoiceDraft("Theodore Roosevelt", correct=True),
            ChoiceDraft("Eduard <VII.>"),
        ),
        explanation="Roosevelt vermittelte.\nDer Vertrag folgte 1905.",
    ),
    question(
        "mc-gebiete",
        "multiple_choice",
        "Welche Gebiete fielen an Japan?",
        "Süd-Sachalin; Port Arthur",
        choices=(
            ChoiceDraft("Süd-Sachalin", correct=True, weight=50.0),
            ChoiceDraft("Port Arthur", correct=True, weight=50.0),
            ChoiceDraft("Wladiwostok", weight=-50.0),
        ),
        topic="korea",
    ),
    question("tf-zar", "true_false", "Der Zar lehnte jede Vermittlung ab.", "falsch"),
    question(
        "typed-witte",
        "typed",
        "Wer unterzeichnete für Russland?",
        "Sergei Witte",
        accepted=("Witte",),
        document=DOC_B,
    ),
    question("cloze-ort", "cloze", "Der Frieden von ___ beendete den Krieg.", "Portsmouth"),
    question(
        "date-frieden",
        "date",
        "Wann wurde der Frieden unterzeichnet?",
        "5. September 1905",
        choices=(ChoiceDraft("5. September 1905", correct=True), ChoiceDraft("23. August 1905")),
        document=DOC_B,
    ),
    question(
        "num-jahr",
        "numerical",
        "In welchem Jahr?",
        "1905",
        extra={"tolerance": "1"},
        document="",
        topic="allgemein",
    ),
    question(
        "ordering-schlachten",
        "ordering",
        "Ordne chronologisch.",
        "Port Arthur → Mukden → Tsushima",
        choices=tuple(ChoiceDraft(t, correct=True) for t in ("Port Arthur", "Mukden", "Tsushima")),
    ),
    question(
        "matching-delegierte",
        "matching",
        "Ordne die Delegierten zu.",
        "Witte → Russland; Komura → Japan",
        choices=(
            ChoiceDraft("Witte", correct=True, match="Russland"),
            ChoiceDraft("Komura", correct=True, match="Japan"),
        ),
        document=DOC_B,
    ),
)


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        yield col
    finally:
        col.close()


def import_package(col: Collection, path: Path) -> ImportResponse.Log:
    """Import like Anki's desktop default: update notes and note types if newer."""
    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(
            update_notes=IF_NEWER, update_notetypes=IF_NEWER, with_scheduling=False
        ),
    )
    return col.import_anki_package(request).log


def notes_by_id(col: Collection) -> dict[str, Note]:
    notes = [col.get_note(note_id) for note_id in col.find_notes("")]
    return {note["Id"]: note for note in notes}


def deck_names(col: Collection) -> set[str]:
    return {deck.name for deck in col.decks.all_names_and_ids()}


def read_package(path: Path, tmp_path: Path) -> sqlite3.Connection:
    """Open the collection inside an .apkg with sqlite."""
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        db = tmp_path / "extracted.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(db)


# --------------------------------------------------------------------------- Anki import


def test_export_of_every_kind_imports_into_anki(tmp_path: Path, collection: Collection) -> None:
    path = tmp_path / "deck.apkg"
    build_apkg(QUESTIONS, PARENT, path, timestamp=T1)

    log = import_package(collection, path)

    assert len(log.new) == len(QUESTIONS)
    assert collection.note_count() == len(QUESTIONS)
    assert collection.card_count() == len(QUESTIONS)
    assert deck_names(collection) == {
        "Default",
        PARENT,
        f"{PARENT}::{DOC_A}",
        f"{PARENT}::{DOC_B}",
        f"{PARENT}::Ohne Quelle",
    }
    notes = notes_by_id(collection)
    assert set(notes) == {q.id for q in QUESTIONS}

    note = notes["portsmouth-vermittler"]
    assert note.note_type()["name"] == MODEL_NAME
    assert [field["name"] for field in note.note_type()["flds"]] == list(FIELDS)
    assert note.guid == genanki.guid_for("portsmouth-vermittler")
    assert note["Frage"] == (
        "Wessen Angebot nahm der Zar an? &lt;b&gt;&quot;Vermittlung&quot;&lt;/b&gt; &amp; mehr"
        "<ul><li>Wilhelm II.</li><li>Theodore Roosevelt</li><li>Eduard &lt;VII.&gt;</li></ul>"
    )
    assert note["Antwort"] == "Theodore Roosevelt"
    assert note["Erklärung"] == "Roosevelt vermittelte.<br>Der Vertrag folgte 1905."
    assert note["Quelle"] == DOC_A
    assert note["Art"] == "Einfachauswahl"
    assert note["Id"] == "portsmouth-vermittler"
    assert set(note.tags) == {"quizapp", "single_choice", "russisch-japanischer-krieg"}
    (card,) = note.cards()
    assert collection.decks.name(card.did) == f"{PARENT}::{DOC_A}"
    # The card renders: question on the front; answer, explanation and source on the back.
    assert "Wilhelm II." in card.question()
    answer_side = card.answer()
    assert "Theodore Roosevelt" in answer_side and "Roosevelt vermittelte." in answer_side
    assert f"Quelle: {DOC_A}" in answer_side

    assert collection.decks.name(notes["num-jahr"].cards()[0].did) == f"{PARENT}::Ohne Quelle"
    assert notes["num-jahr"]["Antwort"] == "1905 (± 1)"
    assert notes["tf-zar"]["Antwort"] == "Falsch"
    assert notes["ordering-schlachten"]["Antwort"] == (
        "<ol><li>Port Arthur</li><li>Mukden</li><li>Tsushima</li></ol>"
    )
    # The front lists the items, but not in the right order.
    front = notes["ordering-schlachten"]["Frage"]
    assert front.index("Port Arthur") > front.index("Tsushima") or front.index(
        "Mukden"
    ) > front.index("Tsushima")
    assert notes["matching-delegierte"]["Antwort"] == (
        "<ul><li>Witte → Russland</li><li>Komura → Japan</li></ul>"
    )
    assert notes["mc-gebiete"]["Antwort"] == (
        "<ul><li>Süd-Sachalin (50 %)</li><li>Port Arthur (50 %)</li></ul>"
    )
    assert "Wladiwostok" in notes["mc-gebiete"]["Frage"]


def test_importing_a_newer_export_updates_the_note(tmp_path: Path, collection: Collection) -> None:
    first, second = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    build_apkg(QUESTIONS, PARENT, first, timestamp=T1)
    changed = [
        replace(q, explanation="Neu: Roosevelt erhielt 1906 den Friedensnobelpreis.")
        if q.id == "portsmouth-vermittler"
        else q
        for q in QUESTIONS
    ]
    build_apkg(changed, PARENT, second, timestamp=T2)

    import_package(collection, first)
    before = {qid: note.id for qid, note in notes_by_id(collection).items()}
    log = import_package(collection, second)

    assert len(log.new) == 0
    assert len(log.duplicate) == 0
    assert collection.note_count() == len(QUESTIONS)
    after = notes_by_id(collection)
    assert {qid: note.id for qid, note in after.items()} == before  # same notes, updated
    assert after["portsmouth-vermittler"]["Erklärung"] == (
        "Neu: Roosevelt erhielt 1906 den Friedensnobelpreis."
    )
    assert (
        after["typed-witte"]["Antwort"]
        == 'Sergei Witte<div class="hinweis">Auch richtig: Witte</div>'
    )
    assert deck_names(collection) == {
        "Default",
        PARENT,
        f"{PARENT}::{DOC_A}",
        f"{PARENT}::{DOC_B}",
        f"{PARENT}::Ohne Quelle",
    }


def test_group_by_topic_with_titles(tmp_path: Path, collection: Collection) -> None:
    path = tmp_path / "topics.apkg"
    titles = {DOC_A: "Der Friede von Portsmouth"}
    build_apkg(QUESTIONS, PARENT, path, group_by="topic", titles=titles, timestamp=T1)

    import_package(collection, path)

    assert deck_names(collection) == {
        "Default",
        PARENT,
        f"{PARENT}::Russisch-Japanischer Krieg 1904/05",
        f"{PARENT}::Korea und Russland",
        f"{PARENT}::Allgemeine Diplomatiegeschichte",
    }
    notes = notes_by_id(collection)
    assert notes["portsmouth-vermittler"]["Quelle"] == "Der Friede von Portsmouth"
    assert notes["typed-witte"]["Quelle"] == DOC_B
    card = notes["mc-gebiete"].cards()[0]
    assert collection.decks.name(card.did) == f"{PARENT}::Korea und Russland"


# --------------------------------------------------------------------------- package contents


def test_deck_and_model_ids_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    build_apkg(QUESTIONS, PARENT, path, timestamp=T1)
    conn = read_package(path, tmp_path)
    try:
        decks_json, models_json = conn.execute("SELECT decks, models FROM col").fetchone()
        guids = {row[0] for row in conn.execute("SELECT guid FROM notes")}
    finally:
        conn.close()
    decks = {deck["name"]: int(deck_id) for deck_id, deck in json.loads(decks_json).items()}
    for name in (PARENT, f"{PARENT}::{DOC_A}", f"{PARENT}::{DOC_B}", f"{PARENT}::Ohne Quelle"):
        assert decks[name] == stable_id(name)
        assert 1 << 30 <= decks[name] < 1 << 31
    assert str(MODEL_ID) in json.loads(models_json)
    assert stable_id(PARENT) == stable_id("Diplomatiegeschichte")  # no salt, no clock
    assert guids == {genanki.guid_for(q.id) for q in QUESTIONS}


def test_output_is_deterministic_apart_from_the_timestamp(tmp_path: Path) -> None:
    paths = [tmp_path / "a.apkg", tmp_path / "b.apkg", tmp_path / "c.apkg"]
    build_apkg(QUESTIONS, PARENT, paths[0], timestamp=T1)
    build_apkg(QUESTIONS, PARENT, paths[1], timestamp=T1)
    build_apkg(QUESTIONS, PARENT, paths[2], timestamp=T2)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_without_timestamp_the_current_time_is_used(tmp_path: Path) -> None:
    path = tmp_path / "now.apkg"
    build_apkg(QUESTIONS[:1], PARENT, path)
    conn = read_package(path, tmp_path)
    try:
        (mod,) = conn.execute("SELECT mod FROM notes").fetchone()
    finally:
        conn.close()
    assert mod > T1 - 10 * 365 * 86400  # a real, recent clock time (not 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"group_by": "kind"}, "group_by must be one of document, topic"),
        ({"deck_name": " "}, "the deck name must not be empty"),
        ({"questions": QUESTIONS[:2] + QUESTIONS[:1]}, "duplicate question ids: portsmouth"),
    ],
)
def test_invalid_arguments(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "questions": QUESTIONS,
        "deck_name": PARENT,
        "path": tmp_path / "x.apkg",
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        build_apkg(**arguments)  # type: ignore[arg-type]
    assert not (tmp_path / "x.apkg").exists()
