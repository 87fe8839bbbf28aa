"""Extraction proposes facts: clauses cut by HanTa's tags, problems said, nothing guessed."""

from __future__ import annotations

import pytest

from quizapp.bank.clean import clean_document
from quizapp.bank.extract import extract_dates
from quizapp.bank.facts import FactBase
from quizapp.bank.propose import (
    PROBLEM_CONTEXT,
    PROBLEM_NO_DATE,
    document_topic,
    draft_questions,
    propose,
    split_clause,
)
from tests.bank.factkit import kit_base


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        ("Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet.",
         ("der Frieden von Portsmouth", "wurde", "unterzeichnet")),
        ("1918 landeten japanische Truppen in Wladiwostok.",
         ("japanische Truppen", "landeten", "in Wladiwostok")),
        ("Im Oktober 2023 besuchte der russische Außenminister Sergei Lawrow Nordkorea.",
         ("der russische Außenminister Sergei Lawrow", "besuchte", "Nordkorea")),
        ("Im September 2012 erklärte sich Russland bereit, 90 % der Schulden zu erlassen.",
         ("Russland", "erklärte sich", "bereit, 90 % der Schulden zu erlassen")),
        ("Sowjetische Truppen marschierten 1945 in die japanische Kolonie Korea ein.",
         ("sowjetische Truppen", "marschierten", "in die japanische Kolonie Korea ein")),
        ("Im Jahre 2000 besuchte Putin als erster russischer Staatschef Nordkorea und traf sich "
         "mit Kim Jong-il in Pjöngjang.",
         ("Putin", "besuchte", "als erster russischer Staatschef Nordkorea")),
        ("Im Juni 2009 stimmten sowohl Russland als auch China der Resolution 1874 zu.",
         ("sowohl Russland als auch China", "stimmten", "der Resolution 1874 zu")),
    ],
)  # fmt: skip
def test_clauses_are_cut_into_subject_verb_and_rest(sentence, parts):
    date = extract_dates(sentence)[0]
    clause, problem = split_clause(sentence, date, ["sergei lawrow", "putin"])
    assert problem is None
    assert clause == parts


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("Im Juni 1950 überzeugte er Stalin davon, den Süden anzugreifen.", "er"),
        ("Diese Gebiete wurden 1925 geräumt.", "Diese"),
        ("Damit endete 1953 der Krieg.", "Damit"),
    ],
)
def test_a_sentence_that_points_back_is_said_to_do_so(sentence, word):
    date = extract_dates(sentence)[0]
    clause, problem = split_clause(sentence, date)
    assert clause is None
    assert problem == PROBLEM_CONTEXT.format(word=word)


def test_a_date_in_a_subordinate_clause_dates_nothing_in_the_main_one():
    sentence = (
        "Die Schaffung Nordkoreas geht auf Stalin zurück, als die Alliierten im Februar 1945 "
        "eine Aufteilung vereinbarten."
    )
    clause, problem = split_clause(sentence, extract_dates(sentence)[0])
    assert clause is None and problem


def test_drafts_cite_their_sentence_and_undated_ones_are_not_placed(tmp_path):
    text = (
        "Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet. "
        "Der Vertrag von Schimoda regelte die Grenze auf den Kurilen neu. "
        "Vielleicht wäre 1943 ein Frieden möglich gewesen. "
        "Der japanische Botschafter Yoshitsugu Tatekawa sprach mit Molotow."
    )
    document = clean_document("neu.txt", text)
    proposals = propose(document, FactBase())
    by_kind = {(p.kind, p.problem) for p in proposals}
    assert ("event", None) in by_kind  # Portsmouth
    assert ("event", PROBLEM_NO_DATE) in by_kind  # the treaty without a date: not guessed
    assert not any("Frieden möglich" in str(p.data) for p in proposals)  # an opinion
    tatekawa = next(p for p in proposals if p.kind == "actor")
    assert tatekawa.data["name"] == "Yoshitsugu Tatekawa"
    assert tatekawa.data["roles"][0]["office"] == "botschafter"
    assert tatekawa.data["roles"][0]["state"] is None or tatekawa.data["roles"][0]["state"]
    for p in proposals:
        assert document.text[p.char_start : p.char_end] == document.sentences[p.sentence_index].text


def test_a_draft_stating_a_curated_fact_counts_as_covered(tmp_path):
    base = kit_base(tmp_path / "facts")
    document = clean_document("kit.txt", "Am 5. September 1905 wurde der Frieden von Portsmouth "
                              "unterzeichnet.")  # fmt: skip
    # The kit's document starts with the same sentence at the same index.
    proposals = propose(document, base)
    assert proposals[0].covered_by == "portsmouth"


def test_complete_drafts_give_draft_questions(tmp_path):
    text = "1918 landeten japanische Truppen in Wladiwostok. 1922 verließen sie den Fernen Osten."
    document = clean_document("neu.txt", text)
    base = kit_base(tmp_path / "facts")
    proposals = propose(document, base)
    questions = draft_questions(proposals, {"neu.txt": document}, base)
    prompts = {q.prompt for q in questions}
    assert "Wann landeten japanische Truppen in Wladiwostok?" in prompts
    assert {q.status for q in questions} == {"draft"}
    assert not any("1922" in p for p in prompts)  # "sie" points back: no question


def test_a_document_takes_the_topic_most_of_its_sentences_have():
    document = clean_document(
        "x.txt",
        "Kim Il-sung gründete Nordkorea. Die Grenze zu Korea ist kurz. Am Tumen liegt Korea. "
        "Der Frieden von Portsmouth wird erwähnt.",
    )
    assert document_topic(document.sentences) == "korea"
