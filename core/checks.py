"""`manage.py check --deploy`: settings that would lose or duplicate work in production."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def task_and_lease_limits(**kwargs):  # app_configs: these are settings, not apps
    """A message whose worker vanished is handed out again after the broker's visibility timeout;
    a task that may run longer would then run twice at once (two link checks, two re-indexes)."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    visibility = options.get("visibility_timeout")
    longest = max(settings.CELERY_TASK_TIME_LIMIT, settings.TASK_LONG_TIME_LIMIT)
    if visibility is not None and visibility <= longest:
        return [
            checks.Error(
                f"CELERY_VISIBILITY_TIMEOUT ({visibility} s) is not longer than the longest task "
                f"time limit ({longest} s).",
                hint="Raise CELERY_VISIBILITY_TIMEOUT or lower TASK_LONG_TIME_LIMIT.",
                id="s4c.E001",
            )
        ]
    lease, post = (
        settings.WEBHOOK_LEASE_SECONDS,
        (settings.WEBHOOK_CONNECT_TIMEOUT + settings.WEBHOOK_READ_TIMEOUT),
    )
    if lease <= post:
        return [
            checks.Error(
                f"WEBHOOK_LEASE_SECONDS ({lease}) is not longer than one POST may take ({post} s).",
                hint="A second attempt would start while the first is still waiting.",
                id="s4c.E002",
            )
        ]
    return []


def _server(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"}:
        return None
    return parts.hostname or "localhost", parts.port or 6379


@checks.register(checks.Tags.caches, deploy=True)
def cache_apart_from_broker(**kwargs):
    """One Redis for both: its memory policy suits one of them only. Evicting, anonymous traffic
    filling the cache pushes queued tasks (e-mails, webhooks) out; never evicting, the cache
    fills it and the broker refuses new tasks."""
    location = settings.CACHES["default"].get("LOCATION")
    cache, broker = _server(location or ""), _server(settings.CELERY_BROKER_URL)
    if cache is not None and cache == broker:
        return [
            checks.Warning(
                f"The cache and the Celery broker share one Redis server ({cache[0]}:{cache[1]}).",
                hint="Give the cache its own instance (CACHE_REDIS_URL) with maxmemory and "
                "allkeys-lru, and the broker one with noeviction (docker-compose.yml, "
                "docs/deployment.md).",
                id="s4c.W001",
            )
        ]
    return []
