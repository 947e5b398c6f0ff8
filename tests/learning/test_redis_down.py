"""Redis down, as production meets it: the public forms accept submissions (their limits are in
the database), pages answer at full speed, and the outage is one warning, not a traceback per
call. Redis here is real: a closed port, a host that accepts connections and never answers, and
a redis-server stopped in the middle of the test."""

import logging
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.db import transaction
from django.test import Client

from core.models import OutboxTask
from core.outbox import enqueue_on_commit, relay
from learning.models import Application
from s4c.celery import app as celery_app
from tests.conftest import reset_celery_pools

from .test_applications import FORM

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _use_cache_at(settings, port: int) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    settings.REDIS_RETRY_SECONDS = 5
    settings.CACHES = {
        "default": {
            "BACKEND": "core.outage.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/3",
            "KEY_PREFIX": "s4c",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }


def _visitors(n: int, cohort_slug: str, first: int = 0) -> list[int]:
    """Fresh visitors: each reads the form page, then applies; every status, in order."""
    statuses = []
    for i in range(first, first + n):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(f"/en/learning/{cohort_slug}/apply/")
        token = page.cookies["csrftoken"].value
        posted = visitor.post(
            f"/en/learning/{cohort_slug}/apply/",
            {**FORM, "email": f"visitor{i}@example.org", "csrfmiddlewaretoken": token},
        )
        statuses += [page.status_code, posted.status_code]
    return statuses


def _outage_logs(caplog) -> tuple[list, list]:
    warnings = [r for r in caplog.records if r.name == "core.outage"]
    noisy = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    return warnings, noisy


def test_forms_accept_submissions_with_redis_unreachable_and_log_one_warning(
    settings, cohort, caplog
):
    _use_cache_at(settings, _free_port())  # nothing listens: connection refused
    caplog.set_level(logging.INFO)
    statuses = _visitors(4, cohort.slug)
    signed_in = Client().post("/en/learning/sign-in/", {"email": "visitor1@example.org"})
    assert statuses == [200, 302] * 4
    assert signed_in.status_code == 200
    assert Application.objects.count() == 4
    warnings, noisy = _outage_logs(caplog)
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()
    assert noisy == []


def test_a_redis_that_never_answers_costs_one_timeout_per_retry_interval(settings, cohort, caplog):
    """A black-holed Redis: connections are accepted and never answered, each call would wait
    SOCKET_TIMEOUT (1 s). The breaker waits once, then answers misses at once."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    try:
        _use_cache_at(settings, silent.getsockname()[1])
        settings.REDIS_RETRY_SECONDS = 60  # one timeout in the whole test
        caplog.set_level(logging.INFO)
        started = time.monotonic()
        statuses = _visitors(5, cohort.slug)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert statuses == [200, 302] * 5
    # Without the breaker: 7 to 8 cache calls per visitor wait 1 s each (37 s measured).
    assert elapsed < 10
    warnings, noisy = _outage_logs(caplog)
    assert len(warnings) == 1
    assert noisy == []


@pytest.fixture
def own_redis():
    """A redis-server of this test's own, so it can be stopped and started again."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server")
    port = _free_port()
    command = [binary, "--port", str(port), "--save", "", "--appendonly", "no"]

    def start():
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return process
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    processes = [start()]
    yield port, processes, start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_redis_stopping_midway_loses_no_submission_and_its_return_is_noticed(
    settings, cohort, caplog, own_redis
):
    port, processes, start = own_redis
    _use_cache_at(settings, port)
    settings.REDIS_RETRY_SECONDS = 0.5
    caplog.set_level(logging.INFO)
    before = _visitors(2, cohort.slug)
    processes[0].terminate()  # Redis stops
    processes[0].wait(timeout=10)
    during = _visitors(3, cohort.slug, first=2)
    processes.append(start())  # and comes back
    time.sleep(0.6)
    after = _visitors(2, cohort.slug, first=5)
    assert before + during + after == [200, 302] * 7
    assert Application.objects.count() == 7
    warnings, noisy = _outage_logs(caplog)
    assert [w.getMessage().split(" (")[0].split(" after")[0] for w in warnings] == [
        f"cache 127.0.0.1:{port}/3 unreachable",
        f"cache 127.0.0.1:{port}/3 reachable again",
    ]
    assert noisy == []


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_is_tried_once_per_interval_and_logged_once(settings, caplog):
    settings.REDIS_RETRY_SECONDS = 3
    real_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{_free_port()}/3"
    reset_celery_pools(celery_app)
    caplog.set_level(logging.INFO)
    try:
        rows = []
        for value in range(5):
            with transaction.atomic():
                rows.append(enqueue_on_commit("s4c.ping", value=value))
    finally:
        celery_app.conf.broker_url = real_broker
        reset_celery_pools(celery_app)
    attempts = sorted(
        OutboxTask.objects.filter(pk__in=[r.pk for r in rows]).values_list("attempts", flat=True)
    )
    assert attempts == [0, 0, 0, 0, 1]  # only the first waited for the broker
    warnings, noisy = _outage_logs(caplog)
    assert len(warnings) == 1
    assert noisy == []
    # Nothing is lost: the relay sends them all through the broker that is up.
    assert relay(older_than=timedelta(0)) == 5


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_retry_during_a_broker_outage_asks_the_port_before_celery(settings, monkeypatch):
    # Celery's client waits out redis-py's retries (about 2 s) for a refused connection: a retry
    # during the outage first asks the port, which answers at once.
    settings.REDIS_RETRY_SECONDS = 0.2
    real_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{_free_port()}/3"
    reset_celery_pools(celery_app)
    handed = []
    send_task = celery_app.send_task
    monkeypatch.setattr(
        celery_app, "send_task", lambda *a, **kw: handed.append(a) or send_task(*a, **kw)
    )
    try:
        with transaction.atomic():
            first = enqueue_on_commit("s4c.ping", value=1)
        time.sleep(0.3)  # the breaker allows a retry
        with transaction.atomic():
            second = enqueue_on_commit("s4c.ping", value=2)
    finally:
        celery_app.conf.broker_url = real_broker
        reset_celery_pools(celery_app)
    assert len(handed) == 1  # the first, which found the outage
    assert not OutboxTask.objects.filter(pk__in=[first.pk, second.pk], sent_at__isnull=False)


def test_a_change_made_while_the_cache_was_away_is_not_hidden_by_what_it_cached_before(
    settings, own_redis, load_content, django_capture_on_commit_callbacks
):
    # The change's own move of the content version was dropped with the cache away: the first
    # success after the outage starts a new version, so no page cached before it is served.
    from core.caching import content_version
    from core.permissions import SYSTEM
    from hub import services
    from hub.models import Resource

    port, _processes, _start = own_redis
    _use_cache_at(settings, port)
    settings.REDIS_RETRY_SECONDS = 0.5
    load_content()
    resource = Resource.objects.published().first()
    assert Client().get("/en/hub/").content.decode().count(resource.title_en)
    version = content_version()
    # Redis stops answering for 3 s (and keeps what it holds): the change's bump times out.
    redis.Redis(port=port).execute_command("CLIENT", "PAUSE", 3000, "ALL")
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_archive(resource=resource, actor=SYSTEM)
    time.sleep(3.2)
    assert content_version() != version
    assert resource.title_en not in Client().get("/en/hub/").content.decode()


def test_a_full_cache_is_an_outage_not_a_500_per_page(settings, own_redis, caplog):
    port, _processes, _start = own_redis
    _use_cache_at(settings, port)
    server = redis.Redis(port=port)
    server.config_set("maxmemory-policy", "noeviction")
    server.config_set("maxmemory", 1)  # below what it uses: every write is refused (OOM)
    caplog.set_level(logging.INFO)
    statuses = [Client().get(f"/en/hub/?q=full{i}").status_code for i in range(5)]
    assert statuses == [200] * 5
    warnings, noisy = _outage_logs(caplog)
    assert [w.getMessage().split(" (")[0] for w in warnings] == [
        f"cache 127.0.0.1:{port}/3 unreachable"
    ]
    assert noisy == []
