"""Values the corpus store keeps and returns."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from spinscope.core.document import Document

__all__ = [
    "DUP_NEAR",
    "DUP_SYNDICATED",
    "Article",
    "ArticleFilter",
    "IngestRun",
    "RawSource",
    "SearchHit",
    "make_article_id",
]

DUP_SYNDICATED = "syndicated"  # same or nearly same text published by another outlet
DUP_NEAR = "near"  # nearly the same text from the same outlet (an update, a second URL)


def make_article_id(content_hash: str, url_key: str | None, location: str) -> str:
    """A stable 16-hex id: from the URL key when there is one, else from text and location."""
    basis = f"url:{url_key}" if url_key else f"text:{content_hash}\0{location}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One stored article. ``text`` is exactly what extraction produced and never changes.

    ``location`` says where the item came from (a file path, a URL, ``path#offset=N`` inside a
    WARC, ``path#line=N`` inside a CSV/JSONL); ``raw_hash`` names the raw bytes it was extracted
    from (kept in the store for fetched items, re-readable from ``location`` for local ones).
    ``dup_of``/``dup_kind`` link a syndicated or near-duplicate copy to the first stored one.
    """

    id: str
    text: str
    content_hash: str
    location: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or date-time
    lang: str | None = None
    outlet: str | None = None
    tags: tuple[str, ...] = ()
    near_keys: tuple[int, ...] = ()  # MinHash LSH band keys (spinscope.dedup.minhash)
    dup_of: str | None = None
    dup_kind: str | None = None
    raw_hash: str | None = None
    extractor: str | None = None
    ingested_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"))
    metadata: Mapping[str, Any] = field(default_factory=dict)
    seq: int | None = None  # store order, set by the store
    n_chars: int = -1  # len(text); kept when a listing loads articles without their text

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))
        object.__setattr__(self, "tags", tuple(sorted(set(self.tags))))
        if self.n_chars < 0 or self.text:
            object.__setattr__(self, "n_chars", len(self.text))

    def to_document(self) -> Document:
        """The article as a ``Document`` for analysis (same text, metadata alongside)."""
        meta = {"url": self.url, "outlet": self.outlet, "published": self.published,
                "author": self.author, "tags": list(self.tags), **dict(self.metadata)}
        return Document(id=self.id, text=self.text, lang=self.lang, title=self.title,
                        metadata={k: v for k, v in meta.items() if v is not None})

    def to_row(self, with_text: bool = True) -> dict[str, Any]:
        """A flat dict for exports and ``--json``."""
        row: dict[str, Any] = {
            "id": self.id, "url": self.url, "outlet": self.outlet, "lang": self.lang,
            "published": self.published, "title": self.title, "author": self.author,
            "tags": list(self.tags), "dup_of": self.dup_of, "dup_kind": self.dup_kind,
            "content_hash": self.content_hash, "location": self.location,
            "raw_hash": self.raw_hash, "extractor": self.extractor,
            "ingested_at": self.ingested_at, "n_chars": self.n_chars,
        }
        if with_text:
            row["text"] = self.text
        return row


@dataclass(frozen=True, slots=True)
class RawSource:
    """The raw bytes an article was extracted from: kept for fetched items, located for files."""

    hash: str
    location: str
    content_type: str | None
    size: int
    data: bytes | None = None  # None when the bytes can be re-read from ``location``


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a listing, search or export covers. ``date_to`` is inclusive."""

    outlets: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    originals_only: bool = False  # leave out syndicated and near-duplicate copies

    def date_bounds(self) -> tuple[str | None, str | None]:
        """String bounds for ``published``: ``>= lo`` and ``< hi`` (ISO strings sort by time)."""
        lo = self.date_from.isoformat() if self.date_from else None
        hi = (self.date_to + dt.timedelta(days=1)).isoformat() if self.date_to else None
        return lo, hi


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class IngestRun:
    id: int
    started_at: str
    finished_at: str | None
    sources: tuple[str, ...]
    status: str  # finished | interrupted (Ctrl-C) | unfinished (running, or killed)
    counts: Mapping[str, int] = field(default_factory=dict)
