"""The portal's WSGI application plus one test-only probe, for tests/deploy/test_proxy.py.

`/__probe__/headers` answers with what the front server passed on (the client address headers, the request id),
which the portal itself never shows; every other path is the real application.
"""

import json

from s4c.wsgi import application as portal

PASSED_ON = (
    "REMOTE_ADDR",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_REAL_IP",
    "HTTP_X_REQUEST_ID",
)


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/__probe__/headers":
        body = json.dumps({name: environ.get(name) for name in PASSED_ON}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]
    return portal(environ, start_response)
