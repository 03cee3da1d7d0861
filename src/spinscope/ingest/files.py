"""Local files and folders: each file is read by its type; folders are walked in sorted order.

Supported: ``.txt .text .md .markdown`` (text kept byte for byte), ``.html .htm .xhtml``,
``.json .jsonl .ndjson`` (records), ``.csv .tsv`` (records), ``.warc .arc`` (archives), ``.xml
.rss .atom`` (feeds and sitemaps: their URLs are fetched), and any of these gzipped (``.gz``).
Hidden files and folders are ignored; other types are counted as skipped.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spinscope.ingest.archives import iter_warc
from spinscope.ingest.feeds import iter_feed, parse_sitemap, sniff_xml, ungzip
from spinscope.ingest.items import Failure, RawItem, Skipped, UrlTask
from spinscope.ingest.tabular import ColumnMap, iter_csv, iter_json, iter_jsonl

__all__ = ["SUPPORTED", "FileOptions", "count_files", "iter_file", "iter_path", "iter_xml", "walk"]

TEXT = {".txt", ".text", ".md", ".markdown"}
HTML = {".html", ".htm", ".xhtml"}
RECORDS = {".json", ".jsonl", ".ndjson", ".csv", ".tsv"}
ARCHIVES = {".warc", ".arc"}
XML = {".xml", ".rss", ".atom"}
SUPPORTED = TEXT | HTML | RECORDS | ARCHIVES | XML

Event = RawItem | UrlTask | Failure | Skipped


@dataclass(frozen=True, slots=True)
class FileOptions:
    max_bytes: int = 20_000_000
    encoding: str | None = None
    columns: ColumnMap = field(default_factory=ColumnMap)


def _kind_suffix(path: Path) -> tuple[str, bool]:
    """The suffix that tells the type, and whether the file is gzipped."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in sorted order, hidden files and folders left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def count_files(path: Path) -> int:
    """How many files ``iter_path`` will open (for a progress bar)."""
    if path.is_dir():
        return sum(1 for p in walk(path) if _kind_suffix(p)[0] in SUPPORTED)
    return 1


def iter_path(path: Path, options: FileOptions) -> Iterator[Event]:
    """Items of a file or of every file under a folder."""
    if path.is_dir():
        for p in walk(path):
            if _kind_suffix(p)[0] in SUPPORTED:
                yield from iter_file(p, options)
            else:
                yield Skipped(str(p), f"unsupported file type {p.suffix or '(none)'}")
    else:
        yield from iter_file(path, options)


def iter_file(path: Path, options: FileOptions) -> Iterator[Event]:
    suffix, gzipped = _kind_suffix(path)
    location = str(path)
    if suffix not in SUPPORTED:
        yield Failure(location, f"unsupported file type {suffix or '(none)'}; supported: "
                      f"{', '.join(sorted(SUPPORTED))} (optionally .gz)")
        return
    try:
        if suffix in ARCHIVES:
            yield from iter_warc(path, options.max_bytes)
            return
        if suffix in (".csv", ".tsv"):
            yield from iter_csv(path, options.columns, options.encoding)
            return
        if suffix in (".jsonl", ".ndjson"):
            yield from iter_jsonl(path, options.columns, options.encoding)
            return
        size = path.stat().st_size
        if size > options.max_bytes and not gzipped:
            yield Failure(location, f"file is {size / 1e6:.1f} MB, over the size cap of "
                          f"{options.max_bytes / 1e6:.1f} MB; raise --max-bytes to read it")
            return
        data = path.read_bytes()
        if gzipped:
            data = ungzip(data, options.max_bytes)
    except (OSError, EOFError, ValueError, gzip.BadGzipFile) as e:
        yield Failure(location, f"cannot read: {getattr(e, 'strerror', None) or e}")
        return
    if suffix == ".json":
        yield from iter_json(path, options.columns, data)
    elif suffix in TEXT:
        yield RawItem(location, data, "text", encoding=options.encoding)
    elif suffix in HTML:
        yield RawItem(location, data, "html", charset=options.encoding)
    else:
        yield from iter_xml(data, location, options.max_bytes)


def iter_xml(data: bytes, location: str, max_bytes: int) -> Iterator[Event]:
    """A feed or sitemap (local or fetched): the URLs it lists."""
    kind = sniff_xml(data)
    if kind == "sitemap" or (kind is None and data[:2] == b"\x1f\x8b"):
        try:
            result = parse_sitemap(data, location, max_bytes)
        except ValueError as e:
            yield Failure(location, str(e))
            return
        yield from result.urls
        for child in result.children:
            yield UrlTask(child, via=location, fields={"_sitemap": True})
    elif kind == "feed":
        yield from iter_feed(data, location)
    else:
        yield Failure(location, "XML file is neither an RSS/Atom feed nor a sitemap")
