"""Tests for the question generator, on the seed texts and on texts it has never seen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.bank import generate as generator
from quizapp.bank.clean import clean_document, decode_document
from quizapp.bank.dates import parse_german_date
from quizapp.bank.extract import STATES, extract_dates
from quizapp.bank.generate import generate, generate_from_texts
from quizapp.bank.topics import all_topics
from quizapp.bank.types import KINDS, CleanedDocument, QuestionDraft

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ID = re.compile(r"g-[0-9a-f]{12}")
SENTENCE_KINDS = ("date", "single_choice", "cloze", "true_false")

SHIMONOSEKI = """Der Vertrag von Shimonoseki

Nach dem Ersten Japanisch-Chinesischen Krieg wurde am 17. April 1895 der Vertrag von Shimonoseki
unterzeichnet. China trat darin Taiwan und die Pescadores-Inseln an Japan ab. Der chinesische
Unterhändler Li Hongzhang verhandelte mit dem japanischen Ministerpräsidenten Itō Hirobumi.
Wenige Tage später zwangen Russland, Frankreich und das Deutsche Reich Japan in der Intervention
von Shimonoseki, die Halbinsel Liaodong zurückzugeben. Im Jahr 1898 pachtete Russland Port Arthur.
"""

GANGHWA = """Korea öffnet sich

