from celery import shared_task

from core.outbox import redeliver, relay


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
    return relay() + redeliver()
