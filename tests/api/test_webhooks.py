"""Webhooks: signed POSTs to a real local HTTP server, retries, give-ups, the outbox and a real worker."""

import hashlib
import hmac
import json
import re
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import OutboxTask
from core.outbox import relay
from core.permissions import SYSTEM
from hub import services as hub_services
from hub.models import Resource
from partners.models import (
    ChangeEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    webhook_url_refusal,
)
from partners.webhooks import prune, retry_delay, retry_due
from s4c.celery import app as celery_app
from tests.conftest import reset_celery_pools

SECRET = "a-partner-secret-of-at-least-thirty-two-characters"


class Receiver:
    """A partner's endpoint on 127.0.0.1: answers the given statuses in turn, records each request."""

    def __init__(self, statuses, *, delay=0.0, hold_first=False):
        self.statuses, self.delay, self.requests = list(statuses), delay, []
        # hold_first: the first request is held unanswered (`held` is set) until `release`, then
        # dropped without an answer (kept in `dropped`, not in `requests`).
        self.hold_first, self.held, self.release = hold_first, threading.Event(), threading.Event()
        self.dropped = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                if receiver.hold_first and not receiver.held.is_set():
                    receiver.dropped.append({"headers": dict(self.headers)})
                    receiver.held.set()
                    receiver.release.wait(60)
                    self.close_connection = True
                    return
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"at": time.monotonic(), "headers": dict(self.headers), "body": body}
                )
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/s4c?source=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory():
    receivers = []

    def make(statuses=(200,), **kwargs):
        receivers.append(Receiver(statuses, **kwargs))
        return receivers[-1]

    yield make
    for receiver in receivers:
        receiver.stop()


@pytest.fixture(autouse=True)
def _fast_webhooks(settings):
    settings.WEBHOOK_ALLOW_HTTP = True  # the local receiver is plain http
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # on 127.0.0.1
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.2
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOK_READ_TIMEOUT = 1.0


def _endpoint(receiver, **fields):
    fields.setdefault("kinds", ["resource"])
    fields.setdefault("url", receiver.url)
    return WebhookEndpoint.objects.create(
        name="ILO Global Care Policy Portal", organisation="ILO", secret=SECRET, **fields
    )


def _publish(title="Care leave policies") -> Resource:
    """A new resource published by a reviewer's services, in one transaction (as the admin does)."""
    with transaction.atomic():
        resource = Resource(title_en=title, resource_type="publication", publication_year=2025)
        hub_services.resource_save(resource=resource, actor=SYSTEM, languages=["en"])
        hub_services.resource_publish(resource=resource, actor=SYSTEM)
    return resource