Im Februar 1876 unterzeichneten Japan und Korea den Vertrag von Ganghwa. Der japanische Gesandte
Kuroda Kiyotaka führte die Verhandlungen auf der Insel Ganghwa. 1882 schloss Korea einen Vertrag
mit den Vereinigten Staaten. Der amerikanische Admiral Robert Shufeldt handelte den Vertrag aus.
Im Jahr 1884 scheiterte der Gapsin-Putsch in Seoul. Mit dem Vertrag von Tientsin vom 18. April 1885
vereinbarten China und Japan den Abzug ihrer Truppen aus Korea. Zar Nikolaus II. empfing 1896 den
koreanischen Gesandten Min Young-hwan in Moskau.
"""


def seed_texts() -> list[tuple[str, str]]:
    return [(p.name, decode_document(p.read_bytes(), p.name)) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def documents() -> list[CleanedDocument]:
    return [clean_document(name, raw) for name, raw in seed_texts()]


@pytest.fixture(scope="module")
def questions(documents) -> list[QuestionDraft]:
    return generate(documents)


def by_name(documents) -> dict[str, CleanedDocument]:
    return {d.name: d for d in documents}


def source(question: QuestionDraft, documents) -> str:
    document = by_name(documents)[question.document]
    assert question.char_start is not None and question.char_end is not None
    return document.text[question.char_start : question.char_end]


# --------------------------------------------------------------------------- the seeds


def test_many_questions_of_every_kind(questions):
    kinds = Counter(q.kind for q in questions)
    assert len(questions) > 100
    for kind in ("date", "single_choice", "cloze", "true_false", "ordering", "matching"):
        assert kinds[kind] >= 2, kind
    assert set(kinds) <= set(KINDS)
    assert {q.document for q in questions} == {name for name, _ in seed_texts()}


def test_peace_of_portsmouth(questions):
    (question,) = [q for q in questions if q.kind == "date" and "Portsmouth" in q.prompt]
    assert question.prompt == "Wann wurde der Frieden von Portsmouth unterzeichnet?"
    assert question.answer == "5. September 1905"
    assert question.document == "004_401761815e4e5e11.txt"
    assert [c.text for c in question.choices if c.correct] == ["5. September 1905"]
    assert question.explanation.startswith("Laut Quelle: „Am 5. September 1905 wurde")


def test_pekinger_konvention_1860_is_matched_to_its_year(questions):
    pairs = {(c.text, c.match) for q in questions if q.kind == "matching" for c in q.choices}
    assert ("Pekinger Konvention", "1860") in pairs
    assert ("Frieden von Portsmouth", "1905") in pairs
    assert ("Yoshitsugu Tatekawa", "japanischer Botschafter in der UdSSR") in pairs


def test_provenance_points_at_the_source_sentence(questions, documents):
    documents_by_name = by_name(documents)
    for q in questions:
        document = documents_by_name[q.document]
        sentence = document.sentences[q.sentence_index]
        assert (q.char_start, q.char_end) == (sentence.start, sentence.end)
        assert document.text[q.char_start : q.char_end] == sentence.text
        assert q.origin == "generated" and q.status == "draft"


def test_ids_are_stable_unique_and_in_a_stable_order(questions, documents):
    ids = [q.id for q in questions]
    assert all(ID.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)
    again = generate(documents)
    assert [(q.id, q.prompt, q.choices) for q in again] == [
        (q.id, q.prompt, q.choices) for q in questions
    ]


def test_ids_do_not_depend_on_the_wording(documents, questions, monkeypatch):
    original = generator._as_question
    monkeypatch.setattr(generator, "_as_question", lambda text: "Frage: " + original(text))
    monkeypatch.setattr(generator, "ORDERING_PROMPT", "Ordnen Sie chronologisch.")
    reworded = generate(documents)
    old = {q.id: q.prompt for q in questions}
    new = {q.id: q.prompt for q in reworded}
    assert set(new) == set(old)
    changed = [i for i in old if old[i] != new[i]]
    assert len(changed) > 20  # the prompts did change, the ids did not


def test_generation_is_the_same_in_another_process(questions):
    # str hashes are salted per process: nothing may depend on set or hash order.
    script = (
        "import json, pathlib\n"
        "from quizapp.bank.clean import decode_document\n"
        "from quizapp.bank.generate import generate_from_texts\n"
        "seeds = sorted(pathlib.Path('seeds').glob('*.txt'))\n"
        "texts = [(p.name, decode_document(p.read_bytes(), p.name)) for p in seeds]\n"
        "qs = generate_from_texts(texts)\n"
        "print(json.dumps([[q.id, q.prompt, q.answer, [c.text for c in q.choices]] for q in qs]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [[q.id, q.prompt, q.answer, [c.text for c in q.choices]] for q in questions]
    assert json.loads(result.stdout) == expected


def test_the_answer_is_stated_in_the_source_and_not_given_away(questions, documents):
    for q in questions:
        if q.kind not in ("date", "single_choice", "cloze"):
            continue
        assert q.answer in source(q, documents), q.id
        assert q.answer.lower() not in q.prompt.lower(), q.id
        if q.kind == "date":
            year = parse_german_date(q.answer)[0]
            assert str(year) not in q.prompt, q.id


def test_prompts_are_questions_in_german(questions):
    for q in questions:
        if q.kind == "date":
            assert re.match(r"(?:Wann|Seit wann|Bis wann|Ab wann) \w", q.prompt), q.prompt
        if q.kind == "single_choice":
            assert re.match(r"(?:Wer|Welcher Staat) \w", q.prompt), q.prompt
        if q.kind in ("date", "single_choice"):
            assert q.prompt.endswith("?") and "  " not in q.prompt and "…" not in q.prompt
        assert not re.match(r"(?:Er|Sie|Es|Dies\w*|Diese\w*) ", q.prompt), q.prompt


def test_options_are_distinct_of_one_type_and_one_is_right(questions, documents):
    state_names = set(STATES)
    for q in questions:
        if q.kind not in ("date", "single_choice"):
            continue
        texts = [c.text for c in q.choices]
        assert len(texts) == 4 and len({t.lower() for t in texts}) == 4, q.id
        assert [c.text for c in q.choices if c.correct] == [q.answer], q.id
        if q.kind == "single_choice":
            states = [t in state_names for t in texts]
            assert all(states) or not any(states), texts  # states with states, persons with persons
        else:
            dates = [parse_german_date(t) for t in texts]
            assert None not in dates and len(set(dates)) == 4, texts
            shapes = {tuple(part is None for part in d) for d in dates}
            assert len(shapes) == 1, texts  # all of the answer's precision
            # No wrong option is another date the same sentence gives.
            stated = {parse_german_date(d.text) for d in extract_dates(source(q, documents))}
            assert stated & set(dates) == {parse_german_date(q.answer)}, texts


def test_date_options_are_chronological(questions):
    for q in questions:
        if q.kind == "date":
            dates = [parse_german_date(c.text) for c in q.choices]
            keys = [(y, m or 0, d or 0) for y, m, d in dates]
            assert keys == sorted(keys)


def test_cloze_blanks_one_stated_fact(questions, documents):
    for q in [q for q in questions if q.kind == "cloze"]:
        assert q.prompt.count("___") == 1 and q.choices == ()
        filled = q.prompt.replace("___", q.answer)
        text = re.sub(r"\s*\([^()]*\)", "", source(q, documents))
        assert " ".join(filled.split()) in " ".join(text.split()), q.id


def test_true_false_statements(questions, documents):
    statements = [q for q in questions if q.kind == "true_false"]
    answers = Counter(q.answer for q in statements)
    assert set(answers) == {"wahr", "falsch"} and answers["falsch"] >= 5
    for q in statements:
        assert q.choices == ()
        text = source(q, documents)
        if q.answer == "falsch":
            swapped = q.extra["swapped"]
            assert swapped in q.prompt and q.extra["fact"] in text
            assert q.extra["fact"] in q.explanation and swapped in q.explanation
            assert q.prompt.replace(swapped, q.extra["fact"]).rstrip(".") in " ".join(text.split())
        else:
            assert q.explanation.startswith("Richtig.")


def test_orderings_are_chronological(questions, documents):
    orderings = [q for q in questions if q.kind == "ordering"]
    assert orderings
    documents_by_name = by_name(documents)
    for q in orderings:
        items = [c.text for c in q.choices]
        assert 3 <= len(items) <= 5 and all(c.correct for c in q.choices)
        assert q.answer == " → ".join(items)
        sentences = [int(i) for i in q.extra["sentences"].split(",")]
        document = documents_by_name[q.document]
        years = [extract_dates(document.sentences[i].text)[0].year for i in sentences]
        assert years == sorted(years) and len(set(years)) == len(years)
        assert not any(re.search(r"\b1[0-9]{3}\b|\b20[0-9]{2}\b", item) for item in items)


def test_matchings(questions):
    matchings = [q for q in questions if q.kind == "matching"]
    assert matchings
    for q in matchings:
        assert 3 <= len(q.choices) <= 5
        assert all(c.correct and c.match for c in q.choices)
        assert (
            len({c.text for c in q.choices}) == len({c.match for c in q.choices}) == len(q.choices)
        )
        assert q.answer == "; ".join(f"{c.text} → {c.match}" for c in q.choices)


def test_nothing_comes_from_boilerplate(questions):
    junk = ("Google Books", "Zuletzt bearbeitet", "Abonnieren", "Bearbeiten", "Quelltext",
            "Einzelnachweise", "abgerufen", "Mehr dazu", "Karte mit", "http", "[1]")  # fmt: skip
    for q in questions:
        texts = [q.prompt, q.answer, q.explanation, *(c.text for c in q.choices)]
        assert not any(j in t for j in junk for t in texts), q.id


def test_topics_are_known_slugs(questions):
    slugs = {slug for slug, _ in all_topics()}
    assert all(q.topic in slugs for q in questions)
    assert {q.topic for q in questions} >= {"korea", "russisch-japanischer-krieg"}


def test_near_duplicates_are_merged():
    texts = seed_texts()[4:]
    once = generate_from_texts(texts)
    twice = generate_from_texts([*texts, ("kopie.txt", texts[0][1])])
    assert [q.id for q in twice] == [q.id for q in once]  # the copy adds nothing


def test_generate_from_texts_cleans_then_generates(questions):
    assert [q.id for q in generate_from_texts(seed_texts())] == [q.id for q in questions]


def test_no_documents_no_questions():
    assert generate([]) == []
    assert generate_from_texts([("leer.txt", "Zurück\nOben\n")]) == []


# --------------------------------------------------------------------------- unseen texts


@pytest.fixture(scope="module")
def unseen() -> list[QuestionDraft]:
    return generate_from_texts([("shimonoseki.txt", SHIMONOSEKI), ("ganghwa.txt", GANGHWA)])


def test_unseen_dates(unseen):
    prompts = {q.prompt: q.answer for q in unseen if q.kind == "date"}
    assert (
        prompts["Wann wurde nach dem Ersten Japanisch-Chinesischen Krieg der Vertrag von "
                "Shimonoseki unterzeichnet?"] == "17. April 1895"
    )  # fmt: skip
    assert prompts["Wann pachtete Russland Port Arthur?"] == "1898"
    assert (
        prompts["Wann unterzeichneten Japan und Korea den Vertrag von Ganghwa?"] == "Februar 1876"
    )


def test_unseen_actors_and_treaties(unseen):
    who = {q.prompt: q for q in unseen if q.kind == "single_choice"}
    question = who["Wer verhandelte mit dem japanischen Ministerpräsidenten Itō Hirobumi?"]
    assert question.answer == "Li Hongzhang"
    assert all(c.text not in STATES for c in question.choices)
    assert who["Welcher Staat pachtete im Jahr 1898 Port Arthur?"].answer == "Russland"
    clozes = {q.answer for q in unseen if q.kind == "cloze"}
    assert {"Vertrag von Shimonoseki", "Vertrag von Ganghwa", "Vertrag von Tientsin"} <= clozes
    pairs = {(c.text, c.match) for q in unseen if q.kind == "matching" for c in q.choices}
    assert ("Kuroda Kiyotaka", "japanischer Gesandter") in pairs


def test_unseen_text_skips_what_needs_context(unseen):
    # "China trat darin …": what "darin" refers to only the sentence before says.
    assert not any("darin" in q.prompt for q in unseen)


def test_a_sentence_yields_no_question_about_what_it_does_not_say(unseen):
    for q in unseen:
        if q.kind in ("date", "single_choice", "cloze"):
            text = SHIMONOSEKI + GANGHWA
            assert q.answer in " ".join(text.split()), q.answer


def test_changing_an_unrelated_sentence_keeps_ids(unseen):
    changed = GANGHWA.replace("Im Jahr 1884 scheiterte", "Im Jahr 1884 misslang")
    again = generate_from_texts([("shimonoseki.txt", SHIMONOSEKI), ("ganghwa.txt", changed)])
    # Questions on the edited sentence get new ids (their fact key holds the sentence).
    untouched = [q for q in unseen if "Gapsin" not in q.prompt + q.explanation]
    assert len(untouched) < len(unseen)
    assert {q.id for q in untouched} <= {q.id for q in again}


def test_draft_is_a_plain_value(unseen):
    q = unseen[0]
    assert replace(q, status="approved").id == q.id
