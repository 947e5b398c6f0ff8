"""Request ids, structured request logs and slow-query logging.

Every request gets an id that is echoed in the response and attached to every log record written
while the request is served (and to django.request's lines about it, written after the request's
context is gone), so one request can be followed through the logs. Behind our front server
(TRUSTED_PROXY_COUNT ≥ 1) the id is the proxy's `X-Request-ID`, which nginx sets from its own
`$request_id` over whatever the client sent, so nginx's access log and the portal's share it;
without a proxy of ours the header is the client's and is ignored.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import connection
from gunicorn import glogging

from core.net import client_ip

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_logger = logging.getLogger("s4c.request")
slow_query_logger = logging.getLogger("s4c.slow_query")


def redact(text: str) -> str:
    """`text` with the secret parts of URLs (LOG_REDACTED_PATHS: sign-in tokens) replaced."""
    for pattern in _redacted_paths():
        text = pattern.sub(lambda m: m.group(0).replace(m.group("secret"), "[redacted]"), text)
    return text


_compiled: list[re.Pattern] = []


def _redacted_paths() -> list[re.Pattern]:
    if not _compiled:
        _compiled.extend(re.compile(p) for p in settings.LOG_REDACTED_PATHS)
    return _compiled


class RedactSecretsFilter(logging.Filter):
    """No log line holds a secret from a URL: the message, the request log's `path`, and the
    request that django.request attaches (a JSON formatter would print its repr)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        for name in ("path", "request"):
            value = getattr(record, name, None)
            if value is not None and not isinstance(value, int | float):
                text = str(value) if name == "path" else repr(value)
                if redact(text) != text:
                    setattr(record, name, redact(text))
        return True


class GunicornLogger(glogging.Logger):
    """gunicorn's access log (`gunicorn.conf.py`) with the same redaction: request line, path,
    query and headers (the Referer of a page opened from a sign-in link)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (`-` outside a request). django.request logs a 4xx or
    5xx after the request log's middleware has left (its context variable reset): its records
    carry the request itself, whose id is read there."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


def _incoming_request_id(request) -> str | None:
    """The front server's request id: only behind a proxy of ours (TRUSTED_PROXY_COUNT), which
    sets the header itself; a client's own header is never taken for the log's id."""
    if settings.TRUSTED_PROXY_COUNT < 1:
        return None
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _SANE_REQUEST_ID.match(incoming) else None


class _SlowQueryLogger:
    def __init__(self, threshold_ms: float):
        self.threshold_ms = threshold_ms

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            if elapsed_ms >= self.threshold_ms:
                slow_query_logger.warning(
                    "slow query",
                    extra={"duration_ms": round(elapsed_ms, 1), "sql": sql[:2000]},
                )


class RequestLogMiddleware:
    """Assigns the request id, logs one structured line per request, watches for slow queries."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.slow_queries = _SlowQueryLogger(settings.SLOW_QUERY_MS)

    def __call__(self, request):
        request_id = _incoming_request_id(request) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(self.slow_queries):
                response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": redact(request.path),
                    "client": client_ip(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def init_error_reporting(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    """Optional error reporting (Sentry-compatible), only when a DSN is configured."""
    if not dsn:
        return
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # never ship applicants' personal data to a third party
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )


def scrub_event(event: dict, hint=None) -> dict:
    """An error report carries the request's URL, headers (Referer) and, for a transaction, its
    name: without their secrets (LOG_REDACTED_PATHS), like every log line."""
    request = event.get("request") or {}
    for key in ("url", "query_string"):
        if isinstance(request.get(key), str):
            request[key] = redact(request[key])
    headers = request.get("headers")
    if isinstance(headers, dict):
        for name, value in headers.items():
            if isinstance(value, str):
                headers[name] = redact(value)
    if isinstance(event.get("transaction"), str):
        event["transaction"] = redact(event["transaction"])
    return event


class DatabaseUnavailableMiddleware:
    """A database that is restarting is a short 503 with Retry-After, not a 500.

    Connections are health-checked and reopened on the next request (CONN_HEALTH_CHECKS), so the
    portal recovers by itself as soon as the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .errors import database_unavailable, is_database_outage

        if not is_database_outage(exception):
            return None
        return database_unavailable(request, exception)
