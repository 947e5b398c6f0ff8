#!/usr/bin/env bash
# Fault drill: PostgreSQL restarts while gunicorn serves the portal. The portal must recover by
# itself (no app restart) within seconds. Prints the outage window seen by clients.
#
#   bash benchmarks/fault_postgres_restart.sh
#
# Needs the local PostgreSQL cluster (pg_ctlcluster) and the project's .venv. Traffic goes to
# 127.0.0.1 only; the loop is bounded (60 s).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8077}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/s4c_fault}
export DEBUG=false SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_urlsafe(64))")
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false S4C_ENV_FILE=/dev/null LOG_LEVEL=WARNING REQUEST_LOG_LEVEL=WARNING

psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='s4c_fault'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres s4c_fault
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_south4care >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0

.venv/bin/gunicorn s4c.wsgi:application --bind 127.0.0.1:$PORT --workers 2 --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

cluster=$(ls /etc/postgresql | head -n1)
start=$(date +%s.%N)
( sleep 3; pg_ctlcluster --skip-systemctl-redirect "$cluster" main restart ) &
first_error="" last_error="" ok=0 failed=0
end=$(( $(date +%s) + 20 ))
while [ "$(date +%s)" -lt "$end" ]; do
  now=$(date +%s.%N)
  # A new query string each time: the page cache cannot answer, every request reads the database.
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/en/hub/?q=care&n=$RANDOM" || echo 000)
  if [ "$code" = 200 ]; then ok=$((ok+1)); else
    failed=$((failed+1)); [ -z "$first_error" ] && first_error=$now; last_error=$now; fi
  sleep 0.1
done
health=$(curl -s "http://127.0.0.1:$PORT/healthz")
echo "requests ok=$ok failed=$failed"
if [ -n "$first_error" ]; then
  python3 -c "print(f'outage seen by clients: {float($last_error) - float($first_error):.2f} s')"
fi
echo "health after the drill: $health"
echo "$health" | grep -q '"database": {"status": "ok"}'
