"""Partners' API keys: a higher rate, 401 for wrong or revoked keys, hashes only, the admin."""

import hashlib
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.permissions import SYSTEM
from partners.keys import api_key_issue, api_key_revoke
from partners.models import ApiKey

pytestmark = pytest.mark.django_db


def _issue(name="Global Care Policy Portal") -> tuple[ApiKey, str]:
    key = ApiKey(name=name, organisation="ILO", contact="Portal team <care@ilo.example>")
    raw = api_key_issue(key=key, actor=SYSTEM)
    return key, raw


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


def test_a_valid_key_gets_the_higher_rate(client, tiny_rates):
    key, raw = _issue()
    _other, other_raw = _issue("Another partner")

    anonymous = [client.get("/api/v1/themes/").status_code for _ in range(3)]
    with_key = [
        client.get("/api/v1/themes/", headers={"authorization": f"Api-Key {raw}"}).status_code
        for _ in range(2)
    ] + [client.get("/api/v1/changes/", headers={"x-api-key": raw}).status_code for _ in range(3)]
    # Each key has its own allowance, whatever the address.
    other_key = client.get("/api/v1/themes/", headers={"x-api-key": other_raw}).status_code

    assert anonymous == [200, 200, 429]
    assert with_key == [200, 200, 200, 200, 429]
    assert other_key == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This API key is not valid. Check it, or ask the South-4-Care team for a key."),
        ("ar", "مفتاح واجهة البرمجة هذا غير صالح. تحقّق منه، أو اطلب مفتاحاً من فريق South-4-Care."),
    ],
)
def test_a_wrong_key_is_a_401_in_the_clients_language(client, language, message):
    _issue()
    response = client.get(
        "/api/v1/resources/",
        headers={"authorization": "Api-Key s4c_not-a-real-key", "accept-language": language},
    )
    assert response.status_code == 401
    assert response.json() == {"detail": message, "code": "invalid_api_key"}
    assert response["WWW-Authenticate"] == 'Api-Key realm="South-4-Care API"'
    assert client.get("/api/v1/resources/", headers={"x-api-key": ""}).status_code == 401


def test_a_revoked_key_is_a_401_and_anonymous_reads_stay_allowed(client):
    key, raw = _issue()
    assert client.get("/api/v1/themes/", headers={"x-api-key": raw}).status_code == 200
    api_key_revoke(key=key, actor=SYSTEM)

    response = client.get("/api/v1/themes/", headers={"x-api-key": raw, "accept-language": "ar"})
    assert response.status_code == 401
    assert response.json() == {
        "detail": "أُلغي مفتاح واجهة البرمجة هذا. اطلب مفتاحاً جديداً من فريق South-4-Care.",
        "code": "revoked_api_key",
    }
    assert client.get("/api/v1/themes/").status_code == 200
    # Other schemes are not ours: the request is anonymous.
    assert client.get("/api/v1/themes/", headers={"authorization": "Bearer x"}).status_code == 200


def test_the_raw_key_is_never_stored():
    key, raw = _issue()
    assert raw.startswith("s4c_")
    assert len(raw) > 40
    row = ApiKey.objects.filter(pk=key.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert row["prefix"] == raw[:12]
    assert not any(raw in str(value) for value in row.values())
    dump = io.StringIO()
    call_command("dumpdata", "partners", stdout=dump)
    assert raw not in dump.getvalue()


def test_keys_and_endpoints_are_not_in_the_public_api(client):
    paths = client.get("/api/v1/schema/").json()["paths"]
    assert paths
    assert not [p for p in paths if "key" in p or "webhook" in p or "partner" in p]
    assert client.get("/api/v1/apikeys/").status_code == 404
    assert client.get("/api/v1/webhooks/").status_code == 404


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "a-long-pw-123"))
    return client


def test_the_admin_shows_the_new_key_once(superuser_client):
    client = superuser_client
    response = client.post(
        "/ar/admin/partners/apikey/add/",
        {"name": "Global Care Policy Portal", "organisation": "ILO", "contact": "care@ilo.example"},
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    [raw] = re.findall(r'value="(s4c_[^"]+)"', html)
    assert "انسخه الآن" in html
    key = ApiKey.objects.get()
    assert (key.prefix, key.created_by.username) == (raw[:12], "root")
    assert client.get("/api/v1/themes/", headers={"x-api-key": raw}).status_code == 200
    change_page = client.get(f"/en/admin/partners/apikey/{key.pk}/change/").content.decode()
    listing = client.get("/en/admin/partners/apikey/").content.decode()
    assert raw[:12] in change_page
    assert raw not in change_page
    assert raw not in listing

    client.post(
        "/en/admin/partners/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert client.get("/api/v1/themes/", headers={"x-api-key": raw}).status_code == 401


def test_only_superusers_or_the_dedicated_permission_manage_partners(client):
    reviewer = User.objects.create_user("rev", "rev@example.org", "a-long-pw-123", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    client.force_login(reviewer)
    for page in ("apikey", "webhookendpoint", "webhookdelivery"):
        assert client.get(f"/en/admin/partners/{page}/").status_code == 403
    assert b"/admin/partners/apikey/" not in client.get("/en/admin/").content

    permission = Permission.objects.get(codename="manage_partner_access")
    assert not Group.objects.filter(permissions=permission).exists()
    reviewer.user_permissions.add(permission)
    client.force_login(User.objects.get(pk=reviewer.pk))
    assert client.get("/en/admin/partners/apikey/").status_code == 200
    assert client.get("/en/admin/partners/webhookendpoint/add/").status_code == 200
