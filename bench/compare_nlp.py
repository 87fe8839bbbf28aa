"""Compare the bank's sentence splitter with SoMaJo's, and what each gives the fact extraction.

Run from the repository root:

    .venv/bin/python -m bench.compare_nlp

For each seed document: the sentences each splitter finds, the boundaries only one of them
draws (printed with their context, for a person to judge), and what the fact extraction
proposes from each split: drafts, complete drafts, and drafts that state what a curated fact
states (the best measure of facts found correctly). Writes build/bench/nlp.json.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from somajo import SoMaJo

from bench.machine import machine_info
from quizapp.bank.clean import clean_document, decode_document
from quizapp.bank.facts import load_fact_files
from quizapp.bank.propose import propose
from quizapp.bank.sentences import _paragraphs
from quizapp.bank.types import CleanedDocument, Sentence

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "build" / "bench" / "nlp.json"


def somajo_sentences(text: str, tokenizer: SoMaJo) -> list[Sentence]:
    """Split ``text`` with SoMaJo, paragraph by paragraph (as the bank's splitter does)."""
    sentences: list[Sentence] = []
    for start, end in _paragraphs(text):
        paragraph = text[start:end]
        for tokens in tokenizer.tokenize_text([paragraph]):
            first = start + tokens[0].character_offset[0]
            last = start + tokens[-1].character_offset[1]
            sentences.append(Sentence(len(sentences), first, last, text[first:last]))
    return sentences


def _ends(sentences: list[Sentence]) -> set[int]:
    return {s.end for s in sentences}


def main(argv: list[str] | None = None) -> int:
    """Print the comparison and write the JSON report."""
    del argv
    tokenizer = SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)
    documents = {
        p.name: clean_document(p.name, decode_document(p.read_bytes(), p.name))
        for p in sorted((ROOT / "seeds").glob("*.txt"))
    }
    known = load_fact_files(ROOT / "questions" / "facts", documents)
    rows = []
    for name, ours in documents.items():
        started = time.perf_counter()
        theirs_sentences = somajo_sentences(ours.text, tokenizer)
        somajo_s = time.perf_counter() - started
        theirs = CleanedDocument(ours.name, ours.title, ours.text, tuple(theirs_sentences))
        only_ours = sorted(_ends(list(ours.sentences)) - _ends(theirs_sentences))
        only_theirs = sorted(_ends(theirs_sentences) - _ends(list(ours.sentences)))
        row: dict = {
            "document": name,
            "sentences": {"rules": len(ours.sentences), "somajo": len(theirs_sentences)},
            "boundaries_only_rules": [ours.text[max(0, e - 40) : e + 25] for e in only_ours],
            "boundaries_only_somajo": [ours.text[max(0, e - 40) : e + 25] for e in only_theirs],
            "somajo_seconds": round(somajo_s, 4),
        }
        for label, document in (("rules", ours), ("somajo", theirs)):
            # Curated facts are located in the rules' split; compare coverage by quote instead.
            proposals = propose(
                document, known if label == "rules" else _relocated(known, document)
            )
            events = [p for p in proposals if p.kind == "event"]
            row[label] = {
                "drafts": len(proposals),
                "event_drafts": len(events),
                "complete_event_drafts": sum(1 for p in events if not p.problem),
                "covered_by_curated_facts": sum(1 for p in proposals if p.covered_by),
            }
        rows.append(row)
    for row in rows:
        print(f"\n{row['document']}: sentences rules {row['sentences']['rules']}, "
              f"SoMaJo {row['sentences']['somajo']}")  # fmt: skip
        for label in ("rules", "somajo"):
            print(f"  {label:7} {row[label]}")
        for context in row["boundaries_only_rules"]:
            print(f"  only rules : …{context!r}")
        for context in row["boundaries_only_somajo"]:
            print(f"  only SoMaJo: …{context!r}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine_info(), "command": "python -m bench.compare_nlp", "rows": rows}
    OUTPUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


def _relocated(known, document: CleanedDocument):  # noqa: ANN001, ANN202
    """Return the fact base with its events' sentence indices in ``document``'s split."""
    from quizapp.bank.facts import FactBase

    events = []
    for sourced in known.events:
        if sourced.provenance.document != document.name:
            events.append(sourced)
            continue
        start = sourced.provenance.char_start
        index = next(
            (s.index for s in document.sentences if s.start <= start < s.end + 1),
            sourced.provenance.sentence_index,
        )
        events.append(
            replace(sourced, provenance=replace(sourced.provenance, sentence_index=index))
        )
    return FactBase(dict(known.actors), events)


if __name__ == "__main__":
    raise SystemExit(main())
