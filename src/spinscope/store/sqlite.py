"""The SQLite corpus store: one file, WAL journal, one writer connection, FTS5 search."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spinscope.errors import StoreError
from spinscope.store.query import parse_query
from spinscope.store.records import ArticleFilter, SearchHit
from spinscope.store.sqlcommon import ARTICLE_COLUMNS, SELECT_COLUMNS, SQLCorpusStore, json_dumps
from spinscope.store.sqlresults import SQLITE_MIGRATION

__all__ = ["MIGRATIONS", "SQLiteStore"]

log = logging.getLogger(__name__)

# Numbered migrations: never edit a released one, append a new number instead.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial", """
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    location TEXT NOT NULL,
    url TEXT,
    title TEXT,
    author TEXT,
    published TEXT,
    lang TEXT,
    outlet TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    nd0 BIGINT, nd1 BIGINT, nd2 BIGINT, nd3 BIGINT,
    nd4 BIGINT, nd5 BIGINT, nd6 BIGINT, nd7 BIGINT,
    dup_of TEXT REFERENCES articles(id),
    dup_kind TEXT,
    raw_hash TEXT,
    extractor TEXT,
    ingested_at TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    n_chars INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_raw_hash ON articles(raw_hash);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet, published);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_dup_of ON articles(dup_of);
CREATE INDEX articles_nd0 ON articles(nd0);
CREATE INDEX articles_nd1 ON articles(nd1);
CREATE INDEX articles_nd2 ON articles(nd2);
CREATE INDEX articles_nd3 ON articles(nd3);
CREATE INDEX articles_nd4 ON articles(nd4);
CREATE INDEX articles_nd5 ON articles(nd5);
CREATE INDEX articles_nd6 ON articles(nd6);
CREATE INDEX articles_nd7 ON articles(nd7);
CREATE TABLE article_tags (
    article_id TEXT NOT NULL REFERENCES articles(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, article_id)
);
CREATE TABLE url_keys (
    url_key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id)
);
CREATE TABLE raw_sources (
    hash TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    location TEXT NOT NULL,
    content_type TEXT,
    size INTEGER NOT NULL,
    data BLOB
);
CREATE TABLE ingest_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    sources TEXT NOT NULL,
    status TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE ingest_failures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES ingest_runs(id),
    location TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 0'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
END;
"""),
    (2, "analyses_events", SQLITE_MIGRATION),
]


class SQLiteStore(SQLCorpusStore):
    """A corpus store in one SQLite file. Use one instance per process for writing."""

    backend = "sqlite"

    def __init__(self, path: str | Path, migrate: bool = True, busy_timeout: float = 60.0):
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are opened explicitly in transaction().
            self._conn = sqlite3.connect(self.path, isolation_level=None,
                                         timeout=busy_timeout, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a killed process; only an OS crash may lose the
            # last commits (never corrupts).
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as e:
            raise StoreError(f"cannot open SQLite store {self.path}: {e}; check the path and "
                             "its permissions, or pass another --store") from e
        self._depth = 0
        if migrate:
            self.migrate()

    @property
    def location(self) -> str:
        return str(self.path)

    # -- hooks --------------------------------------------------------------------------------
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self._conn.execute(sql, tuple(params))
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: {e}") from e

    def _enc_json(self, value: Any) -> Any:
        return json_dumps(value)

    def _dec_json(self, value: Any) -> Any:
        return json.loads(value) if value else None

    # -- lifecycle ----------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        with self.transaction():
            self._conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                               "version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                               " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
            done = {r[0] for r in self._conn.execute("SELECT version FROM schema_migrations")}
            newest = max((v for v, _, _ in MIGRATIONS), default=0)
            if done and max(done) > newest:
                raise StoreError(f"{self.path} has schema version {max(done)}, newer than this "
                                 f"spinscope knows ({newest}); upgrade spinscope")
            applied = []
            for version, name, sql in MIGRATIONS:
                if version in done:
                    continue
                log.info("store %s: applying migration %04d_%s", self.path, version, name)
                for statement in _statements(sql):
                    self._conn.execute(statement)
                self._conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                                   (version, name))
                applied.append(version)
        return applied

    def schema_version(self) -> int:
        row = self._exec("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:  # nested: part of the outer transaction
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise StoreError(f"{self.path} is locked by another writer ({e}); wait for the "
                             "other spinscope process to finish") from e
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self._conn.execute("COMMIT")

    # -- search -------------------------------------------------------------------------------
    def search(self, query: str, where: ArticleFilter | None = None, limit: int = 20,
               offset: int = 0) -> list[SearchHit]:
        match = parse_query(query).to_fts5()
        cond, params = self._filter_sql(where)
        rows = self._exec(
            f"SELECT {SELECT_COLUMNS}, bm25(articles_fts, 4.0, 1.0) AS rank,"
            " snippet(articles_fts, 1, '[', ']', '…', 16)"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            f" WHERE articles_fts MATCH ?{cond} ORDER BY rank, a.seq LIMIT ? OFFSET ?",
            (match, *params, limit, offset)).fetchall()
        n = len(ARTICLE_COLUMNS)
        return [SearchHit(self._article(r[:n], with_text=False), -float(r[n]), r[n + 1])
                for r in rows]

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` and an FTS5 consistency check; ``["ok"]`` when sound."""
        result = [r[0] for r in self._exec("PRAGMA integrity_check").fetchall()]
        try:
            self._conn.execute("INSERT INTO articles_fts(articles_fts, rank)"
                               " VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as e:
            result.append(f"articles_fts: {e}")
        return result


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner semicolons)."""
    out: list[str] = []
    buf = ""
    for line in sql.strip().splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
