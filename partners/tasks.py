from celery import shared_task

from partners.webhooks import attempt, prune, retry_due

from .capture import sweep

# The task names keep their "s4c." prefix from before this app was split out: queued tasks and
# outbox rows written by an earlier release name them.


@shared_task(name="s4c.deliver_webhook")
def deliver_webhook(*, delivery_id: int) -> str:
    """One attempt of a webhook delivery (it schedules the next one itself if needed)."""
    return attempt(delivery_id=delivery_id)


@shared_task(name="s4c.retry_webhooks")
def retry_webhooks() -> int:
    """Webhook attempts that are due but were never scheduled (the broker was down)."""
    return retry_due()


@shared_task(name="s4c.prune_webhooks")
def prune_webhooks() -> int:
    """The delivery log keeps WEBHOOK_LOG_DAYS days of finished deliveries."""
    return prune()


@shared_task(name="s4c.sweep_changes", ignore_result=True)
def sweep_changes() -> int:
    """Safe twice: each captured row is claimed (deleted) by the flush that records it, and a
    representation already recorded emits nothing again."""
    return sweep()
