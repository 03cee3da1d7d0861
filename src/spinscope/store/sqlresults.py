"""SQL for analyses, analysis runs, events, event edits and embeddings (SQLite and PostgreSQL).

Migration 2 adds the tables; ``SQLResultsStore`` implements ``ResultsStore`` with the same
``?``-placeholder SQL on both backends (the backend hooks translate placeholders and JSON).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analyze.records import AnalysisRow, AnalysisRun, ResultSet, StoredAnalysis
from spinscope.errors import StoreError
from spinscope.events.records import EventBuild, EventEdit, EventRecord
from spinscope.store.records import Article, ArticleFilter
from spinscope.store.results import ResultsStore

if TYPE_CHECKING:  # pragma: no cover
    from spinscope.analyze.analyser import ModelInfo

__all__ = ["POSTGRES_MIGRATION", "SQLITE_MIGRATION", "SQLResultsStore"]

_TABLES = """
CREATE TABLE analysis_runs (
    id {serial} PRIMARY KEY,
    model TEXT NOT NULL,
    model_version TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    counts {json} NOT NULL,
    options {json} NOT NULL,
    techniques {json} NOT NULL
);
CREATE TABLE analyses (
    model_version TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    model TEXT NOT NULL,
    run_id INTEGER REFERENCES analysis_runs(id),
    created_at TEXT NOT NULL,
    word_count INTEGER NOT NULL,
    n_chars INTEGER NOT NULL,
    n_spans INTEGER NOT NULL,
    counts {json} NOT NULL,
    spans {json} NOT NULL,
    paragraphs {json} NOT NULL,
    PRIMARY KEY (model_version, article_id)
);
CREATE INDEX analyses_article ON analyses(article_id);
CREATE TABLE analysis_failures (
    id {serial} PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES analysis_runs(id),
    model_version TEXT NOT NULL,
    article_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX analysis_failures_article ON analysis_failures(model_version, article_id);
CREATE TABLE event_builds (
    id {serial} PRIMARY KEY,
    created_at TEXT NOT NULL,
    embedder TEXT NOT NULL,
    params {json} NOT NULL,
    counts {json} NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    build_id INTEGER REFERENCES event_builds(id),
    name TEXT NOT NULL,
    terms {json} NOT NULL,
    first_published TEXT,
    last_published TEXT,
    n_articles INTEGER NOT NULL,
    outlets {json} NOT NULL,
    langs {json} NOT NULL,
    edited INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE event_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    event_id TEXT NOT NULL REFERENCES events(id)
);
CREATE INDEX event_members_event ON event_members(event_id);
CREATE TABLE event_edits (
    id {serial} PRIMARY KEY,
    created_at TEXT NOT NULL,
    action TEXT NOT NULL,
    groups {json} NOT NULL,
    name TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE article_embeddings (
    embedder TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    vector {blob} NOT NULL,
    PRIMARY KEY (embedder, article_id)
);
"""

SQLITE_MIGRATION = _TABLES.format(serial="INTEGER", json="TEXT", blob="BLOB")
POSTGRES_MIGRATION = _TABLES.format(serial="BIGSERIAL", json="JSONB", blob="BYTEA")

_ROW_COLUMNS = ("a.seq, a.id, a.outlet, a.lang, a.published, a.dup_of, r.model_version,"
                " r.word_count, r.counts, m.event_id")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLResultsStore(ResultsStore):
    """``ResultsStore`` in SQL; mixed into ``SQLCorpusStore``, whose hooks it uses."""

    if TYPE_CHECKING:  # provided by the store class as a read-only property
        @property
        def location(self) -> str: ...

    @abstractmethod
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    @abstractmethod
    def _enc_json(self, value: Any) -> Any: ...

    @abstractmethod
    def _dec_json(self, value: Any) -> Any: ...

    @abstractmethod
    def _filter_sql(self, where: ArticleFilter | None) -> tuple[str, list[Any]]: ...

    @abstractmethod
    def _article(self, row: Sequence[Any], with_text: bool) -> Article: ...

    # -- analyses -----------------------------------------------------------------------------
    def _unanalysed_sql(self, model_version: str, where: ArticleFilter | None,
                        retry_failed: bool) -> tuple[str, list[Any]]:
        cond, params = self._filter_sql(where)
        sql = (f"{cond} AND NOT EXISTS (SELECT 1 FROM analyses r WHERE r.model_version = ?"
               " AND r.article_id = a.id)")
        params = [*params, model_version]
        if not retry_failed:
            sql += (" AND NOT EXISTS (SELECT 1 FROM analysis_failures f"
                    " WHERE f.model_version = ? AND f.article_id = a.id)")
            params.append(model_version)
        return sql, params

    def count_unanalysed(self, model_version: str, where: ArticleFilter | None = None,
                         retry_failed: bool = True) -> int:
        cond, params = self._unanalysed_sql(model_version, where, retry_failed)
        row = self._exec(f"SELECT count(*) FROM articles a WHERE 1 = 1{cond}", params).fetchone()
        return int(row[0])

    def iter_unanalysed(self, model_version: str, where: ArticleFilter | None = None,
                        retry_failed: bool = True, batch_size: int = 500) -> Iterator[Article]:
        from spinscope.store.sqlcommon import SELECT_COLUMNS

        cond, params = self._unanalysed_sql(model_version, where, retry_failed)
        last = 0
        while True:
            rows = self._exec(f"SELECT {SELECT_COLUMNS}, a.text FROM articles a WHERE a.seq > ?"
                              f"{cond} ORDER BY a.seq LIMIT ?",
                              (last, *params, batch_size)).fetchall()
            for row in rows:
                yield self._article(row, with_text=True)
            if len(rows) < batch_size:
                return
            last = rows[-1][0]

    def start_analysis_run(self, info: ModelInfo, options: Mapping[str, Any]) -> int:
        row = self._exec(
            "INSERT INTO analysis_runs (model, model_version, started_at, status, counts,"
            " options, techniques) VALUES (?, ?, ?, 'running', ?, ?, ?) RETURNING id",
            (info.model, info.version, _now(), self._enc_json({}),
             self._enc_json(dict(options)), self._enc_json(list(info.techniques)))).fetchone()
        return int(row[0])

    def save_analyses(self, run_id: int, results: Sequence[StoredAnalysis]) -> None:
        for r in results:
            self._exec(
                "INSERT INTO analyses (model_version, article_id, model, run_id, created_at,"
                " word_count, n_chars, n_spans, counts, spans, paragraphs)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (model_version, article_id) DO UPDATE SET model = excluded.model,"
                " run_id = excluded.run_id, created_at = excluded.created_at,"
                " word_count = excluded.word_count, n_chars = excluded.n_chars,"
                " n_spans = excluded.n_spans, counts = excluded.counts, spans = excluded.spans,"
                " paragraphs = excluded.paragraphs",
                (r.model_version, r.article_id, r.model, run_id, r.created_at, r.word_count,
                 r.n_chars, len(r.spans), self._enc_json(r.counts()),
                 self._enc_json(r.spans_json()), self._enc_json(r.paragraphs_json())))

    def record_analysis_failures(self, run_id: int, model_version: str,
                                 failures: Sequence[tuple[str, str]]) -> None:
        now = _now()
        for article_id, reason in failures:
            self._exec("INSERT INTO analysis_failures (run_id, model_version, article_id,"
                       " reason, failed_at) VALUES (?, ?, ?, ?, ?)",
                       (run_id, model_version, article_id, reason, now))

    def finish_analysis_run(self, run_id: int, counts: Mapping[str, int],
                            status: str = "finished") -> None:
        self._exec("UPDATE analysis_runs SET finished_at = ?, status = ?, counts = ?"
                   " WHERE id = ?", (_now(), status, self._enc_json(dict(counts)), run_id))

    def analysis_runs(self, limit: int = 20) -> list[AnalysisRun]:
        rows = self._exec("SELECT id, model, model_version, started_at, finished_at, status,"
                          " counts, options, techniques FROM analysis_runs ORDER BY id DESC"
                          " LIMIT ?", (limit,)).fetchall()
        return [AnalysisRun(int(r[0]), r[1], r[2], r[3], r[4],
                            "unfinished" if r[4] is None else r[5],
                            self._dec_json(r[6]) or {}, self._dec_json(r[7]) or {},
                            tuple(self._dec_json(r[8]) or ())) for r in rows]

    def analysis_failures(self, run_id: int) -> list[tuple[str, str]]:
        rows = self._exec("SELECT article_id, reason FROM analysis_failures WHERE run_id = ?"
                          " ORDER BY id", (run_id,)).fetchall()
        return [(r[0], r[1]) for r in rows]

    def result_sets(self) -> list[ResultSet]:
        rows = self._exec("SELECT model, model_version, count(*), max(created_at)"
                          " FROM analyses GROUP BY model, model_version"
                          " ORDER BY max(created_at) DESC, model_version").fetchall()
        return [ResultSet(r[0], r[1], int(r[2]), r[3]) for r in rows]

    def _stored(self, r: Sequence[Any]) -> StoredAnalysis:
        return StoredAnalysis(
            r[0], r[1], r[2], int(r[3]), int(r[4]),
            StoredAnalysis.spans_from_json(self._dec_json(r[5]), r[2]),
            StoredAnalysis.paragraphs_from_json(self._dec_json(r[6])), r[7])

    _STORED_COLUMNS = ("r.article_id, r.model, r.model_version, r.word_count, r.n_chars,"
                       " r.spans, r.paragraphs, r.created_at")

    def get_analysis(self, article_id: str, model_version: str) -> StoredAnalysis | None:
        row = self._exec(f"SELECT {self._STORED_COLUMNS} FROM analyses r"
                         " WHERE r.article_id = ? AND r.model_version = ?",
                         (article_id, model_version)).fetchone()
        return None if row is None else self._stored(row)

    def _joined(self, columns: str, model_version: str, where: ArticleFilter | None,
                event_id: str | None, batch_size: int) -> Iterator[Sequence[Any]]:
        cond, params = self._filter_sql(where)
        if event_id is not None:
            cond += " AND m.event_id = ?"
            params.append(event_id)
        last = 0
        while True:
            rows = self._exec(
                f"SELECT {columns} FROM analyses r JOIN articles a ON a.id = r.article_id"
                " LEFT JOIN event_members m ON m.article_id = a.id"
                f" WHERE r.model_version = ? AND a.seq > ?{cond} ORDER BY a.seq LIMIT ?",
                (model_version, last, *params, batch_size)).fetchall()
            yield from rows
            if len(rows) < batch_size:
                return
            last = rows[-1][0]

    def iter_analysis_rows(self, model_version: str, where: ArticleFilter | None = None,
                           event_id: str | None = None, batch_size: int = 2000,
                           min_score: float = 0.0) -> Iterator[AnalysisRow]:
        columns = _ROW_COLUMNS + (", r.spans" if min_score > 0 else "")
        for r in self._joined(columns, model_version, where, event_id, batch_size):
            if min_score > 0:
                counts: dict[str, int] = {}
                for _s, _e, label, score in self._dec_json(r[10]) or ():
                    if label is not None and score is not None and score >= min_score:
                        counts[label] = counts.get(label, 0) + 1
            else:
                counts = self._dec_json(r[8]) or {}
            yield AnalysisRow(r[1], r[6], int(r[7]), counts, outlet=r[2], lang=r[3],
                              published=r[4], dup_of=r[5], event=r[9])

    def iter_analysed(self, model_version: str, where: ArticleFilter | None = None,
                      event_id: str | None = None,
                      batch_size: int = 200) -> Iterator[tuple[Article, StoredAnalysis]]:
        from spinscope.store.sqlcommon import ARTICLE_COLUMNS, SELECT_COLUMNS

        n = len(ARTICLE_COLUMNS) + 1
        columns = f"{SELECT_COLUMNS}, a.text, {self._STORED_COLUMNS}"
        for r in self._joined(columns, model_version, where, event_id, batch_size):
            yield self._article(r[:n], with_text=True), self._stored(r[n:])

    # -- events -------------------------------------------------------------------------------
    def articles_published(self, date_from: dt.date, date_to: dt.date,
                           where: ArticleFilter | None = None) -> list[Article]:
        from spinscope.store.sqlcommon import SELECT_COLUMNS

        # No keyset on seq here: with a bound "seq > ?" SQLite prefers a rowid scan over the
        # date index, and one scan of the whole table per window is quadratic overall.
        plain = dataclasses.replace(where, date_from=None, date_to=None) if where else None
        cond, params = self._filter_sql(plain)
        hi = date_to + dt.timedelta(days=1)
        rows = self._exec(f"SELECT {SELECT_COLUMNS}, a.text FROM articles a"
                          f" WHERE a.published >= ? AND a.published < ?{cond}"
                          " ORDER BY a.published, a.seq",
                          (date_from.isoformat(), hi.isoformat(), *params)).fetchall()
        return [self._article(r, with_text=True) for r in rows]

    def start_event_build(self, embedder: str, params: Mapping[str, Any]) -> int:
        row = self._exec("INSERT INTO event_builds (created_at, embedder, params, counts)"
                         " VALUES (?, ?, ?, ?) RETURNING id",
                         (_now(), embedder, self._enc_json(dict(params)),
                          self._enc_json({}))).fetchone()
        return int(row[0])

    def replace_events(self, build_id: int, events: Sequence[EventRecord],
                       counts: Mapping[str, int]) -> None:
        self._exec("DELETE FROM event_members")
        self._exec("DELETE FROM events")
        for e in events:
            self._exec(
                "INSERT INTO events (id, build_id, name, terms, first_published,"
                " last_published, n_articles, outlets, langs, edited)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (e.id, build_id, e.name, self._enc_json(list(e.terms)), e.first_published,
                 e.last_published, e.size, self._enc_json(list(e.outlets)),
                 self._enc_json(list(e.langs)), int(e.edited)))
            for article_id in e.article_ids:
                self._exec("INSERT INTO event_members (article_id, event_id) VALUES (?, ?)",
                           (article_id, e.id))
        self._exec("UPDATE event_builds SET counts = ? WHERE id = ?",
                   (self._enc_json(dict(counts)), build_id))

    _EVENT_COLUMNS = ("e.id, e.name, e.terms, e.first_published, e.last_published, e.outlets,"
                      " e.langs, e.edited, e.build_id")

    def _event(self, r: Sequence[Any], members: Sequence[str]) -> EventRecord:
        return EventRecord(r[0], r[1], tuple(self._dec_json(r[2]) or ()), tuple(members),
                           r[3], r[4], tuple(self._dec_json(r[5]) or ()),
                           tuple(self._dec_json(r[6]) or ()), bool(r[7]),
                           None if r[8] is None else int(r[8]))

    def list_events(self) -> list[EventRecord]:
        members: dict[str, list[str]] = {}
        for event_id, article_id in self._exec(
                "SELECT m.event_id, m.article_id FROM event_members m JOIN articles a"
                " ON a.id = m.article_id ORDER BY a.published, a.seq").fetchall():
            members.setdefault(event_id, []).append(article_id)
        rows = self._exec(f"SELECT {self._EVENT_COLUMNS} FROM events e ORDER BY"
                          " e.n_articles DESC, e.first_published, e.id").fetchall()
        return [self._event(r, members.get(r[0], [])) for r in rows]

    def get_event(self, ref: str) -> EventRecord:
        ref = ref.strip().lower()
        rows = self._exec(f"SELECT {self._EVENT_COLUMNS} FROM events e WHERE e.id = ?",
                          (ref,)).fetchall()
        if not rows:
            rows = self._exec(f"SELECT {self._EVENT_COLUMNS} FROM events e WHERE e.id >= ?"
                              " AND e.id < ? ORDER BY e.id LIMIT 2",
                              (ref, ref + "\U0010ffff")).fetchall()
        if not rows:
            raise StoreError(f"no event {ref!r} in {self.location}; `spinscope events list` "
                             "shows the current ones (run `spinscope events build` first)")
        if len(rows) > 1:
            raise StoreError(f"event id prefix {ref!r} is ambiguous ({rows[0][0]}, "
                             f"{rows[1][0]}, ...); give more characters")
        members = [r[0] for r in self._exec(
            "SELECT m.article_id FROM event_members m JOIN articles a ON a.id = m.article_id"
            " WHERE m.event_id = ? ORDER BY a.published, a.seq", (rows[0][0],)).fetchall()]
        return self._event(rows[0], members)

    def event_builds(self, limit: int = 20) -> list[EventBuild]:
        rows = self._exec("SELECT id, created_at, embedder, params, counts FROM event_builds"
                          " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [EventBuild(int(r[0]), r[1], r[2], self._dec_json(r[3]) or {},
                           self._dec_json(r[4]) or {}) for r in rows]

    def add_event_edit(self, action: str, groups: Sequence[Sequence[str]],
                       name: str | None = None, note: str = "") -> EventEdit:
        created = _now()
        clean = [list(g) for g in groups]
        row = self._exec("INSERT INTO event_edits (created_at, action, groups, name, note)"
                         " VALUES (?, ?, ?, ?, ?) RETURNING id",
                         (created, action, self._enc_json(clean), name, note)).fetchone()
        return EventEdit(int(row[0]), action, tuple(tuple(g) for g in clean), name, created,
                         note)

    def event_edits(self) -> list[EventEdit]:
        rows = self._exec("SELECT id, action, groups, name, created_at, note FROM event_edits"
                          " ORDER BY id").fetchall()
        return [EventEdit(int(r[0]), r[1], tuple(tuple(g) for g in self._dec_json(r[2]) or ()),
                          r[3], r[4], r[5] or "") for r in rows]

    def load_embeddings(self, embedder: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ", ".join("?" * len(part))
            for article_id, blob in self._exec(
                    f"SELECT article_id, vector FROM article_embeddings WHERE embedder = ?"
                    f" AND article_id IN ({marks})", (embedder, *part)).fetchall():
                out[article_id] = np.frombuffer(bytes(blob), dtype=np.float16).astype(np.float32)
        return out

    def save_embeddings(self, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        # float16 halves the cache; cosine similarities change by < 1e-3.
        for article_id, vector in items:
            blob = np.asarray(vector, dtype=np.float16).tobytes()
            self._exec("INSERT INTO article_embeddings (embedder, article_id, vector)"
                       " VALUES (?, ?, ?) ON CONFLICT (embedder, article_id)"
                       " DO UPDATE SET vector = excluded.vector", (embedder, article_id, blob))
