import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id_and_is_logged_with_it(client, caplog):
    caplog.set_level(logging.INFO, logger="s4c.request")
    response = client.get("/en/")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    [record] = [r for r in caplog.records if r.name == "s4c.request"]
    assert (record.request_id, record.method, record.path, record.status) == (
        request_id,
        "GET",
        "/en/",
        200,
    )


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # the header is our front server's (nginx sets it)
    assert (
        client.get("/en/", headers={"x-request-id": "proxy-1234abcd"}).headers["X-Request-ID"]
        == "proxy-1234abcd"
    )
    replaced = client.get("/en/", headers={"x-request-id": "bad id\r\nSet-Cookie: x"}).headers[
        "X-Request-ID"
    ]
    assert replaced != "bad id"
    assert len(replaced) == 32


def test_without_a_proxy_of_ours_a_clients_request_id_is_ignored(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    answered = client.get("/en/", headers={"x-request-id": "spoofed-id-0001"})
    assert answered.headers["X-Request-ID"] != "spoofed-id-0001"
    assert len(answered.headers["X-Request-ID"]) == 32


def test_django_request_lines_carry_the_requests_id(client, caplog):
    """django.request logs a 404 after the request log's middleware reset its context."""
    caplog.set_level(logging.INFO)
    response = client.get("/en/hub/no-such-resource-anywhere/")
    assert response.status_code == 404
    request_id = response.headers["X-Request-ID"]
    [warning] = [r for r in caplog.records if r.name == "django.request"]
    assert warning.getMessage().startswith("Not Found")
    assert warning.request_id == request_id
    [line] = [r for r in caplog.records if r.name == "s4c.request"]
    assert line.request_id == request_id


def test_slow_queries_are_logged(client, settings, caplog):
    from core.observability import _SlowQueryLogger

    caplog.set_level(logging.WARNING, logger="s4c.slow_query")
    with (
        connection.execute_wrapper(_SlowQueryLogger(threshold_ms=0)),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1")
    [record] = [r for r in caplog.records if r.name == "s4c.slow_query"]
    assert record.sql == "SELECT 1"
    assert record.duration_ms >= 0


def test_admin_locks_out_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser(
        "curator-admin", "a@example.org", "a-long-correct-password"
    )
    for _ in range(3):
        response = client.post(
            "/en/admin/login/?next=/en/admin/",
            {"username": "curator-admin", "password": "wrong-password"},
        )
    assert response.status_code == 429
    # Even the right password is refused while locked out, with a page in the visitor's language.
    response = client.post(
        "/ar/admin/login/?next=/ar/admin/",
        {"username": "curator-admin", "password": "a-long-correct-password"},
    )
    assert response.status_code == 429
    assert "محاولات تسجيل دخول فاشلة كثيرة" in response.content.decode()


@pytest.mark.parametrize("path", ["/en/", "/en/admin/login/"])
def test_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_admin_login_requires_csrf(settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/en/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_a_database_outage_is_a_503_with_retry_after_in_the_visitors_language(client, monkeypatch):
    from django.db import OperationalError

    import hub.views

    def unavailable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(hub.views, "hub_results", unavailable)
    response = client.get("/ar/hub/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "الخدمة غير متاحة مؤقتاً" in response.content.decode()
