"""Time cleaning, fact extraction and question building on the seeds and on 10-100 times more.

Run from the repository root:

    .venv/bin/python -m bench.bench_generator [--factors 1,10,30,100] [--repeats 3]

A corpus of factor N holds N copies of each seed. Copies are made distinct documents: each
gets its own name, and copy k shifts every year in the text by k % 40, so that its facts
differ (identical copies would be merged as near-duplicates, which is cheaper than real
text). The table shows the best and the median of the repeats; "µs/char" is the best time
divided by the corpus size, which stays flat if the generator is linear.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

from bench.machine import machine_info
from quizapp.bank.clean import clean_document, decode_document
from quizapp.bank.facts import FactBase
from quizapp.bank.propose import draft_questions, propose

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OUTPUT = ROOT / "build" / "bench" / "generator.json"
_YEAR = re.compile(r"(?<![\d.,])(1[0-9]{3}|20[0-9]{2})(?![\d])")


def seed_texts() -> list[tuple[str, str]]:
    """Return (name, text) of every seed document."""
    return [(p.name, decode_document(p.read_bytes(), p.name)) for p in sorted(SEEDS.glob("*.txt"))]


def corpus(seeds: list[tuple[str, str]], factor: int) -> list[tuple[str, str]]:
    """Return ``factor`` distinct copies of ``seeds`` (renamed, years shifted per copy)."""
    documents = []
    for copy in range(factor):
        shift = copy % 40
        for name, text in seeds:
            stem = name.removesuffix(".txt")
            shifted = _YEAR.sub(lambda m, s=shift: str(int(m.group()) + s), text) if shift else text
            documents.append((f"{stem}-k{copy:03d}.txt", shifted))
    return documents


def run_once(texts: list[tuple[str, str]]) -> tuple[float, float, int]:
    """Clean, propose facts and build their questions once; return (clean seconds,
    extraction and templates seconds, question count)."""
    start = time.perf_counter()
    documents = [clean_document(name, raw) for name, raw in texts]
    cleaned = time.perf_counter()
    known = FactBase()
    proposals = [p for d in documents for p in propose(d, known)]
    questions = draft_questions(proposals, {d.name: d for d in documents}, known)
    done = time.perf_counter()
    return cleaned - start, done - cleaned, len(questions)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and write the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--factors", default="1,10,30,100", help="corpus sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (best is kept)")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where to write the JSON")
    args = parser.parse_args(argv)

    seeds = seed_texts()
    run_once(seeds)  # warm up: imports, regex compilation, caches
    rows = []
    for factor in [int(f) for f in args.factors.split(",")]:
        texts = corpus(seeds, factor)
        chars = sum(len(text) for _, text in texts)
        runs = [run_once(texts) for _ in range(args.repeats)]
        totals = [c + g for c, g, _ in runs]
        best = min(range(len(runs)), key=lambda i: totals[i])
        rows.append(
            {
                "factor": factor,
                "documents": len(texts),
                "characters": chars,
                "questions": runs[best][2],
                "clean_s": round(runs[best][0], 4),
                "generate_s": round(runs[best][1], 4),
                "best_s": round(totals[best], 4),
                "median_s": round(statistics.median(totals), 4),
                "us_per_char": round(totals[best] / chars * 1e6, 3),
                "repeats": args.repeats,
            }
        )
        print(f"factor {factor:>3}: {totals[best]:.3f} s", file=sys.stderr)

    header = (
        f"{'factor':>6} {'docs':>5} {'chars':>9} {'questions':>9} {'clean s':>8} "
        f"{'generate s':>10} {'best s':>8} {'median s':>8} {'µs/char':>8}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['factor']:>6} {r['documents']:>5} {r['characters']:>9} {r['questions']:>9} "
            f"{r['clean_s']:>8.3f} {r['generate_s']:>10.3f} {r['best_s']:>8.3f} "
            f"{r['median_s']:>8.3f} {r['us_per_char']:>8.3f}"
        )
    base, largest = rows[0]["us_per_char"], rows[-1]["us_per_char"]
    ratio = largest / base if base else float("nan")
    first, last = rows[0]["factor"], rows[-1]["factor"]
    print(f"time per character, factor {last} relative to factor {first}: {ratio:.2f}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine_info(), "command": "python -m bench.bench_generator", "rows": rows}
    report["per_char_ratio_largest_to_smallest"] = round(ratio, 3)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
