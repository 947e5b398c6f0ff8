from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="hub.publish_scheduled")
def publish_scheduled() -> int:
    return services.publish_scheduled()


@shared_task(name="hub.check_links", soft_time_limit=30 * 60, time_limit=35 * 60)
def check_links() -> dict:
    return services.check_links(
        concurrency=settings.LINK_CHECK_CONCURRENCY, timeout=settings.LINK_CHECK_TIMEOUT
    )
