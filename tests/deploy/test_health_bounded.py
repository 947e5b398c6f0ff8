"""/healthz answers fast when the broker is down: refused, or accepting and then silent."""

import socket
import time

import pytest

from s4c.celery import app as celery_app


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers (a hung broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


@pytest.fixture
def broker(request, silent_server):
    url = silent_server if request.param == "silent" else "redis://127.0.0.1:1/0"
    old = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = url, False
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = old


@pytest.mark.django_db
@pytest.mark.parametrize("broker", ["refused", "silent"], indirect=True)
def test_healthz_is_503_within_a_second_when_the_broker_is_down(client, broker):
    client.get("/healthz")  # the first request's one-off costs (URL resolution, imports)
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert elapsed < 1.0, elapsed
