"""``spinscope ingest``: bring files, folders, URLs, feeds, sitemaps, WARCs and exports in."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import IO

import click

from spinscope.cli.output import echo_json
from spinscope.cli.store import open_for, resolve_settings, store_option
from spinscope.errors import ConfigError
from spinscope.ingest.pipeline import IngestOptions, Ingestor, Progress
from spinscope.ingest.tabular import COLUMN_CANDIDATES, ColumnMap

SHOWN_FAILURES = 20


class ProgressLine:
    """A one-line progress display on stderr: redrawn on a terminal, a line every 10 s else."""

    def __init__(self, stream: IO[str] | None = None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.enabled = enabled
        self._last = 0.0
        self._interval = 0.1 if self.tty else 10.0
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < self._interval:
            return
        self._last = now
        self._draw(p)

    def _draw(self, p: Progress) -> None:
        counts = (f"added {p.added:,} · dup {p.duplicates:,} · failed {p.failed:,} · "
                  f"{p.rate:,.0f}/s")
        if p.total:
            share = min(p.seen / p.total, 1.0)
            bar = "#" * int(share * 24)
            head = f"[{bar:<24}] {share:4.0%} {p.seen:,}/{p.total:,}"
        else:
            head = f"{p.seen:,} items"
        line = f"{head} · {counts}"
        if self.tty:
            width = 110
            current = p.current[-(width - len(line) - 3):] if len(line) < width - 10 else ""
            self.stream.write("\r\x1b[K" + line + (f" · {current}" if current else ""))
            self._drawn = True
        else:
            self.stream.write("ingest: " + line + "\n")
        self.stream.flush()

    def close(self, p: Progress) -> None:
        if self.enabled and self.tty:
            self._draw(p)
            self.stream.write("\n")
            self.stream.flush()


def _parse_map(values: tuple[str, ...]) -> ColumnMap:
    mapping: dict[str, str] = {}
    for value in values:
        name, sep, column = value.partition("=")
        if not sep or not column or name not in COLUMN_CANDIDATES:
            raise ConfigError(f"--map {value!r}: expected FIELD=COLUMN with FIELD one of "
                              f"{', '.join(COLUMN_CANDIDATES)}")
        mapping[name] = column
    return ColumnMap(mapping)


def _read_url_list(path: str) -> list[str]:
    try:
        lines = Path(path).read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"--urls-from {path}: cannot read ({e})") from e
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@click.command("ingest")
@click.argument("sources", nargs=-1)
@store_option
@click.option("--outlet", default=None, help="Outlet of every item (registry id or name); "
              "default: from each item's URL domain or export column.")
@click.option("--tag", "tags", multiple=True, help="Tag every item (repeatable); duplicates "
              "get the tag too.")
@click.option("--urls-from", "url_lists", multiple=True, type=click.Path(dir_okay=False),
              help="A file with one URL per line to fetch as articles (repeatable).")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Column mapping for CSV/JSON exports, e.g. --map text=body --map url=link.")
@click.option("--encoding", default=None, help="Encoding of local text and CSV files when not "
              "UTF-8 (e.g. cp1251); never guessed.")
@click.option("--allow-private-addresses", is_flag=True, default=None,
              help="Allow fetching from private, loopback and link-local addresses.")
@click.option("--ignore-robots", is_flag=True, help="Do not honour robots.txt.")
@click.option("--max-bytes", type=int, default=None, help="Size cap per document in bytes "
              "(default 20 MB).")
@click.option("--timeout", type=float, default=None, help="Network timeout in seconds.")
@click.option("--workers", type=int, default=None, help="Concurrent downloads (default 4).")
@click.option("-j", "--jobs", type=int, default=None, help="Extraction processes (default 1; "
              "2 or more use more cores for large corpora).")
@click.option("--no-near-duplicates", is_flag=True, help="Skip the MinHash near-duplicate check.")
@click.option("--outlets", "outlets_file", default=None, type=click.Path(dir_okay=False),
              help="Outlet registry file (TOML/JSON) instead of yours or the starter.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest_cmd(sources: tuple[str, ...], store: str | None, outlet: str | None,
               tags: tuple[str, ...], url_lists: tuple[str, ...], maps: tuple[str, ...],
               encoding: str | None, allow_private_addresses: bool | None, ignore_robots: bool,
               max_bytes: int | None, timeout: float | None, workers: int | None,
               jobs: int | None, no_near_duplicates: bool, outlets_file: str | None, quiet: bool,
               as_json: bool) -> None:
    """Ingest SOURCES: files, folders, http(s) URLs of pages, RSS/Atom feeds or sitemaps.

    Files: .txt .md .html .json .jsonl .csv .tsv .warc(.gz) .xml/.rss/.atom (feeds and
    sitemaps are fetched). Re-running a source adds nothing; bad items are reported with the
    reason and the rest is ingested.
    """
    all_sources = list(sources)
    for path in url_lists:
        all_sources.extend(_read_url_list(path))
    if not all_sources:
        raise click.UsageError("give at least one file, folder or URL (or --urls-from FILE)")
    settings = resolve_settings(
        store, allow_private_addresses=allow_private_addresses,
        respect_robots=False if ignore_robots else None, max_bytes=max_bytes,
        fetch_timeout=timeout, fetch_workers=workers, extract_workers=jobs,
        outlets=outlets_file)
    options = IngestOptions(outlet=outlet, tags=tuple(t for t in tags if t), encoding=encoding,
                            columns=_parse_map(maps), near_duplicates=not no_near_duplicates)
    display = ProgressLine(enabled=not quiet)
    with open_for(settings, create=True) as st:
        ingestor = Ingestor(st, settings, options, progress=display)
        report = ingestor.run(all_sources)
        display.close(ingestor.progress)
    if as_json:
        echo_json({"store": settings.store if settings.store_kind == "sqlite" else st.location,
                   **report.to_dict()})
    else:
        state = "interrupted: " if report.interrupted else ""
        click.echo(f"{state}added {report.added} (of which {report.linked} linked copies), "
                   f"duplicates {report.duplicates}, failed {report.failed_count}, skipped "
                   f"{len(report.skipped)} in {report.seconds:.1f}s (run {report.run_id})")
        for f in report.failed[:SHOWN_FAILURES]:
            click.echo(f"  failed: {f.location}: {f.reason}")
        if report.failed_count > SHOWN_FAILURES:
            click.echo(f"  ... and {report.failed_count - SHOWN_FAILURES} more failures "
                       "(all of them: `spinscope ls --failures`)")
    if report.interrupted:
        sys.exit(130)
    if report.failed_count and not (report.added or report.duplicates):
        sys.exit(2)


commands = [ingest_cmd]
