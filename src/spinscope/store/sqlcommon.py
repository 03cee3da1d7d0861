"""SQL shared by the SQLite and PostgreSQL stores (``?`` placeholders, standard SQL).

Backends supply the connection, the migrations, JSON encoding, placeholder translation and
full-text search; everything else (dedup look-ups, listing, filters, runs) is written once here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from spinscope.dedup.minhash import BANDS
from spinscope.errors import StoreError
from spinscope.store.base import CorpusStore, Match, StoreSummary
from spinscope.store.records import Article, ArticleFilter, IngestRun, RawSource
from spinscope.store.sqlresults import SQLResultsStore

__all__ = ["ARTICLE_COLUMNS", "SELECT_COLUMNS", "SQLCorpusStore"]

ARTICLE_COLUMNS = ("seq", "id", "content_hash", "location", "url", "title", "author",
                   "published", "lang", "outlet", "tags", "dup_of", "dup_kind",
                   "raw_hash", "extractor", "ingested_at", "metadata", "n_chars")
SELECT_COLUMNS = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS)
MIN_PREFIX = 4
MAX_NEAR_CANDIDATES = 10  # near-duplicate candidates confirmed per new article
_HEX = re.compile(r"[0-9a-f]+")
_ND_COLUMNS = ", ".join(f"nd{i}" for i in range(BANDS))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLCorpusStore(SQLResultsStore, CorpusStore):
    """The backend-independent part of a SQL corpus store."""

    # -- backend hooks ------------------------------------------------------------------------
    @abstractmethod
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run ``sql`` (``?`` placeholders) and return a DB-API cursor."""

    @abstractmethod
    def _enc_json(self, value: Any) -> Any: ...

    @abstractmethod
    def _dec_json(self, value: Any) -> Any: ...

    # -- writes -------------------------------------------------------------------------------
    def insert(self, article: Article, url_keys: Sequence[str] = (),
               raw: RawSource | None = None) -> None:
        keys = tuple(article.near_keys)
        if keys and len(keys) != BANDS:
            raise StoreError(f"article {article.id}: expected {BANDS} near-duplicate keys")
        band_values: tuple[int | None, ...] = keys or (None,) * BANDS
        self._exec(
            "INSERT INTO articles (id, content_hash, location, url, title, author, published,"
            f" lang, outlet, tags, {_ND_COLUMNS}, dup_of, dup_kind, raw_hash,"
            " extractor, ingested_at, metadata, n_chars, text)"
            f" VALUES ({', '.join('?' * (18 + BANDS))})",
            (article.id, article.content_hash, article.location, article.url, article.title,
             article.author, article.published, article.lang, article.outlet,
             self._enc_json(list(article.tags)), *band_values, article.dup_of,
             article.dup_kind, article.raw_hash, article.extractor, article.ingested_at,
             self._enc_json(dict(article.metadata)), len(article.text), article.text))
        for tag in article.tags:
            self._exec("INSERT INTO article_tags (article_id, tag) VALUES (?, ?)"
                       " ON CONFLICT DO NOTHING", (article.id, tag))
        self.add_url_keys(article.id, url_keys)
        if raw is not None:
            self._exec(
                "INSERT INTO raw_sources (hash, article_id, location, content_type, size, data)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (raw.hash, article.id, raw.location, raw.content_type, raw.size, raw.data))

    def add_tags(self, article_id: str, tags: Sequence[str]) -> None:
        new = [t for t in tags if t]
        if not new:
            return
        row = self._exec("SELECT tags FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise StoreError(f"no article {article_id}")
        current = set(self._dec_json(row[0]) or [])
        if set(new) <= current:
            return
        merged = sorted(current | set(new))
        self._exec("UPDATE articles SET tags = ? WHERE id = ?",
                   (self._enc_json(merged), article_id))
        for tag in new:
            self._exec("INSERT INTO article_tags (article_id, tag) VALUES (?, ?)"
                       " ON CONFLICT DO NOTHING", (article_id, tag))

    def add_url_keys(self, article_id: str, keys: Sequence[str]) -> None:
        for key in dict.fromkeys(keys):
            self._exec("INSERT INTO url_keys (url_key, article_id) VALUES (?, ?)"
                       " ON CONFLICT DO NOTHING", (key, article_id))

    def start_run(self, sources: Sequence[str]) -> int:
        row = self._exec("INSERT INTO ingest_runs (started_at, sources, status, counts)"
                         " VALUES (?, ?, 'running', ?) RETURNING id",
                         (_now(), self._enc_json(list(sources)), self._enc_json({}))).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, counts: Mapping[str, int],
                   failures: Sequence[tuple[str, str]], status: str = "finished") -> None:
        self._exec("UPDATE ingest_runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                   (_now(), status, self._enc_json(dict(counts)), run_id))
        for location, reason in failures:
            self._exec("INSERT INTO ingest_failures (run_id, location, reason) VALUES (?, ?, ?)",
                       (run_id, location, reason))

    # -- dedup look-ups -----------------------------------------------------------------------
    def find_url(self, keys: Sequence[str]) -> str | None:
        for key in dict.fromkeys(keys):
            row = self._exec("SELECT article_id FROM url_keys WHERE url_key = ?",
                             (key,)).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def find_raw(self, raw_hash: str) -> list[Match]:
        return self._matches("a.raw_hash = ?", (raw_hash,))

    def find_content(self, content_hash: str) -> list[Match]:
        return self._matches("a.content_hash = ?", (content_hash,))

    def near_candidates(self, keys: Sequence[int]) -> list[Match]:
        if not keys:
            return []
        # One indexed equality per band: an OR of them uses every band index. A big wire
        # story may have hundreds of copies; only the best few (most shared bands, roots
        # first) are worth confirming.
        cond = " OR ".join(f"a.nd{i} = ?" for i in range(len(keys)))
        shared = " + ".join(f"CASE WHEN a.nd{i} = ? THEN 1 ELSE 0 END" for i in range(len(keys)))
        rows = self._exec(
            f"SELECT a.id, a.outlet, a.location, a.dup_of, {shared} AS shared FROM articles a"
            f" WHERE {cond} ORDER BY shared DESC, CASE WHEN a.dup_of IS NULL THEN 0 ELSE 1 END,"
            " a.seq LIMIT ?", (*keys, *keys, MAX_NEAR_CANDIDATES)).fetchall()
        return [Match(r[0], r[1], r[2], r[3]) for r in rows]

    def _matches(self, cond: str, params: Sequence[Any]) -> list[Match]:
        rows = self._exec(f"SELECT a.id, a.outlet, a.location, a.dup_of"
                          f" FROM articles a WHERE {cond} ORDER BY a.seq", params).fetchall()
        return [Match(r[0], r[1], r[2], r[3]) for r in rows]

    # -- reads --------------------------------------------------------------------------------
    def get(self, ref: str) -> Article:
        ref = ref.strip().lower()
        row = self._exec(f"SELECT {SELECT_COLUMNS}, a.text FROM articles a WHERE a.id = ?",
                         (ref,)).fetchone()
        if row is not None:
            return self._article(row, with_text=True)
        if len(ref) < MIN_PREFIX or not _HEX.fullmatch(ref):
            raise StoreError(f"no article {ref!r}; give an id or at least {MIN_PREFIX} of its "
                             "first characters (see `spinscope ls`)")
        # Ids are lower-case hex: every id starting with ref sorts in [ref, ref + "g").
        rows = self._exec(f"SELECT {SELECT_COLUMNS}, a.text FROM articles a"
                          " WHERE a.id >= ? AND a.id < ?"
                          " ORDER BY a.id LIMIT 2", (ref, ref + "g")).fetchall()
        if not rows:
            raise StoreError(f"no article with id {ref!r} in {self.location} (see `spinscope ls`)")
        if len(rows) > 1:
            raise StoreError(f"id prefix {ref!r} is ambiguous ({rows[0][1]}, {rows[1][1]}, ...);"
                             " give more characters")
        return self._article(rows[0], with_text=True)

    def get_raw(self, raw_hash: str) -> RawSource | None:
        row = self._exec("SELECT hash, location, content_type, size, data FROM raw_sources"
                         " WHERE hash = ?", (raw_hash,)).fetchone()
        if row is None:
            return None
        return RawSource(row[0], row[1], row[2], int(row[3]),
                         bytes(row[4]) if row[4] is not None else None)

    def iter_articles(self, where: ArticleFilter | None = None, with_text: bool = True,
                      batch_size: int = 1000) -> Iterator[Article]:
        cond, params = self._filter_sql(where)
        text_col = ", a.text" if with_text else ""
        last = 0
        while True:
            rows = self._exec(f"SELECT {SELECT_COLUMNS}{text_col} FROM articles a WHERE a.seq > ?"
                              f"{cond} ORDER BY a.seq LIMIT ?",
                              (last, *params, batch_size)).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._article(row, with_text)
            last = rows[-1][0]
            if len(rows) < batch_size:
                return

    def count(self, where: ArticleFilter | None = None) -> int:
        cond, params = self._filter_sql(where)
        row = self._exec(f"SELECT count(*) FROM articles a WHERE 1 = 1{cond}", params).fetchone()
        return int(row[0])

    def copies(self, article_id: str) -> list[Article]:
        rows = self._exec(f"SELECT {SELECT_COLUMNS} FROM articles a WHERE a.dup_of = ?"
                          " ORDER BY a.seq",
                          (article_id,)).fetchall()
        return [self._article(r, with_text=False) for r in rows]

    def runs(self, limit: int = 20) -> list[IngestRun]:
        rows = self._exec("SELECT id, started_at, finished_at, sources, status, counts"
                          " FROM ingest_runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        # A run that never finished is still running or was killed: the store cannot tell.
        return [IngestRun(int(r[0]), r[1], r[2], tuple(self._dec_json(r[3]) or ()),
                          "unfinished" if r[2] is None else r[4],
                          self._dec_json(r[5]) or {}) for r in rows]

    def failures(self, run_id: int) -> list[tuple[str, str]]:
        rows = self._exec("SELECT location, reason FROM ingest_failures WHERE run_id = ?"
                          " ORDER BY id", (run_id,)).fetchall()
        return [(r[0], r[1]) for r in rows]

    def summary(self) -> StoreSummary:
        total, originals, first, last = self._exec(
            "SELECT count(*), coalesce(sum(CASE WHEN dup_of IS NULL THEN 1 ELSE 0 END), 0),"
            " min(published), max(published) FROM articles").fetchone()
        by_outlet = {r[0] or "(unknown)": int(r[1]) for r in self._exec(
            "SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC,"
            " outlet").fetchall()}
        by_lang = {r[0] or "(unknown)": int(r[1]) for r in self._exec(
            "SELECT lang, count(*) FROM articles GROUP BY lang ORDER BY count(*) DESC,"
            " lang").fetchall()}
        return StoreSummary(self.location, self.backend, self.schema_version(), int(total),
                            int(originals), by_outlet, by_lang, first, last)

    # -- helpers ------------------------------------------------------------------------------
    def _filter_sql(self, where: ArticleFilter | None) -> tuple[str, list[Any]]:
        """`` AND ...`` conditions on alias ``a`` and their parameters."""
        if where is None:
            return "", []
        parts: list[str] = []
        params: list[Any] = []
        for column, values in (("outlet", where.outlets), ("lang", where.langs)):
            if values:
                parts.append(f"a.{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        if where.tags:
            parts.append("EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND"
                         f" t.tag IN ({', '.join('?' * len(where.tags))}))")
            params.extend(where.tags)
        lo, hi = where.date_bounds()
        if lo is not None:
            parts.append("a.published >= ?")
            params.append(lo)
        if hi is not None:
            parts.append("a.published < ?")
            params.append(hi)
        if where.originals_only:
            parts.append("a.dup_of IS NULL")
        return "".join(f" AND {p}" for p in parts), params

    def _article(self, row: Sequence[Any], with_text: bool) -> Article:
        r = dict(zip(ARTICLE_COLUMNS, row, strict=False))
        return Article(
            id=r["id"], text=row[len(ARTICLE_COLUMNS)] if with_text else "",
            content_hash=r["content_hash"], location=r["location"], url=r["url"],
            title=r["title"], author=r["author"], published=r["published"], lang=r["lang"],
            outlet=r["outlet"], tags=tuple(self._dec_json(r["tags"]) or ()),
            dup_of=r["dup_of"], dup_kind=r["dup_kind"], raw_hash=r["raw_hash"],
            extractor=r["extractor"], ingested_at=r["ingested_at"],
            metadata=self._dec_json(r["metadata"]) or {}, seq=int(r["seq"]),
            n_chars=int(r["n_chars"]))


def json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
