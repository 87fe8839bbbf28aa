"""Shared steps of the day's browser tests: accounts, logging in, answering, checks."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from werkzeug.security import generate_password_hash

from tests.conftest import run_sql

PASSWORD = "Tsushima-Mai-1905"

#: Finds words a table cell breaks across lines: a run of letters or digits spread over two
#: line boxes ("Lernen/de", "1/6/5", "St/at/us"). A line may still end after a hyphen or dash
#: of a compound ("Nordkoreanisch-/russische", "1904–/1905"), as German typesetting does.
BROKEN_WORDS_JS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[^\\s\\-\u2010\u2013\u2014]+/g;
      let m;
      while ((m = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}
"""


def add_user(db_url: str, name: str, role: str = "learner") -> None:
    """Create an account directly in the database (there are no default credentials)."""
    run_sql(
        db_url,
        'INSERT INTO "user" (username, username_key, password_hash, role, is_guest, created_at,'
        " session_token) VALUES (:name, :name, :pw, :role, false,"
        " '2026-11-21 10:00:00+00:00', :token)",
        {
            "name": name,
            "pw": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
            "role": role,
            "token": f"t-{name}",
        },
    )


def login(page: Page, base: str, name: str, password: str = PASSWORD) -> None:
    """Log in through the form."""
    page.goto(base + "/auth/login")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Willkommen zurück")).to_be_visible()


def answer_anything(page: Page) -> None:
    """Give some well-formed answer to whatever kind of question is shown."""
    form = page.locator("form#answer-form")
    if form.locator("input[type=radio]").count():
        form.locator("input[type=radio]").first.check()
    if form.locator("input[type=checkbox]").count():
        form.locator("input[type=checkbox]").first.check()
    if form.locator("input[type=text]").count():
        form.locator("input[type=text]").fill("1905")
    selects = form.locator("select")
    for i in range(selects.count()):
        selects.nth(i).select_option(index=i + 1)
    page.get_by_role("button", name="Antwort abgeben").click()
    expect(page.locator("p.verdict")).to_be_visible()
