"""A teacher approves a draft and writes a question in the browser; a learner then meets both."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.security import generate_password_hash

from tests.browser.day_helpers import answer_anything, login
from tests.conftest import run_sql

pytestmark = pytest.mark.browser

SHIMONOSEKI = """Der Vertrag von Shimonoseki

Nach dem Ersten Japanisch-Chinesischen Krieg wurde am 17. April 1895 der Vertrag von Shimonoseki
unterzeichnet. China trat darin Taiwan und die Pescadores-Inseln an Japan ab.
Im Jahr 1898 pachtete Russland Port Arthur.
"""


def test_teacher_approves_a_draft_and_writes_a_question_a_learner_then_meets(
    page: Page, live_server, tmp_path: Path, screenshot_dir: Path
) -> None:
    base, db_path = live_server
    password = "Tsushima-Mai-1905"
    run_sql(
        db_path,
        'INSERT INTO "user" (username, username_key, password_hash, role, is_guest, created_at,'
        " session_token) VALUES ('frau-meier', 'frau-meier', :pw, 'teacher', false,"
        " '2026-11-21 10:00:00+00:00', 'x')",
        {"pw": generate_password_hash(password)},
    )
    login(page, base, "frau-meier", password)

    # Upload a text: its fact drafts enter the review queue, each with the questions it gives.
    text = tmp_path / "shimonoseki.txt"
    text.write_text(SHIMONOSEKI, encoding="utf-8")
    page.goto(base + "/teach/documents")
    page.get_by_label("Textdatei (UTF-8, .txt)").set_input_files(str(text))
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("heading", name="Entwürfe prüfen")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "teach-review.png"), full_page=True)
    first = page.locator("article.draft", has=page.get_by_role("button", name="Freigeben")).first
    expect(first.locator("details.checklist")).to_contain_text("Lebten die angebotenen Personen")
    draft_prompt = first.locator(".fact-questions a").first.inner_text().strip()
    first.get_by_role("button", name="Freigeben").click()
    expect(page.get_by_text("Fakt freigegeben")).to_be_visible()

    # Write a new question.
    page.goto(base + "/teach/questions/new")
    page.get_by_label("Fragenart").select_option("typed")
    page.get_by_label("Fragetext").fill(
        "Welche Insel trat China im Vertrag von Shimonoseki an Japan ab?"
    )
    page.get_by_label("Richtige Antwort").fill("Taiwan")
    page.get_by_label("Weitere akzeptierte Antworten").fill("Formosa")
    page.get_by_label("Erklärung").fill("Im Vertrag von Shimonoseki trat China Taiwan ab.")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_text("gespeichert und freigegeben")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Vorschau: so sehen Lernende die Frage")
    ).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "teach-preview.png"), full_page=True)

    # Only the two new questions stay approved, so the learner's quiz holds exactly them.
    run_sql(
        db_path,
        "UPDATE question SET status='retired' WHERE status='approved' AND origin != 'teacher'"
        " AND prompt != :prompt",
        {"prompt": draft_prompt},
    )
    page.get_by_role("button", name="Abmelden").click()
    page.goto(base + "/quiz/")
    page.get_by_role("button", name="Gemischtes Quiz starten").click()
    prompts = []
    for _ in range(2):
        expect(page.get_by_text("von 2")).to_be_visible()
        prompts.append(page.locator(".prompt").first.inner_text().strip())
        if "Taiwan" not in prompts[-1] and "Insel trat China" in prompts[-1]:
            page.get_by_label("Deine Antwort").fill("Formosa")
            page.get_by_role("button", name="Antwort abgeben").click()
            expect(page.get_by_role("status").first).to_contain_text("Richtig!")
        else:
            answer_anything(page)
        page.locator("#next").click()
    assert "Welche Insel trat China im Vertrag von Shimonoseki an Japan ab?" in prompts
    assert draft_prompt in prompts
