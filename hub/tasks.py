from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from core.permissions import SCHEDULER

from . import services

# The long tasks' limits (settings), read when the tasks are declared.
LONG = {
    "soft_time_limit": settings.TASK_LONG_SOFT_TIME_LIMIT,
    "time_limit": settings.TASK_LONG_TIME_LIMIT,
}


@shared_task(name="hub.publish_scheduled")
def publish_scheduled() -> int:
    """Safe twice: only resources still in review and due are published, each under a row lock
    (resource_transition re-reads it and does nothing when it is already published)."""
    return services.publish_scheduled(actor=SCHEDULER)


@shared_task(name="hub.check_links", **LONG)
def check_links() -> dict:
    """Safe twice: each check overwrites a resource's link status with what it found (no history
    row, no e-mail), so a second run only refreshes the same fields."""
    return services.check_links(
        actor=SCHEDULER,
        concurrency=settings.LINK_CHECK_CONCURRENCY,
        timeout=settings.LINK_CHECK_TIMEOUT,
    )


# A re-index that meets a lock timeout or a dropped connection is tried again (each run
# recomputes from what is stored, so a retry is as good as the first run).
REINDEX_RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="hub.reindex_resources", **LONG, **REINDEX_RETRY)
def reindex_resources(*, ids: list[int]) -> int:
    """Safe twice: as hub.reindex_theme, each resource's data is recomputed from what is stored."""
    return services.reindex_resources(ids=ids, actor=SCHEDULER)


@shared_task(name="hub.reindex_theme", **LONG, **REINDEX_RETRY)
def reindex_theme(*, theme_id: int) -> int:
    """Safe twice: each resource's search data is recomputed from what is stored when the task
    runs, so a second run (or a run after a second rename) writes the same data."""
    return services.theme_reindex(theme_id=theme_id, actor=SCHEDULER)
