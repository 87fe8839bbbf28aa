"""A class in real browsers: a teacher sets homework with a deadline, two learners join with
the code, one finishes and one does not; the teacher's results and grade book show both."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.security import generate_password_hash

from tests.conftest import run_sql

pytestmark = pytest.mark.browser

PASSWORD = "Tsushima-Mai-1905"


def _login(page: Page, base: str, name: str) -> None:
    page.goto(base + "/auth/login")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Willkommen zurück")).to_be_visible()


def _register(page: Page, base: str, name: str, code: str = "") -> None:
    page.goto(base + "/auth/register")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    if code:
        page.get_by_label("Klassencode (optional)").fill(code)
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_text("Dein Konto ist angelegt")).to_be_visible()


def _answer(page: Page) -> None:
    """Give some well-formed answer to the question shown (true/false or single choice)."""
    page.locator("form#answer-form input[type=radio]").first.check()
    page.get_by_role("button", name="Antwort abgeben").click()
    expect(page.locator("#next")).to_be_visible()


def _score(db_path: str, name: str) -> tuple[float, int]:
    """Return (points, questions) of the learner's attempt as the database holds them."""
    rows = run_sql(
        db_path,
        "SELECT coalesce(sum(i.score), 0), count(*) FROM attempt_item i"
        ' JOIN attempt a ON a.id = i.attempt_id JOIN "user" u ON u.id = a.user_id'
        " WHERE u.username = :name AND a.assignment_id IS NOT NULL",
        {"name": name},
    )
    return float(rows[0][0]), int(rows[0][1])


def test_teacher_sets_homework_two_learners_join_one_finishes(
    page: Page, browser: Browser, live_server, screenshot_dir: Path
) -> None:
    base, db_path = live_server
    run_sql(
        db_path,
        'INSERT INTO "user" (username, username_key, password_hash, role, is_guest, created_at,'
        " session_token) VALUES ('frau-meier', 'frau-meier', :pw, 'teacher', false,"
        " '2026-11-21 10:00:00+00:00', 'x')",
        {"pw": generate_password_hash(PASSWORD)},
    )
    ids = [
        row[0]
        for row in run_sql(
            db_path,
            "SELECT id FROM question WHERE status = 'approved'"
            " AND kind IN ('true_false', 'single_choice') ORDER BY id LIMIT 3",
        )
    ]

    # The teacher creates a class and reads its code.
    _login(page, base, "frau-meier")
    page.goto(base + "/teach/")
    page.get_by_role("link", name="Klassen", exact=True).click()
    page.get_by_role("link", name="Neue Klasse anlegen").click()
    page.get_by_label("Name der Klasse").fill("10b")
    page.get_by_label("Schuljahr").fill("2026/27")
    page.get_by_role("button", name="Klasse anlegen").click()
    expect(page.get_by_text("Die Klasse „10b“ ist angelegt")).to_be_visible()
    code = page.locator("#join-code").inner_text().strip()
    assert len(code) == 9 and code[4] == "-"

    # ... and sets homework with a deadline.
    due = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=7)
    page.get_by_role("link", name="Neue Aufgabe stellen").click()
    page.get_by_label("Titel").fill("Hausaufgabe Portsmouth")
    page.get_by_label("Art").select_option("quiz")
    page.get_by_label("Inhalt").select_option("questions")
    page.get_by_label("Fragen (IDs").fill("\n".join(ids))
    page.get_by_label("Abgabetermin").fill(f"{due:%Y-%m-%dT%H:%M}")
    page.get_by_label("Rückmeldung mit den richtigen Antworten").select_option("immediate")
    page.screenshot(path=str(screenshot_dir / "class-assignment-form.png"), full_page=True)
    page.get_by_role("button", name="Aufgabe stellen").click()
    expect(page.get_by_text("Die Aufgabe „Hausaufgabe Portsmouth“ ist gestellt.")).to_be_visible()
    results_url = page.url

    # Anna registers with the code and finishes the homework from her home page.
    anna_context = browser.new_context()
    anna = anna_context.new_page()
    _register(anna, base, "anna", code)
    anna.goto(base + "/")
    homework = anna.locator("li.assignment", has_text="Hausaufgabe Portsmouth")
    expect(homework).to_contain_text(f"fällig am {due.day}.")
    anna.screenshot(path=str(screenshot_dir / "class-home-assignments.png"), full_page=True)
    homework.get_by_role("button", name="Hausaufgabe Portsmouth starten").click()
    for _ in ids:
        _answer(anna)
        anna.locator("#next").click()
    expect(anna.get_by_role("heading", name="Ergebnis: Hausaufgabe Portsmouth")).to_be_visible()

    # Bert registers, joins with the code on the join page, answers one question and stops.
    bert_context = browser.new_context()
    bert = bert_context.new_page()
    _register(bert, base, "bert")
    bert.goto(base + "/join")
    bert.get_by_label("Klassencode").fill(code.lower().replace("-", " "))
    bert.get_by_role("button", name="Beitreten").click()
    expect(bert.get_by_text("Du bist jetzt in der Klasse „10b“.")).to_be_visible()
    bert.goto(base + "/")
    bert.get_by_role("button", name="Hausaufgabe Portsmouth starten").click()
    _answer(bert)
    bert.goto(base + "/")
    expect(bert.get_by_role("link", name="Weitermachen")).to_be_visible()

    # The teacher's results show both, as the database has them.
    anna_points, anna_total = _score(db_path, "anna")
    assert anna_total == 3
    page.goto(results_url)
    expect(page.get_by_role("status")).to_contain_text("1 von 2 fertig, 2 begonnen")
    table = page.locator("#results")
    anna_row = table.locator("tr", has_text="anna")
    expect(anna_row).to_contain_text("fertig")
    points = f"{anna_points:.1f}".replace(".", ",")
    expect(anna_row).to_contain_text(f"{points} von 3")
    bert_row = table.locator("tr", has_text="bert")
    expect(bert_row).to_contain_text("begonnen")
    page.screenshot(path=str(screenshot_dir / "class-results.png"), full_page=True)

    # ... and so does the grade book (German number format).
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Notenliste als CSV (deutsches Zahlenformat)").click()
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text("utf-8-sig")), delimiter=";"))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"anna", "bert"}
    assert by_name["anna"][1:5] == ["fertig", "1", points, "3"]
    assert by_name["bert"][1:5] == ["begonnen", "1", "", ""]

    # The drill-down shows anna's answers with their sources.
    anna_row.get_by_role("link", name="anna").click()
    expect(page.get_by_role("heading", name="anna: Hausaufgabe Portsmouth")).to_be_visible()
    expect(page.locator("ol.results > li")).to_have_count(3)
    anna_context.close()
    bert_context.close()
