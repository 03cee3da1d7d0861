"""Turning bytes into text without altering it: BOM and CRLF are kept, nothing is guessed.

UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are read as they are; any other encoding
is decoded only when the user names it (``--encoding``), so a stored text is never the product
of a silent guess. A detected guess is offered in the error message instead.
"""

from __future__ import annotations

import codecs
import re

from spinscope.errors import IngestError

__all__ = ["binary_kind", "decode_text", "guess_encoding"]

# Signatures of common binary formats, to name what was found instead of "binary".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/ODT)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "an executable (Windows)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "a SQLite database"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters other than tab, LF, VT, FF, CR; ESC is allowed (ANSI colour in logs).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01  # above this share of control characters, a "text" is binary
SNIFF_BYTES = 65536


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or ``None`` when it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:SNIFF_BYTES]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None


def decode_text(data: bytes, encoding: str | None = None, source: str | None = None
                ) -> tuple[str, str]:
    """Decode ``data`` exactly; returns ``(text, encoding used)``.

    Raises ``IngestError`` for binary content or bytes that are not valid in the encoding.
    """
    kind = binary_kind(data)
    if kind is not None:
        raise IngestError(f"binary content: looks like {kind}, not text", source)
    for bom, name in _BOMS:
        if data.startswith(bom):
            # Decode without swallowing the BOM so offsets match the file as read.
            return _decode(data, name, source), name
    used = encoding or "utf-8"
    text = _decode(data, used, source)
    sample = text[:SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE:
        raise IngestError("binary content: too many control characters for text", source)
    return text, used


def guess_encoding(data: bytes) -> str | None:
    """A best guess at the encoding of ``data`` (for hints only; never applied silently)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - comes with trafilatura
        return None
    best = from_bytes(data[:SNIFF_BYTES]).best()
    return best.encoding if best is not None else None


def _decode(data: bytes, encoding: str, source: str | None) -> str:
    try:
        return data.decode(encoding)
    except LookupError as e:
        raise IngestError(f"unknown encoding {encoding!r}; use a Python codec name such as "
                          "utf-8, cp1251, koi8-u, latin-1", source) from e
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        hint = ""
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            guess = guess_encoding(data)
            hint = (f"; if the file is in another encoding re-run with --encoding"
                    f" {guess or 'NAME'}" + (" (a guess)" if guess else ""))
        raise IngestError(f"not valid {encoding}: byte 0x{data[e.start]:02x} at offset "
                          f"{e.start} (line {line}){hint}", source) from e
