"""The corpus store: articles, raw sources, URL aliases, tags and ingest runs.

``open_store(location)`` opens a SQLite file (any path) or a PostgreSQL database (a
``postgresql://`` URL; needs the ``postgres`` extra) behind the same ``CorpusStore`` interface.
"""

from __future__ import annotations

from spinscope.settings import store_kind
from spinscope.store.base import CorpusStore, Match, StoreSummary
from spinscope.store.query import SearchQuery, parse_query
from spinscope.store.records import (
    DUP_NEAR,
    DUP_SYNDICATED,
    Article,
    ArticleFilter,
    IngestRun,
    RawSource,
    SearchHit,
    make_article_id,
)

__all__ = [
    "DUP_NEAR",
    "DUP_SYNDICATED",
    "Article",
    "ArticleFilter",
    "CorpusStore",
    "IngestRun",
    "Match",
    "RawSource",
    "SearchHit",
    "SearchQuery",
    "StoreSummary",
    "make_article_id",
    "open_store",
    "parse_query",
]


def open_store(location: str, migrate: bool = True) -> CorpusStore:
    """Open (and by default create or migrate) the store at ``location``."""
    if store_kind(location) == "postgres":
        from spinscope.store.postgres import PostgresStore

        return PostgresStore(location, migrate=migrate)
    from spinscope.store.sqlite import SQLiteStore

    return SQLiteStore(location, migrate=migrate)
