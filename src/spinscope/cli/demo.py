"""``spinscope demo``: the README's main job on the embedded defaults.

Ingests the bundled (fictional) sample corpus into a SQLite store, analyses it with the
bundled model, groups events and writes the HTML report.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from spinscope.cli.output import echo_json, format_table
from spinscope.store import open_store


@click.command("demo")
@click.option("-o", "--output", "output_dir", default="spinscope-demo", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the store, report and charts.")
@click.option("--store", default=None, metavar="PATH|URL",
              help="Store to use instead of OUTPUT/spinscope.sqlite (a SQLite path or a "
                   "postgresql:// URL).")
@click.option("--no-charts", is_flag=True, help="Do not write separate chart files.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def demo_cmd(output_dir: str, store: str | None, no_charts: bool, as_json: bool) -> None:
    """Analyse the bundled sample articles and write an HTML report."""
    from spinscope.demo import run_demo

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    location = store or str(out / "spinscope.sqlite")
    t0 = time.monotonic()
    click.echo(f"spinscope demo: sample corpus -> {location}", err=True)
    with open_store(location) as st:
        result = run_demo(st, out, charts=not no_charts)
    seconds = time.monotonic() - t0
    if as_json:
        echo_json({**result.to_dict(), "seconds": round(seconds, 1)})
        return
    ing, ana = result.ingest, result.analysis
    rows = [
        ["articles ingested", ing.get("added", 0)],
        ["duplicates skipped (already stored)", ing.get("duplicates", 0)],
        ["ingest failures", ing.get("failed", 0)],
        ["articles analysed now (new to this model)", ana.get("analysed", 0)],
        ["analysis failures", ana.get("failed", 0)],
        ["events found", result.events.get("events", "-")],
    ]
    click.echo(format_table(["step", "count"], rows))
    click.echo()
    click.echo(f"model:  {result.model_version or '-'}")
    click.echo(f"store:  {result.store}")
    click.echo(f"report: {result.report}")
    if result.charts:
        click.echo(f"charts: {len(result.charts)} files in {result.charts[0].parent}")
    click.echo(f"done in {seconds:.1f} s. Open the report in a browser; explore with "
               f"`spinscope ls --store {location}` or `spinscope compare --by outlet "
               f"--store {location}`.")


commands = [demo_cmd]
