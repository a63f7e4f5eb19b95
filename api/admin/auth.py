"""Who is signed in to /admin: a signed session cookie, CSRF tokens, and a rate limit on wrong passwords.

    auth = admin_auth(request)          # one per app
    session = auth.session(request)     # {"csrf": "...", "user": "admin" | None}; new if none was sent
    auth.check_csrf(request, form)      # raises AdminStop(403) unless the form carries the session's token

The cookie holds only a random CSRF token, the user's name and when they signed in, signed with
CONNECTOR_ADMIN_SECRET (itsdangerous) so it cannot be forged or extended; it is HttpOnly, SameSite=Strict,
scoped to /admin, and Secure when the request came over https. A proxy's header
(CONNECTOR_ADMIN_TRUSTED_HEADER) signs a user in only when that setting is set and the user is listed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from api.rate_limits import RateLimits, client_key
from connector.admin_password import verify_password
from connector.settings import Settings

log = logging.getLogger(__name__)

COOKIE = "connector_admin"
COOKIE_PATH = "/admin"
PASSWORD_USER = "admin"


class AdminStop(Exception):  # noqa: N818 - it carries the response that ends the request
    """Ends an admin request with this response (a redirect, a 401/403/429/503 page)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class AdminAuth:
    """The admin's sign-in state for one app: the cookie signer and the wrong-password limiter."""

    def __init__(self, settings: Settings, limits: RateLimits) -> None:
        self.settings = settings
        self.limits = limits
        if not settings.admin_secret and self.configured:
            log.warning("admin sessions use a random key: set CONNECTOR_ADMIN_SECRET to keep them on restart")
        secret = settings.admin_secret or secrets.token_urlsafe(32)
        self._signer = URLSafeTimedSerializer(secret, salt="connector-admin-session")

    @property
    def configured(self) -> bool:
        """A password hash, or a trusted header with at least one allowed user."""
        settings = self.settings
        return bool(settings.admin_password_hash) or bool(
            settings.admin_trusted_header and settings.admin_allowed_users
        )

    @property
    def password_login(self) -> bool:
        return bool(self.settings.admin_password_hash)

    def session(self, request: Request) -> dict[str, Any]:
        """The session the cookie carries, or a new anonymous one (saved when the response is built)."""
        cached = getattr(request.state, "admin_session", None)
        if cached is not None:
            return cached
        session = self._read(request.cookies.get(COOKIE, ""))
        if session is None:
            session = {"csrf": secrets.token_urlsafe(24), "user": None, "since": time.time()}
            request.state.admin_session_changed = True
        request.state.admin_session = session
        return session

    def _read(self, cookie: str) -> dict[str, Any] | None:
        if not cookie:
            return None
        max_age = int(self.settings.admin_session_hours * 3600)
        try:
            data = self._signer.loads(cookie, max_age=max_age)
        except BadSignature:  # also an expired one (SignatureExpired is a BadSignature)
            return None
        return data if isinstance(data, dict) and isinstance(data.get("csrf"), str) else None

    def start_session(self, request: Request, user: str) -> None:
        """A fresh session (new CSRF token) for a user who just signed in: no fixation of an old one."""
        request.state.admin_session = {
            "csrf": secrets.token_urlsafe(24),
            "user": user,
            "since": time.time(),
            "password": self._password_mark(),
        }
        request.state.admin_session_changed = True

    def _password_mark(self) -> str:
        # A short digest of the stored hash: setting a new password ends the sessions made with the old one.
        stored = (self.settings.admin_password_hash or "").encode("utf-8")
        return hashlib.sha256(stored).hexdigest()[:16]

    def end_session(self, request: Request) -> None:
        request.state.admin_session = {"csrf": secrets.token_urlsafe(24), "user": None, "since": time.time()}
        request.state.admin_session_changed = True

    def save(self, request: Request, response: Response) -> Response:
        """Set the cookie if this request created or changed the session."""
        if getattr(request.state, "admin_session_changed", False):
            response.set_cookie(
                COOKIE,
                self._signer.dumps(request.state.admin_session),
                max_age=int(self.settings.admin_session_hours * 3600),
                path=COOKIE_PATH,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
        return response

    def user(self, request: Request) -> str | None:
        """The signed-in user: the proxy's header when configured and allowed, else the session's."""
        header = self.settings.admin_trusted_header
        if header and self.settings.admin_allowed_users:
            claimed = request.headers.get(header, "").strip().lower()
            if claimed and claimed in {u.strip().lower() for u in self.settings.admin_allowed_users}:
                return claimed
        session = self.session(request)
        signed_in = session.get("user") == PASSWORD_USER and session.get("password") == self._password_mark()
        return PASSWORD_USER if self.password_login and signed_in else None

    def csrf_ok(self, request: Request, form: dict[str, str]) -> bool:
        """The form's token is the session's (a cross-site form cannot read it)."""
        sent = form.get("csrf_token", "")
        return bool(sent) and hmac.compare_digest(sent, self.session(request)["csrf"])

    def login_wait(self, client: str) -> int | None:
        """Seconds until this address may try again when it has used up its wrong passwords, else None."""
        return self.limits.wait_seconds("admin-login", client)

    def check_password(self, password: str, client: str) -> bool:
        """True for the right password; a wrong one counts against the address and is logged (not the
        password)."""
        stored = self.settings.admin_password_hash or ""
        if stored and verify_password(password, stored):
            log.info("admin login client=%s", client)
            return True
        self.limits.count("admin-login", client)
        log.warning("admin login failed client=%s", client)
        return False


def admin_auth(request: Request) -> AdminAuth:
    """The app's AdminAuth, built on first use."""
    auth = getattr(request.app.state, "admin_auth", None)
    if auth is None:
        auth = AdminAuth(request.app.state.settings, request.app.state.rate_limits)
        request.app.state.admin_auth = auth
    return auth


def client_address(request: Request) -> str:
    """The address wrong passwords count against: the same key as every other limit per client."""
    return client_key(request)
