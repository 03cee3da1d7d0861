"""The PostgreSQL corpus store (psycopg 3), for teams sharing one corpus.

Same interface, same behaviour and same test suite as the SQLite store. Full-text search uses
a stored ``tsvector`` (``simple`` configuration: no stemming, no stop words, like FTS5's
unicode61 tokenizer) with a GIN index. Needs the ``postgres`` extra:
``pip install 'spinscope[postgres]'``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from spinscope.errors import StoreError
from spinscope.store.query import parse_query
from spinscope.store.records import ArticleFilter, SearchHit
from spinscope.store.sqlcommon import ARTICLE_COLUMNS, SELECT_COLUMNS, SQLCorpusStore
from spinscope.store.sqlresults import POSTGRES_MIGRATION

__all__ = ["MIGRATIONS", "PostgresStore"]

log = logging.getLogger(__name__)

# Keep in step with the SQLite migrations: same tables, same columns, same meaning.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial", """
CREATE TABLE articles (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    location TEXT NOT NULL,
    url TEXT,
    title TEXT,
    author TEXT,
    published TEXT,
    lang TEXT,
    outlet TEXT,
    tags JSONB NOT NULL DEFAULT '[]',
    nd0 BIGINT, nd1 BIGINT, nd2 BIGINT, nd3 BIGINT,
    nd4 BIGINT, nd5 BIGINT, nd6 BIGINT, nd7 BIGINT,
    dup_of TEXT REFERENCES articles(id),
    dup_kind TEXT,
    raw_hash TEXT,
    extractor TEXT,
    ingested_at TEXT NOT NULL,
    metadata JSONB NOT NULL DEFAULT '{}',
    n_chars INTEGER NOT NULL,
    text TEXT NOT NULL,
    fts TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', left(text, 400000)), 'B')) STORED
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
CREATE INDEX articles_fts ON articles USING GIN (fts);
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
    size BIGINT NOT NULL,
    data BYTEA
);
CREATE TABLE ingest_runs (
    id BIGSERIAL PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    sources JSONB NOT NULL,
    status TEXT NOT NULL,
    counts JSONB NOT NULL DEFAULT '{}'
);
CREATE TABLE ingest_failures (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES ingest_runs(id),
    location TEXT NOT NULL,
    reason TEXT NOT NULL
)
"""),
    (2, "analyses_events", POSTGRES_MIGRATION),
]

# Fixed keys for the advisory locks that serialise migrations, and writers, between processes.
_MIGRATION_LOCK = 0x5350494E
_WRITE_LOCK = 0x53505752


def _redact(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


class PostgresStore(SQLCorpusStore):
    """A corpus store in a PostgreSQL database (tables in the connection's search_path)."""

    backend = "postgres"

    def __init__(self, url: str, migrate: bool = True, connect_timeout: int = 10):
        try:
            import psycopg
        except ImportError as e:
            raise StoreError("PostgreSQL stores need psycopg: pip install "
                             "'spinscope[postgres]'") from e
        self._url = url
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout)
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to {_redact(url)}: {str(e).strip()}; check the "
                             "URL, that the server runs and that the database exists") from e
        self._depth = 0
        if migrate:
            self.migrate()

    @property
    def location(self) -> str:
        return _redact(self._url)

    # -- hooks --------------------------------------------------------------------------------
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self._conn.execute(sql.replace("?", "%s"), tuple(params))
        except self._psycopg.Error as e:
            raise StoreError(f"{self.location}: {str(e).strip()}") from e

    def _enc_json(self, value: Any) -> Any:
        from psycopg.types.json import Jsonb

        return Jsonb(value)

    def _dec_json(self, value: Any) -> Any:
        if isinstance(value, str | bytes):
            return json.loads(value)
        return value

    # -- lifecycle ----------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        applied: list[int] = []
        with self.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            self._conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                               "version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                               " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            done = {r[0] for r in self._conn.execute("SELECT version FROM schema_migrations")}
            newest = max((v for v, _, _ in MIGRATIONS), default=0)
            if done and max(done) > newest:
                raise StoreError(f"{self.location} has schema version {max(done)}, newer than "
                                 f"this spinscope knows ({newest}); upgrade spinscope")
            for version, name, sql in MIGRATIONS:
                if version in done:
                    continue
                log.info("store %s: applying migration %04d_%s", self.location, version, name)
                self._conn.execute(sql)
                self._conn.execute("INSERT INTO schema_migrations (version, name)"
                                   " VALUES (%s, %s)", (version, name))
                applied.append(version)
        return applied

    def schema_version(self) -> int:
        row = self._exec("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self._conn.transaction():
                # One writer at a time, as with SQLite: dedup checks and inserts of two
                # concurrent ingests must not interleave. Released at commit or rollback.
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                yield
        finally:
            self._depth = 0

    # -- search -------------------------------------------------------------------------------
    def search(self, query: str, where: ArticleFilter | None = None, limit: int = 20,
               offset: int = 0) -> list[SearchHit]:
        tsquery, q_params = parse_query(query).to_tsquery_sql()
        cond, params = self._filter_sql(where)
        sql = (f"SELECT {SELECT_COLUMNS}, ts_rank_cd(a.fts, q) AS rank,"
               " ts_headline('simple', left(a.text, 100000), q, 'StartSel=[, StopSel=],"
               " MaxFragments=1, MaxWords=24, MinWords=8, FragmentDelimiter=…')"
               f" FROM articles a, (SELECT {tsquery} AS q) tq"
               f" WHERE a.fts @@ q{cond.replace('?', '%s')}"
               " ORDER BY rank DESC, a.seq LIMIT %s OFFSET %s")
        try:
            rows = self._conn.execute(sql, (*q_params, *params, limit, offset)).fetchall()
        except self._psycopg.Error as e:
            raise StoreError(f"{self.location}: {str(e).strip()}") from e
        n = len(ARTICLE_COLUMNS)
        return [SearchHit(self._article(r[:n], with_text=False), float(r[n]), r[n + 1])
                for r in rows]
