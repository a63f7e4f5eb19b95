"""GET /corpus and GET /corpus/{slug}: the bundled guides as small, readable HTML pages.

    GET /corpus/apprenticeship-levy  -> text/html: title, last reviewed date, the guide, its sources
    GET /corpus                      -> text/html list (JSON with `Accept: application/json`)

Chat answers cite bundled guides as /corpus/<slug>, so every cited guide must open here. Markdown is
rendered with raw HTML switched off and every front-matter value is escaped: a guide can never inject
markup or script into the page.
"""

from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markdown_it import MarkdownIt

from api.errors import documented
from connector.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

router = APIRouter(tags=["corpus"])

CORPUS_DOCS_DIR = PROJECT_ROOT / "corpus" / "docs"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# CommonMark plus tables; raw HTML is shown as text, and javascript:/data: links are not made links.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
AUDIENCE_NAMES = {"employer": "employers", "learner": "learners", "provider": "colleges and providers"}


@dataclass(frozen=True)
class CorpusDocument:
    """One bundled guide: its front matter and its Markdown body."""

    slug: str
    title: str
    audience: tuple[str, ...]
    doc_type: str
    sources: tuple[str, ...]
    last_reviewed: str  # ISO date, or "" when the front matter has none
    body: str
    path: Path


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter (a mapping) and the body; raises ValueError if the front matter is bad."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ValueError("no front matter")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, text[match.end() :]


def _as_list(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(str(item).strip() for item in items if str(item).strip())


def read_corpus_document(path: Path) -> CorpusDocument:
    """Parse one guide; raises ValueError naming what is wrong (no slug, bad slug, no title...)."""
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    slug = str(meta.get("slug") or "").strip()
    title = str(meta.get("title") or "").strip()
    if not SLUG.match(slug):
        raise ValueError(f"slug {slug!r} is missing or not lower-case letters, digits and hyphens")
    if not title:
        raise ValueError("title is missing")
    reviewed = meta.get("last_reviewed")
    return CorpusDocument(
        slug=slug,
        title=title,
        audience=_as_list(meta.get("audience")),
        doc_type=str(meta.get("doc_type") or "").strip(),
        sources=_as_list(meta.get("sources")),
        last_reviewed=reviewed.isoformat() if isinstance(reviewed, date) else str(reviewed or ""),
        body=body,
        path=path,
    )


def _markdown_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for parent, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(parent) / f for f in files if f.endswith(".md") and not f.startswith("."))
    return sorted(found)


