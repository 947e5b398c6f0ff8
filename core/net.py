"""The client's address: one rule for every limit and log (API throttles, django-axes, the public
forms' rate limits, the request log).

`TRUSTED_PROXY_COUNT` says how many proxies of ours stand in front of the portal. 0 (the default,
no proxy): the address is the connection's, `REMOTE_ADDR`. N: each of our proxies appends the
address it received the request from to `X-Forwarded-For`, so the N-th entry from the right is
the one our outermost proxy saw; everything left of it was written by the client and is ignored.
A header with fewer entries than that (a request that did not pass through every proxy) or a
malformed entry falls back to `REMOTE_ADDR`, never to what the client wrote.

Limits count `client_network`: an IPv4 address, or the /64 an IPv6 address is in (one
subscriber's network: a client may use any of its 2^64 addresses, each of which would otherwise
be a fresh bucket).
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [part for part in entries if part]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def client_network(request) -> str:
    """What a limit counts (see the module's docstring): an IPv6 /64 is written as its first
    address, so that it stays a valid address wherever one is stored (django-axes)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # an IPv4 client seen through an IPv6 socket
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
