"""A learner in a real browser: register, take a quiz with every kind by keyboard, results."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

KINDS = ("single_choice", "true_false", "typed", "cloze", "date", "ordering", "matching")


def _keep_one_question_per_kind(db_path: Path) -> dict[str, str]:
    """Retire all approved questions but one per kind, so one quiz covers every kind."""
    con = sqlite3.connect(db_path)
    try:
        keep = {}
        for kind in KINDS:
            row = con.execute(
                "SELECT id FROM question WHERE status='approved' AND kind=? AND origin='curated'"
                " ORDER BY id LIMIT 1",
                (kind,),
            ).fetchone()
            keep[row[0]] = kind
        marks = ",".join("?" * len(keep))
        con.execute(
            f"UPDATE question SET status='retired' WHERE status='approved' AND id NOT IN ({marks})",
            list(keep),
        )
        con.commit()
    finally:
        con.close()
    return keep


def _answer_by_keyboard(page: Page, db_path: Path) -> str:
    """Answer the question on the page correctly using only the keyboard; return its kind."""
    con = sqlite3.connect(db_path)
    try:
        attempt_id, position = page.url.rstrip("/").split("/")[-1], None
        row = con.execute(
            "SELECT i.position, q.kind, q.answer, i.choice_order, q.id FROM attempt_item i "
            "JOIN question q ON q.id = i.question_id WHERE i.attempt_id=? "
            "AND i.answered_at IS NULL ORDER BY i.position LIMIT 1",
            (attempt_id,),
        ).fetchone()
        position, kind, answer, order, qid = row
        choices = {
            cid: (pos, text, correct, match)
            for cid, pos, text, correct, match in con.execute(
                "SELECT id, position, text, correct, match FROM choice WHERE question_id=?", (qid,)
            )
        }
    finally:
        con.close()
    import json

    shown = [choices[c] for c in json.loads(order)]
    page.wait_for_load_state("load")  # the keyboard script is loaded with `defer`
    if kind == "single_choice":
        page.keyboard.press(str(next(i for i, c in enumerate(shown, 1) if c[2])))
        page.keyboard.press("Enter")
    elif kind == "true_false":
        page.keyboard.press("1" if answer == "wahr" else "2")
        page.keyboard.press("Enter")
    elif kind in ("typed", "cloze", "date"):
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
        expect(page.get_by_text("von 7")).to_be_visible()
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
    expect(page.get_by_text("7,0 von 7 Punkten")).to_be_visible()
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
