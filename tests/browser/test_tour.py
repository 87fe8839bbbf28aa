"""Every page for a visitor, a guest, a learner and a teacher, at 390 and 1280 px:

* axe-core (axe-playwright-python) finds no serious or critical accessibility violation,
  in the light colour scheme at 1280 px and the dark one at 390 px;
* no table cell breaks a word across lines, and no page scrolls sideways;
* a screenshot of each page at each width is saved under test-artifacts/tour/ (ignored by git)
  for people to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.day_helpers import BROKEN_WORDS_JS, add_user, answer_anything, login
from tests.conftest import run_sql

pytestmark = pytest.mark.browser

TOUR = Path(__file__).resolve().parents[2] / "test-artifacts" / "tour"
WIDTHS = (390, 1280)
#: GET pages that are files, not pages (downloads), or no page at all.
NOT_PAGES = {
    "static",
    "main.healthz",
    "auth.export_data",
    "teach.export_file",
    "teach_classes.export",
}
AXE = Axe()


def _endpoint(path: str) -> str:
    from quizapp import create_app
    from quizapp.config import TestingConfig

    global _ADAPTER
    try:
        adapter = _ADAPTER
    except NameError:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
        adapter = _ADAPTER = app.url_map.bind("localhost")
    return adapter.match(path.split("?", 1)[0], method="GET")[0]


def _serious(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _visit_all(browser: Browser, base: str, role: str, paths: list[str], cookies) -> set[str]:
    """Visit every path at both widths; check and photograph; return the endpoints seen."""
    problems, seen = [], set()
    TOUR.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        scheme = "light" if width == 1280 else "dark"
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme, locale="de-DE"
        )
        context.add_cookies(cookies)
        page = context.new_page()
        for index, path in enumerate(paths):
            response = page.goto(base + path)
            assert response is not None and response.status < 400, (role, path, response.status)
            seen.add(_endpoint(path))
            where = f"{role} {width}px {path}"
            broken = page.evaluate(BROKEN_WORDS_JS)
            if broken:
                problems.append(f"{where}: table cells break {broken[:5]}")
            sideways = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            if sideways:
                problems.append(f"{where}: the page scrolls sideways")
            problems.extend(f"{where}: {v}" for v in _serious(page))
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"
            page.screenshot(
                path=str(TOUR / f"{role}-{width}-{index:02d}-{name}.png"), full_page=True
            )
        context.close()
    assert not problems, "\n".join(problems)
    return seen


def _quiz_pages(page: Page, base: str, start_button: str) -> tuple[str, str]:
    """Start a quiz with a button on the current page; return question and feedback paths."""
    page.get_by_role("button", name=start_button).first.click()
    question = page.url.removeprefix(base)
    answer_anything(page)
    return question, page.url.removeprefix(base)


def test_tour_as_visitor(browser: Browser, live_server) -> None:
    base, _ = live_server
    paths = ["/", "/quiz/", "/cards/", "/timeline/", "/documents/", "/documents/1"]
    paths += ["/auth/login", "/auth/register", "/auth/reset"]
    _visit_all(browser, base, "visitor", paths, [])


def test_tour_as_guest(browser: Browser, live_server) -> None:
    base, _ = live_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/")
    question, feedback = _quiz_pages(page, base, "Quiz mit 10 Fragen starten")
    paths = ["/", question, feedback, "/cards/", "/cards/review", "/auth/account"]
    paths += ["/quiz/history", "/reports/"]
    _visit_all(browser, base, "guest", paths, context.cookies())
    context.close()


def _finish_quiz(page: Page, base: str) -> str:
    page.goto(base + "/quiz/")
    page.get_by_label("Anzahl Fragen").select_option("5")
    page.get_by_role("button", name="Gemischtes Quiz starten").click()
    for _ in range(5):
        answer_anything(page)
        page.locator("#next").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ergebnis")
    return page.url.removeprefix(base)


def test_tour_as_learner(browser: Browser, live_server) -> None:
    base, db_url = live_server
    add_user(db_url, "anna")
    context = browser.new_context()
    page = context.new_page()
    login(page, base, "anna")
    results = _finish_quiz(page, base)
    page.goto(base + "/")
    question, feedback = _quiz_pages(page, base, "Quiz starten")
    page.get_by_text("Fehler in dieser Frage melden").click()
    page.get_by_role("button", name="Meldung senden").click()
    link = page.locator("a[href*='/documents/']").first
    document = link.get_attribute("href").split("#")[0] if link.count() else "/documents/1"
    page.goto(base + "/cards/review")
    show = page.get_by_role("link", name=re.compile("Antwort zeigen")).get_attribute("href")
    paths = ["/", question, feedback, results, "/quiz/", "/quiz/history", "/cards/"]
    paths += ["/cards/review", show, "/cards/settings", "/cards/stats", "/cards/leeches"]
    paths += ["/reports/", "/auth/account", "/auth/password", "/timeline/", document]
    paths += ["/documents/"]
    _visit_all(browser, base, "learner", paths, context.cookies())
    context.close()


def test_tour_as_teacher_covers_every_page(browser: Browser, live_server) -> None:
    base, db_url = live_server
    add_user(db_url, "frau-meier", "teacher")
    add_user(db_url, "herr-k", "teacher")
    add_user(db_url, "anna")
    # Something in each queue: three draft questions and a learner's report.
    run_sql(
        db_url,
        "UPDATE question SET status = 'draft' WHERE id IN (SELECT id FROM question"
        " WHERE status = 'approved' AND fact_id IS NULL ORDER BY id LIMIT 3)",
    )
    run_sql(
        db_url,
        "INSERT INTO error_report (user_id, question_id, reason, text, status, created_at)"
        " SELECT u.id, q.id, 'wrong_answer', 'Das Jahr stimmt nicht.', 'open',"
        " '2026-11-21 10:00:00+00:00' FROM \"user\" u, question q WHERE u.username = 'anna'"
        " AND q.status = 'approved' ORDER BY q.id LIMIT 1",
    )
    ids = dict(run_sql(db_url, 'SELECT username, id FROM "user"'))
    qid = run_sql(db_url, "SELECT id FROM question WHERE status = 'approved' ORDER BY id")[0][0]
    fact = run_sql(db_url, "SELECT id FROM fact WHERE status = 'approved' ORDER BY id")[0][0]
    context = browser.new_context()
    page = context.new_page()
    login(page, base, "frau-meier")
    paths = ["/", "/teach/", "/teach/review", "/teach/reports", "/teach/facts"]
    paths += [f"/teach/facts/{fact}", f"/teach/facts/{fact}/edit", "/teach/questions"]
    paths += [f"/teach/questions/{qid}", f"/teach/questions/{qid}/edit", "/teach/questions/new"]
    paths += ["/teach/documents", "/teach/import", "/teach/export", "/teach/analysis"]
    paths += ["/teach/analysis?flagged=1", "/teach/class", f"/teach/users/{ids['anna']}/promote"]
    paths += [f"/teach/users/{ids['herr-k']}/demote"]
    seen = _visit_all(browser, base, "teacher", paths, context.cookies())
    # The reset code is shown on the page a POST answers: check it the same way.
    page.goto(base + "/teach/class")
    page.get_by_role("row").filter(has_text="anna").get_by_role("button").first.click()
    expect(page.locator("#reset-code")).to_be_visible()
    assert _serious(page) == [] and page.evaluate(BROKEN_WORDS_JS) == []
    context.close()
    # Together with the other roles' tours, every page of the app is visited.
    from quizapp import create_app
    from quizapp.config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    pages = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods} - NOT_PAGES
    others = {"main.index", "quiz.index", "cards.index", "timeline.index", "documents.index"}
    others |= {"documents.show", "auth.login", "auth.register", "auth.reset", "quiz.show"}
    others |= {"quiz.feedback", "quiz.results", "quiz.history", "cards.review", "cards.settings"}
    others |= {"cards.stats", "cards.leeches", "reports.index", "auth.account"}
    others |= {"auth.change_password"}
    others |= CLASS_PAGES  # test_tour_of_classes
    assert pages - seen - others == set(), "add the page to a tour"


#: The pages test_tour_of_classes visits (checked there too).
CLASS_PAGES = {
    "classes.mine", "classes.join", "classes.assignment", "teach_classes.index",
    "teach_classes.new", "teach_classes.show", "teach_classes.edit", "teach_classes.delete",
    "teach_classes.class_analysis", "teach_classes.new_assignment", "teach_classes.results",
    "teach_classes.edit_assignment", "teach_classes.assignment_analysis", "teach_classes.learner",
}  # fmt: skip


def test_tour_of_classes(browser: Browser, live_server, tmp_path: Path) -> None:
    """A class with a learner who started an assignment: every page of classes, for the
    teacher and for the learner."""
    from tests.classes import kit
    from tests.conftest import _make_app
    from tests.helpers import PASSWORD as KIT_PASSWORD

    base, db_url = live_server
    app = _make_app(db_url, tmp_path / "setup")  # the served database, set up through HTTP
    teacher = kit.logged_in(app, "frau-meier", "teacher")
    anna = kit.logged_in(app, "anna")
    class_id = kit.create_class(teacher)
    assert kit.join(anna, kit.code_of(app, class_id)) == 302
    ids = " ".join(kit.approved_ids(app, 3))
    assignment_id = kit.create_assignment(teacher, class_id, question_ids=ids)
    assert kit.start(anna, assignment_id)[1] is not None
    anna_id = dict(run_sql(db_url, 'SELECT username, id FROM "user"'))["anna"]
    seen = set()
    for name, paths in (
        ("frau-meier", [
            "/teach/classes/", "/teach/classes/new", f"/teach/classes/{class_id}",
            f"/teach/classes/{class_id}/edit", f"/teach/classes/{class_id}/delete",
            f"/teach/classes/{class_id}/analysis", f"/teach/classes/{class_id}/assignments/new",
            f"/teach/classes/{class_id}/assignments/{assignment_id}",
            f"/teach/classes/{class_id}/assignments/{assignment_id}/edit",
            f"/teach/classes/{class_id}/assignments/{assignment_id}/analysis",
            f"/teach/classes/{class_id}/assignments/{assignment_id}/learners/{anna_id}",
        ]),
        ("anna", ["/classes/", "/join", f"/classes/assignments/{assignment_id}"]),
    ):  # fmt: skip
        context = browser.new_context()
        page = context.new_page()
        login(page, base, name, KIT_PASSWORD)
        seen |= _visit_all(browser, base, f"classes-{name}", paths, context.cookies())
        context.close()
    assert seen == CLASS_PAGES
