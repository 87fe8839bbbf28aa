"""A learner in a real browser: register, take a quiz with every kind by keyboard, results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quizapp.bank.leaks import Candidate, clash
from quizapp.bank.types import KINDS
from tests.conftest import run_sql

pytestmark = pytest.mark.browser


def _keep_one_question_per_kind(db_url: str) -> dict[str, str]:
    """Retire all approved questions but one per kind, so one quiz covers every kind (and no
    kept question gives another's answer away, which would leave it out of the quiz)."""
    keep: dict[str, str] = {}
    kept: list[Candidate] = []
    for kind in KINDS:
        rows = run_sql(
            db_url,
            "SELECT id, prompt, answer, accepted FROM question WHERE status='approved' "
            "AND kind=:kind AND origin='curated' ORDER BY id",
            {"kind": kind},
        )
        for qid, prompt, answer, accepted in rows:
            if isinstance(accepted, str):  # SQLite hands JSON back as text
                accepted = json.loads(accepted)
            candidate = Candidate(qid, kind, prompt, answer, tuple(accepted or ()))
            if not any(clash(candidate, other) for other in kept):
                keep[qid] = kind
                kept.append(candidate)
                break
    marks = ", ".join(f":k{i}" for i in range(len(keep)))
    run_sql(
        db_url,
        f"UPDATE question SET status='retired' WHERE status='approved' AND id NOT IN ({marks})",
        {f"k{i}": qid for i, qid in enumerate(keep)},
    )
    return keep


def _answer_by_keyboard(page: Page, db_url: str) -> str:
    """Answer the question on the page correctly using only the keyboard; return its kind."""
    page.wait_for_url(re.compile(r"/quiz/\d+$"))
    # On the question page, its load event fired: the `defer`red keyboard script runs.
    attempt_id = int(page.url.rstrip("/").split("/")[-1])
    position, kind, answer, order, qid = run_sql(
        db_url,
        "SELECT i.position, q.kind, q.answer, i.choice_order, q.id FROM attempt_item i "
        "JOIN question q ON q.id = i.question_id WHERE i.attempt_id=:a "
        "AND i.answered_at IS NULL ORDER BY i.position LIMIT 1",
        {"a": attempt_id},
    )[0]
    choices = {
        cid: (pos, text, correct, match)
        for cid, pos, text, correct, match in run_sql(
            db_url,
            "SELECT id, position, text, correct, match FROM choice WHERE question_id=:q",
            {"q": qid},
        )
    }
    if isinstance(order, str):  # SQLite hands JSON back as text
        order = json.loads(order)
    shown = [choices[c] for c in order]
    if kind == "single_choice":
        page.keyboard.press(str(next(i for i, c in enumerate(shown, 1) if c[2])))
        page.keyboard.press("Enter")
    elif kind == "true_false":
        page.keyboard.press("1" if answer == "wahr" else "2")
        page.keyboard.press("Enter")
    elif kind == "multiple_choice":
        for i, c in enumerate(shown, 1):
            if c[2]:
                page.keyboard.press(str(i))  # digits toggle the boxes
        page.keyboard.press("Enter")
    elif kind in ("typed", "cloze", "date", "numerical"):
        expect(page.get_by_label("Deine Antwort")).to_be_focused()
        page.keyboard.type(answer)
        page.keyboard.press("Enter")
    elif kind == "ordering":
        ranks = sorted(c[0] for c in shown)
        selects = page.locator("form#answer-form select")
        for i, c in enumerate(shown):
            selects.nth(i).focus()
            page.keyboard.type(str(ranks.index(c[0]) + 1))
        page.keyboard.press("Enter")
    elif kind == "matching":
        # The right-hand sides are offered sorted; arrow down from the placeholder to ours.
        targets = sorted({c[3] for c in shown}, key=str.casefold)
        selects = page.locator("form#answer-form select")
        for i, c in enumerate(shown):
            selects.nth(i).focus()
            for _ in range(targets.index(c[3]) + 1):
                page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    return kind


def test_learner_registers_takes_every_kind_by_keyboard_and_finds_history(
    page: Page, live_server: tuple[str, Path], screenshot_dir: Path
) -> None:
    base, db_path = live_server
    _keep_one_question_per_kind(db_path)
    page.goto(base + "/auth/register")
    page.get_by_label("Benutzername").fill("nora")
    page.get_by_label("Passwort", exact=True).fill("Tsushima-Mai-1905")
    page.get_by_label("Passwort wiederholen").fill("Tsushima-Mai-1905")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dein Konto ist angelegt")).to_be_visible()

    page.goto(base + "/quiz/")
    page.get_by_role("button", name="Gemischtes Quiz starten").click()
    seen = []
    for _ in KINDS:
        expect(page.get_by_text(f"von {len(KINDS)}")).to_be_visible()
        if len(seen) == 0:
            page.screenshot(path=str(screenshot_dir / "quiz-question.png"), full_page=True)
        seen.append(_answer_by_keyboard(page, db_path))
        expect(page.get_by_role("status").first, seen[-1]).to_contain_text("Richtig!")
        if seen[-1] == "ordering":
            page.screenshot(path=str(screenshot_dir / "quiz-feedback.png"), full_page=True)
        expect(page.locator("#next")).to_be_focused()
        page.keyboard.press("Enter")
    assert sorted(seen) == sorted(KINDS)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ergebnis")
    n = len(KINDS)
    expect(page.get_by_text(f"{n},0 von {n} Punkten")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "quiz-results.png"), full_page=True)

    page.get_by_role("link", name="Deine Versuche").first.click()
    expect(page.get_by_role("table").first).to_contain_text("Gemischtes Quiz")
    expect(page.get_by_role("table").first).to_contain_text("100")


def test_guest_progress_survives_registration_in_the_browser(
    page: Page, live_server: tuple[str, Path]
) -> None:
    base, db_path = live_server
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(base + "/quiz/")
    page.get_by_role("button", name="Gemischtes Quiz starten").click()
    kind = _answer_by_keyboard(page, db_path)
    expect(page.get_by_role("status").first, kind).to_contain_text("Richtig!")
    page.get_by_role("link", name="Registrieren").click()
    expect(page.get_by_text("Du übst gerade als Gast")).to_be_visible()
    page.get_by_label("Benutzername").fill("otto")
    page.get_by_label("Passwort", exact=True).fill("Tsushima-Mai-1905")
    page.get_by_label("Passwort wiederholen").fill("Tsushima-Mai-1905")
    page.get_by_role("button", name="Konto anlegen").click()
    page.goto(base + "/quiz/history")
    expect(page.get_by_role("table").first).to_contain_text("Gemischtes Quiz")
    expect(page.get_by_role("table").first).to_contain_text("1 / 10")
