"""The embeddable widget's files, its demo page and its configuration.

GET /widget.js            the script a Chamber pastes in (short cache, revalidated by ETag)
GET /widget.js?v=VERSION  the same file, cached for a year (VERSION changes with the content)
GET /widget.css           the widget's styles, loaded by widget.js into its shadow root
GET / and GET /demo       a Chamber-style page showing the widget and the snippet to copy
GET /v1/widget/config     title, contact, disclaimer and audiences the widget shows
"""

from __future__ import annotations

import hashlib
import html
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from connector.contact import human_contact
from connector.settings import Settings

router = APIRouter(tags=["widget"])

WIDGET_DIR = Path(__file__).resolve().parent.parent / "widget"
DISCLAIMER = (
    "Answers are AI-assisted and can be wrong. Check the linked sources, "
    "and talk to a person before making decisions."
)
AUDIENCES = [
    {"id": "employer", "label": "I'm an employer"},
    {"id": "learner", "label": "I'm looking for a course"},
    {"id": "provider", "label": "I'm a training provider"},
]
# Unversioned URLs are what Chambers paste, so a release must reach them within minutes; versioned
# URLs never change content, so browsers may keep them for a year.
SHORT_CACHE = "public, max-age=300, must-revalidate"
LONG_CACHE = "public, max-age=31536000, immutable"
VERSION_MARK = "__WIDGET_VERSION__"


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@lru_cache(maxsize=1)
def widget_version() -> str:
    """A short hash of the widget's sources: changes whenever either file changes."""
    digest = hashlib.sha256()
    for name in ("widget.js", "widget.css"):
        digest.update((WIDGET_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=4)
def load_asset(name: str) -> Asset:
    """Read a widget file once; the script learns its own version so it can load the matching CSS."""
    text = (WIDGET_DIR / name).read_text(encoding="utf-8")
    text = text.replace(VERSION_MARK, widget_version())
    body = text.encode("utf-8")
    media_type = "text/javascript" if name.endswith(".js") else "text/css"
    return Asset(body, f"{media_type}; charset=utf-8", f'"{hashlib.sha256(body).hexdigest()[:16]}"')


def asset_response(request: Request, name: str) -> Response:
    """The file with an ETag; 304 when the browser already has it."""
    asset = load_asset(name)
    versioned = request.query_params.get("v") == widget_version()
    headers = {
        "ETag": asset.etag,
        "Cache-Control": LONG_CACHE if versioned else SHORT_CACHE,
        "X-Content-Type-Options": "nosniff",
        # The script is meant to be loaded by other sites.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


@router.get("/widget.js", include_in_schema=False)
def widget_js(request: Request) -> Response:
    return asset_response(request, "widget.js")


@router.get("/widget.css", include_in_schema=False)
def widget_css(request: Request) -> Response:
    return asset_response(request, "widget.css")


@router.get("/v1/widget/config")
def widget_config(request: Request) -> dict[str, object]:
    settings: Settings = request.app.state.settings
    return {
        "title": settings.area_config.info.widget.title,
        "accent": settings.area_config.info.widget.accent,
        "contact": human_contact(settings),
        "disclaimer": DISCLAIMER,
        "audiences": AUDIENCES,
        "max_message_chars": settings.max_message_chars,
        "version": widget_version(),
    }


@lru_cache(maxsize=1)
def demo_template() -> str:
    return (WIDGET_DIR / "demo.html").read_text(encoding="utf-8")


def allowed_origins_html(settings: Settings) -> str:
    """The sites allowed to use the widget, so a web team can see at once whether theirs is one."""
    if not settings.cors_origins:
        return (
            "No other website is allowed yet: the widget works only on this page until the sites' addresses "
            "are added to <code>CONNECTOR_CORS_ORIGINS</code>."
        )
    origins = ", ".join(f"<code>{html.escape(origin)}</code>" for origin in settings.cors_origins)
    return f"Websites allowed now: {origins}."


def initials(name: str) -> str:
    """The demo page's logo letters: "Norfolk and Suffolk Chambers of Commerce" -> "NS"."""
    letters = [word[0] for word in name.split() if word[:1].isupper() and word != "Commerce"]
    return "".join(letters[:2]) or "SC"


def render_demo(request: Request, nonce: str) -> str:
    """The demo page, with the snippet pointing at this server."""
    settings: Settings = request.app.state.settings
    base = str(request.base_url).rstrip("/")
    values = {
        "{{BASE}}": html.escape(base),
        "{{VERSION}}": widget_version(),
        "{{CHAMBER}}": html.escape(settings.chamber_name),
        "{{AREA}}": html.escape(settings.area_name),
        "{{INITIALS}}": html.escape(initials(settings.chamber_name)),
        "{{ACCENT}}": html.escape(settings.area_config.info.widget.accent),
        "{{NONCE}}": nonce,
        "{{ORIGINS}}": allowed_origins_html(settings),
    }
    page = demo_template()
    for mark, value in values.items():
        page = page.replace(mark, value)
    return page


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/demo", response_class=HTMLResponse, include_in_schema=False)
def demo(request: Request) -> HTMLResponse:
    """Served under a strict CSP (no inline script or style without a nonce), as a careful Chamber site
    would be: the widget must work there."""
    nonce = secrets.token_urlsafe(16)
    csp = (
        f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
    headers = {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
    }
    return HTMLResponse(render_demo(request, nonce), headers=headers)
