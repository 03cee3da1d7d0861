"""Tabular corpus exports: CSV/TSV and JSON/JSONL records with a column mapping.

Each record becomes a document when it has text (or HTML), or a URL to fetch when it only has
a URL (GDELT-style URL lists). Column names are matched case-insensitively against the
candidates below (Media Cloud, GDELT and common scraper exports); ``--map field=column``
overrides them. Bad records are reported with file and line; the rest are read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from spinscope.ingest.items import Failure, RawItem, UrlTask

__all__ = ["COLUMN_CANDIDATES", "ColumnMap", "iter_csv", "iter_json", "iter_jsonl",
           "records_to_items"]

log = logging.getLogger(__name__)

COLUMN_CANDIDATES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "story_text", "full_text", "fulltext", "article",
             "article_text", "maintext"),
    "html": ("html", "raw_html", "content_html"),
    "url": ("url", "link", "story_url", "sourceurl", "documentidentifier", "canonical_url",
            "article_url"),
    "title": ("title", "headline", "name"),
    "author": ("author", "authors", "byline", "creator"),
    "published": ("publish_date", "published", "publication_date", "date", "pubdate",
                  "seendate", "datetime", "published_at", "date_published"),
    "outlet": ("outlet", "media_name", "source", "sourcecommonname", "site", "publisher",
               "domain", "media"),
    "lang": ("language", "lang"),
    "id": ("id", "stories_id", "story_id", "guid", "globaleventid", "gkgrecordid"),
}


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """User overrides: field → column name (``--map text=body``)."""

    overrides: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, columns: list[str]) -> dict[str, str]:
        """field → actual column for this header."""
        lower = {c.strip().casefold(): c for c in columns}
        out: dict[str, str] = {}
        for name, candidates in COLUMN_CANDIDATES.items():
            if name in self.overrides:
                wanted = self.overrides[name].casefold()
                if wanted in lower:
                    out[name] = lower[wanted]
                continue
            for cand in candidates:
                if cand in lower:
                    out[name] = lower[cand]
                    break
        return out

    def missing(self, columns: list[str]) -> list[str]:
        lower = {c.strip().casefold() for c in columns}
        return [f"{k}={v}" for k, v in self.overrides.items() if v.casefold() not in lower]


def records_to_items(record: Mapping[str, Any], columns: Mapping[str, str], location: str,
                     ) -> RawItem | UrlTask | Failure:
    """One record → an item to extract, a URL to fetch, or a failure saying what is missing."""
    def get(name: str) -> Any:
        col = columns.get(name)
        value = record.get(col) if col is not None else None
        if isinstance(value, list):  # e.g. authors: ["a", "b"]
            value = ", ".join(str(v) for v in value)
        return value if value not in (None, "") else None

    fields = {k: get(k) for k in ("title", "author", "published", "outlet", "lang", "url", "id")}
    for name in ("text", "html"):
        value = get(name)
        if value is not None and not isinstance(value, str):
            return Failure(location, f"column {columns[name]!r} is not text")
        if isinstance(value, str) and _has_surrogates(value):
            return Failure(location, f"column {columns[name]!r} is not valid UTF-8; re-run with "
                           "--encoding NAME if the file is in another encoding")
    html, text = get("html"), get("text")
    url = fields.get("url")
    if html:
        return RawItem(location, html, "html", url=url, fields=fields)
    if text and str(text).strip():
        return RawItem(location, text, "text", url=url, fields=fields)
    if url:
        if not str(url).startswith(("http://", "https://")):
            return Failure(location, f"URL {url!r} is not http(s)")
        return UrlTask(str(url), via=location, fields=fields)
    wanted = " or ".join(COLUMN_CANDIDATES["text"][:3] + COLUMN_CANDIDATES["url"][:2])
    return Failure(location, f"record has neither text nor URL (looked for {wanted}); map "
                   "the columns with --map text=COLUMN / --map url=COLUMN")


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _open_text(path: Path, encoding: str | None) -> IO[str]:
    # The caller closes the returned wrapper, which closes the raw file.
    if path.suffix.lower() == ".gz":
        raw = cast(IO[bytes], gzip.open(path, "rb"))  # noqa: SIM115
    else:
        raw = path.open("rb")
    # surrogateescape: bad bytes become markers we report per record instead of failing the file.
    return io.TextIOWrapper(raw, encoding=encoding or "utf-8-sig", errors="surrogateescape",
                            newline="")


def iter_csv(path: Path, columns: ColumnMap, encoding: str | None = None,
             max_field: int = 50_000_000) -> Iterator[RawItem | UrlTask | Failure]:
    """Records of a CSV/TSV file (delimiter sniffed from the header line)."""
    csv.field_size_limit(max_field)
    with _open_text(path, encoding) as fh:
        head = fh.readline()
        delimiter = "\t" if head.count("\t") > head.count(",") else ","
        if head.count(";") > max(head.count(","), head.count("\t")):
            delimiter = ";"
        header = next(csv.reader([head], delimiter=delimiter), [])
        if not header or any(_has_surrogates(h) for h in header):
            yield Failure(f"{path}:1", "CSV header missing or not valid UTF-8; re-run with "
                          "--encoding NAME if the file is in another encoding")
            return
        resolved = columns.resolve(header)
        for miss in columns.missing(header):
            # Several files may share one --map: a file without the column is not an error.
            log.warning("%s: --map %s: no such column here (columns: %s)", path, miss,
                        ", ".join(header))
        reader = csv.reader(fh, delimiter=delimiter)
        while True:
            start = reader.line_num + 2  # the header was line 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield Failure(f"{path}:{start}", f"malformed CSV: {e}")
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield Failure(f"{path}:{start}", f"row has {len(row)} fields, header has "
                              f"{len(header)}")
                continue
            yield records_to_items(dict(zip(header, row, strict=True)), resolved,
                                   f"{path}#line={start}")


def iter_jsonl(path: Path, columns: ColumnMap, encoding: str | None = None
               ) -> Iterator[RawItem | UrlTask | Failure]:
    resolved: dict[str, str] | None = None
    with _open_text(path, encoding) as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            if _has_surrogates(line):
                yield Failure(f"{path}:{number}", "not valid UTF-8; re-run with --encoding NAME "
                              "if the file is in another encoding")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                yield Failure(f"{path}:{number}", f"not valid JSON: {e.msg} at column {e.colno}")
                continue
            if not isinstance(record, dict):
                yield Failure(f"{path}:{number}", "expected a JSON object per line")
                continue
            resolved = columns.resolve(list(record)) if resolved is None else {
                **columns.resolve(list(record)), **resolved}
            yield records_to_items(record, resolved, f"{path}#line={number}")


def iter_json(path: Path, columns: ColumnMap, data: bytes
              ) -> Iterator[RawItem | UrlTask | Failure]:
    """A JSON file: one record, a list of records, or an object holding a list of them."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        yield Failure(str(path), f"not valid UTF-8 (byte offset {e.start})")
        return
    except json.JSONDecodeError as e:
        yield Failure(f"{path}:{e.lineno}", f"not valid JSON: {e.msg} at column {e.colno}")
        return
    if isinstance(doc, dict):
        for key in ("articles", "stories", "items", "data", "results", "documents"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
    records = doc if isinstance(doc, list) else [doc]
    for i, record in enumerate(records):
        where = f"{path}#item={i}" if isinstance(doc, list) else str(path)
        if not isinstance(record, dict):
            yield Failure(where, "expected a JSON object")
            continue
        yield records_to_items(record, columns.resolve(list(record)), where)
