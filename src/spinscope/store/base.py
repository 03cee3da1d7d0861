"""The corpus store interface. SQLite and PostgreSQL implement it and share one test suite.

All writes go through one object (one connection) inside ``transaction()`` blocks; readers may
open their own store objects. Dedup logic lives in ``spinscope.dedup`` and only uses the
look-ups below, so both backends decide alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType

from spinscope.store.records import Article, ArticleFilter, IngestRun, RawSource, SearchHit
from spinscope.store.results import ResultsStore

__all__ = ["CorpusStore", "Match", "StoreSummary"]


@dataclass(frozen=True, slots=True)
class Match:
    """A stored article found by a dedup look-up."""

    id: str
    outlet: str | None
    location: str
    dup_of: str | None = None


@dataclass(frozen=True, slots=True)
class StoreSummary:
    location: str
    backend: str
    schema_version: int
    articles: int
    originals: int  # articles that are not a linked copy of another
    by_outlet: Mapping[str, int] = field(default_factory=dict)
    by_lang: Mapping[str, int] = field(default_factory=dict)
    first_published: str | None = None
    last_published: str | None = None


class CorpusStore(ResultsStore, ABC):
    """Articles, their raw sources, URL aliases, tags and ingest runs.

    Derived results (analyses, events) come from ``ResultsStore`` (``store/results.py``).
    """

    backend: str = "?"

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the store is (a path, or a URL without password)."""

    # -- lifecycle ----------------------------------------------------------------------------
    @abstractmethod
    def migrate(self) -> list[int]:
        """Apply pending numbered migrations; returns the versions applied."""

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- writes (one writer) ------------------------------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes; all of them are kept or none (also when the process is killed)."""

    @abstractmethod
    def insert(self, article: Article, url_keys: Sequence[str] = (),
               raw: RawSource | None = None) -> None:
        """Store a new article with its URL keys, tags and raw source."""

    @abstractmethod
    def add_tags(self, article_id: str, tags: Sequence[str]) -> None: ...

    @abstractmethod
    def add_url_keys(self, article_id: str, keys: Sequence[str]) -> None: ...

    @abstractmethod
    def start_run(self, sources: Sequence[str]) -> int: ...

    @abstractmethod
    def finish_run(self, run_id: int, counts: Mapping[str, int],
                   failures: Sequence[tuple[str, str]], status: str = "finished") -> None: ...

    # -- dedup look-ups -----------------------------------------------------------------------
    @abstractmethod
    def find_url(self, keys: Sequence[str]) -> str | None:
        """The id of the article known under any of these URL keys."""

    @abstractmethod
    def find_raw(self, raw_hash: str) -> list[Match]:
        """Articles extracted from raw bytes with this hash."""

    @abstractmethod
    def find_content(self, content_hash: str) -> list[Match]:
        """Articles whose stored text has this hash."""

    @abstractmethod
    def near_candidates(self, keys: Sequence[int]) -> list[Match]:
        """Up to 10 articles sharing MinHash LSH band keys with ``keys``, most shared first."""

    # -- reads --------------------------------------------------------------------------------
    @abstractmethod
    def get(self, ref: str) -> Article:
        """The article with this id or unique id prefix (at least 4 characters)."""

    @abstractmethod
    def get_raw(self, raw_hash: str) -> RawSource | None: ...

    @abstractmethod
    def iter_articles(self, where: ArticleFilter | None = None, with_text: bool = True,
                      batch_size: int = 1000) -> Iterator[Article]:
        """Articles in store order, read in batches (constant memory)."""

    @abstractmethod
    def count(self, where: ArticleFilter | None = None) -> int: ...

    @abstractmethod
    def search(self, query: str, where: ArticleFilter | None = None, limit: int = 20,
               offset: int = 0) -> list[SearchHit]:
        """Full-text search, best first (syntax in ``spinscope.store.query``)."""

    @abstractmethod
    def copies(self, article_id: str) -> list[Article]:
        """Syndicated and near-duplicate copies linked to this article (without text)."""

    @abstractmethod
    def runs(self, limit: int = 20) -> list[IngestRun]:
        """Recent ingest runs, newest first."""

    @abstractmethod
    def failures(self, run_id: int) -> list[tuple[str, str]]: ...

    @abstractmethod
    def summary(self) -> StoreSummary: ...
