"""Build events over the corpus store, and apply manual edits to the stored events.

``build_events`` reads the store one time window at a time (so memory is bounded by the
busiest window, not the corpus), embeds articles it has no cached vector for, clusters and
chains (``events.cluster``), replays every manual edit, names the events and replaces the
stored ones. Embeddings are cached in the store per embedder version, so a rebuild after new
articles arrive only embeds the new ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spinscope.events.cluster import Chainer, EventDoc, EventOptions, OpenEvent, day_blocks
from spinscope.events.edits import EditedGroups, apply_edits
from spinscope.events.embed import Embedder, event_text
from spinscope.events.naming import TermStats, event_name, salient_terms
from spinscope.events.records import EventEdit, EventRecord
from spinscope.store.base import CorpusStore
from spinscope.store.records import Article, ArticleFilter

__all__ = ["EventBuildResult", "apply_edit_now", "build_events", "event_id"]

log = logging.getLogger(__name__)

# (articles read, articles embedded so far)
BuildProgress = Callable[[int, int], None]


def event_id(earliest_article: str) -> str:
    """Stable id of an event: a hash of its earliest article's id."""
    return "ev-" + hashlib.sha1(earliest_article.encode("utf-8")).hexdigest()[:10]


@dataclass
class _Group:
    members: list[str]
    first: str | None = None
    last: str | None = None
    outlets: set[str] = field(default_factory=set)
    langs: set[str] = field(default_factory=set)
    terms: TermStats = field(default_factory=TermStats)
    earliest: tuple[str, int, str] = ("9999", 0, "")

    def add(self, article_id: str, day: str | None, order: int, outlet: str | None,
            lang: str | None, text: str, title: str | None) -> None:
        if day:
            self.first = min(self.first or day, day)
            self.last = max(self.last or day, day)
        if outlet:
            self.outlets.add(outlet)
        if lang:
            self.langs.add(lang)
        self.terms.add(text, title, lang)
        self.earliest = min(self.earliest, (day or "9999", order, article_id))


@dataclass(frozen=True)
class EventBuildResult:
    build_id: int
    embedder: str
    articles: int
    embedded: int
    cached: int
    undated: int
    events: int
    in_events: int
    edits_applied: int
    seconds: float
    options: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"seconds": round(self.seconds, 2)}


def _absorb(event: OpenEvent, docs: list[EventDoc]) -> None:
    """Fold joining documents into the event's running summary (terms trimmed as we go)."""
    if event.summary is None:
        event.summary = _Group([])
    g: _Group = event.summary
    for d in docs:
        g.add(d.id, d.day.isoformat(), d.order, d.outlet, d.lang, d.text, d.title)
    g.terms.trim()


def _closed(event: OpenEvent, min_articles: int) -> _Group:
    """A closed event's compact summary (its term counts shrink to what naming needs)."""
    g: _Group = event.summary if event.summary is not None else _Group([])
    g.members = event.members
    if len(g.members) < min_articles:
        g.terms = TermStats()  # not an event unless an edit makes it one (then re-read)
    else:
        g.terms.compact()
    return g


def _from_store(store: CorpusStore, members: Sequence[str]) -> _Group:
    g = _Group(list(members))
    for a in map(store.get, members):
        g.add(a.id, (a.published or "")[:10] or None, a.seq or 0, a.outlet, a.lang,
              event_text(a.title, a.text), a.title)
    g.terms.trim()
    return g


class _Reader:
    """Streams ``EventDoc`` values, one time window of the store at a time."""

    def __init__(self, store: CorpusStore, embedder: Embedder, where: ArticleFilter | None,
                 window_days: int, progress: BuildProgress | None):
        self.store, self.embedder, self.where = store, embedder, where or ArticleFilter()
        self.window = window_days
        self.progress = progress
        self.articles = self.embedded = self.cached = 0

    def _vectors(self, articles: list[Article]) -> dict[str, np.ndarray]:
        cached = self.store.load_embeddings(self.embedder.name, [a.id for a in articles])
        todo = [a for a in articles if a.id not in cached]
        if todo:
            vecs = self.embedder.embed([event_text(a.title, a.text) for a in todo])
            fresh = list(zip((a.id for a in todo), vecs, strict=True))
            with self.store.transaction():
                self.store.save_embeddings(self.embedder.name, fresh)
            cached.update(fresh)
        self.cached += len(articles) - len(todo)
        self.embedded += len(todo)
        return cached

    def __iter__(self) -> Iterator[EventDoc]:
        s = self.store.summary()
        if not s.first_published or not s.last_published:
            return
        day = max(dt.date.fromisoformat(s.first_published[:10]),
                  self.where.date_from or dt.date.min)
        end = min(dt.date.fromisoformat(s.last_published[:10]), self.where.date_to or dt.date.max)
        step = dt.timedelta(days=self.window)
        while day <= end:
            hi = min(day + step - dt.timedelta(days=1), end)
            articles = self.store.articles_published(day, hi, self.where)
            if articles:
                vectors = self._vectors(articles)
                self.articles += len(articles)
                if self.progress is not None:
                    self.progress(self.articles, self.embedded)
                docs = [EventDoc(a.id, dt.date.fromisoformat(a.published[:10]),  # type: ignore[index]
                                 vectors[a.id], a.outlet, a.lang, event_text(a.title, a.text),
                                 a.title, a.seq or 0) for a in articles]
                docs.sort(key=lambda d: (d.day, d.order))
                yield from docs
            day = hi + dt.timedelta(days=1)


