"""Small text PDFs built in code, so a fixture site holds reports as plain text, not opaque blobs.

build_pdf([["Page one, line one", "line two"], ["Page two"]])
pdf_from_text("Fees 2026\n---page---\nPage two")   # a line "---page---" starts a new page
"""

from __future__ import annotations

PAGE_BREAK = "---page---"


def pdf_from_text(text: str) -> bytes:
    """One PDF line per text line; a line that is exactly PAGE_BREAK starts a new page."""
    pages: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip() == PAGE_BREAK:
            pages.append([])
        else:
            pages[-1].append(line)
    return build_pdf(pages)


def build_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF with one Helvetica text line per list item (WinAnsiEncoding: characters outside
    Windows-1252 become "?"), whose text pypdf extracts."""
    return pdf_of_streams([_text_stream(lines) for lines in pages])


def pdf_of_streams(streams: list[bytes]) -> bytes:
    """A PDF of one page per content stream, with Helvetica as font /F1 (595 x 842 points)."""
    objects: list[bytes] = []
    count = len(streams)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, stream in enumerate(streams):
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
    return "\n".join(parts).encode("cp1252", errors="replace")


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
