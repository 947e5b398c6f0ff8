"""Webhooks: each change of a public object, POSTed to the partners' endpoints, signed.

The change feed (partners/changes.py) calls `emit` in the change's own transaction: the event and
one delivery per endpoint that wants that kind are written with the change, and the first attempt
is queued through the outbox (core/outbox.py), so a change that rolls back sends nothing and a
broker that is down only delays the delivery.

Each attempt POSTs the same JSON body with the same `X-S4C-Event-Id` (the idempotency key), a fresh
`X-S4C-Timestamp` and `X-S4C-Signature: sha256=<hex>`, the HMAC-SHA256 of `timestamp + "." + body`
under the endpoint's secret. 2xx: delivered. 408, 429, 5xx, timeouts and connection errors: retried
after a delay that doubles each time, up to WEBHOOK_MAX_ATTEMPTS. Any other answer: given up.
Every attempt is logged (WebhookAttempt) and visible in the admin.
"""

import hashlib
import hmac
import http.client
import json
import logging
import random
import time
import uuid
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.links import absolute_url
from core.outbox import enqueue_on_commit
from partners.addresses import AddressRefused, connect_to, deliverable_addresses
from partners.models import (
    WEBHOOK_PRIVATE_ADDRESS_REFUSAL,
    ChangeEvent,
    FeedEpoch,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    webhook_url_refusal,
)

logger = logging.getLogger(__name__)

TASK = "s4c.deliver_webhook"
USER_AGENT = "South-4-Care webhooks (+https://www.ilo.org)"
# The sweep leaves a due delivery this long to the message already scheduled for it.
SWEEP_GRACE = timedelta(seconds=30)


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def emit(*, change: ChangeEvent) -> WebhookEvent | None:
    """Write the webhook event of `change` and its deliveries (call inside the change's transaction)."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if e.wants(change.kind)]
    if not endpoints:
        return None
    event = WebhookEvent.objects.create(
        id=uuid.uuid4(),
        kind=change.kind,
        object_id=change.object_id,
        action=change.action,
        changed_at=change.changed_at,
        cursor=change.pk,
    )
    now = timezone.now()
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            event=event, endpoint=endpoint, next_attempt_at=now
        )
        enqueue_on_commit(TASK, delivery_id=delivery.pk)
    return event


def body_of(event: WebhookEvent) -> bytes:
    """The JSON body, identical on every attempt: the change, as in the change feed, and its URL.

    The cursor names the feed's current epoch: a restore between two attempts (which brings the
    event back with the backup, under the same id) makes it the new epoch's cursor of that event."""
    try:
        path = reverse(f"api:{event.kind}-detail", args=[event.object_id])
        url = absolute_url(path)
    except NoReverseMatch:
        url = None
    epoch = FeedEpoch.current()
    payload = {
        "event_id": str(event.id),
        "type": event.kind,
        "id": event.object_id,
        "action": event.action,
        "changed_at": event.changed_at.isoformat().replace("+00:00", "Z"),
        "cursor": FeedEpoch.cursor(epoch=epoch, event_id=event.cursor),
        "epoch": epoch,
        "url": url,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def retry_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, …): doubling, capped, jittered.

    Between half and all of the doubled delay ("equal jitter"): the deliveries that failed
    together when a partner went down are not all retried in the same second when it comes back.
    """
    ceiling = min(
        settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1), settings.WEBHOOK_RETRY_MAX_SECONDS
    )
    return ceiling / 2 + random.random() * ceiling / 2  # noqa: S311 - spacing, not secrecy


def _post(url: str, body: bytes, headers: dict) -> int:
    """POST with separate connect and read timeouts; never follows redirects. Returns the status.

    The host is resolved here, its addresses checked (AddressRefused: an internal address, see
    partners/addresses.py) and only those addresses connected to."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    addresses = deliverable_addresses(
        parts.hostname, port, refusal=str(WEBHOOK_PRIVATE_ADDRESS_REFUSAL)
    )
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    connection = connection_class(parts.hostname, port, timeout=settings.WEBHOOK_CONNECT_TIMEOUT)
    connection._create_connection = connect_to(addresses, port)  # noqa: SLF001 - http.client's hook
    try:
        connection.connect()
        connection.sock.settimeout(settings.WEBHOOK_READ_TIMEOUT)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # the answer is not used: read a bounded part of it
        return response.status
    finally:
        connection.close()


def _retryable(status_code: int | None) -> bool:
    return (
        status_code is None
        or status_code in (HTTPStatus.REQUEST_TIMEOUT, HTTPStatus.TOO_MANY_REQUESTS)
        or status_code >= HTTPStatus.INTERNAL_SERVER_ERROR
    )


