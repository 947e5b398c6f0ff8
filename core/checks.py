"""`manage.py check --deploy`: settings that would lose or duplicate work in production."""

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
