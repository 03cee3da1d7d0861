"""The corpus side of the web app: documents from the store, their analyses, events, comparisons.

The store is opened on first use (a read-only server never creates one). SQLite store objects
share one connection, so every call into the store holds a lock; streamed exports open their
own reader instead, so a long export never blocks the pages.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from spinscope.core.analysis import Analysis
from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import SpinscopeError, StoreError
from spinscope.outlets.registry import OutletRegistry, load_registry
from spinscope.settings import Settings, store_kind
from spinscope.store.base import CorpusStore
from spinscope.store.records import Article, ArticleFilter
from spinscope.web.analysis import AnalysisService, InputError, NotFound, SourceInfo
from spinscope.web.config import WebSettings
from spinscope.web.stories import EVENT_TAG, EventInfo, events_from_tags

__all__ = ["CorpusService", "DocQuery", "NoStore"]

log = logging.getLogger(__name__)

T = TypeVar("T")
FACET_TTL = 60.0  # seconds a facet list (outlets, languages) is reused
ANALYSIS_CACHE = 500  # on-the-fly document analyses kept in memory
MAX_LIMIT = 500
COMPARISON_TTL = 300.0  # seconds a computed comparison is reused (bootstrap is not free)
MAX_ON_THE_FLY = 40  # larger events show only stored results (run analyze-corpus)


class NoStore(NotFound):
    """There is no corpus store at the configured location yet."""


@dataclass(frozen=True, slots=True)
class DocQuery:
    """A document listing: full-text query, filters and a page."""

    q: str = ""
    outlets: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    originals_only: bool = False
    offset: int = 0
    limit: int = 50

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InputError(f"limit must be between 1 and {MAX_LIMIT}")
        if self.offset < 0:
            raise InputError("offset must not be negative")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError("the 'from' date is after the 'to' date")

    def where(self) -> ArticleFilter:
        return ArticleFilter(outlets=self.outlets, langs=self.langs, tags=self.tags,
                             date_from=self.date_from, date_to=self.date_to,
                             originals_only=self.originals_only)

    def to_dict(self) -> dict[str, Any]:
        return {"q": self.q, "outlet": list(self.outlets), "lang": list(self.langs),
                "tag": list(self.tags),
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "originals_only": self.originals_only, "offset": self.offset,
                "limit": self.limit}


def article_source(article: Article) -> SourceInfo:
    return SourceInfo(title=article.title, url=article.url, outlet=article.outlet,
                      published=article.published, lang=article.lang,
                      document_id=article.id)


_HIT = re.compile(r"\[([^\[\]\n]{1,200})\]")


def snippet_parts(snippet: str | None) -> list[dict[str, Any]]:
    """A search snippet with ``[match]`` markers split into plain and matched parts."""
    if not snippet:
        return []
    parts: list[dict[str, Any]] = []
    pos = 0
    for m in _HIT.finditer(snippet):
        if m.start() > pos:
            parts.append({"text": snippet[pos:m.start()], "hit": False})
        parts.append({"text": m.group(1), "hit": True})
        pos = m.end()
    if pos < len(snippet):
        parts.append({"text": snippet[pos:], "hit": False})
    return parts


def listing_row(article: Article, snippet: str | None = None) -> dict[str, Any]:
    row = article.to_row(with_text=False)
    row["snippet"] = snippet
    row["snippet_parts"] = snippet_parts(snippet)
    return row


class CorpusService:
    """Reads the corpus store for the pages and the API."""

    def __init__(self, settings: Settings, web: WebSettings, analysis: AnalysisService,
                 store: CorpusStore | None = None) -> None:
        self.settings = settings
        self.web = web
        self.analysis = analysis
        self._store = store
        self._owns_store = store is None
        self._lock = threading.RLock()
        self._facets: tuple[float, dict[str, Any]] | None = None
        self._analyses: OrderedDict[tuple[str, str], Analysis] = OrderedDict()
        self._registry: OutletRegistry | None = None
        self._version: tuple[float, str | None] | None = None
        self.analysis_taxonomy = load_taxonomy()
        self._comparisons: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}

    # -- store access -------------------------------------------------------------------------
    @property
    def location(self) -> str:
        return self._store.location if self._store is not None else self.settings.store

    def _open(self) -> CorpusStore:
        if self._store is None:
            location = self.settings.store
            if store_kind(location) == "sqlite" and not Path(location).is_file():
                raise NoStore(f"there is no corpus store at {location} yet; ingest articles "
                              "first (spinscope ingest SOURCE --store PATH) or start the "
                              "server with --store pointing at an existing store")
            from spinscope.store import open_store

            self._store = open_store(location, migrate=not self.web.read_only)
        return self._store

    def call(self, fn: Callable[[CorpusStore], T]) -> T:
        """Run ``fn(store)`` holding the store lock."""
        with self._lock:
            return fn(self._open())

    @property
    def available(self) -> bool:
        try:
            with self._lock:
                self._open()
            return True
        except (NoStore, StoreError):
            return False

    def close(self) -> None:
        with self._lock:
            if self._store is not None and self._owns_store:
                self._store.close()
                self._store = None

    # -- documents ----------------------------------------------------------------------------
    def documents(self, query: DocQuery) -> dict[str, Any]:
        """One page of documents (search hits when ``q`` is given), with paging info."""
        where = query.where()
        if query.q.strip():
            hits = self.call(lambda s: s.search(query.q, where, limit=query.limit + 1,
                                                offset=query.offset))
            rows = [listing_row(h.article, h.snippet) for h in hits[: query.limit]]
            more = len(hits) > query.limit
            total = None
        else:
            def page(s: CorpusStore) -> tuple[list[Article], int]:
                total = s.count(where)
                items: list[Article] = []
                for i, a in enumerate(s.iter_articles(where, with_text=False,
                                                      batch_size=query.limit)):
                    if i >= query.offset + query.limit:
                        break
                    if i >= query.offset:
                        items.append(a)
                return items, total

            articles, total = self.call(page)
            rows = [listing_row(a) for a in articles]
            more = query.offset + len(rows) < total
        return {"query": query.to_dict(), "documents": rows, "total": total,
                "offset": query.offset, "limit": query.limit, "has_more": more}

    def document(self, ref: str) -> Article:
        return self.call(lambda s: s.get(ref))

    def facets(self) -> dict[str, Any]:
        """Outlets and languages present (for filter menus), refreshed every minute."""
        now = time.monotonic()
        if self._facets is not None and now - self._facets[0] < FACET_TTL:
            return self._facets[1]
        summary = self.call(lambda s: s.summary())
        data = {"outlets": sorted(summary.by_outlet), "langs": sorted(summary.by_lang),
                "articles": summary.articles, "originals": summary.originals,
                "first_published": summary.first_published,
                "last_published": summary.last_published}
        self._facets = (now, data)
        return data

    def analysis_of(self, article: Article) -> Analysis:
        """The analysis of a stored article: the stored result if any, else computed now."""
        stored = self._stored_analysis(article)
        if stored is not None:
            return stored
        key = (article.id, article.content_hash)
        with self._lock:
            cached = self._analyses.get(key)
        if cached is not None:
            return cached
        result = self.analysis.analyse(article.text)
        result = replace(result, document_id=article.id, lang=result.lang or article.lang)
        with self._lock:
            self._analyses[key] = result
            while len(self._analyses) > ANALYSIS_CACHE:
                self._analyses.popitem(last=False)
        return result

    def _stored_analysis(self, article: Article) -> Analysis | None:
        """Batch results of ``spinscope analyze-corpus`` when the store keeps them."""
        try:
            version = self.result_version()
            if version is None:
                return None
            stored = self.call(lambda s: s.get_analysis(article.id, version)
                               if hasattr(s, "get_analysis") else None)
        except (StoreError, TypeError) as e:
            log.debug("no stored analysis for %s: %s", article.id, e)
            return None
        if stored is None:
            return None
        if isinstance(stored, Analysis):
            return stored
        to_analysis = getattr(stored, "to_analysis", None)
        return to_analysis(article.text, article.lang) if to_analysis else None

    def result_version(self) -> str | None:
        """The model version whose stored results the corpus pages show (the newest set)."""
        now = time.monotonic()
        if self._version is not None and now - self._version[0] < FACET_TTL:
            return self._version[1]
        sets = self.call(lambda s: s.result_sets() if hasattr(s, "result_sets") else [])
        version = sets[0].model_version if sets else None
        self._version = (now, version)
        return version

    def export_rows(self, query: DocQuery, with_text: bool) -> Iterator[dict[str, Any]]:
        """Every matching document as a flat row, streamed from a reader of its own."""
        where = query.where()
        reader = self._reader()
        try:
            for article in reader.iter_articles(where, with_text=with_text):
                yield article.to_row(with_text=with_text)
        finally:
            if reader is not self._store:
                reader.close()

    def _reader(self) -> CorpusStore:
        with self._lock:
            store = self._open()
        if store.backend == "sqlite":
            from spinscope.store import open_store

            return open_store(store.location, migrate=False)
        return store

    # -- writes -------------------------------------------------------------------------------
    def ingest(self, sources: list[str], outlet: str | None, tags: tuple[str, ...]) -> Any:
        """Ingest URLs into the store (created if missing), holding the writer lock."""
        from spinscope.ingest.pipeline import IngestOptions, Ingestor

        with self._lock:
            if self._store is None:
                from spinscope.store import open_store

                self._store = open_store(self.settings.store)
            ingestor = Ingestor(self._store, self.settings,
                                IngestOptions(outlet=outlet, tags=tags),
                                fetcher=self.analysis.fetcher)
            report = ingestor.run(sources)
            self._facets = None
        return report

    # -- events -------------------------------------------------------------------------------
    @property
    def registry(self) -> OutletRegistry | None:
        """The outlet registry (names and blocs); ``None`` if it cannot be read."""
        if self._registry is None:
            try:
                self._registry = load_registry(self.settings.outlets)
            except SpinscopeError as e:
                log.warning("outlet registry unavailable: %s", e)
                return None
        return self._registry

    def events(self) -> list[EventInfo]:
        """Clustered events from the store, else events from ``event:`` tags."""
        def read(s: CorpusStore) -> list[EventInfo]:
            lister = getattr(s, "list_events", None)
            stored = [EventInfo.from_record(r) for r in lister()] if lister else []
            if stored:
                return stored
            return events_from_tags(s.iter_articles(with_text=False))
        return self.call(read)

    def event(self, ref: str) -> EventInfo:
        def read(s: CorpusStore) -> EventInfo | None:
            getter = getattr(s, "get_event", None)
            if getter is not None:
                try:
                    return EventInfo.from_record(getter(ref))
                except StoreError:
                    pass
            return next((e for e in events_from_tags(s.iter_articles(with_text=False))
                         if e.id == ref), None)
        found = self.call(read)
        if found is None:
            raise NotFound(f"no event {ref!r}; the events page lists them (run "
                           "`spinscope events` to cluster the corpus into events)")
        return found

    def event_members(self, event: EventInfo) -> list[tuple[Article, Analysis | None]]:
        """Member articles with their analyses (computed now only for small events)."""
        out: list[tuple[Article, Analysis | None]] = []
        compute = len(event.article_ids) <= MAX_ON_THE_FLY
        for article_id in event.article_ids:
            try:
                article = self.document(article_id)
            except StoreError:
                continue  # a member deleted since clustering
            analysis = self._stored_analysis(article)
            if analysis is None and compute:
                analysis = self.analysis_of(article)
            out.append((article, analysis))
        return out

    # -- comparisons --------------------------------------------------------------------------
    def comparison(self, by: str, technique: str | None = None,
                   event: str | None = None) -> dict[str, Any]:
        """Technique use by outlet, bloc or language over the stored results (cached)."""
        from spinscope.web.dashboard import (
            compare_module,
            interval_comparison,
            simple_comparison,
        )

        if technique is not None and technique not in self.analysis_taxonomy:
            raise InputError(f"unknown technique {technique!r}; see /techniques")
        version = self.result_version()
        if version is None:
            return {"by": by, "groups": [], "table": [], "intervals": False,
                    "model_version": None, "method": "",
                    "empty": "no stored analyses yet: run `spinscope analyze-corpus` on this "
                             "store, then reload"}
        key = (version, by, technique, event)
        now = time.monotonic()
        with self._lock:
            hit = self._comparisons.get(key)
        if hit is not None and now - hit[0] < COMPARISON_TTL:
            return hit[1]
        found = self.event(event) if event else None
        event_id = found.id if found is not None and found.origin == "clustering" else None
        where = ArticleFilter(tags=(EVENT_TAG + found.id,)) \
            if found is not None and found.origin == "tags" else None
        module = compare_module()
        if module is not None:
            options = module.CompareOptions(by=by)
            result = self.call(lambda s: module.compare_store(
                s, options, where=where, event_id=event_id, model_version=version,
                registry=self.registry))
            data = interval_comparison(result, self.analysis_taxonomy, technique)
        else:
            rows = self.call(lambda s: list(s.iter_analysis_rows(version, where,
                                                                 event_id=event_id)))
            data = simple_comparison(rows, by, self.analysis_taxonomy, self.registry,
                                     technique)
        data = {**data, "model_version": version, "empty": None}
        with self._lock:
            self._comparisons[key] = (now, data)
            while len(self._comparisons) > 64:
                self._comparisons.pop(next(iter(self._comparisons)))
        return data

    def charts(self, by: str, technique: str | None, event: str | None) -> list[dict[str, str]]:
        """The dashboard's charts as ``<img>`` sources (SVG drawn by the report module)."""
        try:
            import spinscope.report.svg  # noqa: F401
        except ImportError:
            return []
        from urllib.parse import urlencode

        query = urlencode({k: v for k, v in (("by", by), ("technique", technique),
                                             ("event", event)) if v})
        return [
            {"url": f"/charts/rates.svg?{query}", "alt": f"Bar chart: all techniques per "
             f"1,000 words by {by}, with intervals", "caption": "Whiskers: 95% intervals."},
            {"url": f"/charts/heatmap.svg?{query}", "alt": f"Heatmap: each technique's rate "
             f"by {by}", "caption": "Darker: more spans per 1,000 words."}]
