"""Rendering admin pages: autoescaped Jinja2 templates, security headers, forms, and the sign-in guard.

user = require_admin(request)                       # AdminStop: 503 / redirect / 401 otherwise
return page(request, "questions.html", rows=rows)   # the session cookie is set if it changed
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from api.admin.auth import AdminStop, admin_auth

FORM_MAX_BYTES = 8192
# Pages hold no script and load nothing from elsewhere; they are never framed or cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@lru_cache(maxsize=1)
def templates() -> Environment:
    # The admin's own pages first, then the shared ones (charts.html, also used by the report file).
    loader = ChoiceLoader(
        [PackageLoader("connector", "templates/admin"), PackageLoader("connector", "templates")]
    )
    env = Environment(loader=loader, autoescape=select_autoescape(["html"]))
    env.globals["quote"] = quote
    return env


def secured(request: Request, response: Response) -> Response:
    """The security headers, and the session cookie when this request changed it."""
    response.headers.update(SECURITY_HEADERS)
    return admin_auth(request).save(request, response)


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """An admin page with the user, the CSRF token and the current path for the layout."""
    auth = admin_auth(request)
    html = (
        templates()
        .get_template(template)
        .render(
            csrf_token=auth.session(request)["csrf"],
            user=auth.user(request) if auth.configured else None,
            path=request.url.path,
            password_login=auth.password_login,
            **context,
        )
    )
    return secured(request, HTMLResponse(html, status_code=status_code))


def stop_page(request: Request, template: str, status_code: int, **context: Any) -> AdminStop:
    return AdminStop(page(request, template, status_code=status_code, **context))


def require_admin(request: Request) -> str:
    """The signed-in user, or an AdminStop: 503 when admin is not configured, else a redirect to the login
    page for a browser and 401 for anything else."""
    auth = admin_auth(request)
    if not auth.configured:
        raise stop_page(request, "not_configured.html", 503)
    user = auth.user(request)
    if user:
        return user
    if "text/html" in request.headers.get("accept", ""):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        redirect = RedirectResponse(f"/admin/login?next={quote(target, safe='')}", status_code=303)
        raise AdminStop(secured(request, redirect))
    unauthorised = JSONResponse(
        {"error": "unauthorised", "message": "Sign in to the admin first."}, status_code=401
    )
    raise AdminStop(secured(request, unauthorised))


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded form, first value of each field (no multipart: the admin's forms upload nothing)."""
    body = await request.body()
    if len(body) > FORM_MAX_BYTES:
        raise stop_page(request, "message.html", 413, title="Too large", message="That form was too large.")
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


async def checked_form(request: Request) -> dict[str, str]:
    """The form, after the CSRF check (403 without the session's token)."""
    form = await read_form(request)
    if not admin_auth(request).csrf_ok(request, form):
        raise stop_page(
            request,
            "message.html",
            403,
            title="Form expired",
            message="This form did not come from the admin or has expired. Reload the page and try again.",
        )
    return form


def back_to(request: Request, target: str) -> Response:
    """A 303 after a successful POST, so reloading does not send the form again."""
    return secured(request, RedirectResponse(target, status_code=303))


async def admin_stop_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AdminStop)
    return exc.response
