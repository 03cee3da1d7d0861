"""Group documents into events: average-linkage clustering inside time blocks, chained.

Documents arrive sorted by day. Each block (at most ``window_days`` days, at most
``max_block`` documents) is clustered exactly with average-linkage agglomerative clustering on
cosine distance, cut at ``threshold`` (no number of clusters needed). Block clusters are then
chained onto the open events: a cluster joins the event whose average cosine similarity to it
(the dot product of their mean unit vectors, i.e. the same average-linkage criterion) is
highest, if that is at least ``1 - threshold`` and the event's last article is at most
``window_days`` before the cluster's first. An event stops taking articles ``max_days`` after
its first one, so a long-running story becomes a series of events instead of one event that
chains on forever. Only open events are kept in memory, so the cost grows linearly with the
corpus for a bounded number of articles per day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from spinscope.errors import ConfigError

__all__ = ["Chainer", "EventDoc", "EventOptions", "cluster_block", "cluster_documents",
           "day_blocks"]

# Chosen on the sample corpus (docs/corpus-analysis.md has the sweep); a starting point,
# to be checked on a labelled slice of one's own corpus.
DEFAULT_THRESHOLD = 0.18
DEFAULT_WINDOW = 4


@dataclass(frozen=True)
class EventOptions:
    threshold: float = DEFAULT_THRESHOLD  # cosine distance for average linkage
    window_days: int = DEFAULT_WINDOW
    min_articles: int = 2  # smaller groups are not kept as events
    max_block: int = 2000  # documents clustered exactly at once
    max_days: int = 31  # an event takes no articles published later than this after its start

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 2.0:
            raise ConfigError(f"event threshold {self.threshold} must be in (0, 2) (cosine "
                              "distance); try 0.1-0.2")
        if self.window_days < 1 or self.max_block < 2 or self.min_articles < 1:
            raise ConfigError("window_days and min_articles must be at least 1, max_block 2")
        if self.max_days < self.window_days:
            raise ConfigError(f"max_days ({self.max_days}) must be at least window_days "
                              f"({self.window_days})")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EventDoc:
    """What clustering needs of an article."""

    id: str
    day: dt.date
    vector: np.ndarray  # unit length
    outlet: str | None = None
    lang: str | None = None
    text: str = ""  # title and lead, for naming
    title: str | None = None
    order: int = 0  # store order, breaks ties between articles of one day


@dataclass
class OpenEvent:
    members: list[str]
    total: np.ndarray  # sum of member vectors
    first_day: dt.date
    last_day: dt.date
    summary: Any = None  # whatever ``absorb`` keeps (never the documents themselves)

    @property
    def mean(self) -> np.ndarray:
        return self.total / len(self.members)


def cluster_block(vectors: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster labels of the rows (average linkage, cosine distance, cut at ``threshold``)."""
    n = len(vectors)
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    from sklearn.cluster import AgglomerativeClustering

    dist = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0).astype(np.float64)
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=threshold)
    return np.asarray(model.fit_predict(dist), dtype=np.int64)


def day_blocks(docs: Iterable[EventDoc], window_days: int,
               max_block: int) -> Iterator[list[EventDoc]]:
    """Consecutive blocks of day-sorted documents spanning at most ``window_days`` days."""
    block: list[EventDoc] = []
    for d in docs:
        if block and ((d.day - block[0].day).days >= window_days or len(block) >= max_block):
            yield block
            block = []
        if block and d.day < block[-1].day:
            raise ValueError("documents must arrive sorted by day")
        block.append(d)
    if block:
        yield block


class Chainer:
    """Chains block clusters into events; finished events are handed out as they close.

    ``absorb(event, docs)`` is called when documents join an event, so a caller can keep a
    running summary (terms, outlets) without the chainer holding on to the documents: memory
    stays bounded by the open events' member ids, not their texts.
    """

    def __init__(self, options: EventOptions,
                 absorb: Callable[[OpenEvent, list[EventDoc]], None] | None = None):
        self.options = options
        self.absorb = absorb
        self.open: list[OpenEvent] = []

    def add_block(self, block: list[EventDoc]) -> list[OpenEvent]:
        """Cluster one block, chain its clusters; returns the events that closed before it."""
        start = block[0].day
        horizon = start - dt.timedelta(days=self.options.window_days)
        too_old = start - dt.timedelta(days=self.options.max_days)
        done = [e.last_day < horizon or e.first_day < too_old for e in self.open]
        closed = [e for e, d in zip(self.open, done, strict=True) if d]
        self.open = [e for e, d in zip(self.open, done, strict=True) if not d]
        vectors = np.stack([d.vector for d in block]).astype(np.float32)
        labels = cluster_block(vectors, self.options.threshold)
        for label in np.unique(labels):
            idx = np.flatnonzero(labels == label)
            docs = [block[i] for i in idx]
            total = vectors[idx].sum(axis=0)
            first = min(d.day for d in docs)
            last = max(d.day for d in docs)
            target = self._best(total / len(idx), first, last)
            if target is None:
                target = OpenEvent([d.id for d in docs], total, first, last)
                self.open.append(target)
            else:
                target.members.extend(d.id for d in docs)
                target.total = target.total + total
                target.last_day = max(target.last_day, last)
            if self.absorb is not None:
                self.absorb(target, docs)
        return closed

    def _best(self, mean: np.ndarray, first: dt.date, last: dt.date) -> OpenEvent | None:
        limit = first - dt.timedelta(days=self.options.window_days)
        oldest = last - dt.timedelta(days=self.options.max_days)
        best, best_sim = None, 1.0 - self.options.threshold
        for e in self.open:
            if e.last_day < limit or e.first_day < oldest:
                continue
            sim = float(mean @ e.mean)
            if sim >= best_sim:
                best, best_sim = e, sim
        return best

    def finish(self) -> list[OpenEvent]:
        closed, self.open = self.open, []
        return closed


def cluster_documents(docs: Iterable[EventDoc], options: EventOptions | None = None
                      ) -> list[list[str]]:
    """Member ids of every group (singletons included), for day-sorted ``docs``."""
    options = options or EventOptions()
    chain = Chainer(options)
    groups: list[list[str]] = []
    for block in day_blocks(docs, options.window_days, options.max_block):
        groups += [e.members for e in chain.add_block(block)]
    groups += [e.members for e in chain.finish()]
    return groups
