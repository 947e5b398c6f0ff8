from celery import shared_task


@shared_task(name="s4c.ping")
def ping(*, value: int) -> dict:
    """A round trip through the broker and a worker: used by tests and operators. No effect."""
    return {"pong": value}


@shared_task(name="s4c.relay_outbox")
def relay_outbox() -> int:
    """Safe twice: a row is marked sent once handed to the broker; two relays racing may both
    hand it over, with the same row-derived message id, and the tasks themselves are
    idempotent (each says why), so the effect still happens once. The same holds for tasks
    sent again because the broker lost them (`redeliver`)."""
    from .outbox import redeliver, relay

    return relay() + redeliver()


@shared_task(name="s4c.deliver_webhook")
def deliver_webhook(*, delivery_id: int) -> str:
    """One attempt of a webhook delivery (it schedules the next one itself if needed)."""
    from .webhooks import attempt

    return attempt(delivery_id=delivery_id)


@shared_task(name="s4c.retry_webhooks")
def retry_webhooks() -> int:
    """Webhook attempts that are due but were never scheduled (the broker was down)."""
    from .webhooks import retry_due

    return retry_due()


@shared_task(name="s4c.prune_webhooks")
def prune_webhooks() -> int:
    """The delivery log keeps WEBHOOK_LOG_DAYS days of finished deliveries."""
    from .webhooks import prune

    return prune()


@shared_task(name="s4c.sweep_changes", ignore_result=True)
def sweep_changes() -> int:
    """Safe twice: each captured row is claimed (deleted) by the flush that records it, and a
    representation already recorded emits nothing again."""
    from .api.capture import sweep

    return sweep()
