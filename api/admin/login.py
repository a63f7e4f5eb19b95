"""GET/POST /admin/login and POST /admin/logout.

A wrong password gets 401 and counts against the client's address; past CONNECTOR_ADMIN_LOGIN_RATE the
address gets 429 until the window moves on, whatever password it sends.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response

from api.admin.auth import PASSWORD_USER, admin_auth, client_address
from api.admin.render import back_to, checked_form, page, stop_page

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path inside the admin: never an open redirect to another site."""
    if target and target.startswith("/admin") and "//" not in target and "\\" not in target:
        return target
    return "/admin"


@router.get("/admin/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    auth = admin_auth(request)
    if not auth.configured:
        raise stop_page(request, "not_configured.html", 503)
    if auth.user(request):
        return back_to(request, safe_next(next))
    return page(request, "login.html", next=safe_next(next), error=None)


@router.post("/admin/login")
async def login(request: Request) -> Response:
    auth = admin_auth(request)
    if not auth.configured:
        raise stop_page(request, "not_configured.html", 503)
    client = client_address(request)
    wait = auth.login_wait(client)
    if wait is not None:
        message = "Too many wrong passwords from this address. Wait a minute, then try again."
        blocked = page(request, "message.html", 429, title="Too many attempts", message=message)
        blocked.headers["Retry-After"] = str(wait)
        return blocked
    form = await checked_form(request)
    target = safe_next(form.get("next"))
    if not auth.password_login:
        return page(request, "login.html", 401, next=target, error="Sign in through your organisation.")
    # scrypt takes tens of milliseconds of CPU: off the event loop.
    if await asyncio.to_thread(auth.check_password, form.get("password", ""), client):
        auth.start_session(request, PASSWORD_USER)
        return back_to(request, target)
    return page(request, "login.html", 401, next=target, error="That password is not right.")


@router.post("/admin/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    admin_auth(request).end_session(request)
    return back_to(request, "/admin/login")