def attempt(*, delivery_id: int) -> str:
    """Make the next attempt of a delivery if it is due; returns what became of the delivery.

    Claiming the attempt is one conditional UPDATE, so a message delivered twice, or a sweep racing
    a scheduled retry, never makes two attempts at once.
    """
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(
        # The lease: a worker killed mid-attempt leaves the delivery due again once it is over,
        # and the sweep (retry_due) attempts it then; until then no one else attempts it.
        next_attempt_at=now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "not due"
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint, event, number = delivery.endpoint, delivery.event, delivery.attempts

    status_code, error, refused = None, "", False
    started = time.monotonic()
    refusal = webhook_url_refusal(endpoint.url, check_addresses=False)  # _post checks them
    if not endpoint.is_active:
        error, refused = "endpoint deactivated", True
    elif refusal:
        error, refused = f"refused: {refusal}", True
    else:
        body = body_of(event)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-S4C-Event-Id": str(event.id),
            "X-S4C-Timestamp": timestamp,
            "X-S4C-Signature": sign(secret=endpoint.secret, timestamp=timestamp, body=body),
            "X-S4C-Attempt": str(number),
        }
        try:
            status_code = _post(endpoint.url, body, headers)
        except AddressRefused as exc:
            error, refused = f"refused: {exc}", True
        except (OSError, http.client.HTTPException) as exc:  # timeouts are OSErrors
            error = f"{exc.__class__.__name__}: {exc}"
    duration_ms = round((time.monotonic() - started) * 1000)
    finished = timezone.now()

    # A 2xx: delivered.
    if status_code is not None and HTTPStatus.OK <= status_code < HTTPStatus.MULTIPLE_CHOICES:
        outcome = "delivered"
    elif refused or not _retryable(status_code) or number >= settings.WEBHOOK_MAX_ATTEMPTS:
        outcome = "failed"
    else:
        outcome = "retry"
    delay = retry_delay(number)
    update = {
        "delivered": {
            "status": WebhookDelivery.Status.DELIVERED,
            "delivered_at": finished,
            "next_attempt_at": None,
        },
        "failed": {"status": WebhookDelivery.Status.FAILED, "next_attempt_at": None},
        "retry": {"next_attempt_at": finished + timedelta(seconds=delay)},
    }[outcome]

    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            attempted_at=finished,
            status_code=status_code,
            error=error[:500],
            duration_ms=duration_ms,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**update)
    logger.info(
        "webhook %s to %s attempt %s: %s (%s)",
        event.id,
        endpoint.url,
        number,
        outcome,
        status_code or error,
    )
    if outcome == "retry":
        _schedule(delivery_id=delivery.pk, countdown=delay)
    return outcome


def _schedule(*, delivery_id: int, countdown: float) -> None:
    """Ask the broker for the next attempt after `countdown` seconds.

    Without a worker (eager mode) or without a broker, the sweep (`retry_due`, run by beat with the
    outbox relay, and by `manage.py relay_outbox`) makes the attempt once it is due.
    """
    from celery import current_app as app

    if app.conf.task_always_eager:
        return
    try:
        app.send_task(TASK, kwargs={"delivery_id": delivery_id}, countdown=countdown, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure is left to the sweep
        logger.warning("webhook delivery #%s: retry not scheduled yet: %s", delivery_id, exc)


def retry_due(*, grace: timedelta = SWEEP_GRACE, limit: int = 500) -> int:
    """Attempt pending deliveries that are overdue by more than `grace`; returns how many."""
    from celery import current_app as app

    cutoff = timezone.now() - grace
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=cutoff
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for delivery_id in due:
        if app.conf.task_always_eager:
            attempt(delivery_id=delivery_id)
        else:
            try:
                app.send_task(TASK, kwargs={"delivery_id": delivery_id}, retry=False)
            except Exception as exc:  # noqa: BLE001 - the broker is down: the next sweep retries
                logger.warning("webhook sweep stopped, broker unreachable: %s", exc)
                break
        sent += 1
    return sent


def prune(*, older_than: timedelta | None = None) -> int:
    """Delete events (with their deliveries and attempt logs) older than WEBHOOK_LOG_DAYS whose
    deliveries are all finished; returns how many events were deleted."""
    age = older_than if older_than is not None else timedelta(days=settings.WEBHOOK_LOG_DAYS)
    old = WebhookEvent.objects.filter(changed_at__lt=timezone.now() - age).exclude(
        deliveries__status=WebhookDelivery.Status.PENDING
    )
    ids = list(old.values_list("pk", flat=True)[:5000])
    WebhookEvent.objects.filter(pk__in=ids).delete()
    return len(ids)
