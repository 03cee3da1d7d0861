"""``spinscope ls``, ``search``, ``show`` and ``export``: read the corpus store."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

import click

from spinscope.cli.output import echo_json, format_table
from spinscope.settings import Settings, load_settings
from spinscope.store import ArticleFilter, CorpusStore, open_store
from spinscope.store.export import FORMATS, export_articles

F = TypeVar("F", bound=Callable[..., Any])

STORE_HELP = ("Corpus store: a SQLite file path or a postgresql:// URL (default: $SPINSCOPE_STORE,"
              " the config file, else corpus.sqlite in your data directory).")


def store_option(f: F) -> F:
    return click.option("--store", "store", default=None, metavar="PATH|URL", help=STORE_HELP)(f)


def filter_options(f: F) -> F:
    """--outlet/--lang/--tag/--from/--to/--originals."""
    date = click.DateTime(formats=["%Y-%m-%d"])
    for opt in reversed([
        click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeatable)."),
        click.option("--lang", "langs", multiple=True, help="Only this language code "
                     "(repeatable)."),
        click.option("--tag", "tags", multiple=True, help="Only articles with this tag "
                     "(repeatable: any of them)."),
        click.option("--from", "date_from", type=date, default=None,
                     help="Published on or after this date (YYYY-MM-DD)."),
        click.option("--to", "date_to", type=date, default=None,
                     help="Published on or before this date (YYYY-MM-DD)."),
        click.option("--originals", is_flag=True, help="Leave out syndicated and near-duplicate "
                     "copies (count each story once)."),
    ]):
        f = opt(f)
    return f


def make_filter(outlets: tuple[str, ...], langs: tuple[str, ...], tags: tuple[str, ...],
                date_from: dt.datetime | None, date_to: dt.datetime | None,
                originals: bool) -> ArticleFilter:
    return ArticleFilter(outlets=outlets, langs=tuple(x.lower() for x in langs), tags=tags,
                         date_from=date_from.date() if date_from else None,
                         date_to=date_to.date() if date_to else None, originals_only=originals)


def resolve_settings(store: str | None, **flags: Any) -> Settings:
    return load_settings(store=store, **flags)


def open_for(settings: Settings, create: bool = False) -> CorpusStore:
    """Open the configured store; reading commands refuse to create a missing SQLite file."""
    from pathlib import Path

    from spinscope.errors import StoreError

    if not create and settings.store_kind == "sqlite" and not Path(settings.store).exists():
        raise StoreError(f"no corpus store at {settings.store}; ingest something first "
                         "(`spinscope ingest PATH`) or pass --store")
    return open_store(settings.store)


def _short(text: str | None, width: int) -> str:
    if not text:
        return "-"
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command("ls")
@store_option
@filter_options
@click.option("--limit", default=50, show_default=True, help="At most this many (0: all).")
@click.option("--summary", is_flag=True, help="Show store totals and recent ingest runs instead.")
@click.option("--failures", "failures_run", type=int, default=None, is_flag=False,
              flag_value=0, metavar="[RUN]",
              help="List the failed items of an ingest run (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def ls_cmd(store: str | None, outlets: tuple[str, ...], langs: tuple[str, ...],
           tags: tuple[str, ...], date_from: dt.datetime | None, date_to: dt.datetime | None,
           originals: bool, limit: int, summary: bool, failures_run: int | None,
           as_json: bool) -> None:
    """List stored articles, oldest ingest first."""
    settings = resolve_settings(store)
    with open_for(settings) as st:
        if summary:
            _summary(st, as_json)
            return
        if failures_run is not None:
            _failures(st, failures_run, as_json)
            return
        where = make_filter(outlets, langs, tags, date_from, date_to, originals)
        total = st.count(where)
        rows = []
        for i, a in enumerate(st.iter_articles(where, with_text=False, batch_size=500)):
            if limit and i >= limit:
                break
            rows.append(a)
        if as_json:
            echo_json({"total": total, "articles": [a.to_row(with_text=False) for a in rows]})
            return
        click.echo(format_table(
            ["id", "published", "outlet", "lang", "chars", "copy of", "title"],
            [[a.id, (a.published or "")[:10] or None, _short(a.outlet, 22), a.lang, a.n_chars,
              a.dup_of, _short(a.title, 60)] for a in rows]))
        if total > len(rows):
            click.echo(f"... {total - len(rows)} more (use --limit 0 for all, or "
                       "`spinscope export`)", err=True)


def _failures(st: CorpusStore, run_id: int, as_json: bool) -> None:
    if run_id == 0:
        runs = st.runs(1)
        if not runs:
            raise click.ClickException("no ingest runs in this store yet")
        run_id = runs[0].id
    failures = st.failures(run_id)
    if as_json:
        echo_json({"run": run_id, "failures": [{"location": loc, "reason": why}
                                               for loc, why in failures]})
        return
    click.echo(f"run {run_id}: {len(failures)} failed items", err=True)
    for location, reason in failures:
        click.echo(f"{location}\t{reason}")


def _summary(st: CorpusStore, as_json: bool) -> None:
    s = st.summary()
    runs = st.runs(10)
    if as_json:
        echo_json({"store": s.location, "backend": s.backend, "schema_version": s.schema_version,
                   "articles": s.articles, "originals": s.originals,
                   "by_outlet": dict(s.by_outlet), "by_lang": dict(s.by_lang),
                   "first_published": s.first_published, "last_published": s.last_published,
                   "runs": [{"id": r.id, "started_at": r.started_at, "status": r.status,
                             "sources": list(r.sources), **dict(r.counts)} for r in runs]})
        return
    click.echo(f"store {s.location} ({s.backend}, schema v{s.schema_version})")
    click.echo(f"{s.articles} articles, {s.originals} originals, "
               f"{s.articles - s.originals} linked copies; published "
               f"{s.first_published or '?'} .. {s.last_published or '?'}\n")
    click.echo(format_table(["outlet", "articles"], list(s.by_outlet.items())[:30]))
    click.echo()
    click.echo(format_table(["lang", "articles"], list(s.by_lang.items())))
    if runs:
        click.echo()
        click.echo(format_table(
            ["run", "started", "status", "added", "dup", "failed", "sources"],
            [[r.id, r.started_at, r.status, r.counts.get("added"), r.counts.get("duplicates"),
              r.counts.get("failed"), _short(" ".join(r.sources), 50)] for r in runs]))


@click.command("search")
@click.argument("query")
@store_option
@filter_options
@click.option("--limit", default=20, show_default=True, help="At most this many hits.")
@click.option("--offset", default=0, help="Skip this many hits (paging).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search_cmd(query: str, store: str | None, outlets: tuple[str, ...], langs: tuple[str, ...],
               tags: tuple[str, ...], date_from: dt.datetime | None,
               date_to: dt.datetime | None, originals: bool, limit: int, offset: int,
               as_json: bool) -> None:
    """Full-text search: words, "exact phrases", OR, and -excluded words."""
    settings = resolve_settings(store)
    with open_for(settings) as st:
        where = make_filter(outlets, langs, tags, date_from, date_to, originals)
        hits = st.search(query, where, limit=limit, offset=offset)
        if as_json:
            echo_json([{**h.article.to_row(with_text=False), "score": round(h.score, 4),
                        "snippet": h.snippet} for h in hits])
            return
        if not hits:
            click.echo("no matches", err=True)
            return
        for h in hits:
            a = h.article
            click.echo(f"{a.id}  {(a.published or '')[:10] or '-'}  {a.outlet or '-'}  "
                       f"{a.lang or '-'}  {_short(a.title, 70)}")
            snippet = " ".join(h.snippet.split())
            click.echo(textwrap.indent(textwrap.fill(snippet, 96), "    "))


@click.command("show")
@click.argument("ref", metavar="ID")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.option("--raw", is_flag=True, help="Write the raw source bytes (fetched items) to stdout.")
@click.option("--text-only", is_flag=True, help="Only the stored text, exactly as stored.")
def show_cmd(ref: str, store: str | None, as_json: bool, raw: bool, text_only: bool) -> None:
    """Show one article (ID or a unique prefix of it) with its metadata and text."""
    settings = resolve_settings(store)
    with open_for(settings) as st:
        a = st.get(ref)
        if raw:
            source = st.get_raw(a.raw_hash) if a.raw_hash else None
            if source is None or source.data is None:
                where = source.location if source is not None else a.location
                raise click.ClickException(f"raw bytes of {a.id} are not in the store; they "
                                           f"can be re-read from {where}")
            sys.stdout.buffer.write(source.data)
            return
        if text_only:
            sys.stdout.write(a.text)
            return
        copies = st.copies(a.id)
        if as_json:
            echo_json({**a.to_row(), "metadata": dict(a.metadata),
                       "copies": [c.to_row(with_text=False) for c in copies]})
            return
        fields = [("id", a.id), ("title", a.title), ("outlet", a.outlet), ("url", a.url),
                  ("published", a.published), ("author", a.author), ("lang", a.lang),
                  ("tags", ", ".join(a.tags) or None),
                  ("copy of", f"{a.dup_of} ({a.dup_kind})" if a.dup_of else None),
                  ("copies", ", ".join(f"{c.id} ({c.outlet or '-'})" for c in copies) or None),
                  ("location", a.location), ("extractor", a.extractor),
                  ("ingested", a.ingested_at), ("chars", a.n_chars),
                  ("sha256", a.content_hash)]
        for key, value in [*fields, *sorted(a.metadata.items())]:
            if value not in (None, ""):
                click.echo(f"{key + ':':<18}{value}")
        click.echo()
        click.echo(a.text)


@click.command("export")
@store_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Output file (default: stdout).")
@click.option("--no-text", is_flag=True, help="Metadata only, without article text.")
def export_cmd(store: str | None, outlets: tuple[str, ...], langs: tuple[str, ...],
               tags: tuple[str, ...], date_from: dt.datetime | None,
               date_to: dt.datetime | None, originals: bool, fmt: str, output: str,
               no_text: bool) -> None:
    """Export articles as CSV, JSON Lines or Parquet: streamed, no row cap, constant memory."""
    settings = resolve_settings(store)
    where = make_filter(outlets, langs, tags, date_from, date_to, originals)
    if fmt == "parquet" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("Parquet is binary: give -o FILE or redirect stdout")
    with open_for(settings) as st:
        if output == "-":
            n = export_articles(st, sys.stdout.buffer, fmt, where, with_text=not no_text)
        else:
            with open(output, "wb") as fh:
                n = export_articles(st, fh, fmt, where, with_text=not no_text)
    click.echo(f"exported {n} articles", err=True)


commands = [ls_cmd, search_cmd, show_cmd, export_cmd]
