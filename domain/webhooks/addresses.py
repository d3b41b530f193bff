"""Where a webhook may call: the URL rules and the guard against server-side request forgery.

A webhook URL is https (plain http only in development), names a host, and carries no user name,
password or fragment. Every address its host resolves to must be public: private (10/8,
172.16/12, 192.168/16, fc00::/7), loopback (127/8, ::1), link-local (169.254/16 with the cloud
metadata service, fe80::/10), shared, multicast, unspecified and reserved addresses are refused,
IPv4 inside IPv6 included, unless TRIBUTARY_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is set. The check
runs at registration and again at each delivery, and the delivery connects to the address it
checked (not to a second resolution), so a host whose DNS answer changes in between (DNS
rebinding) still cannot reach an inside address."""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.shared.config import Settings
from domain.shared.errors import DomainError
from domain.webhooks.errors import WebhookErrorCode
from domain.webhooks.tables import URL_MAX

URL_FIELD = ["input", "url"]
RESOLVE_TIMEOUT_SECONDS = 3.0


class UrlInvalid(DomainError):
    code = WebhookErrorCode.WEBHOOK_URL_INVALID


class AddressNotAllowed(DomainError):
    code = WebhookErrorCode.WEBHOOK_ADDRESS_NOT_ALLOWED


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL: its parts, and the address the delivery connects to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def parse(url: str, settings: Settings, field: list[str] = URL_FIELD):
    """The URL's parts, or WEBHOOK_URL_INVALID (WEBHOOK_ADDRESS_NOT_ALLOWED for http outside
    development)."""
    if not isinstance(url, str) or not url or len(url) > URL_MAX or any(c.isspace() for c in url):
        raise UrlInvalid(f"A webhook URL is an absolute https:// URL of at most {URL_MAX} characters, without spaces.",
                         field=field)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlInvalid("The webhook URL cannot be read (a bad port or host).", field=field) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UrlInvalid("A webhook URL is an absolute https:// URL with a host.", field=field)
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise UrlInvalid("A webhook URL carries no user name, password or #fragment: authenticate the request with its"
                         " signature.", field=field)
    if parts.scheme == "http" and not settings.development:
        raise AddressNotAllowed("Webhooks are sent over https only: give an https:// URL.", field=field)
    return parts, port or (443 if parts.scheme == "https" else 80)


def refused(address: str) -> bool:
    """Whether an address is one a webhook may not call: anything not plainly public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None:
            return refused(str(mapped))
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an IP literal is its own), or []."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError, UnicodeError):
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


async def check(url: str, settings: Settings, field: list[str] = URL_FIELD) -> Target:
    """The URL checked as the module says, with the address to connect to. Raises
    WEBHOOK_URL_INVALID (malformed, or a host that does not resolve) or
    WEBHOOK_ADDRESS_NOT_ALLOWED (http outside development, or an address not public)."""
    parts, port = parse(url, settings, field)
    host = parts.hostname
    addresses = await resolve(host, port)
    if not addresses:
        raise UrlInvalid("The webhook URL's host does not resolve to any address.", field=field)
    if not settings.webhooks_allow_private_addresses:
        if any(refused(a) for a in addresses):
            raise AddressNotAllowed("The webhook URL points at a private, loopback, link-local or reserved address;"
                                    " webhooks call public addresses only.", field=field)
    return Target(url=url, scheme=parts.scheme, host=host, port=port, address=addresses[0])
