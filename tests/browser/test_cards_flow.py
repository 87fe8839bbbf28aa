"""A whole flashcard session in a real browser, driven by the keyboard only."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import run_sql

pytestmark = pytest.mark.browser


def _count(db_url: str, sql: str) -> int:
    return run_sql(db_url, sql)[0][0]


def test_review_session_by_keyboard(page: Page, live_server, screenshot_dir: Path) -> None:
    base, db_path = live_server
    page.goto(base + "/auth/register")
    page.get_by_label("Benutzername").fill("paul")
    page.get_by_label("Passwort", exact=True).fill("Tsushima-Mai-1905")
    page.get_by_label("Passwort wiederholen").fill("Tsushima-Mai-1905")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dein Konto ist angelegt")).to_be_visible()

    page.goto(base + "/cards/")
    page.get_by_role("link", name="Wiederholung starten").focus()
    page.keyboard.press("Enter")
    for rating in ("3", "1", "4"):
        page.wait_for_url("**/cards/review")  # waits for the page's load event, scripts run
        expect(page.locator("#flip")).to_be_visible()
        page.keyboard.press(" ")  # flip
        expect(page.locator("#answer")).to_be_visible()
        if rating == "3":
            expect(page.get_by_role("button", name="Gut")).to_contain_text("10 min")
            page.screenshot(path=str(screenshot_dir / "card-back.png"), full_page=True)
        page.wait_for_load_state("load")  # the keyboard script is loaded with `defer`
        page.keyboard.press(rating)
        page.wait_for_url("**/cards/review")
    assert _count(db_path, "SELECT count(*) FROM review_log") == 3
    page.wait_for_load_state("load")
    page.keyboard.press("z")  # undo the Easy
    expect(page.get_by_text("rückgängig gemacht")).to_be_visible()
    expect(page.locator("#answer")).to_be_visible()
    assert _count(db_path, "SELECT count(*) FROM review_log") == 2
    assert _count(db_path, "SELECT count(*) FROM card_state WHERE state='learning'") == 2

    page.goto(base + "/cards/stats")
    expect(page.locator("svg.chart")).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "card-stats.png"), full_page=True)
