"""RSS/Atom feeds and XML sitemaps: parsed from bytes we fetched or read (never by URL).

A feed entry becomes a URL to fetch (with the entry's title, author and date as fallbacks for
what the page itself says); an entry without a link but with full content becomes an item.
A sitemap lists URLs to fetch (with Google News sitemap title and date when present) or child
sitemaps. Malformed feeds and sitemaps are reported; whatever could be recovered is kept.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from spinscope.extract.dates import normalise_date
from spinscope.ingest.items import Failure, RawItem, UrlTask

__all__ = ["SitemapResult", "iter_feed", "parse_sitemap", "sniff_xml", "ungzip"]

_ROOT = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(rss|feed|RDF|urlset|sitemapindex)[\s>]")


def sniff_xml(data: bytes) -> str | None:
    """``"feed"`` or ``"sitemap"`` when the first element says so, else ``None``."""
    head = data[:4096].lstrip()
    if head.startswith(b"\x1f\x8b"):
        return None
    m = _ROOT.search(head)
    if m is None:
        return None
    return "sitemap" if m.group(1) in (b"urlset", b"sitemapindex") else "feed"


def ungzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data with a cap on the decompressed size (zip bombs)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, max_bytes + 1)
    if len(out) > max_bytes:
        raise ValueError(f"decompressed size over the cap of {max_bytes:,} bytes")
    return out


def iter_feed(data: bytes, location: str) -> Iterator[UrlTask | RawItem | Failure]:
    import feedparser

    parsed: Any = feedparser.parse(data)
    entries = list(parsed.get("entries", []))
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        # Encoding overrides and text/plain content types are benign; XML errors are not.
        if exc is not None and type(exc).__name__ not in ("CharacterEncodingOverride",
                                                           "NonXMLContentType"):
            yield Failure(location, f"malformed feed ({_reason(exc)}); {len(entries)} "
                          "entr" + ("y was" if len(entries) == 1 else "ies were") +
                          " recovered and read")
    if not entries and not parsed.get("bozo"):
        version = parsed.get("version") or ""
        if not version:
            yield Failure(location, "not an RSS or Atom feed (no channel or feed element)")
            return
    feed_title = parsed.get("feed", {}).get("title")
    for i, entry in enumerate(entries):
        where = f"{location}#entry={i}"
        fields = {
            "title": entry.get("title"),
            "author": entry.get("author"),
            "published": normalise_date(entry.get("published_parsed") or
                                        entry.get("updated_parsed") or entry.get("published")),
            "feed": feed_title,
        }
        link = entry.get("link")
        if link and str(link).startswith(("http://", "https://")):
            yield UrlTask(str(link), via=location, fields=fields)
            continue
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary")
        if body:
            yield RawItem(where, str(body), "html", fields=fields)
        else:
            yield Failure(where, "feed entry has neither a link nor content")


def _reason(exc: Any) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


@dataclass
class SitemapResult:
    urls: list[UrlTask] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def parse_sitemap(data: bytes, location: str, max_bytes: int) -> SitemapResult:
    """URLs and child sitemaps of one sitemap document; raises ValueError if malformed."""
    from lxml import etree

    if data[:2] == b"\x1f\x8b":
        data = ungzip(data, max_bytes)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise ValueError(f"malformed sitemap XML: {e}") from e
    result = SitemapResult()
    root_name = etree.QName(root).localname
    for node in root:
        if not isinstance(node.tag, str):
            continue
        values: dict[str, str] = {}
        for child in node.iter():
            if isinstance(child.tag, str) and child.text:
                values.setdefault(etree.QName(child).localname, child.text.strip())
        loc = values.get("loc")
        if not loc:
            continue
        if root_name == "sitemapindex":
            result.children.append(loc)
        else:
            fields = {"title": values.get("title"),
                      "published": normalise_date(values.get("publication_date"))}
            result.urls.append(UrlTask(loc, via=location, fields=fields))
    return result
