"""The part of the store interface for derived results: analyses per model version, events.

``CorpusStore`` inherits these methods; ``spinscope.store.sqlresults`` implements them once
for SQLite and PostgreSQL. Results never change the articles: they sit in their own tables
(migration 2) keyed by article id and model version.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from spinscope.analyze.analyser import ModelInfo
    from spinscope.analyze.records import AnalysisRow, AnalysisRun, ResultSet, StoredAnalysis
    from spinscope.events.records import EventBuild, EventEdit, EventRecord
    from spinscope.store.records import Article, ArticleFilter

__all__ = ["ResultsStore"]


class ResultsStore(ABC):
    """Analyses, analysis runs and failures, events, event edits and embeddings."""

    # -- analyses -----------------------------------------------------------------------------
    @abstractmethod
    def count_unanalysed(self, model_version: str, where: ArticleFilter | None = None,
                         retry_failed: bool = True) -> int:
        """Articles (matching ``where``) without a result for ``model_version``."""

    @abstractmethod
    def iter_unanalysed(self, model_version: str, where: ArticleFilter | None = None,
                        retry_failed: bool = True, batch_size: int = 500) -> Iterator[Article]:
        """Those articles with their text, in store order, read in batches."""

    @abstractmethod
    def start_analysis_run(self, info: ModelInfo, options: Mapping[str, Any]) -> int: ...

    @abstractmethod
    def save_analyses(self, run_id: int, results: Sequence[StoredAnalysis]) -> None:
        """Insert results (a result for the same article and version is replaced)."""

    @abstractmethod
    def record_analysis_failures(self, run_id: int, model_version: str,
                                 failures: Sequence[tuple[str, str]]) -> None: ...

    @abstractmethod
    def finish_analysis_run(self, run_id: int, counts: Mapping[str, int],
                            status: str = "finished") -> None: ...

    @abstractmethod
    def analysis_runs(self, limit: int = 20) -> list[AnalysisRun]:
        """Recent analysis runs, newest first."""

    @abstractmethod
    def analysis_failures(self, run_id: int) -> list[tuple[str, str]]: ...

    @abstractmethod
    def result_sets(self) -> list[ResultSet]:
        """Model versions with stored results, most recently written first."""

    @abstractmethod
    def get_analysis(self, article_id: str, model_version: str) -> StoredAnalysis | None: ...

    @abstractmethod
    def iter_analysis_rows(self, model_version: str, where: ArticleFilter | None = None,
                           event_id: str | None = None, batch_size: int = 2000,
                           min_score: float = 0.0) -> Iterator[AnalysisRow]:
        """Results joined with article metadata (no text, no spans), in store order.

        ``min_score`` > 0 counts only spans scored at least that (read from the spans)."""

    @abstractmethod
    def iter_analysed(self, model_version: str, where: ArticleFilter | None = None,
                      event_id: str | None = None,
                      batch_size: int = 200) -> Iterator[tuple[Article, StoredAnalysis]]:
        """Articles with their text and their full stored result, in store order."""

    # -- events -------------------------------------------------------------------------------
    @abstractmethod
    def articles_published(self, date_from: dt.date, date_to: dt.date,
                           where: ArticleFilter | None = None) -> list[Article]:
        """Articles (with text) published from ``date_from`` to ``date_to`` inclusive that
        match ``where`` (its own dates ignored), by date; uses the date index, so reading a
        corpus window by window costs the windows' size, not the corpus's."""

    @abstractmethod
    def start_event_build(self, embedder: str, params: Mapping[str, Any]) -> int: ...

    @abstractmethod
    def replace_events(self, build_id: int, events: Sequence[EventRecord],
                       counts: Mapping[str, int]) -> None:
        """Make ``events`` the current events (the previous ones are dropped)."""

    @abstractmethod
    def list_events(self) -> list[EventRecord]:
        """Current events, largest first, with their member ids."""

    @abstractmethod
    def get_event(self, ref: str) -> EventRecord:
        """The event with this id or unique id prefix; ``StoreError`` otherwise."""

    @abstractmethod
    def event_builds(self, limit: int = 20) -> list[EventBuild]: ...

    @abstractmethod
    def add_event_edit(self, action: str, groups: Sequence[Sequence[str]],
                       name: str | None = None, note: str = "") -> EventEdit: ...

    @abstractmethod
    def event_edits(self) -> list[EventEdit]:
        """Manual edits in the order they were made."""

    @abstractmethod
    def load_embeddings(self, embedder: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached document embeddings (float32) of ``embedder`` for those of ``ids`` it has."""

    @abstractmethod
    def save_embeddings(self, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None: ...
