"""Read local files and folders: Markdown with YAML front matter, text, HTML and PDF; XML/JSON go to feeds.

    for doc in iter_local_documents(Path("corpus/docs"), doc_type=None, audiences=[], max_bytes=10_000_000):
        doc.page or doc.feed or doc.error or doc.skipped

A bundled document (under corpus/docs, or an area's guides under areas/<name>/guides) with a `slug` gets
the root-relative URL /corpus/<slug>, which the API serves; every other local file gets a file:// URL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath

import yaml

from connector.errors import SourceError
from connector.settings import PROJECT_ROOT
from connector.types import AUDIENCES, DOC_TYPES, FetchResult, Page, Section
from ingest.classify import infer_audiences, infer_doc_type
from ingest.decode import decode_body
from ingest.markdown import markdown_sections
from ingest.parse_html import parse_html
from ingest.parse_pdf import parse_pdf

BUNDLED_DOCS = PROJECT_ROOT / "corpus" / "docs"
AREAS = PROJECT_ROOT / "areas"
PAGE_TYPES = {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".pdf"}
FEED_TYPES = {".xml", ".json", ".jsonld"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.DOTALL)


@dataclass
class LocalDocument:
    url: str
    path: Path
    page: Page | None = None  # a parsed document, ready to chunk
    feed: bytes | None = None  # an XML or JSON document for the feed handlers
    error: str | None = None  # could not be read or parsed
    skipped: str | None = None  # deliberately not ingested


def local_url(path: Path, slug: str | None = None) -> str:
    resolved = path.resolve()
    if slug and (resolved.is_relative_to(BUNDLED_DOCS.resolve()) or _in_area_guides(resolved)):
        return f"/corpus/{slug}"
    return resolved.as_uri()


def _in_area_guides(resolved: Path) -> bool:
    """Under areas/<name>/guides/."""
    if not resolved.is_relative_to(AREAS.resolve()):
        return False
    parts = resolved.relative_to(AREAS.resolve()).parts
    return len(parts) > 2 and parts[1] == "guides"


def _front_matter(text: str, path: PurePath) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise SourceError(
            str(path), "parse", f"front matter is not valid YAML: {str(exc).splitlines()[0]}"
        ) from None
    if not isinstance(meta, dict):
        raise SourceError(str(path), "parse", "front matter is not a mapping")
    return meta, text[match.end() :]


def _listed(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [str(v).strip().lower() for v in items]


def parse_markdown(
    path: PurePath, text: str, doc_type: str | None, audiences: list[str], url: str | None = None
) -> Page:
    """A Markdown (or plain text) document; front matter sets title, slug, audience and doc_type."""
    meta, body = _front_matter(text, path)
    sections = (
        markdown_sections(body) if path.suffix.lower() in (".md", ".markdown") else _text_sections(body)
    )
    title = str(meta.get("title") or "").strip() or _first_heading(sections) or path.stem.replace("-", " ")
    for section in sections:  # "# Title" repeating the title adds nothing to the heading path
        if section.heading_path[:1] == [title]:
            section.heading_path = section.heading_path[1:]
    url = url or local_url(Path(path), str(meta["slug"]) if meta.get("slug") else None)
    kind = str(meta.get("doc_type") or doc_type or "").lower()
    kind = kind if kind in DOC_TYPES else infer_doc_type(url, [], [title])
    tags = [a for a in _listed(meta.get("audience") or meta.get("audiences")) if a in AUDIENCES]
    return Page(
        url=url,
        title=title,
        sections=sections,
        doc_type=kind,
        audiences=tags or audiences or infer_audiences(kind, url, [title]),
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        last_modified=str(meta["last_reviewed"]) if meta.get("last_reviewed") else None,
    )


def _first_heading(sections: list[Section]) -> str:
    return next((s.heading_path[0] for s in sections if s.heading_path), "")


def _text_sections(text: str) -> list[Section]:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    body = "\n".join(p for p in paragraphs if p)
    return [Section(heading_path=[], text=body)] if body else []


def read_document(path: Path, doc_type: str | None, audiences: list[str], max_bytes: int) -> LocalDocument:
    """One local file as a LocalDocument (never raises for a bad file)."""
    suffix = path.suffix.lower()
    url = local_url(path)
    if suffix not in PAGE_TYPES | FEED_TYPES:
        return LocalDocument(url, path, skipped=f"unsupported file type {suffix or '(none)'}")
    try:
        if path.stat().st_size > max_bytes:
            return LocalDocument(url, path, error=f"larger than {max_bytes} bytes")
        body = path.read_bytes()
        if suffix in FEED_TYPES:
            return LocalDocument(url, path, feed=body)
        result = FetchResult(url=url, final_url=url, status=200, body=body)
        if suffix == ".pdf":
            page = parse_pdf(result, doc_type, audiences)
        elif suffix in (".html", ".htm"):
            page = parse_html(result, doc_type, audiences)
        else:
            page = parse_markdown(path, decode_body(body), doc_type, audiences)
    except SourceError as exc:
        return LocalDocument(url, path, error=exc.reason)
    except OSError as exc:
        return LocalDocument(url, path, error=f"cannot read: {exc.strerror or exc}")
    if not page.sections:
        return LocalDocument(page.url, path, error="no text")
    return LocalDocument(page.url, path, page=page)


def local_files(root: Path) -> list[Path]:
    """The files under a file or folder, sorted, skipping hidden ones; symlinked folders are not followed."""
    if root.is_file():
        return [root]
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder) / f for f in files if not f.startswith("."))
    return sorted(found)


def iter_local_documents(
    root: Path, doc_type: str | None, audiences: list[str], max_bytes: int
) -> Iterator[LocalDocument]:
    for path in local_files(root):
        yield read_document(path, doc_type, audiences, max_bytes)
