"""The optional bearer keys of the integration endpoints (CONNECTOR_API_KEYS).

key_is_accepted("Bearer k-123", settings)   # True when no keys are set, or k-123 is one of them
"""

from __future__ import annotations

import secrets

from connector.settings import Settings


def key_is_accepted(authorization: str | None, settings: Settings) -> bool:
    """No keys configured: open. Otherwise the Authorization header must carry one of them as a bearer."""
    if not settings.api_keys:
        return True
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    offered = given.strip().encode()
    # Compare with every key, in constant time each, so the timing tells nothing about which one is near.
    matches = [secrets.compare_digest(offered, key.get_secret_value().encode()) for key in settings.api_keys]
    return any(matches)
