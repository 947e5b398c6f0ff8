"""Absolute links to the portal: one origin for e-mails, feeds, calendars, citations and the API.

In production (DEBUG off) the origin is always SITE_URL, never the request's: a client chooses its
Host header (ALLOWED_HOSTS ignores the port, so `Host: example.org:6666` passes), and a link built
from it would reach every visitor through the page and API caches. In debug mode, unless SITE_URL
is set explicitly, the origin is the request's, so `make run` on any port (or host) gives links
that work: `RequestOriginMiddleware` remembers the request for its duration, which covers tasks
run eagerly inside it (sign-in e-mails without Redis). Outside any request (a worker, beat, a
management command) the origin is SITE_URL.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings

_request: ContextVar = ContextVar("s4c_links_request", default=None)


def configured_origin() -> str | None:
    """SITE_URL when it decides every link (production, or set explicitly); None when links
    follow the request (debug mode without SITE_URL)."""
    if not settings.DEBUG or settings.SITE_URL_EXPLICIT:
        return settings.SITE_URL
    return None


def site_origin(request=None) -> str:
    """`scheme://host[:port]` of absolute links, without a trailing slash."""
    origin = configured_origin()
    if origin is not None:
        return origin
    request = request if request is not None else _request.get()
    if request is None:
        return settings.SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(path: str, *, request=None) -> str:
    """The absolute URL of a path of the portal (`/en/hub/…`), from `site_origin`."""
    return f"{site_origin(request)}{path}"


def site_domain(request=None) -> str:
    """host[:port] of `site_origin` (for sitemaps and feeds, which ask for a domain)."""
    return urlsplit(site_origin(request)).netloc


@contextmanager
def origin_from_settings():
    """Links built inside it use SITE_URL even in debug mode: what is stored (the change feed's
    digests) must not depend on which request, or which port, happened to compute it."""
    token = _request.set(None)
    try:
        yield
    finally:
        _request.reset(token)


class RequestOriginMiddleware:
    """Remembers the current request for `site_origin` in debug mode (a no-op in production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if configured_origin() is not None:
            return self.get_response(request)
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
