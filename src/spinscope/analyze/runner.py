"""``analyze_corpus``: analyse every stored document the current model version has not seen.

The run is incremental (documents with a result for this model version are skipped),
resumable (results are committed every ``commit_every`` documents, so a killed run loses at
most one batch and the next run picks up where it stopped) and streaming (documents are read
from the store in batches and handed to the engine lazily: memory does not grow with the
corpus). Per-document failures are recorded with the run and retried by the next run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from spinscope.analyze.analyser import AnalyserFactory, ModelInfo
from spinscope.analyze.engine import Engine, LocalEngine, Task, TaskResult
from spinscope.analyze.records import StoredAnalysis
from spinscope.store.records import Article, ArticleFilter

__all__ = [
    "BatchOptions",
    "BatchSummary",
    "Progress",
    "ResultStore",
    "analyze_corpus",
    "iter_tasks",
]

log = logging.getLogger(__name__)

# (documents done, of which failed, documents to do): called after every finished task.
Progress = Callable[[int, int, int], None]


class ResultStore(Protocol):
    """The part of the corpus store that batch analysis uses."""

    def transaction(self) -> AbstractContextManager[None]: ...

    def count_unanalysed(self, model_version: str, where: ArticleFilter | None = None,
                         retry_failed: bool = True) -> int: ...

    def iter_unanalysed(self, model_version: str, where: ArticleFilter | None = None,
                        retry_failed: bool = True, batch_size: int = 500) -> Iterator[Article]: ...

    def start_analysis_run(self, info: ModelInfo, options: Mapping[str, Any]) -> int: ...

    def save_analyses(self, run_id: int, results: Sequence[StoredAnalysis]) -> None: ...

    def record_analysis_failures(self, run_id: int, model_version: str,
                                 failures: Sequence[tuple[str, str]]) -> None: ...

    def finish_analysis_run(self, run_id: int, counts: Mapping[str, int],
                            status: str = "finished") -> None: ...


@dataclass(frozen=True)
class BatchOptions:
    """How a batch run reads, groups and commits documents."""

    where: ArticleFilter | None = None
    chunk_size: int = 16  # documents per model call (one task)
    max_chunk_chars: int = 100_000  # ... or fewer, so one task never holds a huge text set
    commit_every: int = 200  # documents per store transaction
    commit_seconds: float = 5.0  # ... or at least this often
    retry_failed: bool = True  # analyse documents that failed in an earlier run again
    limit: int | None = None  # at most this many documents (trial runs)
    read_batch: int = 500  # documents per store read

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.where is not None:
            d["where"] = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                          for k, v in asdict(self.where).items()}
        return d


@dataclass(frozen=True)
class BatchSummary:
    run_id: int
    model: str
    model_version: str
    engine: str
    to_do: int
    analysed: int
    failed: int
    seconds: float
    status: str
    failures: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def docs_per_second(self) -> float:
        return self.analysed / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "model": self.model,
                "model_version": self.model_version, "engine": self.engine,
                "to_do": self.to_do, "analysed": self.analysed, "failed": self.failed,
                "seconds": round(self.seconds, 3),
                "docs_per_second": round(self.docs_per_second, 2), "status": self.status,
                "failures": [{"id": i, "reason": r} for i, r in self.failures]}


def iter_tasks(articles: Iterator[Article], chunk_size: int,
               max_chunk_chars: int) -> Iterator[Task]:
    """Group articles into tasks of at most ``chunk_size`` documents / ``max_chunk_chars``."""
    ids: list[str] = []
    texts: list[str] = []
    chars = 0
    for a in articles:
        if ids and (len(ids) >= chunk_size or chars + len(a.text) > max_chunk_chars):
            yield Task(tuple(ids), tuple(texts))
            ids, texts, chars = [], [], 0
        ids.append(a.id)
        texts.append(a.text)
        chars += len(a.text)
    if ids:
        yield Task(tuple(ids), tuple(texts))


def _limited(articles: Iterator[Article], limit: int | None) -> Iterator[Article]:
    for n, a in enumerate(articles):
        if limit is not None and n >= limit:
            return
        yield a


class _Writer:
    """Buffers results and failures; commits them in one transaction per batch."""

    def __init__(self, store: ResultStore, run_id: int, info: ModelInfo, options: BatchOptions,
                 keep_failures: int = 1000):
        self.store, self.run_id, self.info, self.options = store, run_id, info, options
        self.results: list[StoredAnalysis] = []
        self.failures: list[tuple[str, str]] = []
        self.analysed = 0
        self.failed = 0
        self.kept_failures: list[tuple[str, str]] = []  # first ones, for the summary
        self.keep_failures = keep_failures
        self.last_commit = time.monotonic()

    def add(self, result: TaskResult) -> None:
        self.results.extend(result.results)
        self.failures.extend(result.failures)
        self.analysed += len(result.results)
        self.failed += len(result.failures)
        room = self.keep_failures - len(self.kept_failures)
        if room > 0:
            self.kept_failures.extend(result.failures[:room])
        for article_id, reason in result.failures:
            log.warning("analysis of %s failed: %s", article_id, reason)
        pending = len(self.results) + len(self.failures)
        if (pending >= self.options.commit_every
                or time.monotonic() - self.last_commit >= self.options.commit_seconds):
            self.flush()

    def flush(self) -> None:
        if self.results or self.failures:
            with self.store.transaction():
                if self.results:
                    self.store.save_analyses(self.run_id, self.results)
                if self.failures:
                    self.store.record_analysis_failures(self.run_id, self.info.version,
                                                        self.failures)
        self.results, self.failures = [], []
        self.last_commit = time.monotonic()


def analyze_corpus(store: ResultStore, factory: AnalyserFactory,
                   options: BatchOptions | None = None, engine: Engine | None = None,
                   progress: Progress | None = None) -> BatchSummary:
    """Analyse the stored documents that have no result for the factory's model version.

    Raises ``KeyboardInterrupt`` after committing what was done and marking the run
    ``interrupted``; any other error marks it ``failed`` and propagates.
    """
    options = options or BatchOptions()
    engine = engine or LocalEngine()
    info = factory.info()
    to_do = store.count_unanalysed(info.version, options.where, options.retry_failed)
    if options.limit is not None:
        to_do = min(to_do, options.limit)
    with store.transaction():
        run_id = store.start_analysis_run(info, {**options.to_dict(), "engine": engine.name})
    log.info("analysis run %d: %d documents for %s %s", run_id, to_do, info.model, info.version)
    writer = _Writer(store, run_id, info, options)
    t0 = time.perf_counter()
    status = "failed"
    try:
        if to_do:
            articles = _limited(store.iter_unanalysed(info.version, options.where,
                                                      options.retry_failed,
                                                      options.read_batch), options.limit)
            tasks = iter_tasks(articles, options.chunk_size, options.max_chunk_chars)
            for result in engine.run(factory, tasks):
                writer.add(result)
                if progress is not None:
                    progress(writer.analysed + writer.failed, writer.failed, to_do)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        writer.flush()
        counts = {"to_do": to_do, "analysed": writer.analysed, "failed": writer.failed}
        with store.transaction():
            store.finish_analysis_run(run_id, counts, status)
        log.info("analysis run %d %s: %s", run_id, status, counts)
    return BatchSummary(run_id, info.model, info.version, engine.name, to_do, writer.analysed,
                        writer.failed, time.perf_counter() - t0, status,
                        tuple(writer.kept_failures))
