"""Binary files of the fixture website, built in code so the repository holds no opaque blobs.

prospectus_pdf()  # a 3-page PDF whose text pypdf can extract (with "£" via WinAnsiEncoding)
placed_pdf([(56, 780, "Title"), (300, 760, "1,420")])  # text drawn where a word processor puts it

PDFs are made by the evaluation's builder (connector/evaluation/pdf.py), which also serves the sites'
`NAME.pdf.txt` reports as `NAME.pdf`.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from connector.evaluation.pdf import PAGE_BREAK, build_pdf, pdf_of_streams

SITE_ROOT = Path(__file__).parent.parent / "eval" / "sites" / "site"
# The prospectus the fixture site serves at /docs/prospectus-2026.pdf, kept as text beside its pages.
PROSPECTUS_TEXT = (SITE_ROOT / "docs" / "prospectus-2026.pdf.txt").read_text(encoding="utf-8")
PROSPECTUS = [page.strip("\n").split("\n") for page in PROSPECTUS_TEXT.split(f"\n{PAGE_BREAK}\n")]


@lru_cache(maxsize=1)
def prospectus_pdf() -> bytes:
    return build_pdf(PROSPECTUS)


@lru_cache(maxsize=1)
def encrypted_pdf() -> bytes:
    """The evening timetable, encrypted with a user password the crawler does not know."""
    timetable = [["Evening timetable 2026", "Bookkeeping: Thursdays 6pm to 9pm.", "ENCRYPTED-PDF-8841"]]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(build_pdf(timetable))))
    writer.encrypt(user_password="staff-only-2026", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def malformed_pdf() -> bytes:
    """A brochure cut off half way (no xref, no trailer), as a failed upload leaves it."""
    whole = build_pdf([["Employer brochure", "MALFORMED-PDF-3390 training for your team."]])
    return whole[: len(whole) // 2] + b"\x00\xff garbage"


def png_pixel() -> bytes:
    """A 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def placed_pdf(pieces: list[tuple[float, float, str]]) -> bytes:
    """One page with each piece of text drawn on its own at (x, y) points, as a word processor draws a
    table's cells: pypdf's plain text then gives one cell a line."""
    parts = []
    for x, y, text in pieces:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(f"BT /F1 10 Tf 1 0 0 1 {x} {y} Tm ({escaped}) Tj ET")
    return pdf_of_streams(["\n".join(parts).encode("cp1252", errors="replace")])
