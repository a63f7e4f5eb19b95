"""Binary files of the fixture website, built in code so the repository holds no opaque blobs.

prospectus_pdf()  # a 3-page PDF whose text pypdf can extract (with "£" via WinAnsiEncoding)
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import lru_cache

from pypdf import PdfReader, PdfWriter

PROSPECTUS = [
    [
        "Thameside Skills Academy - Prospectus 2026 to 2027",
        "A fictional training provider in Basildon, Essex.",
        "",
        "Welcome from the principal",
        "Our courses are built with local employers so that what you learn is what they need.",
        "This prospectus lists our apprenticeships and adult courses for the year starting",
        "in September 2026, with fees, start dates and how to apply.",
    ],
    [
        "Apprenticeships",
        "Engineering Maintenance Technician, Level 3: about 36 months, starts 7 September 2026.",
        "One day a week in our Basildon workshop with hydraulics rigs and PLC stations.",
        "Digital Support Technician, Level 3: about 18 months, monthly starts, blended learning.",
        "Apprentices pay nothing for their training and earn a wage from the first day.",
    ],
    [
        "Adult courses and fees",
        "Welding and Fabrication, Level 2: Tuesdays, 30 weeks, fee \xa31,150.",
        "Certificate in Bookkeeping, Level 2: Thursday evenings, 24 weeks, fee \xa3495.",
        "Adults on a low income may study free of charge; ask about the learner support bursary.",
        "Prospectus code PROSPECTUS-PDF-2026 for enquiries by telephone on 01268 000 000.",
    ],
]


def build_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF with one Helvetica text line per list item (latin-1 text, WinAnsiEncoding)."""
    objects: list[bytes] = []
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        stream = _text_stream(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    return _assemble(objects)


def _text_stream(lines: list[str]) -> bytes:
    parts = ["BT /F1 11 Tf 16 TL 56 780 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(f"({escaped}) Tj T*")
    parts.append("ET")
    return "\n".join(parts).encode("latin-1")


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


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
