"""Reading a response body safely: a byte cap while streaming and content-type checks by header and magic.

result = await read_body(result, response, accept=PAGE_TYPES, limit=10_000_000, truncate=False)
"""

from __future__ import annotations

import httpx

from connector.types import FetchResult

UNSUPPORTED = "unsupported content type"
TOO_LARGE = "too large"
# Declared types that say nothing: decide from the first bytes.
UNDECLARED = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x1f\x8b", "application/gzip"),
    (b"\x89PNG", "image/png"),
    (b"GIF8", "image/gif"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0", "application/x-ole-storage"),
)
SNIFF_BYTES = 1024


async def read_body(
    result: FetchResult, response: httpx.Response, accept: frozenset[str], limit: int, truncate: bool
) -> FetchResult:
    """Fill result.body (decoded bytes) or set result.error; never reads more than `limit` bytes."""
    declared = result.content_type
    if declared not in accept and declared not in UNDECLARED:
        result.error = f"{UNSUPPORTED}: {declared}"
        return result
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit and not truncate:
        result.error = f"{TOO_LARGE} (declared {int(length)} bytes, limit {limit})"
        return result
    chunks: list[bytes] = []
    size = 0
    sniffed = False
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > limit:
            if not truncate:
                result.error = f"{TOO_LARGE} (more than {limit} bytes)"
                return result
            chunks.append(chunk[: limit - size])
            break
        chunks.append(chunk)
        size += len(chunk)
        if not sniffed and size >= SNIFF_BYTES:
            sniffed = True
            if not _settle_type(result, b"".join(chunks)[:SNIFF_BYTES], accept):
                return result
    body = b"".join(chunks)
    if not sniffed and not _settle_type(result, body[:SNIFF_BYTES], accept):
        return result
    result.body = body
    return result


def _settle_type(result: FetchResult, head: bytes, accept: frozenset[str]) -> bool:
    """Correct the content type from the first bytes; False (with result.error) if it is unsupported."""
    actual = sniff_type(head, guess_text=result.content_type in UNDECLARED)
    if actual is None:
        if result.content_type in UNDECLARED and head:
            result.error = f"{UNSUPPORTED}: {result.content_type or 'none declared'}"
            return False
        return True
    if actual not in accept:
        result.error = f"{UNSUPPORTED}: {actual} (served as {result.content_type or 'nothing'})"
        return False
    result.content_type = actual
    return True


def sniff_type(head: bytes, guess_text: bool = False) -> str | None:
    """The media type the bytes reveal by magic number; with guess_text also HTML/XML by their start."""
    for magic, media in MAGIC:
        if head.startswith(magic):
            return media
    if not guess_text:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml"):
        return "application/xhtml+xml" if b"<html" in text else "application/xml"
    if text.startswith(b"<") and (b"<html" in text or b"<!doctype html" in text):
        return "text/html"
    return None