class _Spill:
    """Closed events' summaries pickled to a temporary file; only member ids stay in memory.

    Naming needs every event's terms at the end (document frequencies across events), so
    they wait on disk: memory grows with member ids, not with per-event term statistics.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.members: list[list[str]] = []

    def add(self, group: _Group) -> None:
        self.members.append(group.members)
        group.members = []
        pickle.dump(group, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[_Group]:
        self.file.seek(0)
        for _ in self.members:
            yield pickle.load(self.file)  # our own temporary file

    def close(self) -> None:
        self.file.close()


def _records(store: CorpusStore, spill: _Spill, edited: EditedGroups, min_articles: int,
             build_id: int | None) -> list[EventRecord]:
    groups = edited.groups
    kept = {i for i, g in enumerate(groups)
            if g and (len(g) >= min_articles or i in edited.edited)}
    # Edited and new groups are summarised again from their articles (few of them).
    fresh = {i: _from_store(store, groups[i]) for i in sorted(kept)
             if i in edited.edited or i >= len(spill.members)}
    df: dict[str, int] = {}

    def count(g: _Group) -> None:
        for stem in g.terms.stems():
            df[stem] = df.get(stem, 0) + 1

    for i, g in enumerate(spill):
        if i in kept and i not in fresh:
            count(g)
    for g in fresh.values():
        count(g)

    def record(i: int, g: _Group) -> EventRecord:
        return EventRecord(event_id(g.earliest[2]),
                           edited.names.get(i) or event_name(g.terms, df, len(kept)),
                           tuple(salient_terms(g.terms, df, len(kept))), tuple(groups[i]),
                           g.first, g.last, tuple(sorted(g.outlets)), tuple(sorted(g.langs)),
                           i in edited.edited, build_id)

    out = [record(i, g) for i, g in enumerate(spill) if i in kept and i not in fresh]
    out += [record(i, g) for i, g in fresh.items()]
    return out


def build_events(store: CorpusStore, options: EventOptions | None = None,
                 embedder: Embedder | None = None, where: ArticleFilter | None = None,
                 progress: BuildProgress | None = None) -> EventBuildResult:
    """Cluster the stored articles into events and make them the current events."""
    options = options or EventOptions()
    if embedder is None:
        from spinscope.events.embed import OnnxEmbedder

        embedder = OnnxEmbedder()
    t0 = time.perf_counter()
    with store.transaction():
        build_id = store.start_event_build(embedder.name, options.to_dict())
    reader = _Reader(store, embedder, where, options.window_days, progress)
    chain = Chainer(options, absorb=_absorb)
    spill = _Spill()
    try:
        for block in day_blocks(iter(reader), options.window_days, options.max_block):
            for e in chain.add_block(block):
                spill.add(_closed(e, options.min_articles))
        for e in chain.finish():
            spill.add(_closed(e, options.min_articles))
        edited = apply_edits(spill.members, store.event_edits())
        records = _records(store, spill, edited, options.min_articles, build_id)
    finally:
        spill.close()
    total = store.count(where)
    counts = {"articles": reader.articles, "undated": total - reader.articles,
              "events": len(records), "in_events": sum(r.size for r in records),
              "embedded": reader.embedded, "edits_applied": edited.applied}
    with store.transaction():
        store.replace_events(build_id, records, counts)
    log.info("event build %d: %s", build_id, counts)
    return EventBuildResult(build_id, embedder.name, reader.articles, reader.embedded,
                            reader.cached, total - reader.articles, len(records),
                            counts["in_events"], edited.applied, time.perf_counter() - t0,
                            options.to_dict())


def apply_edit_now(store: CorpusStore, edit: EventEdit) -> list[EventRecord]:
    """Apply one new edit to the stored events without re-clustering; returns the events.

    Untouched events keep their ids, names and terms; edited ones are summarised again from
    their articles (their names use term frequency only until the next ``build_events``).
    """
    current = store.list_events()
    if not current:
        return []
    result = apply_edits([list(e.article_ids) for e in current], [edit])
    records: list[EventRecord] = []
    for i, members in enumerate(result.groups):
        if not members:
            continue
        if i < len(current) and i not in result.edited:
            records.append(current[i])
            continue
        g = _from_store(store, members)
        old = current[i] if i < len(current) else None
        name = result.names.get(i) or (old.name if old is not None and old.edited and
                                       edit.action != "merge" else None) \
            or event_name(g.terms, {}, 1)
        records.append(EventRecord(event_id(g.earliest[2]), name,
                                   tuple(salient_terms(g.terms, {}, 1)), tuple(members),
                                   g.first, g.last, tuple(sorted(g.outlets)),
                                   tuple(sorted(g.langs)), True, current[0].build_id))
    build = store.event_builds(1)
    counts = dict(build[0].counts) if build else {}
    counts.update(events=len(records), in_events=sum(r.size for r in records))
    with store.transaction():
        store.replace_events(current[0].build_id or 0, records, counts)
    return records
