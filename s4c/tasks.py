from celery import shared_task


@shared_task(name="s4c.ping")
def ping(*, value: int) -> dict:
    """A round trip through the broker and a worker: used by tests and operators."""
    return {"pong": value}


@shared_task(name="s4c.relay_outbox")
def relay_outbox() -> int:
    from .outbox import relay

    return relay()
