"""Ingest: files, folders, URLs, feeds, sitemaps, WARC archives and exports into the store.

``ingest(sources, store, settings, options)`` is the one-call form; ``Ingestor`` runs one
ingest with a progress callback. Sources yield ``RawItem``/``UrlTask``/``Failure`` events
(``spinscope.ingest.items``); ``Fetcher`` is the careful HTTP client.
"""

from spinscope.ingest.fetch import Fetcher, FetchOptions, FetchResult
from spinscope.ingest.items import Failure, RawItem, Skipped, UrlTask
from spinscope.ingest.pipeline import IngestOptions, Ingestor, IngestReport, Progress, ingest
from spinscope.ingest.tabular import ColumnMap

__all__ = [
    "ColumnMap",
    "Failure",
    "FetchOptions",
    "FetchResult",
    "Fetcher",
    "IngestOptions",
    "IngestReport",
    "Ingestor",
    "Progress",
    "RawItem",
    "Skipped",
    "UrlTask",
    "ingest",
]
