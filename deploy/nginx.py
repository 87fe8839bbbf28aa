"""Render the nginx configuration that serves quizapp in front of gunicorn.

Two outputs from one template (``quizapp-site.conf.in``):

- the **site** (upstream + server block) for a system nginx: ``python -m deploy.nginx site
  --listen 80 --upstream 127.0.0.1:8000 > /etc/nginx/sites-available/quizapp``;
- a **standalone** main configuration that runs nginx in the foreground with everything
  (pid file, logs, temporary files) under one directory, for ``make serve-nginx`` and the tests:
  ``python -m deploy.nginx standalone --run-dir build/nginx ...`` writes
  ``build/nginx/nginx.conf`` and prints its path.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
STATIC = ROOT / "quizapp" / "static"
ERRORS = DEPLOY / "errors"
#: A little above the app's own limit (QUIZAPP_MAX_UPLOAD_BYTES, 2 MB): between the two the
#: app answers in German with what to do; beyond, nginx's German 413 page.
DEFAULT_MAX_BODY = "4m"
#: Requests in flight (worked on or queued for a worker) before nginx answers 503 at once: at
#: the roughly 250 requests/s two cores serve, about two seconds of queue (BENCH-capacity.md).
DEFAULT_MAX_INFLIGHT = 512
_ADDRESS = re.compile(r"^[A-Za-z0-9.\-\[\]:]+$")


def _checked(address: str, what: str) -> str:
    if not _ADDRESS.match(address):
        raise ValueError(f"{what}: not an address or port: {address!r}")
    return address


def render_site(
    listen: str,
    upstreams: Sequence[str],
    *,
    static_dir: Path = STATIC,
    errors_dir: Path = ERRORS,
    max_body: str = DEFAULT_MAX_BODY,
    max_inflight: int = DEFAULT_MAX_INFLIGHT,
    expose_upstream: bool = False,
) -> str:
    """Return the upstream and server block; ``expose_upstream`` adds an X-Upstream header
    naming the app server that answered (for tests and debugging, not for production)."""
    if not 1 <= int(max_inflight) <= 1_000_000:
        raise ValueError(f"max_inflight: not between 1 and 1000000: {max_inflight!r}")
    if not upstreams:
        raise ValueError("at least one upstream (gunicorn address) is needed")
    if not re.fullmatch(r"\d+[km]?", max_body):
        raise ValueError(f"max_body: not an nginx size: {max_body!r}")
    servers = "\n".join(
        f"    server {_checked(u, 'upstream')} max_fails=1 fail_timeout=10s;" for u in upstreams
    )
    debug = "        add_header X-Upstream $upstream_addr always;" if expose_upstream else ""
    template = (DEPLOY / "quizapp-site.conf.in").read_text(encoding="utf-8")
    values = {
        "@SERVERS@": servers,
        "@LISTEN@": _checked(listen, "listen"),
        "@MAX_BODY@": max_body,
        "@MAX_INFLIGHT@": str(int(max_inflight)),
        "@STATIC@": str(static_dir),
        "@ERRORS@": str(errors_dir),
        "@DEBUG@": debug,
    }
    for key, value in values.items():
        template = template.replace(key, value)
    return template


def render_standalone(site: str, run_dir: Path, *, workers: int = 1) -> str:
    """Return a main configuration running nginx in the foreground with ``site`` included;
    every file nginx writes lives in ``run_dir``."""
    run = run_dir.resolve()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {run / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Standalone nginx for quizapp on loopback, written by deploy/nginx.py.
{user}worker_processes {int(workers)};
daemon off;
pid {run / "nginx.pid"};
error_log {run / "error.log"} warn;

events {{
    worker_connections 4096;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {run / "access.log"};
    sendfile on;
    tcp_nopush on;
{temp}

{site}
}}
"""


def write_standalone(
    run_dir: Path,
    listen: str,
    upstreams: Sequence[str],
    *,
    workers: int = 1,
    max_inflight: int = DEFAULT_MAX_INFLIGHT,
    expose_upstream: bool = False,
) -> Path:
    """Write ``run_dir/nginx.conf`` (and the directories it needs); return its path."""
    run_dir.mkdir(parents=True, exist_ok=True)
    site = render_site(
        listen, upstreams, max_inflight=max_inflight, expose_upstream=expose_upstream
    )
    path = run_dir / "nginx.conf"
    path.write_text(render_standalone(site, run_dir, workers=workers), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.nginx", description=__doc__.split("\n")[0]
    )
    parser.add_argument("what", choices=("site", "standalone"))
    parser.add_argument("--listen", default="127.0.0.1:8080", help="address:port or port")
    parser.add_argument(
        "--upstream", action="append", help="a gunicorn address (repeat for several servers)"
    )
    parser.add_argument("--run-dir", type=Path, default=ROOT / "build" / "nginx")
    parser.add_argument("--workers", type=int, default=1, help="nginx worker processes")
    parser.add_argument(
        "--max-inflight",
        type=int,
        default=DEFAULT_MAX_INFLIGHT,
        help="requests in flight before nginx answers 503 at once",
    )
    args = parser.parse_args(argv)
    upstreams = args.upstream or ["127.0.0.1:8000"]
    try:
        if args.what == "site":
            sys.stdout.write(render_site(args.listen, upstreams, max_inflight=args.max_inflight))
        else:
            conf = write_standalone(
                args.run_dir,
                args.listen,
                upstreams,
                workers=args.workers,
                max_inflight=args.max_inflight,
            )
            print(conf)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
