"""``spinscope report``: one self-contained HTML report (and charts for papers)."""

from __future__ import annotations

from typing import Any

import click

from spinscope.cli.output import echo_json
from spinscope.cli.store import (
    filter_options,
    make_filter,
    open_for,
    resolve_settings,
    store_option,
)
from spinscope.compare import DEFAULT_SEED
from spinscope.outlets.registry import load_registry
from spinscope.report import ReportOptions, write_report


@click.command("report")
@store_option
@filter_options
@click.option("-o", "--output", default="report.html", show_default=True,
              type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--charts", "charts_dir", default=None, type=click.Path(file_okay=False),
              help="Also write every chart as SVG (and PNG with matplotlib) into this folder.")
@click.option("--no-png", is_flag=True, help="With --charts: SVG files only.")
@click.option("--title", default=None, help="Report title.")
@click.option("--event", "event_id", default=None, metavar="ID", help="Only this event.")
@click.option("--model-version", default=None, help="Results of this model version "
              "(default: the newest stored).")
@click.option("--model", "bundle", default=None, metavar="DIR",
              help="Model bundle whose card is quoted (default: the packaged one).")
@click.option("--resamples", type=int, default=1000, show_default=True)
@click.option("--min-score", type=float, default=0.0, show_default=True,
              help="Count and show only spans the model scored at least this (0-1).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True)
@click.option("--trend", type=click.Choice(["day", "week", "month"]), default="week",
              show_default=True, help="Time bucket of the trend chart.")
@click.option("--outlets", "outlets_file", default=None, type=click.Path(dir_okay=False),
              help="Outlet registry with names and blocs (default: $SPINSCOPE_OUTLETS or the "
                   "built-in).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def report_cmd(store: str | None, outlets: tuple[str, ...], langs: tuple[str, ...],
               tags: tuple[str, ...], date_from: Any, date_to: Any, originals: bool,
               output: str, charts_dir: str | None, no_png: bool, title: str | None,
               event_id: str | None, model_version: str | None, bundle: str | None,
               resamples: int, min_score: float, seed: int, trend: str,
               outlets_file: str | None, as_json: bool) -> None:
    """Write a self-contained HTML report that works offline (no CDN, no scripts)."""
    settings = resolve_settings(store, outlets=outlets_file)
    registry = load_registry(settings.outlets)
    with open_for(settings) as st:
        options = ReportOptions(
            title=title or ReportOptions.title,
            where=make_filter(outlets, langs, tags, date_from, date_to, originals),
            event_id=st.get_event(event_id).id if event_id is not None else None,
            model_version=model_version, bundle=bundle, resamples=resamples, seed=seed,
            trend_bucket=trend, min_score=min_score)
        result = write_report(st, output, options, registry, charts_dir, png=not no_png)
    if as_json:
        echo_json({"report": str(result.path), "bytes": result.size,
                   "charts": [str(p) for p in result.charts],
                   "model_version": result.data.model_version})
        return
    click.echo(f"wrote {result.path} ({result.size / 1024:.0f} KB)")
    for p in result.charts:
        click.echo(f"wrote {p}")


commands = [report_cmd]
