"""Security headers on every response; no inline script anywhere; private pages not stored."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import login_as, make_user

TEMPLATES = Path(__file__).resolve().parents[1] / "quizapp" / "templates"


def test_every_response_carries_the_security_headers(client) -> None:
    for url in ("/", "/auth/login", "/gibt-es-nicht", "/static/style.css"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_and_exports_are_not_stored_static_files_may_be(app, client) -> None:
    make_user(app, "frau-meier", role="teacher")
    login_as(client, "frau-meier")
    for url in ("/quiz/history", "/cards/", "/teach/", "/teach/export?format=json", "/"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    assert "no-store" not in client.get("/static/style.css").headers.get("Cache-Control", "")


def test_no_template_has_inline_script_or_event_handlers() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{template}: inline <script>"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{template}: inline event handler"
        assert not re.search(r"\sstyle\s*=", text), f"{template}: inline style"
        assert "javascript:" not in text, template
