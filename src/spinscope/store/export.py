"""Streaming exports of the store: CSV, JSON Lines and Parquet, no row cap, constant memory.

Articles are read in batches in store order and written as they come; Parquet gets one row
group per batch (bounded by rows and by text size), so memory does not grow with the corpus.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import IO, Any

from spinscope.errors import ConfigError
from spinscope.store.base import CorpusStore
from spinscope.store.records import Article, ArticleFilter

__all__ = ["COLUMNS", "FORMATS", "export_articles"]

FORMATS = ("csv", "jsonl", "parquet")
COLUMNS = ("id", "url", "outlet", "lang", "published", "title", "author", "tags", "dup_of",
           "dup_kind", "content_hash", "location", "raw_hash", "extractor", "ingested_at",
           "n_chars", "text")
BATCH_ROWS = 2000
BATCH_BYTES = 64_000_000  # flush a Parquet row group before this much text piles up


def export_articles(store: CorpusStore, out: IO[bytes], fmt: str,
                    where: ArticleFilter | None = None, with_text: bool = True) -> int:
    """Write the selected articles to ``out``; returns how many were written."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    columns = [c for c in COLUMNS if with_text or c != "text"]
    articles = store.iter_articles(where, with_text=with_text, batch_size=BATCH_ROWS)
    if fmt == "parquet":
        return _parquet(articles, out, columns)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if fmt == "csv":
            return _csv(articles, text, columns)
        return _jsonl(articles, text, columns)
    finally:
        text.flush()
        text.detach()  # leave ``out`` open: it belongs to the caller


def _row(a: Article, columns: list[str]) -> dict[str, Any]:
    full = a.to_row(with_text="text" in columns)
    return {c: full.get(c) for c in columns}


def _csv(articles: Iterator[Article], out: IO[str], columns: list[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    n = 0
    for a in articles:
        row = _row(a, columns)
        row["tags"] = "|".join(row["tags"])
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
        n += 1
    return n


def _jsonl(articles: Iterator[Article], out: IO[str], columns: list[str]) -> int:
    n = 0
    for a in articles:
        row = _row(a, columns)
        row["metadata"] = dict(a.metadata)
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _parquet(articles: Iterator[Article], out: IO[bytes], columns: list[str]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"tags": pa.list_(pa.string()), "n_chars": pa.int64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: dict[str, list[Any]] = {c: [] for c in columns}
        size = 0
        for a in articles:
            row = _row(a, columns)
            for c in columns:
                batch[c].append(row[c])
            size += a.n_chars
            n += 1
            if len(batch["id"]) >= BATCH_ROWS or size >= BATCH_BYTES:
                writer.write_table(pa.table(batch, schema=schema))
                batch = {c: [] for c in columns}
                size = 0
        if batch["id"] or n == 0:
            writer.write_table(pa.table(batch, schema=schema))
    return n
