"""GET /healthz: the state of the database, the cache and the Celery broker."""

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> str:
    # Connecting is bounded by DB_CONNECT_TIMEOUT (the connection's connect_timeout); the query
    # by a statement timeout local to its transaction, so a database that accepts connections
    # and never answers is still reported down in time.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)",
                [str(settings.HEALTH_STATEMENT_TIMEOUT_MS)],
            )
        # A table every migrated database has: the query waits on it like a page would (a
        # migration or VACUUM FULL holding it), which SELECT 1 alone would not show.
        cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    backend = caches["default"]
    client = getattr(backend, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis swallows errors (a cache that is down must not break pages), so ask
        # Redis itself.
        client.get_client(write=True).ping()
    else:
        backend.set("healthz", "ok", 5)
        if backend.get("healthz") != "ok":
            raise RuntimeError("cache did not return what was stored")
    return "ok"


# Seconds the broker check may take when the broker is down or silent: one attempt, no retry.
# A monitor polls /healthz every few seconds; each slow answer would hold a gunicorn worker.
BROKER_TIMEOUT = 0.5


def _check_broker() -> str:
    from celery import current_app as app

    if app.conf.task_always_eager:
        return "eager"  # no broker configured: tasks run in the web process
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_connect_timeout": BROKER_TIMEOUT,
        "socket_timeout": BROKER_TIMEOUT,
    }
    with app.connection_for_write(
        connect_timeout=BROKER_TIMEOUT, transport_options=options
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
        channel = conn.default_channel
        if hasattr(channel, "client"):  # Redis connects lazily: one round trip proves it answers
            channel.client.ping()
    return "ok"


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
def healthz(request):
    components = {}
    for name, check in CHECKS.items():
        try:
            components[name] = {"status": check()}
        except Exception as exc:  # noqa: BLE001 - any failure means that part is down
            components[name] = {"status": "down", "error": exc.__class__.__name__}
    down = sorted(name for name, state in components.items() if state["status"] == "down")
    body = {"status": "ok" if not down else "down", "down": down, "components": components}
    return JsonResponse(body, status=503 if down else 200)
