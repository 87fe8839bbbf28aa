"""Property tests: arbitrary input never crashes the bank, spans are exact, ids are stable."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.bank.clean import DocumentError, clean_document, decode_document
from quizapp.bank.dates import parse_german_date
from quizapp.bank.extract import extract_facts
from quizapp.bank.facts import FactBase
from quizapp.bank.propose import draft_questions, propose
from quizapp.bank.sentences import split_sentences

# Modest by default so the suite stays fast; BANK_HYPOTHESIS_EXAMPLES=2000 digs deeper.
FAST = settings(
    max_examples=int(os.environ.get("BANK_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Text that looks a little like German prose: letters with umlauts, digits, dots, quotes,
# brackets and newlines turn up far more often than in uniformly random unicode.
german_text = st.text(
    alphabet=st.sampled_from(list("aeinrstuäöüßAEJKMPRSVWZ 0123456789.,;:!?…-–„“\"'()[]\n"))
    | st.characters(),
    max_size=400,
)

# Sentences built from pieces of history writing, so that the generator's rewrites run.
SUBJECTS = [
    "Der japanische Außenminister Fumio Kishida",
    "Zar Alexander II.",
    "Russland",
    "Japan",
    "Der Frieden von Portsmouth",
    "Die Pekinger Konvention",
    "Der chinesische Unterhändler Li Hongzhang",
    "Putin",
]
VERBS = ["unterzeichnete", "wurde", "besuchte", "erwarb", "kritisierte", "verhandelte mit"]
OBJECTS = [
    "den Vertrag von Shimonoseki",
    "Korea",
    "das Ussuriland",
    "die Resolution 1874 des UN-Sicherheitsrates",
    "den amerikanischen Präsidenten Theodore Roosevelt",
    "unterzeichnet",
]
DATES = ["am 5. September 1905", "im Juli 1907", "1860", "im Jahr 1875", "im Februar 2022", ""]
OPENERS = ["", "Am 17. April 1895 ", "Im Jahr 1898 ", "Nach dem Krieg ", "Er "]


@st.composite
def history_sentence(draw: st.DrawFn) -> str:
    opener = draw(st.sampled_from(OPENERS))
    subject = draw(st.sampled_from(SUBJECTS))
    verb = draw(st.sampled_from(VERBS))
    if opener:
        subject = subject[:1].lower() + subject[1:] if subject.startswith("Der ") else subject
        words = [opener.strip(), verb, subject]
    else:
        words = [subject, verb]
    words += [draw(st.sampled_from(DATES)), draw(st.sampled_from(OBJECTS))]
    return " ".join(w for w in words if w) + draw(st.sampled_from([".", ".", "?", ""]))


history_text = st.lists(history_sentence(), min_size=1, max_size=12).map(
    lambda sentences: "Titel\n\n" + " ".join(sentences)
)


@FAST
@given(german_text)
def test_splitting_never_crashes_and_spans_are_exact(text):
    sentences = split_sentences(text)
    previous_end = 0
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end


@FAST
@given(german_text)
def test_extraction_never_crashes_and_spans_are_exact(text):
    facts = extract_facts(text)
    for date in facts.dates:
        assert text[date.start : date.end] == date.text
        assert 1000 <= date.year <= 2099
    for treaty in facts.treaties:
        assert text[treaty.start : treaty.end] == treaty.text
    for actor in facts.actors:
        assert text[actor.start : actor.end] == actor.name
        assert actor.phrase_start <= actor.start and actor.end <= actor.phrase_end


@FAST
@given(st.binary(max_size=200))
def test_decoding_returns_text_or_raises_document_error(data):
    try:
        text = decode_document(data, "x.txt")
    except DocumentError as exc:
        assert "x.txt" in str(exc)
    else:
        assert text.strip() and "\r" not in text and not text.startswith("\ufeff")


@FAST
@given(german_text)
def test_cleaning_never_crashes_and_sentences_index_the_text(raw):
    document = clean_document("x.txt", raw)
    assert "\n\n\n" not in document.text
    for sentence in document.sentences:
        assert document.text[sentence.start : sentence.end] == sentence.text


@FAST
@given(st.lists(german_text, max_size=3))
def test_proposing_facts_from_arbitrary_text_never_crashes(raws):
    documents = [clean_document(f"d{i}.txt", raw) for i, raw in enumerate(raws)]
    proposals = [p for d in documents for p in propose(d, FactBase())]
    assert len({p.id for p in proposals}) == len(proposals)
    questions = draft_questions(proposals, {d.name: d for d in documents}, FactBase())
    assert len({q.id for q in questions}) == len(questions)


@FAST
@given(st.lists(history_text, min_size=1, max_size=3))
def test_drafted_facts_cite_their_sentence_and_ids_are_stable(raws):
    documents = [clean_document(f"d{i}.txt", raw) for i, raw in enumerate(raws)]
    by_name = {d.name: d for d in documents}
    proposals = [p for d in documents for p in propose(d, FactBase())]
    for p in proposals:
        document = by_name[p.document]
        sentence = document.sentences[p.sentence_index]
        assert document.text[p.char_start : p.char_end] == sentence.text
        if p.kind == "event" and "source" in p.data:
            assert p.data["source"] == sentence.text
    questions = draft_questions(proposals, by_name, FactBase())
    for q in questions:
        source = by_name[q.document].text[q.char_start : q.char_end]
        assert q.status == "draft"  # a draft fact gives draft questions, never approved ones
        if q.kind == "date":
            parsed = parse_german_date(q.answer)
            assert parsed is not None and str(parsed[0]) in source
            assert [c.text for c in q.choices if c.correct] == [q.answer]
    again = [p for d in documents for p in propose(d, FactBase())]
    assert [p.id for p in again] == [p.id for p in proposals]  # proposing again changes nothing
    assert [q.id for q in draft_questions(again, by_name, FactBase())] == [q.id for q in questions]
