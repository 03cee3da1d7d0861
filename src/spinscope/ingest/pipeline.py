"""Ingest: sources → items → extraction → dedup → store, with per-item failures and a report.

The calling thread is the only writer: downloads run in a small thread pool, but every item is
extracted and stored here, in source order. Writes are committed in short transactions (every
``batch_size`` items or ``COMMIT_EVERY`` seconds), so a killed process loses at most the last
uncommitted batch, and re-running the same sources adds exactly what is missing.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spinscope.dedup.deduper import Deduper
from spinscope.errors import IngestError, StoreError
from spinscope.extract.lang import get_detector
from spinscope.ingest.build import Built, ItemBuilder, item_url_keys
from spinscope.ingest.feeds import sniff_xml
from spinscope.ingest.fetch import ANY_TYPES, ARTICLE_TYPES, Fetcher, FetchOptions
from spinscope.ingest.files import FileOptions, iter_path, iter_xml, walk
from spinscope.ingest.items import Failure, ItemKind, RawItem, Skipped, UrlTask
from spinscope.ingest.tabular import ColumnMap
from spinscope.ingest.workers import build_in_worker, build_or_fail, extraction_pool
from spinscope.outlets.registry import OutletRegistry, load_registry
from spinscope.settings import Settings
from spinscope.store.base import CorpusStore
from spinscope.store.records import Article, RawSource, make_article_id

__all__ = ["IngestOptions", "IngestReport", "Ingestor", "Progress", "ingest"]

log = logging.getLogger(__name__)

COMMIT_EVERY = 1.0  # seconds: the longest a finished item waits uncommitted
MAX_SITEMAP_DEPTH = 3
MAX_FAILURES_KEPT = 100_000  # failures beyond this are counted, not listed


@dataclass(frozen=True, slots=True)
class IngestOptions:
    outlet: str | None = None  # override for every item (id or name from the registry)
    tags: tuple[str, ...] = ()
    encoding: str | None = None
    columns: ColumnMap = field(default_factory=ColumnMap)
    near_duplicates: bool = True


@dataclass
class Progress:
    """Counters for progress displays; ``total`` is known for plain files only."""

    seen: int = 0
    added: int = 0
    linked: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: int = 0
    total: int | None = None
    current: str = ""
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.seen / elapsed if elapsed > 0 else 0.0


@dataclass
class IngestReport:
    """What a run did. ``linked``: added articles that are syndicated/near copies."""

    run_id: int
    added: int = 0
    linked: int = 0
    duplicates: int = 0
    failed: list[Failure] = field(default_factory=list)
    failed_count: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "added": self.added, "linked": self.linked,
                "duplicates": self.duplicates, "failed": self.failed_count,
                "skipped": len(self.skipped), "seconds": round(self.seconds, 3),
                "interrupted": self.interrupted,
                "failures": [{"location": f.location, "reason": f.reason} for f in self.failed],
                "skipped_files": [{"location": s.location, "reason": s.reason}
                                  for s in self.skipped]}


class Ingestor:
    """Runs one ingest into ``store``; see ``ingest()`` for the one-call form."""

    def __init__(self, store: CorpusStore, settings: Settings, options: IngestOptions,
                 registry: OutletRegistry | None = None, fetcher: Fetcher | None = None,
                 progress: Callable[[Progress], None] | None = None):
        self.store = store
        self.settings = settings
        self.options = options
        self.registry = registry if registry is not None else load_registry(settings.outlets)
        self.fetcher = fetcher if fetcher is not None else Fetcher(FetchOptions(
            user_agent=settings.user_agent, timeout=settings.fetch_timeout,
            deadline=settings.fetch_deadline, max_bytes=settings.max_bytes,
            max_redirects=settings.max_redirects, retries=settings.retries,
            backoff=settings.backoff, respect_robots=settings.respect_robots,
            allow_private=settings.allow_private_addresses, host_delay=settings.host_delay))
        self.builder = ItemBuilder(self.registry, get_detector(tuple(settings.languages)),
                                   options.outlet, settings.max_bytes)
        self.dedup = Deduper(store, near=options.near_duplicates)
        self.file_options = FileOptions(settings.max_bytes, options.encoding, options.columns)
        self.on_progress = progress
        self.progress = Progress()
        self.jobs = max(1, settings.extract_workers)
        self._extract_pool: ProcessPoolExecutor | None = None
        self._builds: deque[tuple[RawItem, str, Future[Built | Failure]]] = deque()
        self.report = IngestReport(run_id=0)
        self._tx: AbstractContextManager[None] | None = None
        self._pending = 0
        self._last_commit = time.monotonic()

    # -- driver -------------------------------------------------------------------------------
    def run(self, sources: Sequence[str]) -> IngestReport:
        report = IngestReport(run_id=self.store.start_run(sources))
        self.report = report
        self.progress.total = _total_hint(sources)
        pool = ThreadPoolExecutor(max_workers=max(1, self.settings.fetch_workers),
                                  thread_name_prefix="spinscope-fetch")
        inflight: deque[tuple[UrlTask, Future[RawItem | Failure]]] = deque()
        limit = 2 * max(1, self.settings.fetch_workers)
        if self.jobs > 1:
            self._extract_pool = extraction_pool(
                self.jobs, self.registry, tuple(self.settings.languages), self.options.outlet,
                self.settings.max_bytes)
        try:
            for event in self._events(sources):
                if isinstance(event, UrlTask):
                    if self._known_url(event):
                        continue
                    inflight.append((event, pool.submit(self._fetch_article, event)))
                    while len(inflight) >= limit:
                        self._handle(inflight.popleft()[1].result())
                else:
                    self._handle(event)
            while inflight:
                self._handle(inflight.popleft()[1].result())
            while self._builds:
                self._finish_oldest()
            self._commit()
        except KeyboardInterrupt:
            report.interrupted = True
            self._rollback()
            for _, fut in inflight:
                fut.cancel()
        except BaseException:
            self._rollback()
            raise
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            if self._extract_pool is not None:
                self._extract_pool.shutdown(wait=False, cancel_futures=True)
        report.seconds = time.monotonic() - self.progress.started
        counts = {"added": report.added, "linked": report.linked,
                  "duplicates": report.duplicates, "failed": report.failed_count,
                  "skipped": len(report.skipped)}
        with self.store.transaction():
            self.store.finish_run(report.run_id, counts,
                                  [(f.location, f.reason) for f in report.failed],
                                  "interrupted" if report.interrupted else "finished")
        return report

    def _events(self, sources: Sequence[str]) -> Iterator[RawItem | UrlTask | Failure | Skipped]:
        for source in sources:
            if source.startswith(("http://", "https://")):
                yield from self._url_source(source)
                continue
            path = Path(source).expanduser()
            if not path.exists():
                yield Failure(source, "no such file or folder (URLs must start with http:// "
                              "or https://)")
                continue
            yield from iter_path(path, self.file_options)

    def _url_source(self, url: str, depth: int = 0
                    ) -> Iterator[RawItem | UrlTask | Failure | Skipped]:
        """A URL given by the user (or a child sitemap): a page, a feed or a sitemap."""
        if depth == 0 and self._known_url(UrlTask(url, via=url)):
            return
        try:
            result = self.fetcher.fetch(url, accept=ANY_TYPES)
        except IngestError as e:
            yield Failure(url, _reason(e, url))
            return
        is_xml = result.content_type in ANY_TYPES and result.content_type not in ARTICLE_TYPES
        if not is_xml and sniff_xml(result.data) is None:
            kind: ItemKind = "text" if result.content_type == "text/plain" else "html"
            yield RawItem(url, result.data, kind, url=result.url, requested_url=url,
                          content_type=result.content_type, charset=result.charset,
                          keep_raw=True)
            return
        for event in iter_xml(result.data, url, self.settings.max_bytes):
            if isinstance(event, UrlTask) and event.fields.get("_sitemap"):
                if depth + 1 > MAX_SITEMAP_DEPTH:
                    yield Failure(event.url, f"sitemap nested deeper than {MAX_SITEMAP_DEPTH}"
                                  " levels; give the child sitemap directly")
                else:
                    yield from self._url_source(event.url, depth + 1)
            else:
                yield event

    def _fetch_article(self, task: UrlTask) -> RawItem | Failure:
        """Runs in a download thread: fetch only, no store access."""
        try:
            result = self.fetcher.fetch(task.url, accept=ARTICLE_TYPES)
        except IngestError as e:
            return Failure(task.url, _reason(e, task.url))
        except Exception as e:  # a bug or an odd server must not stop the run
            log.debug("fetch of %s failed", task.url, exc_info=True)
            return Failure(task.url, f"unexpected error: {type(e).__name__}: {e}")
        kind: ItemKind = "text" if result.content_type == "text/plain" else "html"
        return RawItem(task.url, result.data, kind, url=result.url, requested_url=task.url,
                       content_type=result.content_type, charset=result.charset,
                       fields=task.fields, keep_raw=True)

    # -- per item -----------------------------------------------------------------------------
    def _handle(self, event: RawItem | Failure | Skipped) -> None:
        p = self.progress
        if isinstance(event, Skipped):
            self.report.skipped.append(event)
            p.skipped += 1
            return  # not an item: left out of the progress count
        if isinstance(event, Failure):
            self._fail(event)
            self._item_done()
            return
        p.current = event.location
        try:
            raw_hash = self._precheck(event)
        except StoreError:
            raise
        except Exception as e:  # e.g. a URL that cannot be parsed: this item only
            self._fail(Failure(event.location, f"{type(e).__name__}: {e}"))
            raw_hash = None
        if raw_hash is None:
            self._item_done()
            return
        if self._extract_pool is None:
            self._finish(event, raw_hash, build_or_fail(self.builder, event))
            return
        self._builds.append((event, raw_hash, self._extract_pool.submit(build_in_worker,
                                                                        event)))
        while len(self._builds) >= 4 * self.jobs:
            self._finish_oldest()

    def _finish_oldest(self) -> None:
        item, raw_hash, future = self._builds.popleft()
        self._finish(item, raw_hash, future.result())

    def _item_done(self) -> None:
        self.progress.seen += 1
        self._maybe_commit()
        if self.on_progress is not None:
            self.on_progress(self.progress)

    def _fail(self, failure: Failure) -> None:
        log.info("failed: %s", failure)
        self.report.failed_count += 1
        self.progress.failed += 1
        if len(self.report.failed) < MAX_FAILURES_KEPT:
            self.report.failed.append(failure)

    def _known_url(self, task: UrlTask) -> bool:
        keys = item_url_keys(task.url)
        known = self.dedup.check_url(keys)
        if known is None:
            return False
        self._duplicate(known, [])
        self.progress.seen += 1
        self._maybe_commit()
        return True

    def _duplicate(self, article_id: str, keys: list[str]) -> None:
        self._begin()
        if self.options.tags:
            self.store.add_tags(article_id, self.options.tags)
        if keys:
            self.store.add_url_keys(article_id, keys)
        self.report.duplicates += 1
        self.progress.duplicates += 1

    def _precheck(self, item: RawItem) -> str | None:
        """Cheap duplicate checks before extraction; the raw hash, or None if a duplicate."""
        self._begin()
        raw_hash = self.builder.raw_hash(item)
        early_keys = item_url_keys(item.requested_url, item.url)
        outlet_guess = self.builder.guess_outlet(item.fields, item.url)
        known = self.dedup.check_url(early_keys) or self.dedup.check_raw(raw_hash, outlet_guess)
        if known is not None:
            self._duplicate(known, early_keys)
            return None
        return raw_hash

    def _finish(self, item: RawItem, raw_hash: str, built: Built | Failure) -> None:
        """Dedup and store one extracted item (in source order, in this process)."""
        if isinstance(built, Failure):
            self._fail(built)
        else:
            self._begin()
            self._store_built(item, raw_hash, built)
        self._item_done()

    def _store_built(self, item: RawItem, raw_hash: str, built: Built) -> None:
        decision = self.dedup.decide(built.text, built.content_hash, built.near_keys,
                                     built.outlet, built.url_keys)
        if decision.action == "duplicate":
            assert decision.dup_of is not None
            self._duplicate(decision.dup_of, built.url_keys)
            return
        article = Article(
            id=make_article_id(built.content_hash, built.url_keys[0] if built.url_keys else None,
                               f"{item.location}\0{built.outlet or ''}"),
            text=built.text, content_hash=built.content_hash, location=item.location,
            url=built.url, title=built.title, author=built.author, published=built.published,
            lang=built.lang, outlet=built.outlet, tags=self.options.tags,
            near_keys=built.near_keys, dup_of=decision.dup_of, dup_kind=decision.dup_kind,
            raw_hash=raw_hash, extractor=built.extractor, metadata=built.metadata)
        data = item.data if isinstance(item.data, bytes) else None
        raw = RawSource(raw_hash, item.location, item.content_type, item.size,
                        data if item.keep_raw else None)
        self.store.insert(article, built.url_keys, raw)
        self.report.added += 1
        self.progress.added += 1
        if decision.dup_of is not None:
            self.report.linked += 1
            self.progress.linked += 1

    # -- transactions -------------------------------------------------------------------------
    def _begin(self) -> None:
        if self._tx is None:
            self._tx = self.store.transaction()
            self._tx.__enter__()
        self._pending += 1

    def _maybe_commit(self) -> None:
        if self._tx is not None and (self._pending >= self.settings.batch_size or
                                     time.monotonic() - self._last_commit >= COMMIT_EVERY):
            self._commit()

    def _commit(self) -> None:
        if self._tx is not None:
            tx, self._tx = self._tx, None
            tx.__exit__(None, None, None)
        self._pending = 0
        self._last_commit = time.monotonic()

    def _rollback(self) -> None:
        if self._tx is not None:
            tx, self._tx = self._tx, None
            with contextlib.suppress(KeyboardInterrupt):
                tx.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)
        self._pending = 0


def _reason(error: Exception, location: str) -> str:
    """The error message without a leading ``location: `` (the report shows it already)."""
    text = str(error)
    prefix = f"{location}: "
    return text[len(prefix):] if text.startswith(prefix) else text


def _total_hint(sources: Sequence[str]) -> int | None:
    """Number of items when every source is a plain file or a folder of single-item files."""
    total = 0
    for source in sources:
        if source.startswith(("http://", "https://")):
            return None
        path = Path(source).expanduser()
        if not path.exists():
            total += 1
            continue
        files = list(walk(path)) if path.is_dir() else [path]
        if any(f.suffix.lower() not in _SINGLE_ITEM for f in files):
            return None  # containers (CSV, WARC, feeds...) hold an unknown number of items
        total += len(files)
    return total


_SINGLE_ITEM = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"}


def ingest(sources: Sequence[str], store: CorpusStore, settings: Settings | None = None,
           options: IngestOptions | None = None,
           progress: Callable[[Progress], None] | None = None) -> IngestReport:
    """Ingest ``sources`` (paths and URLs) into ``store``; per-item failures are in the report."""
    from spinscope.settings import load_settings

    return Ingestor(store, settings or load_settings(), options or IngestOptions(),
                    progress=progress).run(sources)