def _independent_check(request, secret: str) -> dict:
    """The receiver's side, written without s4c's code: HMAC-SHA256 of `timestamp.body`."""
    headers, body = request["headers"], request["body"]
    expected = hmac.new(
        secret.encode(), headers["X-S4C-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-S4C-Signature"] == f"sha256={expected}"
    assert abs(time.time() - int(headers["X-S4C-Timestamp"])) < 60
    assert headers["Content-Type"] == "application/json"
    return json.loads(body)


def _readme_verify():
    """The receiver-side snippet of the README, run as documented."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    [snippet] = re.findall(r"```python\n(# Verifying an s4c webhook.*?)```", readme, re.S)
    namespace = {}
    exec(snippet, namespace)  # noqa: S102 - our own README
    return namespace["verify_s4c_webhook"]


@pytest.mark.django_db(transaction=True)
def test_publish_and_unpublish_post_signed_events_a_partner_can_verify(
    receiver_factory, eager_tasks
):
    receiver = receiver_factory([200, 200])
    _endpoint(receiver)

    resource = _publish()
    with transaction.atomic():
        hub_services.resource_archive(resource=resource, actor=SYSTEM)

    upsert, delete = receiver.requests
    changes = list(ChangeEvent.objects.filter(kind="resource").order_by("id"))
    assert [c.action for c in changes] == ["upsert", "delete"]
    for request, change in zip((upsert, delete), changes, strict=True):
        event = WebhookEvent.objects.get(cursor=change.pk)
        assert request["headers"]["X-S4C-Event-Id"] == str(event.id)
        assert _independent_check(request, SECRET) == {
            "event_id": str(event.id),
            "type": "resource",
            "id": resource.identifier,
            "action": change.action,
            "changed_at": change.changed_at.isoformat().replace("+00:00", "Z"),
            "cursor": str(change.pk),
            "epoch": 1,
            "url": f"http://localhost:8000/api/v1/resources/{resource.identifier}/",
        }
    # The README's verification function accepts a genuine request and refuses tampering and age.
    verify = _readme_verify()
    headers = upsert["headers"]
    assert verify(SECRET, headers, upsert["body"]) is True
    assert verify(SECRET, headers, upsert["body"].replace(b"upsert", b"delete")) is False
    assert verify("another-secret", headers, upsert["body"]) is False
    old = {**headers, "X-S4C-Timestamp": str(int(time.time()) - 301)}
    old["X-S4C-Signature"] = (
        "sha256="
        + hmac.new(
            SECRET.encode(), old["X-S4C-Timestamp"].encode() + b"." + upsert["body"], hashlib.sha256
        ).hexdigest()
    )
    assert verify(SECRET, old, upsert["body"]) is False
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("delivered", 1)}
    assert list(WebhookAttempt.objects.values_list("status_code", "error")) == [(200, "")] * 2


@pytest.mark.django_db(transaction=True)
def test_failures_are_retried_with_growing_delays_and_the_same_event_id(
    receiver_factory, eager_tasks
):
    receiver = receiver_factory([500, 503, 200])
    _endpoint(receiver)

    _publish()
    delivery = WebhookDelivery.objects.get()
    deadline = time.monotonic() + 10
    while delivery.status == "pending" and time.monotonic() < deadline:
        time.sleep(0.02)
        retry_due(grace=timedelta(0))  # what beat and `manage.py relay_outbox` run
        delivery.refresh_from_db()

    assert delivery.status == "delivered"
    assert delivery.attempts == 3
    first, second, third = receiver.requests
    # Base 0.2 s, doubling, with equal jitter: at least 0.1 s, then 0.2 s.
    assert first["at"] + 0.1 <= second["at"]
    assert second["at"] + 0.2 <= third["at"]
    assert {r["headers"]["X-S4C-Event-Id"] for r in receiver.requests} == {str(delivery.event_id)}
    assert [r["headers"]["X-S4C-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
    assert first["body"] == second["body"] == third["body"]
    for request in receiver.requests:
        _independent_check(request, SECRET)
    log = list(delivery.attempt_log.values_list("number", "status_code", "error"))
    assert log == [(1, 500, ""), (2, 503, ""), (3, 200, "")]


@pytest.mark.parametrize("status", [410, 400])
@pytest.mark.django_db(transaction=True)
def test_a_receiver_refusing_the_event_is_not_retried(receiver_factory, eager_tasks, status):
    receiver = receiver_factory([status, 200])
    _endpoint(receiver)

    _publish()
    time.sleep(0.3)

    assert retry_due(grace=timedelta(0)) == 0
    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 1, None)
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [status]
    # The log keeps finished deliveries for WEBHOOK_LOG_DAYS.
    assert prune() == 0
    assert prune(older_than=timedelta(0)) == 1
    assert (WebhookEvent.objects.count(), WebhookAttempt.objects.count()) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_timeouts_are_retried_up_to_the_attempt_limit(receiver_factory, eager_tasks, settings):
    settings.WEBHOOK_READ_TIMEOUT = 0.2
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver = receiver_factory([200, 200], delay=0.5)
    _endpoint(receiver)

    _publish()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert prune(older_than=timedelta(0)) == 0  # still being delivered
    time.sleep(0.25)
    assert retry_due(grace=timedelta(0)) == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    errors = list(delivery.attempt_log.values_list("status_code", "error"))
    assert [code for code, _error in errors] == [None, None]
    assert all("timed out" in error for _code, error in errors)
    assert all(a.duration_ms < 1000 for a in delivery.attempt_log.all())


@pytest.mark.django_db(transaction=True)
def test_the_event_is_written_in_the_changes_transaction(receiver_factory, eager_tasks):
    receiver = receiver_factory([200])
    _endpoint(receiver)

    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 - the raise inside the atomic block is what rolls it back
        _publish("Rolled back")
        raise RuntimeError("the curator's change failed")
    assert (WebhookEvent.objects.count(), ChangeEvent.objects.count()) == (0, 0)
    assert (WebhookDelivery.objects.count(), OutboxTask.objects.count()) == (0, 0)
    assert Resource.objects.count() == 0

    # A part of a transaction that rolls back (a savepoint) emits nothing either.
    with transaction.atomic():
        Resource.objects.create(
            title_en="Draft", resource_type="publication", publication_year=2025
        )
        with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 - the raise inside the atomic block is what rolls it back
            _publish("Rolled back savepoint")
            raise RuntimeError("this part failed")
    assert (WebhookEvent.objects.count(), ChangeEvent.objects.count()) == (0, 0)

    # The first thing to run after the commit already sees the event: it committed with the change.
    seen = []
    with transaction.atomic():
        transaction.on_commit(lambda: seen.append(WebhookEvent.objects.count()))
        _publish("Committed")
    assert seen == [1]
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_only_http_urls_and_in_production_only_https(settings):
    endpoint = WebhookEndpoint(name="x", organisation="y", url="ftp://127.0.0.1/x", secret=SECRET)
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert error.value.message_dict == {"url": ["A webhook URL must be an http(s) address."]}
    settings.WEBHOOK_ALLOW_HTTP = False
    endpoint.url = "http://partner.example.org/hooks"
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert error.value.message_dict == {"url": ["A webhook URL must use https."]}
    endpoint.url = "https://partner.example.org/hooks"
    endpoint.full_clean()


PRIVATE_REFUSAL = (
    "A webhook URL must not lead to a loopback, private, link-local or reserved address."
)


@pytest.fixture
def resolver(monkeypatch):
    """Names resolved as the test says (no DNS): {host: [addresses]}; an address is itself."""
    import socket

    names: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (a, port),
                )
                for a in names[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:8743/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://100.64.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://[::1]/hooks",
        "https://[fe80::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://2130706433/hooks",  # 127.0.0.1 written as a number
        "https://localhost/hooks",
        "https://internal.partner.example/hooks",  # resolves to a private address
        "https://mixed.partner.example/hooks",  # one public address and one private
    ],
)
def test_in_production_endpoints_to_internal_addresses_are_refused(settings, resolver, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    resolver["localhost"] = ["127.0.0.1", "::1"]
    resolver["internal.partner.example"] = ["10.0.0.7"]
    resolver["mixed.partner.example"] = ["93.184.216.34", "172.16.0.9"]
    endpoint = WebhookEndpoint(name="x", organisation="y", url=url, secret=SECRET)
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert PRIVATE_REFUSAL in error.value.message_dict["url"]
    # The refusal stands even where Django's URL check passes a URL it would not parse.
    assert str(webhook_url_refusal(url)) == PRIVATE_REFUSAL
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # debug mode, a local receiver
    assert webhook_url_refusal(url) is None


@pytest.mark.django_db
def test_public_endpoints_and_names_that_do_not_resolve_yet_are_accepted(settings, resolver):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    resolver["care-policy.example.org"] = ["93.184.216.34", "2606:2800:220:1::1"]
    for url in (
        "https://care-policy.example.org/hooks",
        "https://93.184.216.34:8443/hooks",
        "https://unresolvable.invalid/hooks",  # checked again at each delivery
    ):
        WebhookEndpoint(name="x", organisation="y", url=url, secret=SECRET).full_clean()
    # A label the IDNA codec refuses does not resolve either (Django's URL check refuses it).
    assert webhook_url_refusal(f"https://{'x' * 64}.example/hooks") is None


@pytest.mark.django_db
def test_the_admin_refuses_an_internal_endpoint_in_the_pages_language(client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    client.force_login(User.objects.create_superuser("root", "root@example.org", "a-long-pw-123"))
    form = {
        "name": "Probe",
        "organisation": "ILO",
        "url": "https://169.254.169.254/latest/meta-data/",
        "secret": SECRET,
        "kinds": ["resource"],
        "is_active": "on",
    }
    refused = client.post("/ar/admin/partners/webhookendpoint/add/", form)
    assert refused.status_code == 200
    assert "لا يجوز أن يؤدي عنوان خطاف الويب إلى عنوان" in refused.content.decode()
    refused = client.post("/en/admin/partners/webhookendpoint/add/", form)
    assert PRIVATE_REFUSAL in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_name_that_resolves_to_an_internal_address_at_delivery_gets_nothing(
    receiver_factory, eager_tasks, settings, resolver
):
    """DNS can change after the endpoint was saved: each delivery checks the addresses it
    connects to."""
    receiver = receiver_factory([200])
    port = receiver.server.server_port
    resolver["partner.example"] = ["93.184.216.34"]
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    endpoint = _endpoint(receiver, url=f"http://partner.example:{port}/hooks")
    endpoint.full_clean()  # public when it was saved
    resolver["partner.example"] = ["127.0.0.1"]  # now the receiver's, an internal address

    _publish()

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert list(delivery.attempt_log.values_list("error", flat=True)) == [
        f"refused: {PRIVATE_REFUSAL}"
    ]


@pytest.mark.django_db(transaction=True)
def test_a_delivery_connects_to_the_addresses_it_checked_with_the_endpoints_host(
    receiver_factory, eager_tasks, resolver
):
    receiver = receiver_factory([200])
    port = receiver.server.server_port
    resolver["partner.example"] = ["127.0.0.1"]  # allowed here (a local receiver)
    _endpoint(receiver, url=f"http://partner.example:{port}/hooks")

    _publish()

    [request] = receiver.requests
    assert request["headers"]["Host"] == f"partner.example:{port}"
    assert WebhookDelivery.objects.get().status == "delivered"


@pytest.mark.django_db(transaction=True)
def test_an_endpoint_that_is_not_https_in_production_gets_nothing(
    receiver_factory, eager_tasks, settings
):
    receiver = receiver_factory([200])
    _endpoint(receiver)
    settings.WEBHOOK_ALLOW_HTTP = False

    _publish()

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert list(delivery.attempt_log.values_list("error", flat=True)) == [
        "refused: A webhook URL must use https."
    ]


@pytest.mark.django_db(transaction=True)
def test_endpoints_get_only_the_kinds_they_asked_for(receiver_factory, eager_tasks):
    from hub.models import Theme

    wants_themes = _endpoint(receiver_factory([200]), kinds=["theme"])
    wants_all = _endpoint(receiver_factory([200, 200]), kinds=[])
    _endpoint(receiver_factory([200]), is_active=False, kinds=[])

    _publish()
    with transaction.atomic():
        Theme.objects.create(slug="care", name_en="Care", name_ar="الرعاية")

    assert sorted(
        WebhookDelivery.objects.values_list("endpoint__name", "event__kind", "status")
    ) == sorted(
        [
            (wants_all.name, "resource", "delivered"),
            (wants_all.name, "theme", "delivered"),
            (wants_themes.name, "theme", "delivered"),
        ]
    )


@pytest.mark.django_db
def test_the_delivery_log_is_read_only_in_the_admin(
    client, receiver_factory, eager_tasks, django_capture_on_commit_callbacks
):
    receiver = receiver_factory([503])
    _endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        _publish()
    delivery = WebhookDelivery.objects.get()
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-password-123")
    client.force_login(admin)

    page = client.get(f"/ar/admin/partners/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert str(delivery.event_id) in html
    assert "٥٠٣" in html  # the receiver's answer, in the Arabic admin's digits
    assert 'name="_save"' not in html
    assert client.get("/en/admin/partners/webhookdelivery/add/").status_code == 403
    assert (
        client.post(f"/en/admin/partners/webhookdelivery/{delivery.pk}/delete/").status_code == 403
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_event_made_while_the_broker_is_down_is_delivered_by_a_real_worker_once_it_is_back(
    receiver_factory, celery_worker
):
    receiver = receiver_factory([500, 200])
    _endpoint(receiver)
    real_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    reset_celery_pools(celery_app)
    try:
        _publish()
    finally:
        celery_app.conf.broker_url = real_broker
        reset_celery_pools(celery_app)
    [row] = OutboxTask.objects.filter(task_name="s4c.deliver_webhook")
    assert row.sent_at is None
    assert "Error" in row.last_error
    assert receiver.requests == []

    assert relay(older_than=timedelta(0)) == 1
    delivery = WebhookDelivery.objects.get()
    deadline = time.monotonic() + 20
    while delivery.status == "pending" and time.monotonic() < deadline:
        time.sleep(0.05)
        delivery.refresh_from_db()

    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    # The worker scheduled the retry itself: 0.1 to 0.2 s later (base 0.2 s, equal jitter).
    first, second = receiver.requests
    assert second["at"] - first["at"] >= 0.1
    assert {r["headers"]["X-S4C-Event-Id"] for r in receiver.requests} == {str(delivery.event_id)}
    for request in receiver.requests:
        _independent_check(request, SECRET)


@pytest.mark.django_db
def test_endpoints_are_registered_in_the_admin(client, settings):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "a-long-pw-123"))
    form = {
        "name": "Global Care Policy Portal",
        "organisation": "ILO",
        "url": "https://care-policy.example.org/hooks/s4c",
        "secret": SECRET,
        "kinds": ["resource", "plan"],
        "is_active": "on",
    }
    page = client.get("/ar/admin/partners/webhookendpoint/add/")
    assert page.status_code == 200
    assert 'value="deliverable"' in page.content.decode()
    assert client.post("/en/admin/partners/webhookendpoint/add/", form).status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.kinds, endpoint.is_active) == (
        form["url"],
        ["resource", "plan"],
        True,
    )

    settings.WEBHOOK_ALLOW_HTTP = False
    refused = client.post(
        "/ar/admin/partners/webhookendpoint/add/",
        {**form, "url": "http://care-policy.example.org/"},
    )
    assert refused.status_code == 200
    assert "يجب أن يستخدم عنوان خطاف الويب بروتوكول https." in refused.content.decode()
    assert WebhookEndpoint.objects.count() == 1


def test_retry_delays_double_up_to_the_cap_with_jitter(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 30, 3600
    for attempt, ceiling in ((1, 30), (2, 60), (5, 480), (12, 3600)):
        delays = [retry_delay(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays), (attempt, min(delays), max(delays))
        assert len(set(delays)) > 40  # spread out, not in lockstep
