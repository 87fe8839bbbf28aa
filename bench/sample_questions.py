"""Draw the seeded samples a reviewer judges: approved questions and raw extraction output.

Run from the repository root on a loaded database (`make db`):

    .venv/bin/python -m bench.sample_questions --seed 7 [--approved 50] [--raw 30]

Writes build/review/approved-<seed>.json (approved questions as learners see them, with the
source sentence shown beside the feedback) and build/review/raw-<seed>.json (the questions the
extraction's drafts give when no curated event is known: the generator's raw output).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from quizapp import create_app
from quizapp.bank.clean import clean_document, decode_document
from quizapp.bank.facts import FactBase, load_fact_files
from quizapp.bank.propose import draft_questions, propose
from quizapp.config import Config
from quizapp.extensions import db
from quizapp.services.bank import export_questions

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "review"


def _shown(question: dict) -> dict:
    choices = [
        ("RICHTIG " if c["correct"] else "")
        + c["text"]
        + (f" => {c['match']}" if "match" in c else "")
        for c in question["choices"]
    ]
    keys = ("id", "kind", "prompt", "answer", "accepted", "explanation", "topic", "origin")
    return {
        **{k: question[k] for k in keys},
        "choices": choices,
        "document": question["source"]["document"],
        "source_sentence": question["source"]["sentence"],
    }


def main(argv: list[str] | None = None) -> int:
    """Write the two samples."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--approved", type=int, default=50)
    parser.add_argument("--raw", type=int, default=30)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)

    app = create_app(Config)
    with app.app_context():
        approved = export_questions(db.session, ["approved"])
    sample = random.Random(args.seed).sample(approved, min(args.approved, len(approved)))
    path = OUT / f"approved-{args.seed}.json"
    path.write_text(json.dumps([_shown(q) for q in sample], ensure_ascii=False, indent=1))

    documents = {
        p.name: clean_document(p.name, decode_document(p.read_bytes(), p.name))
        for p in sorted((ROOT / "seeds").glob("*.txt"))
    }
    actors = load_fact_files(ROOT / "questions" / "facts", documents).actors
    known = FactBase(dict(actors), [])  # the actors are known, the events are not
    proposals = [p for d in documents.values() for p in propose(d, known)]
    raw = draft_questions(proposals, documents, known)
    drawn = random.Random(args.seed).sample(raw, min(args.raw, len(raw)))
    rows = [
        {
            "id": q.id,
            "kind": q.kind,
            "prompt": q.prompt,
            "answer": q.answer,
            "accepted": list(q.accepted),
            "choices": [("RICHTIG " if c.correct else "") + c.text for c in q.choices],
            "explanation": q.explanation,
            "document": q.document,
            "source_sentence": documents[q.document].sentences[q.sentence_index].text,
        }
        for q in drawn
    ]
    raw_path = OUT / f"raw-{args.seed}.json"
    raw_path.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    print(f"{len(sample)} of {len(approved)} approved -> {path.relative_to(ROOT)}")
    print(f"{len(drawn)} of {len(raw)} raw -> {raw_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
