"""A learner in a real browser: multiple-choice picks marked one by one, and a matching whose
empty dropdown is named before anything is graded or stored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.formats.gift import parse_gift
from quizapp.services.teach import apply_import, plan_import
from tests.conftest import NOW, run_sql

pytestmark = pytest.mark.browser

GIFT = """$CATEGORY: $course$/top/Browserprobe

::b1-mehrfach::Welche Inseln kamen durch den Frieden von 1905 an Japan? {
    ~%100%Süd-Sachalin#Ja, bis zum 50. Breitengrad.
    ~%-50%Kurilen#Die waren schon seit 1875 japanisch.
    ~%-50%Hokkaido#Die Insel war immer japanisch.}

::b2-zuordnung::Ordne jedem Land seine Hauptstadt zu. {
    =Kanada -> Ottawa
    =Italien -> Rom
    =Japan -> Tokio}

::b3-zuordnung::Ordne jedem Vertrag sein Jahr zu. {
    =Shimonoseki -> 1895
    =Portsmouth -> 1905
    =San Francisco -> 1951}
"""


def _import(db_url: str, tmp_path: Path) -> None:
    from tests.conftest import _make_app

    app = _make_app(db_url, tmp_path)
    with app.app_context():
        drafts = parse_gift(GIFT, "browser.gift").questions
        apply_import(db.session, plan_import(db.session, drafts), None, NOW, approve=True)
        db.session.commit()
        db.engine.dispose()


def _answered(db_url: str, question_id: str) -> list[tuple]:
    return run_sql(
        db_url,
        "SELECT score, answered_at FROM attempt_item WHERE question_id=:q",
        {"q": question_id},
    )


def test_picks_are_marked_and_an_empty_dropdown_is_named_before_grading(
    page: Page, live_server: tuple[str, str], tmp_path: Path, screenshot_dir: Path
) -> None:
    base, db_url = live_server
    _import(db_url, tmp_path)
    page.goto(base + "/quiz/")
    page.get_by_role("listitem").filter(has_text="Browserprobe").get_by_role(
        "button", name="Quiz starten"
    ).click()

    # Multiple choice: one right and one wrong pick.
    expect(page.get_by_text("Frage 1 von 3")).to_be_visible()
    page.get_by_label(re.compile("Süd-Sachalin")).check()
    page.get_by_label(re.compile("Kurilen")).check()
    page.get_by_role("button", name="Antwort abgeben").click()
    expect(page.get_by_role("status").first).to_contain_text("Teilweise richtig: 50")
    right = page.locator("li.mark.right")
    wrong = page.locator("li.mark.wrong")
    expect(right).to_contain_text("Süd-Sachalin")
    expect(right).to_contain_text("richtig gewählt")
    expect(right).to_contain_text("Ja, bis zum 50. Breitengrad.")
    expect(wrong).to_contain_text("Kurilen")
    expect(wrong).to_contain_text("falsch gewählt")
    expect(wrong).to_contain_text("Die waren schon seit 1875 japanisch.")
    expect(page.locator("li.mark.neutral")).to_contain_text("Hokkaido")
    expect(page.get_by_text("Die Insel war immer japanisch.")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "quiz-feedback-multiple-choice.png"), full_page=True)
    page.locator("#next").click()

    # Matching: one dropdown left empty is named; nothing is graded or stored.
    expect(page.get_by_text("Frage 2 von 3")).to_be_visible()
    page.get_by_label("Kanada").select_option(label="Ottawa")
    page.get_by_label("Italien").select_option(label="Rom")
    page.get_by_role("button", name="Antwort abgeben").click()
    expect(page.get_by_text("Bei „Japan“ hast du noch nichts gewählt.")).to_be_visible()
    expect(page.get_by_text("Hier hast du noch nichts gewählt.")).to_have_count(1)
    expect(page.get_by_label("Kanada")).to_have_value(re.compile(r"\d"))  # the picks stay
    expect(page.get_by_role("button", name=re.compile("So abgeben"))).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "quiz-matching-empty.png"), full_page=True)
    assert _answered(db_url, "b2-zuordnung") == [(None, None)]
    # The learner completes it: graded as usual.
    page.get_by_label("Japan").select_option(label="Tokio")
    page.get_by_role("button", name="Antwort abgeben").click()
    expect(page.get_by_role("status").first).to_contain_text("Richtig!")
    expect(page.locator("tr.mark.right")).to_have_count(3)
    assert _answered(db_url, "b2-zuordnung")[0][0] == 1.0
    page.locator("#next").click()

    # Another matching, submitted with an empty dropdown on purpose: it counts as wrong.
    expect(page.get_by_text("Frage 3 von 3")).to_be_visible()
    page.get_by_label("Shimonoseki").select_option(label="1895")
    page.get_by_label("Portsmouth").select_option(label="1905")
    page.get_by_role("button", name="Antwort abgeben").click()
    expect(page.get_by_text("Bei „San Francisco“ hast du noch nichts gewählt.")).to_be_visible()
    page.get_by_role("button", name=re.compile("So abgeben")).click()
    expect(page.get_by_role("status").first).to_contain_text("Teilweise richtig: 67")
    expect(page.locator("tr.mark.empty")).to_contain_text("nichts gewählt")
    score = _answered(db_url, "b3-zuordnung")[0][0]
    assert score == pytest.approx(2 / 3)
    page.locator("#next").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ergebnis")
    expect(page.get_by_text("Kurilen – falsch gewählt")).to_be_visible()
