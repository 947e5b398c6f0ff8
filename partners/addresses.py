"""Where a webhook may go: never into the portal's own network.

Staff with partner access register endpoint URLs; a URL whose host is, or resolves to, a loopback,
private, link-local, shared or reserved address would let them make the portal's worker probe
internal hosts (the database, Redis, a cloud's metadata service at 169.254.169.254). Unless
WEBHOOK_ALLOW_PRIVATE_ADDRESSES (on in debug mode only: a local receiver), such an endpoint is
refused when it is saved (`webhook_url_refusal` in models.py) and again at each delivery, where
the address checked is the one connected to (a name that resolves elsewhere since, or to several
addresses, cannot slip through between the check and the connection).
"""

import ipaddress
import socket

from django.conf import settings


class AddressRefused(Exception):
    """The endpoint's host leads to an address webhooks may not reach (the message says why)."""


def is_public(address: str) -> bool:
    """Whether an IP address is on the public Internet (not loopback, private, link-local,
    shared, reserved, unspecified or multicast; an IPv4-mapped IPv6 address as its IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` names, in the resolver's order (an address is itself); OSError when
    it names none (a name the IDNA codec refuses included)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as exc:
        raise OSError(f"cannot resolve {host!r}: {exc}") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def refused_addresses(addresses: list[str]) -> list[str]:
    """Those of `addresses` webhooks may not reach (none when private addresses are allowed)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return []
    return [address for address in addresses if not is_public(address)]


def deliverable_addresses(host: str, port: int, *, refusal: str) -> list[str]:
    """The addresses to connect to for `host`; AddressRefused (with `refusal`) if any of them
    may not be reached. OSError when the name does not resolve (retried like any connection
    error)."""
    addresses = resolve(host, port)
    if refused_addresses(addresses):
        raise AddressRefused(refusal)
    return addresses


def connect_to(addresses: list[str], port: int):
    """A `create_connection` for http.client that connects to the checked `addresses` only, in
    turn (what socket.create_connection does with the resolver's answer), so the Host header and
    TLS still name the endpoint's host."""

    def create_connection(_address, timeout=None, source_address=None, *args, **kwargs):
        error = None
        for address in addresses:
            try:
                return socket.create_connection((address, port), timeout, source_address)
            except OSError as exc:
                error = exc
        raise error or OSError("no address to connect to")

    return create_connection
