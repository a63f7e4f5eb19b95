"""Parse a PDF into a Page with one section per page, keeping page numbers for citations.

    page = parse_pdf(fetch_result)

An invalid, encrypted or text-less PDF raises SourceError(url, "parse", reason); the run reports it and
goes on.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime
from urllib.parse import unquote, urlparse

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from connector.errors import SourceError
from connector.types import FetchResult, Page, Section
from ingest.classify import infer_audiences, infer_doc_type
from ingest.decode import clean_text

log = logging.getLogger(__name__)

MAX_PAGES = 500


def _reader(result: FetchResult) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(result.body), strict=False)
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise SourceError(result.url, "parse", f"invalid PDF ({str(exc)[:120]})") from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # many "protected" PDFs open with an empty user password
        except Exception as exc:  # noqa: BLE001 - pypdf raises several types for unsupported encryption
            raise SourceError(result.url, "parse", f"encrypted PDF that cannot be opened ({exc})") from None
        if not opened:
            raise SourceError(result.url, "parse", "encrypted PDF (needs a password)")
    return reader


def _page_text(text: str) -> str:
    lines = [" ".join(line.split()) for line in clean_text(text).splitlines()]
    # Keep blank lines as paragraph breaks; join hyphenated line ends.
    joined = "\n".join(lines)
    joined = re.sub(r"(\w)-\n(\w)", r"\1\2", joined)
    return re.sub(r"\n{3,}", "\n\n", joined).strip()


def _title(reader: PdfReader, sections: list[Section], url: str) -> str:
    try:
        meta_title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    except Exception:  # noqa: BLE001 - broken metadata must not lose the document
        meta_title = ""
    if meta_title and len(meta_title) < 200:
        return meta_title
    if sections:
        first_line = sections[0].text.split("\n", 1)[0].strip()
        if 3 <= len(first_line) <= 120:
            return first_line
    return unquote(urlparse(url).path.rsplit("/", 1)[-1]) or url


def parse_pdf(result: FetchResult, doc_type: str | None = None, audiences: list[str] | None = None) -> Page:
    """Extract the text of each page; raise SourceError for an unreadable PDF."""
    reader = _reader(result)
    sections: list[Section] = []
    try:
        for number, pdf_page in enumerate(reader.pages[:MAX_PAGES], start=1):
            text = _page_text(pdf_page.extract_text() or "")
            if text:
                sections.append(Section(heading_path=[], text=text, page_number=number))
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken streams
        raise SourceError(result.url, "parse", f"invalid PDF ({str(exc)[:120]})") from None
    if not sections:
        raise SourceError(result.url, "parse", "PDF has no extractable text (scanned image?)")
    url = result.final_url or result.url
    title = _title(reader, sections, url)
    path = urlparse(url).path
    kind = doc_type or infer_doc_type(path, [], [title])
    return Page(
        url=url,
        title=title,
        sections=sections,
        doc_type=kind,
        audiences=audiences or infer_audiences(kind, path, [title]),
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        last_modified=result.last_modified,
    )
