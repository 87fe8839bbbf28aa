"""Debian's nginx in front of gunicorn, with the configuration in deploy/: static files with
cache headers, uploads buffered, client-sent X-Forwarded-For ignored, German error pages."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from deploy.nginx import render_site, write_standalone
from tests.servers import NGINX, Browser, gunicorn, nginx


@pytest.fixture
def front(make_db, tmp_path: Path):
    """gunicorn with one worker (so that a held worker would show) behind nginx."""
    db_url = make_db("loaded")
    with (
        gunicorn(db_url, tmp_path, workers=1, QUIZAPP_PROXY_COUNT="1") as app,
        nginx(tmp_path, [app.address]) as proxy,
    ):
        yield app, proxy


@pytest.mark.parametrize("upstreams", [["127.0.0.1:8000"], ["127.0.0.1:8001", "127.0.0.1:8002"]])
def test_the_rendered_configuration_passes_nginx_t(tmp_path: Path, upstreams) -> None:
    conf = write_standalone(tmp_path, "127.0.0.1:8080", upstreams)
    check = subprocess.run(
        [NGINX, "-t", "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr
    site = render_site("80", upstreams)
    assert all(f"server {u} " in site for u in upstreams) and "X-Upstream" not in site


@pytest.mark.parametrize(
    ("listen", "upstreams", "max_body"),
    [
        ("80; include /etc/passwd", ["127.0.0.1:8000"], "4m"),
        ("80", ["127.0.0.1:8000;}"], "4m"),
        ("80", [], "4m"),
        ("80", ["127.0.0.1:8000"], "4m; root /"),
    ],
)
def test_values_that_would_change_the_configuration_are_refused(listen, upstreams, max_body):
    with pytest.raises(ValueError):
        render_site(listen, upstreams, max_body=max_body)


@pytest.mark.parametrize("max_inflight", [0, -1, 10**7, "1; root /"])
def test_a_cap_on_requests_in_flight_must_be_a_sensible_number(max_inflight) -> None:
    with pytest.raises(ValueError):
        render_site("80", ["127.0.0.1:8000"], max_inflight=max_inflight)


def test_static_files_come_from_nginx_with_long_caching_only_when_versioned(front) -> None:
    _, proxy = front
    browser = Browser(proxy.url)
    home = browser.get("/")
    assert home.status == 200 and "X-Upstream" in home.headers
    assert "Content-Security-Policy" in home.headers  # the app's own headers pass through
    assert home.headers["Cache-Control"] == "no-store"
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{10})"', home.text).group(1)
    versioned = browser.get(css)
    assert versioned.status == 200 and "X-Upstream" not in versioned.headers  # not the app
    assert "immutable" in versioned.headers["Cache-Control"]
    assert versioned.headers["X-Content-Type-Options"] == "nosniff"
    plain = browser.get("/static/style.css")
    assert plain.status == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert browser.get("/static/../config.py").status in (400, 404)
    assert browser.get("/static/nix.css").status == 404


def test_one_connection_carries_many_requests(front) -> None:
    _, proxy = front
    host, port = proxy.address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.connect()
    first_socket = connection.sock
    for path in ("/", "/healthz", "/quiz/", "/static/style.css"):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, path
        assert response.getheader("Connection", "").lower() != "close"
    assert connection.sock is first_socket  # never reconnected
    connection.close()


def test_an_address_a_client_claims_is_ignored_by_the_login_slow_down(front) -> None:
    _, proxy = front
    owner = Browser(proxy.url)
    owner.post(
        "/auth/register",
        {"username": "kim", "password": "Tsushima-Mai-1905", "confirm": "Tsushima-Mai-1905"},
        "/auth/register",
    )
    # Six wrong passwords, each claiming another address: all come from 127.0.0.1.
    for i in range(6):
        guesser = Browser(proxy.url, headers={"X-Forwarded-For": f"203.0.113.{i}"})
        guesser.post("/auth/login", {"username": "kim", "password": f"falsch-{i}"}, "/auth/login")
    spoofed = Browser(proxy.url, headers={"X-Forwarded-For": "198.51.100.7"})
    refused = spoofed.post(
        "/auth/login", {"username": "kim", "password": "Tsushima-Mai-1905"}, "/auth/login"
    )
    assert refused.status == 429 and "Zu viele fehlgeschlagene Versuche" in refused.text


def test_a_slow_upload_does_not_hold_the_only_worker(front) -> None:
    _, proxy = front
    host, port = proxy.address.split(":")
    slow = socket.create_connection((host, int(port)))
    slow.sendall(
        b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
        b"\r\nContent-Length: 100000\r\n\r\nusername=kim&password="
    )
    try:
        # gunicorn has one worker; were the body streamed to it, this would wait for the
        # slow client (nginx gives it client_body_timeout = 30 s).
        started = time.monotonic()
        home = Browser(proxy.url).get("/")
        assert home.status == 200
        assert time.monotonic() - started < 10
    finally:
        slow.close()


def test_too_large_a_body_gets_a_german_page_and_reaches_no_worker(front) -> None:
    app, proxy = front
    host, port = proxy.address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(
        "POST", "/teach/import", body=b"x" * (5 * 1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
    )  # fmt: skip
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 413
    assert "Datei zu groß" in page and "Es wurde nichts gespeichert" in page
    assert response.getheader("X-Upstream") is None
    assert app.process.poll() is None


def test_a_stopped_app_server_gets_a_german_page(make_db, tmp_path: Path) -> None:
    with (
        gunicorn(make_db("loaded"), tmp_path, workers=1) as app,
        nginx(tmp_path, [app.address]) as proxy,
    ):
        app.kill_hard()
        answer = Browser(proxy.url).get("/")
        assert answer.status == 502
        assert "Gleich wieder da" in answer.text and "gespeichert" in answer.text


def test_an_overloaded_server_answers_503_at_once(make_db, tmp_path: Path) -> None:
    """Beyond the requests nginx lets in flight, the next one is refused at once, in German."""
    with (
        gunicorn(make_db("loaded"), tmp_path, workers=1) as app,
        nginx(tmp_path, [app.address], max_inflight=1) as proxy,
    ):
        host, port = proxy.address.split(":")
        # A request whose body is still arriving is in flight: it takes the one place.
        slow = socket.create_connection((host, int(port)))
        slow.sendall(
            b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nusername="
        )
        try:
            time.sleep(0.2)
            started = time.monotonic()
            refused = Browser(proxy.url).get("/")
            assert time.monotonic() - started < 2
            assert refused.status == 503
            assert "Gerade ist viel los" in refused.text and "noch einmal" in refused.text
            assert refused.headers.get("Retry-After") == "5"
            assert refused.headers.get("X-Upstream") is None  # no worker saw it
        finally:
            slow.close()
        time.sleep(0.2)
        assert Browser(proxy.url).get("/").status == 200
        assert "limiting connections" in (proxy.log.read_text())
