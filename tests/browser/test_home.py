"""The home page in a real browser, on a phone-sized screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_home_page_shows_documents_on_a_phone(page: Page, live_server, screenshot_dir) -> None:
    base, _ = live_server
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diplomatiegeschichte")
    expect(
        page.get_by_role("link", name="Ergebnisse und Konsequenzen: Der Friede von Portsmouth")
    ).to_be_visible()
    # Nothing overflows sideways on a narrow screen.
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.screenshot(path=str(screenshot_dir / "home-phone.png"), full_page=True)
