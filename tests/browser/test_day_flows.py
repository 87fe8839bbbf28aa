"""A learner's and a teacher's day in a real browser: the desk, an error report resolved,
a password rescued with a teacher's code, and cards for a guest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.day_helpers import add_user, answer_anything, login

pytestmark = pytest.mark.browser


def test_the_learners_desk_says_what_to_do_next(
    page: Page, live_server, screenshot_dir: Path
) -> None:
    base, db_url = live_server
    add_user(db_url, "anna")
    login(page, base, "anna")
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo, anna!")
    page.get_by_role("button", name="Quiz starten").click()
    answer_anything(page)
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.get_by_role("heading", name="Weitermachen")).to_be_visible()
    expect(page.get_by_text("1 von 10 Fragen beantwortet")).to_be_visible()
    page.get_by_role("link", name="Quiz fortsetzen").click()
    expect(page.get_by_text("Frage 2 von 10")).to_be_visible()
    page.get_by_role("button", name="Überspringen").click()
    expect(page.get_by_text("kommt später noch einmal")).to_be_visible()
    expect(page.get_by_text("Frage 3 von 10")).to_be_visible()


def test_a_learner_reports_an_error_and_a_teacher_resolves_it(
    browser: Browser, live_server, screenshot_dir: Path
) -> None:
    base, db_url = live_server
    add_user(db_url, "anna")
    add_user(db_url, "frau-meier", "teacher")
    learner = browser.new_page()
    login(learner, base, "anna")
    learner.goto(base + "/quiz/")
    learner.get_by_role("button", name="Gemischtes Quiz starten").click()
    answer_anything(learner)
    prompt = learner.locator(".prompt").first.inner_text()
    learner.get_by_text("Fehler in dieser Frage melden").click()
    learner.get_by_label("Was stimmt nicht?").select_option("wrong_answer")
    learner.get_by_label("Beschreibung (freiwillig)").fill("Das Datum stimmt nicht.")
    learner.get_by_role("button", name="Meldung senden").click()
    expect(learner.get_by_text("Danke! Deine Meldung ist bei den Lehrkräften.")).to_be_visible()
    learner.screenshot(path=str(screenshot_dir / "report-sent.png"), full_page=True)

    teacher = browser.new_page()
    login(teacher, base, "frau-meier")
    teacher.goto(base + "/")
    expect(teacher.get_by_text("Meldung von Lernenden")).to_be_visible()
    teacher.get_by_role("link", name="Meldungen ansehen").click()
    report = teacher.locator("article.draft").first
    expect(report).to_contain_text(prompt[:40])
    expect(report).to_contain_text("Das Datum stimmt nicht.")
    expect(report).to_contain_text("Antwort der oder des Lernenden")
    report.get_by_label(re.compile("Antwort an die Lernenden")).fill("Danke, korrigiert.")
    teacher.screenshot(path=str(screenshot_dir / "teacher-reports.png"), full_page=True)
    report.get_by_role("button", name="Behoben").click()
    expect(teacher.get_by_text("1 Meldung als behoben markiert")).to_be_visible()
    expect(teacher.get_by_text("Keine offenen Meldungen")).to_be_visible()

    learner.goto(base + "/reports/")
    expect(learner.get_by_text("behoben – danke!")).to_be_visible()
    expect(learner.get_by_text("Danke, korrigiert.")).to_be_visible()


def test_a_teacher_code_rescues_a_forgotten_password(browser: Browser, live_server) -> None:
    base, db_url = live_server
    add_user(db_url, "paula")
    add_user(db_url, "frau-meier", "teacher")
    teacher = browser.new_page()
    login(teacher, base, "frau-meier")
    teacher.goto(base + "/teach/class")
    row = teacher.get_by_role("row").filter(has_text="paula")
    row.get_by_role("button", name="Code für neues Passwort").click()
    code = teacher.locator("#reset-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    pupil = browser.new_page()
    pupil.goto(base + "/auth/login")
    pupil.get_by_role("link", name="Passwort vergessen?").click()
    pupil.get_by_label("Code von deiner Lehrkraft").fill("AAAA-BBBB-CCCC")
    pupil.get_by_label("Neues Passwort", exact=True).fill("Kirschblüte-Hafen-7")
    pupil.get_by_label("Neues Passwort wiederholen").fill("Kirschblüte-Hafen-7")
    pupil.get_by_role("button", name="Neues Passwort speichern").click()
    expect(pupil.get_by_text("Dieser Code ist falsch, abgelaufen")).to_be_visible()
    pupil.get_by_label("Code von deiner Lehrkraft").fill(code.lower())
    pupil.get_by_label("Neues Passwort", exact=True).fill("Kirschblüte-Hafen-7")
    pupil.get_by_label("Neues Passwort wiederholen").fill("Kirschblüte-Hafen-7")
    pupil.get_by_role("button", name="Neues Passwort speichern").click()
    expect(pupil.get_by_text("Dein neues Passwort ist gespeichert, paula.")).to_be_visible()
    expect(pupil.get_by_role("heading", level=1)).to_have_text("Hallo, paula!")


def test_a_guest_learns_flashcards_and_keeps_them_on_registration(page: Page, live_server) -> None:
    base, _ = live_server
    page.goto(base + "/")
    page.get_by_role("button", name="Karteikarten lernen").click()
    page.get_by_role("link", name="Antwort zeigen").click()
    page.get_by_role("button", name=re.compile("Gut")).click()
    page.goto(base + "/auth/register")
    page.get_by_label("Benutzername").fill("neu-hier")
    page.get_by_label("Passwort", exact=True).fill("Kirschblüte-Hafen-7")
    page.get_by_label("Passwort wiederholen").fill("Kirschblüte-Hafen-7")
    page.get_by_role("button", name="Konto anlegen").click()
    page.goto(base + "/cards/stats")
    expect(page.get_by_text("1 Wiederholung in den letzten 30 Tagen")).to_be_visible()


def test_settings_suggest_the_browsers_time_zone_and_search_it(
    browser: Browser, live_server
) -> None:
    base, db_url = live_server
    add_user(db_url, "kenji")
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="de-DE")
    page = context.new_page()
    login(page, base, "kenji")
    page.goto(base + "/cards/settings")
    expect(page.locator("#timezone")).to_have_value("Asia/Tokyo")
    expect(page.get_by_text("Vorgeschlagen: die Zeitzone deines Browsers")).to_be_visible()
    page.get_by_label("Zeitzone suchen").fill("berlin")
    expect(page.locator("#timezone")).to_have_value("Europe/Berlin")
    page.get_by_label("Gewünschte Erinnerungsquote").select_option(label="0,85")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Deine Einstellungen sind gespeichert.")).to_be_visible()
    expect(page.get_by_label("Gewünschte Erinnerungsquote")).to_have_value("0.85")
    expect(page.locator("#timezone")).to_have_value("Europe/Berlin")
    context.close()


def test_the_editor_shows_the_parts_a_kind_uses_and_cancels(page: Page, live_server) -> None:
    base, db_url = live_server
    add_user(db_url, "frau-meier", "teacher")
    login(page, base, "frau-meier")
    page.goto(base + "/teach/questions/new")
    kind = page.get_by_label("Fragenart")
    kind.select_option("true_false")
    expect(page.locator("fieldset.options")).to_be_hidden()
    expect(page.locator(".numeric")).to_be_hidden()
    expect(page.get_by_label("Rückmeldung nach richtiger Antwort")).to_be_visible()
    kind.select_option("typed")
    # Further answers with their points and feedback; no "richtig" or "passt zu" columns.
    expect(page.locator("fieldset.options")).to_be_visible()
    expect(page.get_by_label("Punkte in Prozent für Antwort 1")).to_be_visible()
    expect(page.get_by_label("Antwort 1 passt zu")).to_be_hidden()
    expect(page.get_by_label("Rückmeldung nach richtiger Antwort")).to_be_hidden()
    expect(page.get_by_label("Richtige Antwort")).to_be_visible()
    kind.select_option("numerical")
    expect(page.locator(".numeric")).to_be_visible()
    kind.select_option("matching")
    expect(page.locator("fieldset.options")).to_be_visible()
    expect(page.get_by_label("Antwort 1 passt zu")).to_be_visible()
    expect(page.get_by_label("Punkte in Prozent für Antwort 1")).to_be_hidden()
    expect(page.get_by_label("Rückmeldung zu Antwort 1")).to_be_hidden()
    expect(page.get_by_label("Richtige Antwort")).to_be_hidden()
    kind.select_option("multiple_choice")
    expect(page.get_by_label("Punkte in Prozent für Antwort 1")).to_be_visible()
    expect(page.get_by_label("Rückmeldung zu Antwort 1")).to_be_visible()
    page.get_by_role("link", name="Abbrechen").click()
    expect(page).to_have_url(base + "/teach/questions")
