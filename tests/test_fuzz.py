"""Fuzzing every route: random paths, parameters and form values never cause a 5xx.

Hypothesis draws a route, a role (visitor, learner, teacher), values for the route's
arguments, query parameters and form fields - the names the app uses and random ones, with
values that broke things before: numbers too big for the database, NaN, control
characters, NUL bytes, lone surrogates, very long text. The app runs on a real database
holding the bank; exceptions escape the test client (TESTING), so any crash fails the test.
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import login_as, make_user

ROLES = ("visitor", "learner", "teacher")
FIELDS = (
    "username", "password", "confirm", "current", "mode", "key", "length", "choice", "text",
    "rank_1", "rank_2", "rank_3", "match_1", "match_2", "question_id", "version", "rating",
    "decks", "desired_retention", "new_per_day", "reviews_per_day", "timezone",
    "typed_answers", "kind", "prompt", "answer", "accepted", "explanation", "topic",
    "tolerance", "minimum", "maximum", "options-0-text", "options-0-correct",
    "options-0-match", "options-0-weight", "options-1-text", "options-1-correct",
    "options-99-text", "status", "reason", "decision", "ids", "format", "approve", "token",
    "filename", "approve", "csrf_token", "code", "item_id", "next", "response", "confirm",
    "page",
    # classes and assignments
    "class_code", "name", "school_year", "validity", "action", "title", "source",
    "document", "question_ids", "question_count", "shuffle", "opens_at", "due_at",
    "max_attempts", "time_limit", "feedback",
)  # fmt: skip
PARAMS = (
    "page", "status", "kind", "q", "show", "hl", "next", "format", "flagged", "mode", "back",
    "code", "numbers",
)  # fmt: skip
NASTY = (
    "", "0", "-1", "1", "2", "3", "4", "99999999999999999999", str(2**63), str(-(2**63) - 1),
    "1e999", "-1e999", "NaN", "nan", "sNaN", "Infinity", "-inf", "0,85", "0.9", "1_000",
    "²", "٣", "\x00", "a\x00b", "\r\nSet-Cookie: x=1", "/\\evil.example", "//evil.example",
    "https://evil.example/", "../../etc/passwd", "%00", "%0d%0a", "%ED%B3%BF",
    "wahr", "falsch", "vielleicht", "single_choice", "true_false", "matching", "ordering",
    "numerical", "approved", "rejected", "draft", "retired", "json", "gift", "csv", "apkg",
    "mixed", "weak", "document", "topic", "Europe/Berlin", "document:1", "topic:x",
    "ÄÖÜß" * 300, "x" * 5000, "new", "bulk", "<script>alert(1)</script>", "' OR 1=1 --",
    "quiz", "deck", "questions", "random", "immediate", "after_due", "close", "open", "intl",
    "de", "2026-11-21T14:30", "21.11.2026 14:30", "2020-01-01T00:00", "31.02.2026 10:00",
    "ABCD-EFGH", "abcd efgh", "ZZZZ-ZZZZ", "7", "30", "50", "51", "600", "601",
    "wrong_answer", "typo", "fixed", "dismissed", "yes", "ABCD-EFGH-JKMN", "/quiz/1/0/feedback",
)  # fmt: skip

# Text a client can send: UTF-8 has no lone surrogates (JSON files may still escape them).
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
values = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),
    text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
field_names = st.one_of(st.sampled_from(FIELDS), st.sampled_from(FIELDS), text.filter(bool))
path_values = st.one_of(
    st.sampled_from(NASTY).filter(bool),
    st.sampled_from(["1", "2", "0", str(2**31), str(2**63), "9" * 30, "new", "bulk"]),
    text.filter(bool),
    st.integers(min_value=0, max_value=2**80).map(str),
)
files = st.tuples(
    st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [
                b'[{"id": "x", "kind": "typed", "prompt": "p", "answer": "a"}]',
                b"[" * 1000 + b"]" * 1000,
                b'[{"id": "x", "kind": "typed", "prompt": "\\udcff", "answer": "a"}]',
                b"::q:: Frage {=A ~B}",
                b"id;kind;prompt;answer\n1;typed;p;a\n",
                b"Der Vertrag wurde am 5. September 1905 unterzeichnet.",
            ]
        ),
    ),
    st.sampled_from(["x.json", "x.gift", "x.csv", "x.txt", "x", "../x.txt", "x\x00.txt"]),
)


def _routes() -> list[tuple[str, str, list[str]]]:
    from quizapp import create_app
    from quizapp.config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            routes.append((rule.rule, method, sorted(rule.arguments)))
    return routes


ROUTES = _routes()


@pytest.fixture
def fuzz_app(loaded_app: Flask) -> Flask:
    make_user(loaded_app, "fuzz-learner")
    make_user(loaded_app, "fuzz-teacher", role="teacher")
    return loaded_app


@pytest.fixture
def sessions(fuzz_app: Flask) -> dict[str, FlaskClient]:
    """One logged-in browser per role, whose cookies each example copies."""
    browsers = {role: fuzz_app.test_client() for role in ROLES}
    for role in ("learner", "teacher"):
        login_as(browsers[role], f"fuzz-{role}")
    return browsers


def _client(app: Flask, sessions: dict[str, FlaskClient], role: str, path: str) -> FlaskClient:
    client = app.test_client()
    if role == "visitor":
        return client
    if path.startswith(("/auth/logout", "/auth/password", "/auth/account/delete", "/teach/users")):
        login_as(client, f"fuzz-{role}")  # its own login: it may end every session
        return client
    for cookie in sessions[role]._cookies.values():
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return client


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize(
    ("rule", "method", "arguments"), ROUTES, ids=[f"{m} {r}" for r, m, _ in ROUTES]
)
@given(data=st.data())
def test_no_route_answers_any_input_with_a_server_error(
    fuzz_app: Flask,
    sessions: dict[str, FlaskClient],
    rule: str,
    method: str,
    arguments: list[str],
    data,
) -> None:
    role = data.draw(st.sampled_from(ROLES), label="role")
    path = rule
    for name in arguments:
        raw = data.draw(path_values, label=name)
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", quote(raw, safe=""), path)
    query = data.draw(st.dictionaries(st.sampled_from(PARAMS), values, max_size=3), label="q")
    form = data.draw(st.dictionaries(field_names, values, max_size=8), label="form")
    client = _client(fuzz_app, sessions, role, path)
    if method == "GET":
        response = client.get(path, query_string=query)
    else:
        body: dict[str, object] = dict(form)
        if data.draw(st.booleans(), label="with file"):
            content, name = data.draw(files, label="file")
            body["file"] = (io.BytesIO(content), name)
        response = client.post(path, query_string=query, data=body)
    assert response.status_code < 500, (method, path, query, form, response.status_code)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    role=st.sampled_from(ROLES),
)
def test_random_paths_and_methods_never_cause_a_server_error(
    fuzz_app: Flask, sessions: dict[str, FlaskClient], path: str, method: str, role: str
) -> None:
    client = _client(fuzz_app, sessions, role, "/")
    # (a leading "//" would make the test client read a host name)
    response = client.open("/" + quote(path.lstrip("/"), safe="/"), method=method)
    assert response.status_code < 500, (method, path, response.status_code)
