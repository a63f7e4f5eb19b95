"""URL rules for the crawler: normal forms, scope (same site, include/exclude) and where we may connect.

normalise_url("HTTP://Example.org:80/a#top")   # 'http://example.org/a'
await resolve_checked("http://10.0.0.5/", allow_private=False)  # raises UnsafeURLError
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

from connector.errors import UnsafeURLError

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def normalise_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of a (possibly relative) http(s) URL, or None if it is not a crawlable URL
    (another scheme, no host, a user:password part).

    Fragments and default ports are dropped and the scheme and host lower-cased; path and query are
    kept as they are (sorting or unescaping them would make different pages look the same).
    """
    try:
        parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname or parts.username is not None:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def site_key(url: str) -> str:
    """What 'same site' compares: the host without a leading www. plus any non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    port = parts.port
    if port is None or port == DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


def origin(url: str) -> str:
    """scheme://host[:port] of a URL (robots.txt and rate limits are per origin)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (http and https, with or without www.)."""
    return site_key(url) == site_key(other)


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def in_scope(url: str, include: list[str], exclude: list[str]) -> bool:
    """Include patterns (any must match, if given) and exclude patterns (none may match) on path+query."""
    target = path_and_query(url)
    if include and not any(re.search(pattern, target) for pattern in include):
        return False
    return not any(re.search(pattern, target) for pattern in exclude)


def is_public_address(address: str | IPAddress) -> bool:
    """False for loopback, private, link-local (incl. 169.254.169.254), CGNAT, multicast, reserved,
    unspecified and their IPv6 forms (IPv4-mapped, 6to4, Teredo are unwrapped first)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(embedded):
            return False
    blocked = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return ip.is_global and not blocked


def check_url_shape(url: str) -> None:
    """Refuse anything but plain http(s) URLs with a host and no user:password part."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise UnsafeURLError(url, "fetch", f"invalid URL ({error})") from error
    if parts.scheme.lower() not in SCHEMES:
        raise UnsafeURLError(url, "fetch", f"scheme {parts.scheme or '(none)'!r} is not allowed")
    if not parts.hostname:
        raise UnsafeURLError(url, "fetch", "URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError(url, "fetch", "URLs with a user name or password are not allowed")


async def resolve_checked(url: str, allow_private: bool) -> list[str]:
    """The IP addresses to connect to for `url`, after checking them; raises UnsafeURLError if any is
    not public (unless allow_private: a host the operator named on purpose)."""
    check_url_shape(url)
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"cannot resolve {parts.hostname}: {error}") from error
    addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    if not addresses:
        raise OSError(f"cannot resolve {parts.hostname}")
    if not allow_private:
        bad = [address for address in addresses if not is_public_address(address)]
        if bad:
            named = bad[0] if parts.hostname in (bad[0], f"[{bad[0]}]") else f"{parts.hostname} ({bad[0]})"
            raise UnsafeURLError(url, "fetch", f"{named} is not a public address")
    return addresses
