"""The Content-Security-Policy blocks nothing the app needs: every page works without a
violation, and the keyboard help (static JavaScript) still runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from werkzeug.security import generate_password_hash

from tests.conftest import run_sql

pytestmark = pytest.mark.browser

PASSWORD = "Tsushima-Mai-1905"
PAGES = (
    "/",
    "/documents/",
    "/documents/1?hl=2",
    "/quiz/",
    "/quiz/history",
    "/cards/",
    "/cards/review",
    "/cards/stats",
    "/cards/settings",
    "/teach/",
    "/teach/questions",
    "/teach/questions/new",
    "/teach/review",
    "/teach/analysis",
    "/teach/class",
    "/teach/import",
    "/auth/password",
)


def test_no_page_violates_the_content_security_policy(page: Page, live_server) -> None:
    base, db_url = live_server
    run_sql(
        db_url,
        'INSERT INTO "user" (username, username_key, password_hash, role, is_guest, created_at,'
        " session_token) VALUES ('frau-meier', 'frau-meier', :pw, 'teacher', false,"
        " '2026-11-21 10:00:00+00:00', 'x')",
        {"pw": generate_password_hash(PASSWORD)},
    )
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    page.goto(base + "/auth/login")
    page.get_by_label("Benutzername").fill("frau-meier")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Willkommen zurück")).to_be_visible()
    for path in PAGES:
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # A quiz question: digit keys pick an option through quiz.js.
    page.goto(base + "/quiz/")
    page.get_by_role("button", name="Gemischtes Quiz starten").first.click()
    form = page.locator("form#answer-form")
    expect(form).to_be_visible()
    assert not violations, violations
