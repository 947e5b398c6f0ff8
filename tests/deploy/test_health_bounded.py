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


@pytest.fixture
def unreachable_database(request, silent_server):
    """The default connection pointed at a refused port or a silent one (a host that is down or
    hung), with a short connect timeout; everything restored afterwards."""
    from django.db import connection

    port = "1" if request.param == "refused" else silent_server.rsplit(":", 1)[1].split("/")[0]
    saved = (connection.settings_dict["PORT"], dict(connection.settings_dict.get("OPTIONS", {})))
    connection.close()
    connection.settings_dict["PORT"] = port
    connection.settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = 2
    yield
    connection.close()
    connection.settings_dict["PORT"], connection.settings_dict["OPTIONS"] = saved


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("unreachable_database", ["refused", "silent"], indirect=True)
def test_healthz_is_503_within_the_connect_timeout_when_the_database_is_down(
    client, unreachable_database
):
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]
    assert elapsed < 3.0, elapsed  # connect_timeout 2 s, and one attempt only


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_within_its_statement_timeout_when_the_database_does_not_answer(
    client, settings
):
    """A connection that works but a query that would wait (a table locked by a migration)."""
    from tests.database import second_connection

    settings.HEALTH_STATEMENT_TIMEOUT_MS = 500
    with second_connection() as locker:
        locker.execute("LOCK TABLE django_migrations IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
        locker.rollback()

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]
    assert elapsed < 1.5, elapsed
    assert client.get("/healthz").status_code == 200  # the lock gone, the same connection works
