"""Limits per client on what costs money or fills tables: chat, enquiries and admin sign-in.

    limits = RateLimits.from_settings(settings)     # once per app, in create_app
    limits.take("chat", client_key(request))        # None, or the seconds to wait before asking again
    enforce(request, "enquiry")                     # the same, as an APIError 429 with Retry-After

Each group has one or more limits in the `limits` notation ("30/minute;500/day"), counted per client with
a sliding window counter, the one strategy every storage `limits` offers supports (memory, Redis,
Memcached, MongoDB). With memory:// the counts belong to one process; a shared store
(CONNECTOR_RATE_LIMIT_STORAGE) makes every API process count together. If that store cannot be reached
the request is served and a warning logged: an outage of the counter must not take the chat down.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Callable, Mapping

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from api.errors import APIError
from connector.errors import ConfigError
from connector.settings import Settings

log = logging.getLogger(__name__)

BUSY_MESSAGES = {
    "chat": "Too many questions from this address. Please wait a moment and try again.",
    "enquiry": "Too many enquiries from this address. Please wait a while and try again.",
    "admin-login": "Too many wrong passwords from this address. Wait a minute, then try again.",
}


class RateLimits:
    """Named groups of limits over one storage and one strategy."""

    def __init__(self, storage: Storage, groups: Mapping[str, list[RateLimitItem]]) -> None:
        self.storage = storage
        self.groups = dict(groups)
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        """The app's limits; a storage URI that `limits` cannot use stops start-up naming the variable."""
        try:
            storage = storage_from_string(settings.rate_limit_storage)
        except ConfigurationError as error:
            raise ConfigError(f"CONNECTOR_RATE_LIMIT_STORAGE cannot be used: {error}") from error
        if not isinstance(storage, Storage):  # an async+ scheme: the counts are taken from sync code
            raise ConfigError("CONNECTOR_RATE_LIMIT_STORAGE must not be an async+ storage")
        groups = {
            "chat": parse_many(settings.chat_rate) if settings.chat_rate else [],
            "enquiry": parse_many(settings.enquiry_rate) if settings.enquiry_rate else [],
            "admin-login": parse_many(settings.admin_login_rate) if settings.admin_login_rate else [],
        }
        return cls(storage, groups)

    def wait_seconds(self, group: str, client: str) -> int | None:
        """Seconds until this client may act again in this group, or None if it may now; counts nothing."""
        try:
            for item in self.groups.get(group, []):
                if not self._limiter.test(item, group, client):
                    return self._retry_after(item, group, client)
        except Exception as error:  # the shared store is down: serve rather than refuse everyone
            log.warning("rate limit store unavailable group=%s error=%s", group, type(error).__name__)
        return None

    def count(self, group: str, client: str) -> None:
        """Count one use by this client against every limit of the group."""
        try:
            for item in self.groups.get(group, []):
                self._limiter.hit(item, group, client)
        except Exception as error:
            log.warning("rate limit store unavailable group=%s error=%s", group, type(error).__name__)

    def take(self, group: str, client: str) -> int | None:
        """Count one use if the client has any left; else the seconds to wait (nothing counted)."""
        wait = self.wait_seconds(group, client)
        if wait is None:
            self.count(group, client)
        return wait

    def _retry_after(self, item: RateLimitItem, group: str, client: str) -> int:
        stats = self._limiter.get_window_stats(item, group, client)
        return max(1, math.ceil(stats.reset_time - time.time()))


def client_key(request: Request) -> str:
    """Who is asking: the peer address, which uvicorn has already taken from X-Forwarded-For when the
    peer is a trusted proxy (CONNECTOR_FORWARDED_ALLOW_IPS). An IPv6 client counts by its /64, the block
    one household or phone is given, so cycling through its own addresses gains nothing."""
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def app_limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits


def enforce(request: Request, group: str) -> None:
    """Count this request against the client's limits; an APIError 429 with Retry-After when used up."""
    client = client_key(request)
    wait = app_limits(request).take(group, client)
    if wait is None:
        return
    # No address at info level: it is personal data, and the access log already counts the 429s.
    log.info("rate limited group=%s retry_after=%d", group, wait)
    message = BUSY_MESSAGES.get(group, "Too many requests. Try again later.")
    raise APIError(429, "rate_limited", message, headers={"Retry-After": str(wait)})


def limited(group: str) -> Callable[[Request], None]:
    """A route dependency that enforces the group's limits before the body is even validated."""

    def dependency(request: Request) -> None:
        enforce(request, group)

    return dependency
