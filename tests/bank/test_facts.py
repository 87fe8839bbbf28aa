"""Loading the fact base: valid files load, every problem is named as path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.facts import FactError, load_fact_files, load_fact_reviews
from tests.bank.factkit import ACTORS, EVENTS, kit_base, kit_document

ROOT = Path(__file__).resolve().parents[2]


def errors_of(tmp_path: Path, events: str, actors: str = ACTORS) -> list[str]:
    with pytest.raises(FactError) as caught:
        kit_base(tmp_path / "facts", events, actors)
    return [e.replace(str(tmp_path), "T") for e in caught.value.errors]


HEAD = "document: kit.txt\ntopic: korea\nevents:\n"


def test_the_kit_loads_with_its_provenance(tmp_path):
    base = kit_base(tmp_path / "facts")
    assert len(base.events) == 9
    portsmouth = base.events[0]
    document = kit_document()
    assert portsmouth.id == "portsmouth"
    assert document.sentences[portsmouth.provenance.sentence_index].text.startswith(
        "Am 5. September 1905"
    )
    assert portsmouth.topic == "russisch-japanischer-krieg"  # the file's topic
    assert base.events[2].topic == "korea"  # the event's own
    molotow = base.actors["molotow"]
    assert molotow.role_provenance[0].document == "kit.txt"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (  # a date that does not exist, on the line of the date
            "  - id: x\n    kind: other\n    date: 31. Februar 1905\n    what: a | b | c\n"
            "    source: Stalin starb 1953.\n",
            [
                "T/facts/kit.yaml:6: events.date: „31. Februar 1905“ ist kein Datum wie "
                "„5. September 1905“, „Juni 1905“, „Herbst 1940“ oder „1918“"
            ],
        ),
        (  # a typo in a key, with a suggestion
            "  - id: x\n    kind: other\n    date: 1953\n    wat: a | b | c\n"
            "    source: Stalin starb 1953.\n",
            [
                "T/facts/kit.yaml:4: missing key 'what'",
                "T/facts/kit.yaml:7: unknown key 'wat' (did you mean 'what'?)",
            ],
        ),
        (  # a clause without its three parts
            "  - id: x\n    kind: other\n    date: 1953\n    what: Stalin starb\n"
            "    source: Stalin starb 1953.\n",
            [
                "T/facts/kit.yaml:7: events.what: den Satz als „Subjekt | finites Verb | Rest“ "
                "schreiben, z. B. „der Frieden von Portsmouth | wurde | unterzeichnet“"
            ],
        ),
        (  # an unknown kind of event
            "  - id: x\n    kind: party\n    date: 1953\n    what: a | b | c\n"
            "    source: Stalin starb 1953.\n",
            [
                "T/facts/kit.yaml:5: events.kind: Input should be 'treaty', 'agreement', "
                "'conference', 'meeting', 'visit', 'battle', 'resolution' or 'other'"
            ],
        ),
        (  # a quote the document does not hold
            "  - id: x\n    kind: other\n    date: 1953\n    what: a | b | c\n"
            "    source: Lenin starb 1924.\n",
            ["T/facts/kit.yaml:8: Zitat nicht gefunden in kit.txt"],
        ),
        (  # an actor nobody defined, and a participant who was dead
            "  - id: x\n    kind: other\n    date: 1960\n    what: a | b | c\n"
            "    participants: [stalin, lenin]\n    source: Stalin starb 1953.\n",
            [
                "T/facts/kit.yaml:8: unbekannte Person/unbekannter Staat „lenin“",
                "T/facts/kit.yaml:8: Beteiligte(r) „stalin“ lebte nicht am/im 1960",
            ],
        ),
        (  # the subject must be a name of the actor it names
            "  - id: x\n    kind: other\n    date: 1953\n    what: der Diktator | starb |\n"
            "    subject: stalin\n    source: Stalin starb 1953.\n",
            [
                "T/facts/kit.yaml:7: das Subjekt „der Diktator“ muss ein Name von „stalin“ sein "
                "(Josef Stalin, Stalin)"
            ],
        ),
        (  # a term without its gap
            "  - id: x\n    kind: other\n    date: 1953\n    what: a | b | c\n"
            "    source: Stalin starb 1953.\n    terms:\n      - id: t\n"
            "        text: Stalin starb in Moskau.\n",
            [
                "T/facts/kit.yaml:11: events.terms.text: genau ein Kernwort oder eine Zahl als "
                "Lücke markieren, z. B. [Sachalin]"
            ],
        ),
        (  # the place phrase must stand in the clause
            "  - id: x\n    kind: other\n    date: 1953\n    what: a | b | c\n"
            "    place: {name: Moskau, phrase: in Moskau}\n    source: Stalin starb 1953.\n",
            [
                "T/facts/kit.yaml:4: events: die Ortsangabe „in Moskau“ muss im Rest von „what“ "
                "vorkommen"
            ],
        ),
    ],
)
def test_every_problem_names_its_file_and_line(tmp_path, event, expected):
    assert errors_of(tmp_path, HEAD + event) == expected


def test_duplicate_ids_across_files_name_the_first(tmp_path):
    events = HEAD + (
        "  - id: stalin\n    kind: other\n    date: 1953\n    what: a | b | c\n"
        "    source: Stalin starb 1953.\n"
    )
    errors = errors_of(tmp_path, events)
    assert len(errors) == 1
    assert errors[0].startswith("T/facts/kit.yaml:4: duplicate id 'stalin' (first at T/facts/")


def test_a_broken_file_stops_every_file(tmp_path):
    errors = errors_of(tmp_path, "document: kit.txt\nevents: [\n")
    assert len(errors) == 1 and errors[0].startswith("T/facts/kit.yaml:3: YAML syntax error")


def test_a_role_outside_a_lifetime_is_refused(tmp_path):
    actors = ACTORS.replace("from: 3. Mai 1939", "from: 3. Mai 1880")
    errors = errors_of(tmp_path, EVENTS, actors)
    assert any("außerhalb der Lebenszeit" in e for e in errors), errors


def test_reviews_of_drafts_load_and_need_a_reason(tmp_path):
    path = tmp_path / "reviews.yaml"
    path.write_text(
        "reviews:\n  - id: d-0123456789\n    decision: approved\n"
        "  - id: d-abcdef0123\n    decision: rejected\n",
        encoding="utf-8",
    )
    with pytest.raises(FactError) as caught:
        load_fact_reviews(path)
    assert caught.value.errors == [
        f"{path}:4: reviews: ein abgelehnter Entwurf braucht einen Grund („reason“)"
    ]
    path.write_text(
        "reviews:\n  - id: d-abcdef0123\n    decision: rejected\n    reason: Meinung\n",
        encoding="utf-8",
    )
    assert load_fact_reviews(path)["d-abcdef0123"].reason == "Meinung"


def test_the_shipped_fact_base_loads():
    from quizapp.bank.clean import clean_document

    documents = {
        p.name: clean_document(p.name, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "seeds").glob("*.txt"))
    }
    base = load_fact_files(ROOT / "questions" / "facts", documents)
    documents_with_events = {e.provenance.document for e in base.events}
    assert documents_with_events == set(documents)  # every seed document has its facts
    assert len(base.actors) >= 40
    reviews = load_fact_reviews(ROOT / "questions" / "facts" / "reviews.yaml")
    assert all(r.reason for r in reviews.values() if r.decision == "rejected")
