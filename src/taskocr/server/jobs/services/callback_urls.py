"""Where a webhook may go: never to this machine or its private network (server-side
request forgery), unless TASKOCR_WEBHOOK_ALLOW_PRIVATE=1 says the operator means it.

A URL is checked when it is given (upload) and again just before each POST, after DNS
resolution; the POST then connects to the address that was checked, so a name that
resolves to a public address at first and to 127.0.0.1 a moment later (rebinding) cannot
slip through. Hosts are read the way the C library reads them, so ``2130706433``,
``0x7f.1`` and ``0177.0.0.1`` are all 127.0.0.1 here too.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from taskocr.errors import InputError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class UnsafeCallback(InputError):
    code = "unsafe_callback_url"
    field = "callback_url"


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written, for the Host header and TLS name checks
    port: int
    path: str  # path and query
    address: str  # the checked address the connection goes to


def _allow_private() -> bool:
    return bool(settings.TASKOCR.get("WEBHOOK_ALLOW_PRIVATE"))


def _literal(host: str) -> Address | None:
    """The address a host spelled as a number stands for, in any spelling a resolver
    accepts (dotted, decimal, octal, hex, shortened), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def forbidden(addr: Address) -> str | None:
    """Why a webhook may not go to ``addr``, or None if it may."""
    if isinstance(addr, ipaddress.IPv6Address):
        embedded = addr.ipv4_mapped or addr.sixtofour or (addr.teredo or (None, None))[1]
        if embedded is not None:
            return forbidden(embedded)
        if addr in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64 of an IPv4 address
            return forbidden(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    for kind in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(addr, f"is_{kind}"):
            return kind.replace("_", "-")
    if not addr.is_global:
        return "non-public"
    return None


def _parse(url: str):
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeCallback(f"callback_url is not a valid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeCallback("callback_url must be an http(s) URL")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeCallback("callback_url has no host")
    if parts.username or parts.password:
        raise UnsafeCallback("callback_url must not carry a user name or password")
    return parts, host, port or (443 if parts.scheme.lower() == "https" else 80)


def _refuse(url_host: str, addr: Address, reason: str):
    where = url_host if str(addr) == url_host else f"{url_host} ({addr})"
    return UnsafeCallback(
        f"callback_url points at a {reason} address {where}; webhooks only go to public "
        "addresses (set TASKOCR_WEBHOOK_ALLOW_PRIVATE=1 to allow private ones)"
    )


def _resolve(host: str, port: int) -> list[Address]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def check(url: str) -> str:
    """Refuse a callback URL that is not http(s) or names a non-public host. A name that
    does not resolve yet is accepted here; the check before sending decides."""
    parts, host, port = _parse(url)
    if _allow_private():
        return url
    lowered = host.lower()
    if lowered in _LOCAL_NAMES or lowered.endswith(".localhost"):
        raise UnsafeCallback(f"callback_url points at this machine ({host})")
    addr = _literal(host)
    candidates = [addr] if addr is not None else []
    if addr is None:
        try:
            candidates = _resolve(host, port)
        except (OSError, UnicodeError):
            candidates = []
    for a in candidates:
        if reason := forbidden(a):
            raise _refuse(host, a, reason)
    return url


def target(url: str) -> Target:
    """Resolve the URL's host now and pick the address to connect to; raises
    UnsafeCallback if any address it resolves to is not public, OSError if it does not
    resolve."""
    parts, host, port = _parse(url)
    addr = _literal(host)
    addresses = [addr] if addr is not None else _resolve(host, port)
    if not addresses:
        raise OSError(f"{host} has no address")
    if not _allow_private():
        for a in addresses:  # all of them: a name with one private address is refused
            if reason := forbidden(a):
                raise _refuse(host, a, reason)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme.lower(), host, port, path, str(addresses[0]))