def load_corpus(folder: Path) -> dict[str, CorpusDocument]:
    """Every readable guide under `folder` by slug; bad files and repeated slugs are logged and skipped."""
    documents: dict[str, CorpusDocument] = {}
    for path in _markdown_files(folder):
        try:
            doc = read_corpus_document(path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            logger.warning("corpus document skipped path=%s reason=%s", path, exc)
            continue
        if doc.slug in documents:
            logger.warning(
                "corpus slug repeated slug=%s path=%s kept=%s", doc.slug, path, documents[doc.slug].path
            )
            continue
        documents[doc.slug] = doc
    return documents


def _file_stamp(path: Path) -> tuple[str, int, int]:
    try:
        info = path.stat()
    except OSError:  # removed while we looked: the signature still differs, so the folder is re-read
        return (str(path), -1, -1)
    return (str(path), info.st_mtime_ns, info.st_size)


def _corpus(request: Request) -> dict[str, CorpusDocument]:
    """The shared guides and the served area's own, re-read only when a file was added, removed or
    changed."""
    folders = _guide_folders(request)
    files = [path for folder in folders for path in _markdown_files(folder)]
    signature = (tuple(map(str, folders)), tuple(_file_stamp(p) for p in files))
    cached = getattr(request.app.state, "corpus_cache", None)
    if cached is None or cached[0] != signature:
        documents: dict[str, CorpusDocument] = {}
        for folder in folders:  # a shared guide keeps its slug over an area guide of the same slug
            documents = {**load_corpus(folder), **documents}
        cached = (signature, documents)
        request.app.state.corpus_cache = cached
    return cached[1]


def _guide_folders(request: Request) -> list[Path]:
    chosen = getattr(request.app.state, "corpus_docs_dir", None)
    if chosen is not None:  # a test's own folder
        return [Path(chosen)]
    return [CORPUS_DOCS_DIR, request.app.state.settings.area_config.guides_dir]


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def _human_date(iso: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def _source_item(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<li><a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a></li>'
    return f"<li>{_e(url)}</li>"


def _audience_text(audience: tuple[str, ...]) -> str:
    return ", ".join(AUDIENCE_NAMES.get(a, a) for a in audience)


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.6;color:#1b1b1b;
background:#fff;margin:0}
main,header,footer{max-width:44rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
a{color:#0b4f9c;overflow-wrap:anywhere}a:focus{outline:3px solid #ffbf47;outline-offset:2px}
main{overflow-wrap:break-word}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#ffbf47;color:#000;padding:.5rem}
h1{font-size:1.9rem;line-height:1.25}h2{font-size:1.35rem;margin-top:2rem}
li{margin-bottom:.4rem}.meta{color:#4a4a4a}table{border-collapse:collapse;display:block;overflow-x:auto}
th,td{border:1px solid #b1b4b6;padding:.3rem .6rem}
footer{border-top:1px solid #b1b4b6;margin-top:3rem;padding-bottom:2rem;color:#4a4a4a;font-size:.95rem}
"""


def _page(title: str, main: str, footer: str) -> str:
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} | Skills Connector</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#content">Skip to the guide</a>\n'
        '<header><nav aria-label="Guides"><a href="/corpus">All guides</a></nav></header>\n'
        f'<main id="content">\n{main}\n</main>\n<footer>{footer}</footer>\n</body>\n</html>\n'
    )


def _footer(request: Request) -> str:
    settings = request.app.state.settings
    email, page = settings.chamber_contact_email, settings.chamber_contact_url
    contact = (
        f'<a href="mailto:{_e(email)}">{_e(email)}</a>'
        if email
        else f'<a href="{_e(page)}">{_e(page)}</a>'
        if page
        else ""
    )
    return (
        "<p>This guide is written in plain English from the public pages listed under Sources. Rules "
        "change: check with your training provider, college or GOV.UK before you act.</p>"
        f"<p>Questions? Contact {_e(settings.chamber_name)} {contact}</p>"
    )


def render_document(doc: CorpusDocument, footer: str) -> str:
    """The full HTML page for one guide; the body is Markdown with raw HTML disabled."""
    meta = (
        f'Last reviewed: <time datetime="{_e(doc.last_reviewed)}">{_e(_human_date(doc.last_reviewed))}</time>'
    )
    if doc.audience:
        meta += f" · For {_e(_audience_text(doc.audience))}"
    sources = "".join(_source_item(url) for url in doc.sources) or "<li>No sources listed.</li>"
    main = (
        f'<article>\n<h1>{_e(doc.title)}</h1>\n<p class="meta">{meta}</p>\n{_MARKDOWN.render(doc.body)}'
        f'<section aria-labelledby="sources">\n<h2 id="sources">Sources</h2>\n<ul>{sources}</ul>\n'
        "</section>\n</article>"
    )
    return _page(doc.title, main, footer)


def render_index(documents: list[CorpusDocument], footer: str) -> str:
    """The HTML list of every guide, by title."""
    items = "".join(
        f'<li><a href="/corpus/{_e(d.slug)}">{_e(d.title)}</a><br><span class="meta">For '
        f"{_e(_audience_text(d.audience))} · last reviewed {_e(_human_date(d.last_reviewed))}</span></li>\n"
        for d in documents
    )
    main = f"<h1>Guides to skills, training and funding</h1>\n<ul>\n{items}</ul>"
    return _page("Guides to skills, training and funding", main, footer)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


@router.get(
    "/corpus",
    response_model=None,
    responses={
        200: {
            "description": "An HTML list, or JSON when the client asks for application/json",
            "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {}},
        }
    },
)
def list_corpus(request: Request) -> Response:
    """Every bundled guide: an HTML list, or JSON when the client asks for application/json."""
    documents = sorted(_corpus(request).values(), key=lambda d: d.title.lower())
    if _wants_json(request):
        rows = [
            {
                "slug": d.slug,
                "title": d.title,
                "url": f"/corpus/{d.slug}",
                "audience": list(d.audience),
                "doc_type": d.doc_type,
                "last_reviewed": d.last_reviewed,
                "sources": list(d.sources),
            }
            for d in documents
        ]
        return JSONResponse({"documents": rows}, headers={"X-Content-Type-Options": "nosniff"})
    return HTMLResponse(render_index(documents, _footer(request)), headers=_HEADERS)


@router.get("/corpus/{slug}", response_class=HTMLResponse, responses=documented(404))
def get_corpus_document(slug: str, request: Request) -> HTMLResponse:
    """One bundled guide as a readable HTML page; 404 JSON for a slug that is not a guide."""
    doc = _corpus(request).get(slug) if SLUG.match(slug) else None
    if doc is None:
        raise HTTPException(status_code=404, detail="No guide with that name. See /corpus for the list.")
    return HTMLResponse(render_document(doc, _footer(request)), headers=_HEADERS)
