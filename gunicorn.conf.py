"""gunicorn settings for `make serve`; every value can be overridden by environment variables."""

import multiprocessing
import os

wsgi_app = "quizapp:create_app()"
bind = os.environ.get("QUIZAPP_BIND", "127.0.0.1:8000")
# Requests are short and spend most of their time on the CPU (SQLite runs inside the
# workers): one worker per core, plus one to take over while another waits. Measured on two
# cores, 3 workers held as many learners as 4 with 3-5 % less CPU per request and shorter
# tails, on SQLite and PostgreSQL (docs/BENCH-capacity.md).
workers = int(os.environ.get("QUIZAPP_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("QUIZAPP_THREADS", "1"))
timeout = int(os.environ.get("QUIZAPP_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow forever; rarely, since a new worker
# imports the app (about 1 s of CPU) and 5,000 requests came round every two minutes per
# worker at 300 learners (docs/BENCH-capacity.md).
max_requests = int(os.environ.get("QUIZAPP_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# "-" logs each request to stdout; an empty value (or "off") turns the access log off.
accesslog = os.environ.get("QUIZAPP_ACCESS_LOG", "-").strip() or None
if accesslog is not None and accesslog.lower() in ("off", "none", "0"):
    accesslog = None
errorlog = "-"
loglevel = os.environ.get("QUIZAPP_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded the app, hide what is alive now (modules, compiled templates,
    the app) from the garbage collector: its full collections then scan only what requests
    create, instead of pausing a request for the whole heap now and then."""
    import gc

    gc.freeze()
