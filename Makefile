# Everything a fresh machine needs: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := quizapp
CHROMIUM ?= /usr/bin/chromium
## `make run PORT=8080 HOST=0.0.0.0` serves elsewhere (the development server).
PORT ?= 5000
HOST ?= 127.0.0.1

.PHONY: install install-dev db run serve serve-nginx nginx test test-postgres lint format check browser bench-generator bench-scale bench-load bench-import bench-login bench-capacity bench-requests clean

## What serving needs (requirements.txt) ...
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

## ... and, for tests, linters and benchmarks, requirements-dev.txt on top.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Migrate the database (SQLite in instance/ unless DATABASE_URL is set) and load the bank.
db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask bank load

run: db
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## Production server: gunicorn with 2 workers per core on 127.0.0.1:8000 (see gunicorn.conf.py).
serve: db
	$(BIN)/gunicorn --config gunicorn.conf.py

## gunicorn behind Debian's nginx (static files, keep-alive, buffered uploads) on
## http://127.0.0.1:8080 (NGINX_LISTEN=...); configuration in deploy/, see docs/SCALE-OUT.md.
serve-nginx: db nginx
	bash scripts/serve-nginx.sh

## Debian's nginx, for serve-nginx and the front-server tests.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx; \
	  else echo "The front-server tests need nginx: sudo apt-get install -y nginx" >&2; exit 1; fi; }

## Debian's Chromium for the browser tests (Playwright's own download does not work here).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev db browser nginx lint
	$(BIN)/flask db check
	$(BIN)/python -m pytest

## The whole suite again on PostgreSQL: TEST_DATABASE_URL, or Debian's server started on
## loopback by scripts/postgres-test-server.sh (needs root; installs PostgreSQL if missing).
test-postgres: install-dev browser nginx
	@url="$${TEST_DATABASE_URL:-$$(bash scripts/postgres-test-server.sh)}" && \
	  echo "PostgreSQL: $${url%%:*}://..." && \
	  TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest

bench-generator: install-dev
	$(BIN)/python -m bench.bench_generator

## Flashcard queries at 10k, 100k and 1M card states (about 4 min, 2.3 GB in build/bench/).
## A quick run: make bench-scale ARGS=--sizes=10000,100000
bench-scale: install-dev
	$(BIN)/python -m bench.bench_scale $(ARGS)

## gunicorn under 10, 50 and 100 simulated clients (about 6 min; see docs/BENCH-load.md).
## PostgreSQL: make bench-load ARGS=--database-url=postgresql+psycopg://USER:PW@127.0.0.1/postgres
bench-load: install-dev
	$(BIN)/python -m bench.bench_load $(ARGS)

## A 10,000-question GIFT import under gunicorn while 20 learners answer (about 1 min).
bench-import: install-dev
	$(BIN)/python -m bench.bench_import $(ARGS)

## The login throttle under a sustained guessing attack: the owner's success rate (about 3 min).
bench-login: install-dev
	$(BIN)/python -m bench.bench_login $(ARGS)

## What one learner request costs inside the app: ms and SQL statements per route (in-process,
## about 30 s; see docs/BENCH-capacity.md).
bench-requests: install-dev
	$(BIN)/python -m bench.bench_requests $(ARGS)

## Learners held at a brisk pace and the exam start, SQLite then PostgreSQL, through nginx
## (about 10-20 min; Locust drives the users; see docs/BENCH-capacity.md).
## A quick run: make bench-capacity ARGS="--steps 50,100 --step-seconds 10 --exam 50"
$(VENV)/.bench-installed: $(VENV)/.installed-dev requirements-bench.txt
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

bench-capacity: $(VENV)/.bench-installed nginx
	$(BIN)/python -m bench.bench_capacity $(ARGS)
	@url="$${TEST_DATABASE_URL:-$$(bash scripts/postgres-test-server.sh)}" && \
	  $(BIN)/python -m bench.bench_capacity --database-url "$$url" $(ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis test-artifacts
