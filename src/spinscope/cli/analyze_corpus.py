"""``spinscope analyze-corpus``: analyse the stored articles the current model has not seen."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

import click

from spinscope.analyze.analyser import AnalyserFactory, DetectorFactory
from spinscope.analyze.engine import Engine, LocalEngine, available_cores
from spinscope.analyze.runner import BatchOptions, analyze_corpus
from spinscope.cli.output import echo_json, format_table
from spinscope.cli.store import (
    filter_options,
    make_filter,
    open_for,
    resolve_settings,
    store_option,
)
from spinscope.store import CorpusStore

SHOWN_FAILURES = 20


def make_engine(name: str, workers: int | None, address: str | None,
                threads: int = 1) -> Engine:
    """The engine a CLI run asked for (``--engine``, ``--workers``, ``--address``)."""
    if name != "ray":
        if address is not None:
            raise click.UsageError("--address needs --engine ray")
        return LocalEngine(workers)
    from spinscope.scale import RayConnection, RayEngine, RayOptions

    return RayEngine(RayConnection(address=address),
                     RayOptions(workers=workers, cpus_per_worker=float(threads)))


class BatchProgress:
    """Progress on stderr: a redrawn bar on a terminal, a line every 30 s otherwise."""

    def __init__(self, stream: IO[str] | None = None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.enabled = enabled
        self.t0 = time.monotonic()
        self._last = 0.0
        self._interval = 0.2 if self.tty else 30.0
        self._state = (0, 0, 0)

    def __call__(self, done: int, failed: int, total: int) -> None:
        self._state = (done, failed, total)
        now = time.monotonic()
        if self.enabled and (now - self._last >= self._interval or done == total):
            self._last = now
            self._draw()

    def _draw(self) -> None:
        done, failed, total = self._state
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        rate = done / elapsed
        share = done / total if total else 1.0
        eta = (total - done) / rate if rate > 0 else 0.0
        line = (f"[{'#' * int(share * 24):<24}] {share:4.0%} {done:,}/{total:,} · "
                f"{failed:,} failed · {rate:,.1f} docs/s · ETA {_duration(eta)}")
        if self.tty:
            self.stream.write("\r\x1b[K" + line)
        else:
            self.stream.write("analyze-corpus: " + line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty and self._last:
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


def _status(st: CorpusStore, as_json: bool) -> None:
    sets = st.result_sets()
    runs = st.analysis_runs(10)
    total = st.count()
    if as_json:
        last = ([{"id": i, "reason": r} for i, r in st.analysis_failures(runs[0].id)]
                if runs else [])
        echo_json({"articles": total, "result_sets": [r.to_dict() for r in sets],
                   "runs": [r.to_dict() for r in runs], "last_run_failures": last})
        return
    click.echo(f"{total:,} articles in {st.location}")
    if not sets:
        click.echo("no analyses yet: run `spinscope analyze-corpus`")
        return
    click.echo(format_table(["model", "version", "analysed", "last written"],
                            [[r.model, r.model_version, r.articles, r.last_at] for r in sets]))
    click.echo("")
    click.echo(format_table(
        ["run", "version", "started", "status", "analysed", "failed"],
        [[r.id, r.model_version, r.started_at, r.status, r.counts.get("analysed", 0),
          r.counts.get("failed", 0)] for r in runs]))


@click.command("analyze-corpus")
@store_option
@filter_options
@click.option("--model", "bundle", default=None, metavar="DIR",
              help="Model bundle folder (default: the packaged model, or $SPINSCOPE_MODEL).")
@click.option("--workers", type=int, default=None,
              help=f"Worker processes, each loading the model once (default: all cores, "
                   f"here {available_cores()}).")
@click.option("--threads", type=int, default=1, show_default=True,
              help="onnxruntime threads per worker.")
@click.option("--engine", "engine_name", type=click.Choice(["local", "ray"]), default="local",
              show_default=True,
              help="local: worker processes here; ray: a Ray Data pipeline (needs the [ray] "
                   "extra; see docs/performance.md).")
@click.option("--address", default=None, metavar="ADDR",
              help="Ray cluster address (auto, HOST:PORT or ray://HOST:10001); default: a "
                   "private local Ray instance. Only with --engine ray.")
@click.option("--chunk-size", type=int, default=16, show_default=True,
              help="Articles per model call.")
@click.option("--limit", type=int, default=None, help="Analyse at most this many articles.")
@click.option("--skip-failed", is_flag=True,
              help="Do not retry articles that failed in an earlier run of this model version.")
@click.option("--status", "show_status", is_flag=True,
              help="Show stored model versions and recent runs; analyse nothing.")
@click.option("--keyword-model", is_flag=True, hidden=True,
              help="Use the keyword fake instead of the model (tests, dry runs).")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def analyze_corpus_cmd(store: str | None, outlets: tuple[str, ...], langs: tuple[str, ...],
                       tags: tuple[str, ...], date_from: Any, date_to: Any, originals: bool,
                       bundle: str | None, workers: int | None, threads: int,
                       engine_name: str, address: str | None, chunk_size: int,
                       limit: int | None, skip_failed: bool, show_status: bool,
                       keyword_model: bool, quiet: bool, as_json: bool) -> None:
    """Analyse stored articles not yet analysed by the current model version.

    Incremental and resumable: results are committed as they come, so after Ctrl-C or a
    crash the next run continues where this one stopped. Failed articles are recorded with
    the run (see --status) and retried next time unless --skip-failed.
    """
    settings = resolve_settings(store)
    with open_for(settings) as st:
        if show_status:
            _status(st, as_json)
            return
        factory: AnalyserFactory
        if keyword_model:
            from spinscope.analyze.testing import KeywordFactory

            factory = KeywordFactory()
        else:
            factory = DetectorFactory(bundle, threads=threads)
        options = BatchOptions(
            where=make_filter(outlets, langs, tags, date_from, date_to, originals),
            chunk_size=chunk_size, retry_failed=not skip_failed, limit=limit)
        progress = BatchProgress(enabled=not quiet)
        try:
            summary = analyze_corpus(st, factory, options,
                                     make_engine(engine_name, workers, address, threads),
                                     progress)
        except KeyboardInterrupt:
            progress.close()
            click.echo("interrupted: finished results are stored; run the same command again "
                       "to continue", err=True)
            sys.exit(130)
        progress.close()
    if as_json:
        echo_json(summary.to_dict())
        return
    click.echo(f"{summary.model} {summary.model_version}: analysed {summary.analysed:,} of "
               f"{summary.to_do:,} articles in {summary.seconds:.1f} s "
               f"({summary.docs_per_second:.1f}/s), {summary.failed:,} failed (run "
               f"{summary.run_id})")
    for article_id, reason in summary.failures[:SHOWN_FAILURES]:
        click.echo(f"  failed {article_id}: {reason}", err=True)
    if summary.failed > SHOWN_FAILURES:
        click.echo(f"  ... and {summary.failed - SHOWN_FAILURES:,} more "
                   "(`spinscope analyze-corpus --status --json`)", err=True)


commands = [analyze_corpus_cmd]
