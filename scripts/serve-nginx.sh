#!/usr/bin/env bash
# `make serve-nginx`: gunicorn on 127.0.0.1:8000 behind Debian's nginx on $NGINX_LISTEN
# (default 127.0.0.1:8080). nginx serves the static files, keeps connections alive and
# buffers uploads; the app trusts exactly one proxy (QUIZAPP_PROXY_COUNT=1). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

listen="${NGINX_LISTEN:-127.0.0.1:8080}"
app="${QUIZAPP_BIND:-127.0.0.1:8000}"
run_dir="build/nginx"
command -v nginx >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
command -v nginx >/dev/null 2>&1 || { echo "nginx is not installed: apt-get install -y nginx" >&2; exit 1; }

QUIZAPP_PROXY_COUNT=1 QUIZAPP_BIND="$app" .venv/bin/gunicorn --config gunicorn.conf.py &
gunicorn_pid=$!
trap 'kill "$gunicorn_pid" 2>/dev/null; wait "$gunicorn_pid" 2>/dev/null' EXIT INT TERM

conf="$(.venv/bin/python -m deploy.nginx standalone --listen "$listen" --upstream "$app" --run-dir "$run_dir")"
nginx -t -q -e "$run_dir/error.log" -c "$PWD/$conf"
echo "quizapp behind nginx: http://$listen/ (app server $app)"
nginx -e "$run_dir/error.log" -c "$PWD/$conf"
