"""Templates' url_for keeps argument-less and static URLs per process, per script root."""

from __future__ import annotations

import flask
from flask import Flask


def test_template_url_for_equals_flasks_and_respects_the_script_root(app: Flask) -> None:
    cached = app.jinja_env.globals["url_for"]
    calls = [
        ("quiz.index", {}),
        ("static", {"filename": "style.css"}),
        ("quiz.show", {"attempt_id": 7}),
        ("cards.review", {"show": "q-1"}),
        ("main.index", {"_external": True}),
    ]
    for root in ("", "/schule"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for endpoint, values in calls:
                assert cached(endpoint, **values) == flask.url_for(endpoint, **values)
            assert cached("quiz.index") == f"{root}/quiz/"
            assert cached("static", filename="style.css").startswith(f"{root}/static/style.css?v=")


def test_pages_link_the_navigation(client) -> None:
    page = client.get("/").get_data(as_text=True)
    for path in ("/quiz/", "/cards/", "/timeline/", "/documents/", "/auth/login"):
        assert f'href="{path}"' in page
