"""What sources yield: raw items to extract, URLs to fetch, and per-item failures."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["FIELDS", "Failure", "ItemKind", "RawItem", "Skipped", "UrlTask", "raw_hash"]

ItemKind = Literal["html", "text"]

# Metadata fields a source may supply with an item (from a CSV row, a feed entry, a sitemap).
FIELDS = ("title", "author", "published", "outlet", "lang", "url", "id")


def raw_hash(data: bytes | str) -> str:
    payload = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(payload).hexdigest()


@dataclass(frozen=True, slots=True)
class RawItem:
    """One document before extraction.

    ``data`` is bytes from a file, a fetch or an archive (decoded during extraction), or a str
    that is already text (a CSV/JSONL field). ``keep_raw``: store the bytes in the store (for
    fetched items, which cannot be re-read later); local items are re-readable from
    ``location``.
    """

    location: str
    data: bytes | str
    kind: ItemKind
    url: str | None = None  # final URL after redirects
    requested_url: str | None = None
    content_type: str | None = None
    charset: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    keep_raw: bool = False
    encoding: str | None = None  # the user's --encoding for local text

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", MappingProxyType(
            {k: v for k, v in self.fields.items() if v not in (None, "")}))

    @property
    def size(self) -> int:
        return len(self.data) if isinstance(self.data, bytes) else len(self.data.encode(
            "utf-8", "surrogatepass"))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # The read-only fields mapping cannot be pickled; rebuild from a plain dict.
        return (RawItem, (self.location, self.data, self.kind, self.url, self.requested_url,
                          self.content_type, self.charset, dict(self.fields), self.keep_raw,
                          self.encoding))


@dataclass(frozen=True, slots=True)
class UrlTask:
    """A URL to fetch as an article (from a feed, sitemap, URL list or export row)."""

    url: str
    via: str  # the source that listed it
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Failure:
    """An item that could not be ingested, and why (what to do, where possible)."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file deliberately not read (unsupported type); counted, not an error."""

    location: str
    reason: str
