"""Admin password hashes: scrypt from the standard library, so no extra package is needed to log in.

    stored = hash_password("correct horse battery staple")   # "scrypt$16384$8$1$<salt>$<hash>"
    verify_password("correct horse battery staple", stored)  # True

The parameters travel inside the hash, so they can be raised later without breaking stored hashes.
`connector admin hash-password` prints one for CONNECTOR_ADMIN_PASSWORD_HASH.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
# n=2**14, r=8, p=1: the interactive-login cost recommended for scrypt (about 16 MB, tens of ms).
COST_N, BLOCK_R, PARALLEL_P = 2**14, 8, 1
KEY_BYTES = 32
MIN_PASSWORD_CHARS = 12


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=2**26)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    """A salted scrypt hash with its parameters, for settings."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"the admin password must be at least {MIN_PASSWORD_CHARS} characters")
    salt = secrets.token_bytes(16)
    key = _derive(password, salt, COST_N, BLOCK_R, PARALLEL_P)
    return f"{SCHEME}${COST_N}${BLOCK_R}${PARALLEL_P}${_b64(salt)}${_b64(key)}"


def is_password_hash(stored: str) -> bool:
    """True when `stored` has the shape hash_password gives (settings refuse anything else)."""
    parts = stored.split("$")
    return len(parts) == 6 and parts[0] == SCHEME and all(part.isdigit() for part in parts[1:4])


def verify_password(password: str, stored: str) -> bool:
    """True when the password matches; compared in constant time."""
    if not is_password_hash(stored):
        return False
    _, n, r, p, salt, key = stored.split("$")
    try:
        candidate = _derive(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, _unb64(key))
