"""The timeline in a real browser: on a phone, by keyboard, from events to a quiz on them."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_timeline_on_a_phone_by_keyboard(browser: Browser, live_server, screenshot_dir: Path):
    base, _ = live_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Zeitleiste").click()
    expect(page.get_by_role("heading", name="Zeitleiste")).to_be_visible()
    first = page.locator("ol.timeline li").first
    expect(first.locator(".when")).to_have_text("1860")  # the Peking convention comes first
    # Nothing is wider than the phone: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width

    # Filter by keyboard: focus the topic select, choose Korea, submit with Enter.
    topic = page.get_by_label("Thema")
    topic.focus()
    topic.select_option("korea")
    page.get_by_role("button", name="Anzeigen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/?*topic=korea*")
    whens = page.locator("ol.timeline .when").all_inner_texts()
    assert whens and "1860" in whens
    page.screenshot(path=str(screenshot_dir / "timeline-phone.png"), full_page=True)

    # A source link leads to the highlighted sentence.
    link = page.locator("ol.timeline a").first
    href = link.get_attribute("href")
    assert href and "?hl=" in href and "#s" in href

    # Practise the events shown: a visitor becomes a guest and meets a question on them.
    page.get_by_role("button", name="Diese Ereignisse üben").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/quiz/*")
    expect(page.locator(".prompt").first).to_be_visible()
    expect(page.get_by_text("Zeitleiste: Korea und Russland")).to_be_visible()
    context.close()
