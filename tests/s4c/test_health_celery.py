import pytest

from core.tasks import ping
from s4c.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_every_part(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["down"] == []
    assert body["components"]["database"] == {"status": "ok"}
    assert body["components"]["cache"] == {"status": "ok"}
    assert body["components"]["broker"]["status"] in {"ok", "eager"}


@pytest.mark.django_db
def test_healthz_is_503_naming_the_cache_when_redis_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]


@pytest.mark.django_db
def test_healthz_is_503_naming_the_broker_when_it_is_unreachable(client):
    old = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app.conf.task_always_eager = False
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = old
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


@pytest.mark.redis
def test_a_real_worker_runs_a_task_through_redis(celery_worker):
    result = ping.delay(value=41)
    assert result.get(timeout=20) == {"pong": 41}
    assert result.status == "SUCCESS"


def test_the_deploy_check_refuses_a_visibility_timeout_shorter_than_the_longest_task(settings):
    from core.checks import task_and_lease_limits

    assert task_and_lease_limits() == []  # the shipped defaults
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": settings.TASK_LONG_TIME_LIMIT,
    }
    [error] = task_and_lease_limits()
    assert error.id == "s4c.E001"


def test_the_deploy_check_refuses_a_webhook_lease_shorter_than_a_post(settings):
    from core.checks import task_and_lease_limits

    settings.WEBHOOK_LEASE_SECONDS = 5
    settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT = 3.0, 5.0
    [error] = task_and_lease_limits()
    assert error.id == "s4c.E002"


def test_beat_sends_its_tasks_without_waiting_on_a_result(settings):
    # Celery's send_task subscribes to a task's result unless told to ignore it (beat passes each
    # entry's options to apply_async).
    from s4c.celery import app

    entries = settings.CELERY_BEAT_SCHEDULE
    assert len(entries) >= 5
    assert all(entry["options"]["ignore_result"] is True for entry in entries.values())
    assert app.conf.beat_schedule == entries
