#!/usr/bin/env bash
# The realistic load mix (benchmarks/locustfile.py) against gunicorn + PostgreSQL + Redis in
# production mode, on loopback only, bounded in time. Prints locust's table and writes CSVs to
# benchmarks/results/.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/s4c_hubbench REDIS_URL=redis://127.0.0.1:6379/8 \
#     bash benchmarks/load_test.sh [USERS=50] [DURATION=5m]
#
# The database must hold the data set to measure (load_south4care, then
# `generate_hub_data --count 100000`). locust comes with `pip install -e '.[bench]'`.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-50}
DURATION=${DURATION:-5m}
PORT=${PORT:-8078}
WORKERS=${WORKERS:-4}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to measure}"
: "${REDIS_URL:?set REDIS_URL (the cache and broker, as in production)}"
export DEBUG=false SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_urlsafe(64))")
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false S4C_ENV_FILE=/dev/null
export LOG_LEVEL=WARNING REQUEST_LOG_LEVEL=WARNING
# Every simulated user comes from 127.0.0.1: the per-client API throttle would answer them all
# 429 as one client. Partners get their own limits through API keys; here it is lifted.
export API_ANON_RATE=${API_ANON_RATE:-1000000/minute}

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn s4c.wsgi:application --bind 127.0.0.1:$PORT --workers "$WORKERS" \
  --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

mkdir -p benchmarks/results
.venv/bin/locust -f benchmarks/locustfile.py --headless -u "$USERS" -r 10 -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv benchmarks/results/load --only-summary
