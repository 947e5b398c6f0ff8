"""Redis down is a slower site, not a broken or noisy one: circuit breakers for the cache and the
broker.

Without them, every cache call of every request tries to reach a Redis that is down (up to a
second each with a black-holed host) and django-redis logs a full traceback for each: ~14 per
page, 27 MB of ERROR lines in two minutes, and capacity fell from 295 to 45 requests/s. With
them, the first failure opens the breaker: one warning, then for `REDIS_RETRY_SECONDS` every call
returns at once as a cache miss (writes are dropped), then one call tries again; the first
success logs that Redis is back. So an outage costs one warning (and one "back") per process.
"""

import functools
import logging
import socket
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.caching import bump_content_version

logger = logging.getLogger("core.outage")

# A Redis that is full (maxmemory under `noeviction`) or read-only refuses writes as surely as
# one that is down: the same breaker, not a 500 per page.
OUTAGE_ERRORS = (
    ConnectionInterrupted,
    RedisConnectionError,
    RedisTimeoutError,
    socket.timeout,
    OutOfMemoryError,
    ReadOnlyError,
)


class Breaker:
    """Open for `retry_seconds` after a failure; logs once when an outage starts and ends."""

    def __init__(self, name: str):
        self.name = name
        self._retry_at = 0.0
        self._down_since: float | None = None
        self._lock = threading.Lock()

    @property
    def retry_seconds(self) -> float:
        return settings.REDIS_RETRY_SECONDS

    def allows(self) -> bool:
        return time.monotonic() >= self._retry_at

    @property
    def down(self) -> bool:
        """An outage this breaker has seen and not yet seen end."""
        return self._down_since is not None

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._retry_at = now + self.retry_seconds
            starting = self._down_since is None
            if starting:
                self._down_since = now
        if starting:
            logger.warning(
                "%s unreachable (%s: %s): carrying on without it, trying again every %s s",
                self.name,
                error.__class__.__name__,
                error,
                self.retry_seconds,
            )

    def succeeded(self) -> bool:
        """Note a success; True when it ends an outage (once per outage and process)."""
        if self._down_since is None:
            return False
        with self._lock:
            since, self._down_since = self._down_since, None
        if since is None:
            return False
        logger.warning("%s reachable again after %.0f s", self.name, time.monotonic() - since)
        return True


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker(name: str) -> Breaker:
    """One breaker per name and process (cache backends are per thread; the outage is not)."""
    with _breakers_lock:
        return _breakers.setdefault(name, Breaker(name))


def _fallback(name: str, args, kwargs):
    if name == "get":
        return kwargs.get("default", args[1] if len(args) > 1 else None)
    if name == "get_many":
        return {}
    return None


def _guarded(name: str, method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if not self.breaker.allows():
            return _fallback(name, args, kwargs)
        try:
            result = method(self, *args, **kwargs)
        except OUTAGE_ERRORS as error:
            self.breaker.failed(error)
            return _fallback(name, args, kwargs)
        # Closing talks to nobody: it proves nothing about Redis.
        if name != "close" and self.breaker.succeeded():
            # Writes were dropped while it was away, among them the content version's moves of
            # the changes made meanwhile: what was cached before may be stale. A new version,
            # and a read again (a read of the version itself must see the new one; a write is
            # never repeated).
            bump_content_version()
            if name in {"get", "get_many"}:
                result = method(self, *args, **kwargs)
        return result

    return call


class ResilientRedisCache(RedisCache):
    """django-redis with a circuit breaker instead of IGNORE_EXCEPTIONS' traceback per call."""

    def __init__(self, server, params):
        super().__init__(server, params)
        # The breaker handles connection errors; anything else (a bug) still raises.
        self._ignore_exceptions = False
        location = urlsplit(server)  # named without its password
        self.breaker = breaker(f"cache {location.hostname}:{location.port}{location.path}")


for _name, _method in list(vars(RedisCache).items()):
    if callable(_method) and not _name.startswith("_"):
        setattr(ResilientRedisCache, _name, _guarded(_name, _method))
