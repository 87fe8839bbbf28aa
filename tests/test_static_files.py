"""Static URLs carry a hash of the file's content, so a front server may cache them long."""

from __future__ import annotations

from pathlib import Path

from flask import url_for

from quizapp.static_files import file_version


def test_static_urls_carry_the_content_hash(app) -> None:
    with app.test_request_context():
        url = url_for("static", filename="style.css")
        assert url.startswith("/static/style.css?v=") and len(url.split("v=")[1]) == 10
        assert "v=" not in url_for("static", filename="nix.css")  # no file, no version
        assert "v=" not in url_for("static", filename="../config.py")


def test_the_version_changes_with_the_content(tmp_path: Path) -> None:
    first, second = tmp_path / "a.css", tmp_path / "b.css"
    first.write_text("body { color: black }")
    second.write_text("body { color: white }")
    assert file_version(first) != file_version(second)
    assert file_version(tmp_path / "missing.css") is None


def test_the_app_serves_a_versioned_url(client) -> None:
    with client.application.test_request_context():
        url = url_for("static", filename="style.css")
    response = client.get(url)
    assert response.status_code == 200 and b"body" in response.data
