"""Inputs that used to end in a 500 are answered with a 4xx page (the fuzz test's findings)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.formats.jsonio import MAX_DEPTH, JsonError, parse_json
from tests.conftest import _dispose, _make_app
from tests.helpers import PASSWORD, answer_data, current_item, login_as, make_user, start_quiz

BIG = "99999999999999999999"


@pytest.fixture
def learner(loaded_app: Flask, loaded_client: FlaskClient) -> FlaskClient:
    make_user(loaded_app, "lisa")
    login_as(loaded_client, "lisa")
    return loaded_client


@pytest.fixture
def teacher(loaded_app: Flask) -> FlaskClient:
    make_user(loaded_app, "frau-meier", role="teacher")
    client = loaded_app.test_client()
    login_as(client, "frau-meier")
    return client


def test_numbers_too_big_for_the_database_find_nothing(learner, teacher) -> None:
    attempt_id = start_quiz(learner)
    for url in (
        f"/documents/{BIG}",
        f"/documents/{2**63}",
        f"/quiz/{BIG}",
        f"/quiz/{attempt_id}/{BIG}/feedback",
        f"/quiz/{BIG}/results",
    ):
        assert learner.get(url).status_code == 404, url
    assert learner.post(f"/quiz/{attempt_id}/{BIG}", data={"choice": "1"}).status_code == 404
    assert teacher.post(f"/teach/users/{BIG}/promote").status_code == 404
    for url in (f"/teach/questions?page={BIG}", f"/teach/review?page={BIG}"):
        assert teacher.get(url).status_code == 200, url
    assert learner.get(f"/documents/1?hl={BIG}").status_code == 200


@pytest.mark.parametrize("key", [BIG, "²", "٣", "-1"])
def test_a_quiz_of_a_document_that_cannot_exist_is_unavailable(learner, key: str) -> None:
    response = learner.post("/quiz/start", data={"mode": "document", "key": key, "length": "5"})
    assert response.status_code == 302 and response.headers["Location"] == "/quiz/"


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-inf"])
def test_retention_that_is_not_a_number_is_refused(learner, value: str) -> None:
    data = {
        "desired_retention": value,
        "new_per_day": "20",
        "reviews_per_day": "200",
        "timezone": "Europe/Berlin",
    }
    response = learner.post("/cards/settings", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bitte gib eine Zahl ein" in page or "0,80 bis 0,97" in page


@pytest.mark.parametrize(
    "target", ["/%0d%0aSet-Cookie:%20x=1", "/quiz/%0a", "/%5Cevil.example", "/%09/evil.example"]
)
def test_a_next_target_unfit_for_a_location_header_goes_home(app, client, target: str) -> None:
    make_user(app, "nora")
    response = client.post(
        f"/auth/login?next={target}", data={"username": "nora", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_nul_characters_in_parameters_or_fields_are_refused(learner) -> None:
    assert learner.get("/quiz/?x=a%00b").status_code == 400
    assert learner.post("/cards/leeches/a%00b/unsuspend").status_code == 404
    data = {"question_id": "a\x00b", "text": "x"}
    assert learner.post("/cards/check", data=data).status_code == 400
    response = learner.post("/auth/login", data={"username": "lisa\x00", "password": "x"})
    assert response.status_code == 400


# --------------------------------------------------------------------------- CSRF failures


def _token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def csrf_app(make_db, tmp_path: Path):
    app = _make_app(make_db("loaded"), tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    _dispose(app)


def _csrf_login(app: Flask, name: str) -> FlaskClient:
    make_user(app, name)
    client = app.test_client()
    data = {"username": name, "password": PASSWORD, "csrf_token": _token(client, "/auth/login")}
    assert client.post("/auth/login", data=data).status_code == 302
    return client


def _csrf_start(client: FlaskClient) -> int:
    data = {"mode": "mixed", "key": "", "length": "5", "csrf_token": _token(client, "/quiz/")}
    response = client.post("/quiz/start", data=data)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_a_bad_token_on_someone_elses_question_is_a_400_page(csrf_app) -> None:
    owner, other = _csrf_login(csrf_app, "olga"), _csrf_login(csrf_app, "paul")
    attempt_id = _csrf_start(owner)
    item = current_item(csrf_app, attempt_id)
    response = other.post(
        f"/quiz/{attempt_id}/{item.position}", data={**answer_data(item), "csrf_token": "x"}
    )
    assert response.status_code == 400
    assert "Formular abgelaufen" in response.get_data(as_text=True)


def test_a_bad_token_on_an_answered_question_is_a_400_page(csrf_app) -> None:
    learner = _csrf_login(csrf_app, "quentin")
    attempt_id = _csrf_start(learner)
    item = current_item(csrf_app, attempt_id)
    url = f"/quiz/{attempt_id}/{item.position}"
    token = _token(learner, f"/quiz/{attempt_id}")
    assert learner.post(url, data={**answer_data(item), "csrf_token": token}).status_code == 303
    response = learner.post(url, data={**answer_data(item), "csrf_token": "abgelaufen"})
    assert response.status_code == 400
    assert "Formular abgelaufen" in response.get_data(as_text=True)


def test_a_bad_token_on_the_open_question_keeps_the_answer(csrf_app) -> None:
    learner = _csrf_login(csrf_app, "rita")
    attempt_id = _csrf_start(learner)
    item = current_item(csrf_app, attempt_id)
    response = learner.post(
        f"/quiz/{attempt_id}/{item.position}", data={**answer_data(item), "csrf_token": "alt"}
    )
    assert response.status_code == 400
    assert "zu lange geöffnet" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- JSON files


def test_json_nested_a_thousand_deep_is_refused_in_german(teacher) -> None:
    deep = b"[" * 1000 + b"]" * 1000
    with pytest.raises(JsonError, match="zu tief verschachtelt"):
        parse_json(deep, "tief.json")
    response = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(deep), "tief.json"), "format": "auto"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "zu tief verschachtelt" in response.get_data(as_text=True)


def test_json_as_deep_as_a_question_file_is_read() -> None:
    item = '{"id": "x", "kind": "typed", "prompt": "Wo?", "answer": "Portsmouth", "extra": {}}'
    assert len(parse_json(f"[{item}]")) == 1
    assert MAX_DEPTH >= 4


def test_a_lone_surrogate_in_json_is_refused_in_german(teacher) -> None:
    data = b'[{"id": "x", "kind": "typed", "prompt": "Wo \\udcff?", "answer": "Portsmouth"}]'
    with pytest.raises(JsonError, match="Ersatzzeichen"):
        parse_json(data, "kaputt.json")
    response = teacher.post(
        "/teach/import",
        data={"file": (io.BytesIO(data), "kaputt.json"), "format": "auto"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Ersatzzeichen" in response.get_data(as_text=True)
