"""Real servers for tests: gunicorn on a test database, Debian's nginx in front, a browser-like
HTTP client. Everything listens on 127.0.0.1 only and is stopped when the test ends."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from deploy.nginx import write_standalone

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, describe: Callable[[], str], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up\n{describe()}")


@dataclass
class Server:
    """A running server process: its address, process and log file."""

    address: str
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def log_tail(self) -> str:
        return f"{self.log.name}:\n" + self.log.read_text(errors="replace")[-3000:]

    def kill_hard(self) -> None:
        """kill -9 the server and every process of its group (gunicorn's workers too)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def gunicorn(
    db_url: str, tmp: Path, *, workers: int = 2, name: str = "gunicorn", **env: str
) -> Iterator[Server]:
    """Run gunicorn with the project's gunicorn.conf.py on a free port."""
    address = f"127.0.0.1:{free_port()}"
    environ = dict(os.environ)
    environ.update(
        DATABASE_URL=db_url,
        QUIZAPP_BIND=address,
        QUIZAPP_WORKERS=str(workers),
        QUIZAPP_LOG_LEVEL="warning",
        QUIZAPP_ACCESS_LOG="off",
        QUIZAPP_INSTANCE=str(tmp / f"{name}-instance"),
    )
    environ.pop("SECRET_KEY", None)
    environ.update(env)
    log = tmp / f"{name}.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config",
             str(ROOT / "gunicorn.conf.py"), "--chdir", str(ROOT)],
            env=environ, stdout=subprocess.DEVNULL, stderr=stream, start_new_session=True,
        )  # fmt: skip
    server = Server(address, process, log)
    try:
        wait_until_up(server.url + "/healthz", server.log_tail)
        yield server
    finally:
        _stop(process)


@contextmanager
def nginx(
    tmp: Path, upstreams: list[str], *, expose_upstream: bool = True, **settings: Any
) -> Iterator[Server]:
    """Run Debian's nginx with the project's configuration in front of ``upstreams``
    (``settings``: more keyword arguments of ``deploy.nginx.write_standalone``)."""
    address = f"127.0.0.1:{free_port()}"
    run_dir = tmp / "nginx"
    conf = write_standalone(
        run_dir, address, upstreams, expose_upstream=expose_upstream, **settings
    )
    log = run_dir / "error.log"
    check = subprocess.run(
        [NGINX, "-t", "-q", "-e", str(log), "-c", str(conf)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [NGINX, "-e", str(log), "-c", str(conf)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    server = Server(address, process, log)
    try:
        wait_until_up(server.url + "/static/style.css", server.log_tail)
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class Response:
    status: int
    text: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


class Browser:
    """A tiny HTTP client with cookies that fills in the CSRF token like a browser would."""

    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        self.base = base
        self.extra = headers or {}
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.upstreams: set[str] = set()  # X-Upstream of every answer (nginx in debug mode)

    def _open(self, path: str, body: bytes | None) -> Response:
        request = urllib.request.Request(self.base + path, body, headers=self.extra)
        try:
            with self.opener.open(request, timeout=15) as answer:
                result = Response(answer.status, answer.read().decode(), answer.url,
                                  dict(answer.headers))  # fmt: skip
        except urllib.error.HTTPError as error:
            result = Response(error.code, error.read().decode(), path, dict(error.headers))
        if "X-Upstream" in result.headers:
            self.upstreams.add(result.headers["X-Upstream"])
        return result

    def get(self, path: str) -> Response:
        return self._open(path, None)

    def token(self, page: str) -> str:
        found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert found, page[:500]
        return found.group(1)

    def post(self, path: str, data: dict, token_from: str) -> Response:
        token = self.token(self.get(token_from).text)
        body = urllib.parse.urlencode({**data, "csrf_token": token}, doseq=True).encode()
        return self._open(path, body)


class _FormFields(HTMLParser):
    """Collect the fields of the form posting to ``action``: radios, checkboxes, text inputs
    and selects with their option values."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, list[str]] = {}  # name -> candidate values, in page order
        self.kinds: dict[str, str] = {}
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action", "") == self.action
        elif self.inside and tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else "text"
            if kind in ("hidden", "submit"):
                return
            self.kinds[a["name"]] = kind
            self.fields.setdefault(a["name"], []).append(a.get("value", ""))
        elif self.inside and tag == "select":
            self.select = a.get("name")
            self.kinds[self.select or ""] = "select"
            self.fields.setdefault(self.select or "", [])
        elif self.inside and tag == "option" and self.select and a.get("value"):
            self.fields[self.select].append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def some_answer(page: str, action: str) -> dict[str, str]:
    """Return a well-formed (not necessarily right) answer to the question form on ``page``:
    the first option of a choice, "1905" for a text, the k-th option for the k-th dropdown
    (so that rankings are a permutation)."""
    parser = _FormFields(action)
    parser.feed(page)
    data: dict[str, str] = {}
    selects = 0
    for name, values in parser.fields.items():
        kind = parser.kinds[name]
        if kind in ("radio", "checkbox"):
            data[name] = values[0]
        elif kind == "select":
            data[name] = values[selects % len(values)]
            selects += 1
        else:
            data[name] = "1905"
    return data
