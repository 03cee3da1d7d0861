"""``Document``: a text exactly as stored, with its content hash and metadata."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


def content_hash(text: str) -> str:
    """SHA-256 of the UTF-8 encoding of ``text`` (BOM and CRLF included), hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """A text as stored, never altered after ingest.

    ``text`` keeps a leading BOM, ``\\r\\n`` line ends and any other oddity of the source,
    so that character offsets from gold files and models stay valid against it.
    """

    id: str
    text: str
    lang: str | None = None
    title: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Freeze the metadata so a Document is a true value.
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    @property
    def hash(self) -> str:
        return content_hash(self.text)

    def __len__(self) -> int:
        return len(self.text)
