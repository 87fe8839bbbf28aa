"""A Moodle question written in [html] is shown rendered and sanitised in a quiz: its markup
appears, its script, event handlers and styles do not, and the page keeps its CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect
from werkzeug.security import generate_password_hash

from tests.conftest import run_sql

pytestmark = pytest.mark.browser

PASSWORD = "Tsushima-Mai-1905"
GIFT = """\
$CATEGORY: $course$/top/Moodle-Probe

// [tag:Probe]
::Friedensort::[html]<p>Wo endete der Krieg <b id="fett">1905</b>?</p><script>alert("x")</script>
<img src="x" onerror="alert('img')"><p style="display:none" onclick="alert('p')">sichtbar</p>{
  =<em>Portsmouth</em>#[markdown]**Richtig**: in New Hampshire.
  ~<a href\\="javascript:alert('a')">Paris</a>
  ~Shimonoseki
  ####[markdown]Vermittelt von *Theodore Roosevelt*.
}
"""


def test_an_html_question_is_rendered_sanitised_in_a_quiz(
    page: Page, live_server, tmp_path, screenshot_dir
) -> None:
    base, db_url = live_server
    run_sql(
        db_url,
        'INSERT INTO "user" (username, username_key, password_hash, role, is_guest, created_at,'
        " session_token) VALUES ('frau-meier', 'frau-meier', :pw, 'teacher', false,"
        " '2026-11-21 10:00:00+00:00', 'x')",
        {"pw": generate_password_hash(PASSWORD)},
    )
    alerts: list[str] = []
    violations: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.on("dialog", on_dialog)
    page.on("console", watch)
    page.goto(base + "/auth/login")
    page.get_by_label("Benutzername").fill("frau-meier")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Willkommen zurück")).to_be_visible()

    # The teacher imports the file (approved at once) after the preview.
    gift = tmp_path / "probe.gift"
    gift.write_text(GIFT, encoding="utf-8")
    page.goto(base + "/teach/import")
    page.get_by_label("Datei").set_input_files(str(gift))
    page.get_by_label("Importierte Fragen gleich freigeben").check()
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_text("1 neue Fragen")).to_be_visible()
    page.get_by_role("button", name="Import bestätigen").click()
    expect(page.get_by_text("Import abgeschlossen: 1 Frage neu")).to_be_visible()

    # A quiz of the new topic shows the question rendered, without what could run.
    page.goto(base + "/quiz/")
    page.locator("li", has_text="Moodle-Probe").get_by_role("button", name="Quiz starten").click()
    legend = page.locator("legend.prompt")
    expect(legend).to_contain_text("Wo endete der Krieg 1905?")
    expect(legend.locator("b")).to_have_text("1905")
    expect(legend.locator("p", has_text="sichtbar")).to_be_visible()  # its style is gone
    assert page.locator('main script:not([src^="/static/"])').count() == 0
    assert page.locator("main [onerror], main [onclick], main [style]").count() == 0
    assert page.locator('main a[href^="javascript"]').count() == 0
    expect(page.locator("label em", has_text="Portsmouth")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "quiz-html-question.png"), full_page=True)

    page.get_by_label("Portsmouth").check()
    page.get_by_role("button", name="Antwort abgeben").click()
    expect(page.get_by_role("status").first).to_contain_text("Richtig")
    expect(page.locator(".explanation em")).to_have_text("Theodore Roosevelt")
    expect(page.locator(".right-answer")).to_have_text("Portsmouth")
    assert page.locator('main script:not([src^="/static/"])').count() == 0
    page.screenshot(path=str(screenshot_dir / "quiz-html-feedback.png"), full_page=True)
    assert alerts == []
    assert violations == []
