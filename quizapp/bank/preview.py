"""Print what the fact base and the curated bank of one document give, for authors.

``python -m quizapp.bank.preview 003`` prints every question built from the facts of the
documents whose file names start with ``003`` (after curated questions that replace some),
the curated questions of those documents, and every problem found. Plain Python.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.bank.assemble import assemble
from quizapp.bank.clean import clean_document
from quizapp.bank.curated import CurationError, load_curated
from quizapp.bank.facts import FactError, load_fact_files
from quizapp.bank.templates import build_questions
from quizapp.bank.types import QuestionDraft


def show(question: QuestionDraft, source: str = "") -> str:
    """Return a question as a few readable lines, with the source sentence feedback shows."""
    choices = [
        ("*" if c.correct else "") + c.text + (f" => {c.match}" if c.match else "")
        for c in question.choices
    ]
    lines = [
        f"{question.id} [{question.kind}, {question.origin}, {question.status}, {question.topic}]",
        f"  Frage:   {question.prompt}",
        f"  Antwort: {question.answer}"
        + (f"  (auch: {', '.join(question.accepted)})" if question.accepted else ""),
    ]
    if choices:
        lines.append(f"  Optionen: {' | '.join(choices)}")
    lines.append(f"  Erklärung: {question.explanation}")
    if source:
        lines.append(f"  Quelle:   {source}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the questions of the documents named by the prefix in ``argv``; 1 on errors."""
    prefix = argv[0] if argv else ""
    root = Path(argv[1]) if len(argv) > 1 else Path(".")
    documents = {
        p.name: clean_document(p.name, p.read_text(encoding="utf-8"))
        for p in sorted((root / "seeds").glob("*.txt"))
    }
    problems: list[str] = []
    try:
        base = load_fact_files(root / "questions" / "facts", documents)
    except FactError as exc:
        print("\n".join(exc.errors))
        return 1
    try:
        curated = load_curated(root / "questions", documents)
    except CurationError as exc:
        problems.extend(exc.errors)
        curated = []
    questions, errors = assemble(curated, build_questions(base))
    problems.extend(errors)
    mine = [q for q in questions if q.document.startswith(prefix)]
    for origin in ("generated", "curated"):
        for question in mine:
            if question.origin == origin:
                document = documents[question.document]
                index = question.sentence_index
                sentence = document.sentences[index].text if index is not None else ""
                print(show(question, sentence))
    print(
        f"\n{sum(q.origin == 'generated' for q in mine)} from facts, "
        f"{sum(q.origin == 'curated' for q in mine)} curated"
    )
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
