"""Partners' API keys: issued and revoked in the admin, sent as `Authorization: Api-Key <key>` (or
`X-Api-Key`), throttled at `API_KEY_RATE` instead of the anonymous `API_ANON_RATE`.

Only a SHA-256 hash of each key is stored, with its first characters (the prefix) to recognise it;
the key itself is shown once, when it is created. Anonymous reads stay allowed.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.net import client_network
from partners.models import ApiKey

KEY_PREFIX = "s4c_"
PREFIX_LENGTH = 12  # "s4c_" and 8 random characters: enough to tell keys apart in the admin
# last_used_at is written at most this often per key (not on every request).
TOUCH_EVERY = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- services ---------------------------------------------------------------------------------


@transaction.atomic
def api_key_issue(*, key: ApiKey, actor) -> str:
    """Give `key` (name, organisation, contact filled in) a new secret; returns the raw key.

    The raw key is never stored: show it to the person creating it, once.
    """
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key.prefix = raw[:PREFIX_LENGTH]
    key.key_hash = hash_key(raw)
    key.created_by = actor if getattr(actor, "pk", None) else None
    key.full_clean(exclude=["key_hash", "prefix"])
    key.save()
    return raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


# --- authentication and throttling -------------------------------------------------------------


class ApiKeyAuthentication(BaseAuthentication):
    """A valid key authenticates the partner (request.auth is its ApiKey; the user stays anonymous).

    No key: an anonymous request. A wrong or revoked key: 401 with a message in the client's
    language, never a silent fallback to anonymous access.
    """

    keyword = "api-key"

    def _raw_key(self, request) -> str | None:
        header = request.headers.get("Authorization", "")
        scheme, _space, value = header.partition(" ")
        if scheme.lower() == self.keyword:
            return value.strip()
        if "X-Api-Key" in request.headers:
            return request.headers["X-Api-Key"].strip()
        return None

    def authenticate(self, request):
        raw = self._raw_key(request)
        if raw is None:
            return None
        key = ApiKey.objects.filter(key_hash=hash_key(raw)).first() if raw else None
        if key is None or key.revoked_at is not None:
            # Authentication runs before DRF's throttles, so a refused key would never be
            # throttled: guessing keys counts against the address's anonymous limit here.
            throttle = RefusedKeyThrottle()
            if not throttle.allow_request(request, None):
                raise Throttled(wait=throttle.wait())
        if key is None:
            raise AuthenticationFailed(
                _("This API key is not valid. Check it, or ask the South-4-Care team for a key."),
                code="invalid_api_key",
            )
        if key.revoked_at is not None:
            raise AuthenticationFailed(
                _("This API key has been revoked. Ask the South-4-Care team for a new key."),
                code="revoked_api_key",
            )
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
        return (AnonymousUser(), key)

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403.
        return 'Api-Key realm="South-4-Care API"'


class AnonymousRateThrottle(AnonRateThrottle):
    """`API_ANON_RATE` per client address, for requests without an API key.

    The address is `core.net.client_network` (TRUSTED_PROXY_COUNT), not DRF's own reading of
    X-Forwarded-For, which keys on whatever the client wrote into the header."""

    def get_ident(self, request):
        return client_network(request)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            return None
        return super().get_cache_key(request, view)


class RefusedKeyThrottle(AnonRateThrottle):
    """A wrong or revoked key spends the anonymous allowance of its address (same bucket)."""

    def get_ident(self, request):
        return client_network(request)

    def get_cache_key(self, request, view):
        # request.auth is being computed: reading it here would recurse.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiKeyRateThrottle(SimpleRateThrottle):
    """`API_KEY_RATE` per API key, whatever address the partner calls from."""

    scope = "api_key"

    def get_ident(self, request):
        return client_network(request)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Documents the key in the OpenAPI schema (optional: every endpoint also answers anonymously)."""

    target_class = "partners.keys.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": "A partner's key (also accepted as `Authorization: Api-Key <key>`).",
        }
