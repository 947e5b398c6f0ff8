"""One client address (core/net.py, TRUSTED_PROXY_COUNT) for the API throttles, django-axes, the
public forms' rate limits and the request log: a client that writes its own X-Forwarded-For
prefix stays one client."""

import itertools
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.net import client_ip, client_network

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # our proxy: the connection comes from it
CLIENT = "203.0.113.7"  # the address our proxy appends to X-Forwarded-For
_forged = (f"198.51.100.{n}" for n in itertools.count(1))


def _through_proxy() -> dict:
    """What a client that forges a fresh X-Forwarded-For prefix each time sends, as our one proxy
    passes it on: the forged entries, then the address the proxy saw."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{next(_forged)}, {CLIENT}"}


@pytest.fixture
def tiny_rates():
    """API_ANON_RATE=2/minute, API_KEY_RATE=4/minute (DRF reads its rates once, at import)."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/minute", "api_key": "4/minute"}
    classes = (SimpleRateThrottle, AnonRateThrottle)
    saved = [(cls, cls.__dict__.get("THROTTLE_RATES")) for cls in classes]
    for cls in classes:
        cls.THROTTLE_RATES = rates
    yield
    for cls, value in saved:
        if value is None:
            del cls.THROTTLE_RATES
        else:
            cls.THROTTLE_RATES = value


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.1, 203.0.113.7", PROXY),  # no proxy of ours: the header is the client's
        (1, "198.51.100.1, 203.0.113.7", CLIENT),  # one proxy: its entry, the rightmost
        (1, "203.0.113.7", CLIENT),
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer entries than proxies: not through them all
        (1, "", PROXY),
        (1, "198.51.100.1, not-an-address", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip_takes_the_entry_our_outermost_proxy_wrote(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_rotating_x_forwarded_for_does_not_escape_the_anonymous_api_limit(
    client, settings, tiny_rates
):
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [client.get("/api/v1/themes/", **_through_proxy()).status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    # Another client behind the same proxy has its own allowance.
    other = client.get(
        "/api/v1/themes/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.50"
    ).status_code
    assert other == 200


def test_wrong_api_keys_are_throttled_like_anonymous_requests(client, settings, tiny_rates):
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.get(
            "/api/v1/themes/", headers={"x-api-key": f"s4c_guess{n}"}, **_through_proxy()
        ).status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 429, 429]
    response = client.get("/api/v1/themes/", headers={"x-api-key": "s4c_x"}, **_through_proxy())
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_rotating_x_forwarded_for_does_not_escape_the_admin_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser("curator-admin", "a@example.org", "a-long-password!")
    statuses = [
        client.post(
            "/en/admin/login/?next=/en/admin/",
            {"username": "curator-admin", "password": "wrong-password"},
            **_through_proxy(),
        ).status_code
        for _ in range(4)
    ]
    assert statuses[-2:] == [429, 429]
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_limits_count_an_ipv6_client_by_its_network(address, network):
    assert client_network(RequestFactory().get("/", REMOTE_ADDR=address)) == network


def test_hopping_within_an_ipv6_network_does_not_escape_the_limits(client, settings, tiny_rates):
    settings.TRUSTED_PROXY_COUNT = 1
    hops = (f"2001:db8:1:2::{n:x}" for n in itertools.count(1))
    statuses = [
        client.get(
            "/api/v1/themes/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=next(hops)
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 429, 429]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser("curator-admin", "a@example.org", "a-long-password!")
    logins = [
        client.post(
            "/en/admin/login/?next=/en/admin/",
            {"username": "curator-admin", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=next(hops),
        ).status_code
        for _ in range(4)
    ]
    assert logins[-2:] == [429, 429]


def test_the_request_log_names_the_client_address(client, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.INFO, logger="s4c.request")
    client.get("/en/", **_through_proxy())
    [record] = [r for r in caplog.records if r.name == "s4c.request"]
    assert record.client == CLIENT
