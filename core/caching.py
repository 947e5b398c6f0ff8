"""Caching of public pages, invalidated the moment public content changes.

Anonymous GET requests for public pages are served from the cache. Every cache key carries the
current *content version*; it moves when public content changes — when the change capture
(partners/capture.py) records a write to a public table — so a published edit shows at once (old
entries simply stop being read and expire), while private writes (API keys, applications, sign-in
tokens, webhook deliveries, e-mails) leave every cached page in place. When an entry is missing, one
request recomputes it under a short lock while the others wait briefly for its result, so a
popular page that expires does not send every concurrent visitor to the database (no stampede).

Responses that depend on the visitor are never cached: signed-in users, responses that set a
cookie or vary on it, non-200 answers, and any page that read the visitor's CSRF token while it
was rendered (every form that posts, whether or not its view says so). The last is decided from
the request itself (`get_token()` flags it), because this middleware sits inside
`CsrfViewMiddleware` and sees the response before that one adds the visitor's cookie: caching it
would hand one visitor's token to everybody else, whose posts then fail the CSRF check.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

VERSION_KEY = "s4c:content-version"
# How long entries that only ever change with the content version (labels, result cards) live:
# a change starts new entries, so this only bounds how long unused ones take space.
VERSIONED_CACHE_SECONDS = 24 * 3600


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def bump_content_version(**_kwargs) -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), None)


def _on_migrate(sender, **_kwargs):
    # A deployment runs `migrate`: what new code renders (templates, translations, cached labels
    # and result cards) must not be served from entries the old code made.
    if sender.label == "s4c":
        bump_content_version()


def connect_invalidation() -> None:
    post_migrate.connect(_on_migrate, dispatch_uid="s4c-cache-post-migrate")


@contextmanager
def single_flight(key: str, *, wait_seconds: float = 2.0, lock_seconds: int = 10):
    """Let one caller compute a missing cache entry while the others wait briefly for it.

    Yields the entry if another caller stored it while this one waited, else None: the caller then
    computes and stores it. With the cache down (its errors are swallowed) nobody waits.
    """
    lock_key = f"{key}:lock"
    # True: ours. False: another caller holds it. None: the cache is down, nothing to wait for.
    owned = cache.add(lock_key, 1, lock_seconds)
    if owned is False:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            time.sleep(0.05)
            value = cache.get(key)
            if value is not None:
                yield value
                return
    try:
        yield None
    finally:
        if owned:  # a caller that gave up waiting must not free the holder's lock
            cache.delete(lock_key)


def get_or_compute(key: str, compute: Callable[[], object], *, timeout: int):
    """The cached value of `key`, computed once by `compute()` when missing (no stampede)."""
    value = cache.get(key)
    if value is not None:
        return value
    with single_flight(key) as cached:
        value = cached
        if value is None:
            value = compute()
            if timeout:
                cache.set(key, value, timeout)
    return value


def _cacheable_request(request) -> bool:
    if request.method not in {"GET", "HEAD"}:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path
    return (
        any(path.startswith(f"/{code}/") for code, _ in settings.LANGUAGES)
        and "/admin/" not in path
    )


def uses_visitor_token(request) -> bool:
    """Whether rendering this request read the visitor's CSRF token (a form that posts)."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _cacheable_response(request, response) -> bool:
    if response.status_code != HTTPStatus.OK or response.streaming or response.cookies:
        return False
    if uses_visitor_token(request):
        return False
    vary = response.headers.get("Vary", "").lower()
    cache_control = response.headers.get("Cache-Control", "").lower()
    return "cookie" not in vary and not any(
        word in cache_control for word in ("private", "no-store", "no-cache")
    )


class PublicPageCacheMiddleware:
    """Serves anonymous public pages from the cache (place after authentication)."""

    wait_seconds = 2.0
    lock_seconds = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return self._private_if_personal(request, self.get_response(request))
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"s4c:page:{content_version()}:{request.method}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return self._replay(cached)
        with single_flight(
            key, wait_seconds=self.wait_seconds, lock_seconds=self.lock_seconds
        ) as cached:
            if cached is not None:
                return self._replay(cached)
            response = self._private_if_personal(request, self.get_response(request))
            if _cacheable_response(request, response):
                patch_vary_headers(response, ("Accept-Language",))
                cache.set(key, self._freeze(response), settings.PAGE_CACHE_SECONDS)
            return response

    @staticmethod
    def _private_if_personal(request, response):
        # A page carrying the visitor's token must not be kept by a shared cache downstream
        # (a proxy, a CDN) either.
        if uses_visitor_token(request):
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _freeze(response) -> dict:
        return {
            "content": response.content,
            "status": response.status_code,
            "headers": {k: v for k, v in response.items() if k.lower() not in {"x-request-id"}},
        }

    @staticmethod
    def _replay(frozen: dict):
        from django.http import HttpResponse

        response = HttpResponse(frozen["content"], status=frozen["status"])
        for name, value in frozen["headers"].items():
            response[name] = value
        response["X-Cache"] = "hit"
        return response
