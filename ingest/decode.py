"""Turn raw bytes into text: byte-order mark, then the HTTP header, then <meta>, then sniffing.

    text = decode_body(result.body, result.charset, html=True)

Like browsers, latin-1 and ascii labels are read as windows-1252 (so byte 0x80 is "€", not a control code).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_SINGLE_BYTE_LATIN = ("iso8859", "cp125", "cp8", "cp4", "mac", "latin")
_AS_WINDOWS_1252 = {"latin-1", "iso8859-1", "ascii", "cp1252"}
# Zero-width and bidi-control characters carry nothing for a reader and can hide text from one.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def _meta_charset(body: bytes) -> str | None:
    match = _META.search(body[:4096])
    return _codec(match.group(1).decode("ascii", "ignore")) if match else None


def _sniff(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:200_000]).best()
    name = (_codec(best.encoding) if best else None) or "cp1252"
    if name.startswith(("utf", "cp1252")) or not name.startswith(_SINGLE_BYTE_LATIN):
        return name
    # Short samples fool statistical guessing (e.g. ISO-8859-2 for "£"); UK pages without a label are
    # almost always windows-1252, as browsers assume, so prefer it whenever the bytes are valid in it.
    try:
        body.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return name


def detect_encoding(body: bytes, header_charset: str | None, html: bool) -> str:
    """The codec to decode `body` with."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return _codec(header_charset) or (_meta_charset(body) if html else None) or _sniff(body)


def clean_text(text: str) -> str:
    """Drop invisible and control characters (keeps newlines and tabs)."""
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


def decode_body(body: bytes, header_charset: str | None = None, html: bool = False) -> str:
    """Decode with the detected encoding; undecodable bytes become U+FFFD rather than failing."""
    encoding = detect_encoding(body, header_charset, html)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        # The declared charset is wrong (a common mistake): trust the bytes instead.
        text = body.decode(_sniff(body), errors="replace")
    return clean_text(text.lstrip("\ufeff"))
