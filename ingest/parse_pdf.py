"""Parse a PDF into a Page with one section per heading and page, keeping page numbers for citations.

A PDF has no markup for headings, but reports set them on a line of their own: a short line without
sentence punctuation between the end of one paragraph and the start of the next ("3. What you pay",
"Priority sectors") starts a section headed by it, and the section carries on over a page break until
the next heading. Each passage then carries its heading, as a web page's do, so "what you pay" finds the
section that answers it.

    page = parse_pdf(fetch_result)

An invalid, encrypted or text-less PDF raises SourceError(url, "parse", reason); the run reports it and
goes on.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import unquote, urlparse

from pypdf import PageObject, PdfReader
from pypdf.errors import PdfReadError

from connector.errors import SourceError
from connector.types import FetchResult, Page, Section
from ingest.classify import infer_audiences, infer_doc_type
from ingest.decode import clean_text
from ingest.tables import spaced_tables

log = logging.getLogger(__name__)

MAX_PAGES = 500
# A heading line: at most this many words (a wrapped line of body text runs longer), no sentence
# punctuation at its end, not a table row of figures.
HEADING_MAX_WORDS = 10
SENTENCE_END = re.compile(r"[.,;:!?]$")
# A section number before a heading's words ("6. Apprenticeships", "2.1 Who took part"): it is not one of
# the figures that make a line a table row.
SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+(?=\S)")


# A document title that a PDF maker writes when the author gave none: not the report's name.
PLACEHOLDER_TITLE = re.compile(
    r"^\(?(?:anonymous|untitled)\)?$|^microsoft \w+ - |\.(?:docx?|odt|pdf|pptx?|indd)$", re.IGNORECASE
)


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


def _page_lines(pdf_page: PageObject) -> list[tuple[str, bool]]:
    """The page's lines in reading order, whitespace collapsed and hyphenated line ends joined, with each
    table rewritten as rows that carry their column headers: (line, is a table row). Blank lines stay as
    paragraph breaks (at most one in a row).

    The text comes in reading order (a page of two columns, one column after the other), but a table
    there is one cell a line: "Sector", "Postings", "Health and social care", "2,310", ... So the tables
    are found in the page laid out as printed, where a row is a line, and put in place of the run of lines
    that holds their words."""
    text = "\n".join(line.rstrip() for line in clean_text(pdf_page.extract_text() or "").splitlines())
    lines = [(line, False) for line in re.sub(r"(\w)-\n\s*(\w)", r"\1\2", text).split("\n")]
    printed = _printed_lines(pdf_page)
    for table in spaced_tables(printed):
        lines = _with_rows(lines, " ".join(printed[table.start : table.end]).split(), table.rows)
    kept: list[tuple[str, bool]] = []
    for line, row in lines:
        line = line if row else " ".join(line.split())
        if line or (kept and kept[-1][0]):
            kept.append((line, row))
    while kept and not kept[-1][0]:
        kept.pop()
    return kept


def _printed_lines(pdf_page: PageObject) -> list[str]:
    try:
        return clean_text(pdf_page.extract_text(extraction_mode="layout") or "").splitlines()
    except Exception:  # noqa: BLE001 - the layout is a help; the page's text is read without it
        return []


def _with_rows(lines: list[tuple[str, bool]], words: list[str], rows: list[str]) -> list[tuple[str, bool]]:
    """The lines with the first run of them that holds exactly `words` replaced by the rows; as they
    were when no run does (a cell's text came out otherwise). The words may come in another order: a
    header cell wrapped over two lines is one cell after another in the text, and line by line in print."""
    wanted = Counter(words)
    for start in range(len(lines)):
        if not lines[start][0].strip():
            continue
        taken: Counter[str] = Counter()
        for end in range(start, len(lines)):
            if lines[end][1]:
                break
            taken.update(lines[end][0].split())
            if taken - wanted:
                break  # a word the table does not hold, or holds fewer times
            if taken == wanted:
                return [*lines[:start], *((row, True) for row in rows), *lines[end + 1 :]]
    return lines


def _heading_shaped(line: str) -> bool:
    """Short, without sentence punctuation at its end, and words rather than a row of figures."""
    words = SECTION_NUMBER.sub("", line).split()
    return (
        bool(words)
        and len(line.split()) <= HEADING_MAX_WORDS
        and not SENTENCE_END.search(line)
        and any(word[:1].isalpha() for word in words)
        and sum(any(c.isdigit() for c in word) for word in words) * 2 < len(words)
    )


def _is_heading(previous: str, line: str, following: str) -> bool:
    """A heading-shaped line that opens a block and is followed by body text. It opens a block when it
    starts the page or the line before ends a sentence or is heading-shaped itself (a report's title):
    a wrapped line of a sentence runs the page's width, so a short unpunctuated line is not one. The line
    after must read as body text (a sentence's end, or a full-width line), so the items of a list that a
    colon introduces are not taken for headings."""
    opens_block = not previous or previous.endswith((".", "!", "?")) or _heading_shaped(previous)
    body_follows = following.endswith((".", "!", "?", ":")) or len(following.split()) > HEADING_MAX_WORDS
    return opens_block and body_follows and _heading_shaped(line)


def _headed_blocks(lines: list[tuple[str, bool]], heading: list[str]) -> list[tuple[list[str], str]]:
    """The page's lines cut at its headings: (heading path, text); text before the first heading stays
    under the heading that was open at the end of the previous page. A table row is never a heading."""
    blocks: list[tuple[list[str], list[str]]] = [(heading, [])]
    texts = [line for line, _ in lines]
    for index, (line, row) in enumerate(lines):
        previous = texts[index - 1] if index > 0 else ""
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if not row and _is_heading(previous, line, following):
            blocks.append(([line], []))
        else:
            blocks[-1][1].append(line)
    found = [(path, "\n".join(body).strip()) for path, body in blocks]
    return [(path, body) for path, body in found if body]


def _title(reader: PdfReader, sections: list[Section], url: str) -> str:
    try:
        meta_title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    except Exception:  # noqa: BLE001 - broken metadata must not lose the document
        meta_title = ""
    if meta_title and len(meta_title) < 200 and not PLACEHOLDER_TITLE.search(meta_title):
        return meta_title
    if sections:
        first = sections[0]
        first_line = first.heading_path[0] if first.heading_path else first.text.split("\n", 1)[0].strip()
        if 3 <= len(first_line) <= 120:
            return first_line
    return unquote(urlparse(url).path.rsplit("/", 1)[-1]) or url


def parse_pdf(result: FetchResult, doc_type: str | None = None, audiences: list[str] | None = None) -> Page:
    """Extract the text of each page; raise SourceError for an unreadable PDF."""
    reader = _reader(result)
    sections: list[Section] = []
    heading: list[str] = []
    try:
        for number, pdf_page in enumerate(reader.pages[:MAX_PAGES], start=1):
            for headings, body in _headed_blocks(_page_lines(pdf_page), heading):
                heading = headings
                sections.append(Section(heading_path=headings, text=body, page_number=number))
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
