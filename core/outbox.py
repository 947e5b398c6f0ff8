"""Enqueue Celery tasks without ever losing one (a transactional outbox).

`enqueue_on_commit("learning.send_acknowledgement", application_id=…)` writes the task into the
database inside the caller's transaction and sends it to the broker after commit. If the broker
is unreachable, nothing fails for the user: the row waits, and `relay_outbox` (Celery beat, or
`manage.py relay_outbox`) sends it when the broker is back. Tasks are idempotent and the message id
is derived from the row, so a task sent twice by a relay race has its effect once.

Handing a task to the broker is not doing it: a broker that loses messages (Redis restarted
without persistence, flushed, evicting under memory pressure) would lose e-mails for good. Each
task's success is recorded on its row (`completed_at`), and `redeliver` (the same beat task as
the relay) sends again the tasks of OUTBOX_REDELIVER_TASKS that the broker took more than
OUTBOX_REDELIVER_MINUTES ago and that never completed, up to OUTBOX_MAX_ATTEMPTS times.
"""

import logging
import socket
from datetime import timedelta
from urllib.parse import urlsplit

from celery import current_app as app
from celery import signals
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import OutboxTask
from core.outage import breaker

logger = logging.getLogger(__name__)
TASK_ID_PREFIX = "outbox-"


def _broker_breaker():
    location = urlsplit(app.conf.broker_url)  # named without its password
    return breaker(f"broker {location.hostname}:{location.port}{location.path}")


# How long a retry during an outage may wait for the broker's port to answer.
PROBE_SECONDS = 0.25


def _broker_answers() -> bool:
    """Whether the broker's port accepts a connection at all, within PROBE_SECONDS.

    During an outage, each retry is tried this way first: a refused connection costs nothing,
    while handing the task to Celery would cost redis-py's retries with their backoff (about 2 s
    of the request that happens to make the retry)."""
    location = urlsplit(app.conf.broker_url)
    if location.scheme not in {"redis", "rediss"}:
        return True
    try:
        socket.create_connection(
            (location.hostname or "localhost", location.port or 6379), timeout=PROBE_SECONDS
        ).close()
    except OSError:
        return False
    return True


def enqueue_on_commit(task_name: str, **kwargs) -> OutboxTask:
    row = OutboxTask.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: send(row_id=row.pk))
    return row


def send(*, row_id: int) -> bool:
    """Hand one outbox row to the broker (or run it in-process in eager mode).

    A broker that just failed is not tried again for REDIS_RETRY_SECONDS (core/outage.py): the
    row waits for the relay, the request does not wait for a connection timeout, and the outage
    is logged once, not once per task."""
    row = OutboxTask.objects.filter(pk=row_id, sent_at__isnull=True).first()
    if row is None:
        return False
    eager = app.conf.task_always_eager
    broker_state = None if eager else _broker_breaker()
    if broker_state is not None and not broker_state.allows():
        return False
    try:
        if broker_state is not None and broker_state.down and not _broker_answers():
            raise ConnectionError("the broker's port does not answer")  # an attempt, counted
        if eager:
            app.loader.import_default_modules()  # autodiscovery is lazy outside a worker
            app.tasks[row.task_name].apply(
                kwargs=row.kwargs, task_id=f"{TASK_ID_PREFIX}{row.pk}"
            ).get()
        else:
            # Nobody waits for the result (its success is recorded on the row): without
            # ignore_result the web process would subscribe to it in Redis, and log an ERROR a
            # second while Redis is down.
            app.send_task(
                row.task_name,
                kwargs=row.kwargs,
                task_id=f"{TASK_ID_PREFIX}{row.pk}",
                retry=False,
                ignore_result=True,
            )
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for the relay
        OutboxTask.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:500]
        )
        if eager:
            logger.warning("outbox task %s #%s not sent yet: %s", row.task_name, row.pk, exc)
        else:
            broker_state.failed(exc)
        return False
    if broker_state is not None:
        broker_state.succeeded()
    OutboxTask.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=row.attempts + 1)
    return True


def relay(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Send rows that were not sent at commit time; returns how many went out."""
    cutoff = timezone.now() - older_than
    pending = OutboxTask.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).values_list(
        "pk", flat=True
    )[:limit]
    return sum(send(row_id=row_id) for row_id in list(pending))


@signals.task_success.connect
def _mark_completed(sender=None, **kwargs) -> None:
    """A task sent from a row succeeded (in a worker, or in-process in eager mode)."""
    task_id = getattr(getattr(sender, "request", None), "id", None) or ""
    row_id = task_id.removeprefix(TASK_ID_PREFIX)
    if task_id.startswith(TASK_ID_PREFIX) and row_id.isdigit():
        OutboxTask.objects.filter(pk=int(row_id), completed_at__isnull=True).update(
            completed_at=timezone.now()
        )


def redeliver(*, older_than: timedelta | None = None, limit: int = 500) -> int:
    """Send again the tasks the broker took but that never completed; returns how many.

    Safe however often it runs: the message id is the row's, so a task that was only slow (still
    queued, or retrying) runs twice with its effect once; e-mails are keyed by a row committed
    with the sending (README, "Tasks run at least once")."""
    if older_than is None:
        older_than = timedelta(minutes=settings.OUTBOX_REDELIVER_MINUTES)
    cutoff = timezone.now() - older_than
    lost = list(
        OutboxTask.objects.filter(
            task_name__in=settings.OUTBOX_REDELIVER_TASKS,
            sent_at__lte=cutoff,
            completed_at__isnull=True,
            attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
        ).values_list("pk", "sent_at")[:limit]
    )
    sent = 0
    for row_id, sent_at in lost:
        # Back to "not sent": if the broker is down now, the relay sends it later.
        if OutboxTask.objects.filter(pk=row_id, sent_at=sent_at).update(sent_at=None):
            sent += send(row_id=row_id)
    if lost:
        logger.warning(
            "outbox: %s task(s) taken by the broker but not done after %s, sent again (%s sent)",
            len(lost),
            older_than,
            sent,
        )
    return sent
