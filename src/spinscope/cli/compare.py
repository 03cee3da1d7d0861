"""``spinscope compare``: technique use by outlet, bloc, language, event or time bucket."""

from __future__ import annotations

import csv
import math
import sys
from typing import Any

import click

from spinscope.cli.output import echo_json, format_table
from spinscope.cli.store import (
    filter_options,
    make_filter,
    open_for,
    resolve_settings,
    store_option,
)
from spinscope.compare import (
    ALL,
    BY,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    OVER,
    CompareOptions,
    Comparison,
    Estimate,
    compare_store,
)
from spinscope.core.taxonomy import load_taxonomy
from spinscope.outlets.registry import load_registry

FLAG = {"higher": "▲ higher", "lower": "▼ lower", "": ""}


def _ci(value: float | None, low: float | None, high: float | None, pct: bool = False) -> str:
    if value is None or math.isnan(value):
        return "-"
    if pct:
        base = f"{value:.0%}"
        return base if low is None or math.isnan(low) else f"{base} [{low:.0%}–{high:.0%}]"
    base = f"{value:.2f}"
    return base if low is None or math.isnan(low) else f"{base} [{low:.2f}–{high:.2f}]"


def _est(e: Estimate, articles: int, min_articles: int, pct: bool = False) -> str:
    if articles < min_articles:
        return _ci(e.value, None, None, pct) + f" (n<{min_articles})"
    if e.degenerate:
        return _ci(e.value, None, None, pct) + " (no spread)"
    return _ci(e.value, e.low, e.high, pct)


def render_table(result: Comparison) -> str:
    """The comparison as a plain-text table with a methods footnote."""
    tax = load_taxonomy()
    over = result.options.over is not None
    focus = [t for t in result.techniques if t != ALL] if result.options.techniques else [ALL]
    headers = [result.options.by, *(["bucket"] if over else []), "articles", "words"]
    if len(focus) > 1:
        headers.append("technique")
    headers += ["per 1k words [CI]", "vs " + (result.options.reference or "rest"),
                "share of articles [CI]", "vs " + (result.options.reference or "rest")]
    if focus == [ALL]:
        headers.append("top techniques (per 1k words)")
    rows: list[list[Any]] = []
    for g in result.groups:
        for tech in focus:
            rate = result.cell(g.group, tech, "rate", g.bucket)
            share = result.cell(g.group, tech, "share", g.bucket)
            row: list[Any] = [g.group, *([g.bucket] if over else []), g.articles, g.words]
            if len(focus) > 1:
                row.append(tax.get(tech).title)
            n, m = g.articles, result.options.min_articles
            row += [_est(rate.estimate, n, m),
                    FLAG[rate.difference.flag if rate.difference else ""],
                    _est(share.estimate, n, m, True),
                    FLAG[share.difference.flag if share.difference else ""]]
            if focus == [ALL]:
                row.append(_top(result, g.group, g.bucket))
            rows.append(row)
    return format_table(headers, rows) + "\n\n" + methods_note(result)


def _top(result: Comparison, group: str, bucket: str | None, n: int = 3) -> str:
    tax = load_taxonomy()
    cells = [result.cell(group, t, "rate", bucket) for t in result.techniques if t != ALL]
    cells = [c for c in cells if c.estimate.value > 0]
    cells.sort(key=lambda c: -c.estimate.value)
    return ", ".join(f"{tax.get(c.technique).title} {c.estimate.value:.1f}" for c in cells[:n])


def methods_note(result: Comparison) -> str:
    o = result.options
    tests = sum(1 for c in result.cells if c.difference is not None
                and not math.isnan(c.difference.p))
    parts = [
        f"Model {result.model_version}. Intervals: {o.confidence:.0%} percentile bootstrap over "
        f"articles ({o.resamples} Poisson resamples, seed {o.seed}).",
        f"Flags: difference vs {o.reference or 'the rest of the corpus'} whose interval excludes "
        f"0 and whose {'Holm-adjusted ' if o.correction == 'holm' else ''}p < {o.alpha} "
        f"({tests} tests); groups under {o.min_articles} articles, and techniques no article or "
        "every article of a side uses (no spread), are not tested.",
    ]
    if o.min_score > 0:
        parts.append(f"Only spans scored at least {o.min_score:g} are counted.")
    if result.copies_left_out:
        parts.append(f"{result.copies_left_out} syndicated/near-duplicate copies left out "
                     "(each story counted once).")
    return "\n".join(parts)


@click.command("compare")
@store_option
@filter_options
@click.option("--by", type=click.Choice(BY), default="outlet", show_default=True,
              help="Group articles by this.")
@click.option("--over", type=click.Choice(OVER), default=None,
              help="Also split each group by time bucket (trends).")
@click.option("--event", "event_id", default=None, metavar="ID",
              help="Only the articles of this event (`spinscope events list`).")
@click.option("--technique", "techniques", multiple=True, metavar="NAME",
              help="Only this technique (repeatable); default: all, summarised.")
@click.option("--model-version", default=None, help="Results of this model version "
              "(default: the newest stored).")
@click.option("--reference", default=None, metavar="GROUP",
              help="Compare every group with this one instead of with the rest.")
@click.option("--resamples", type=int, default=DEFAULT_RESAMPLES, show_default=True,
              help="Bootstrap resamples.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Bootstrap seed (same store + seed = same intervals).")
@click.option("--confidence", type=float, default=0.95, show_default=True)
@click.option("--min-articles", type=int, default=5, show_default=True,
              help="Groups with fewer articles are never flagged.")
@click.option("--no-correction", is_flag=True, help="Do not adjust p-values (Holm) for the "
              "number of tests.")
@click.option("--include-copies", is_flag=True, help="Count syndicated copies too.")
@click.option("--min-score", type=float, default=0.0, show_default=True,
              help="Count only spans the model scored at least this (0-1); 0 = every span "
                   "the model reported at its own thresholds.")
@click.option("--outlets", "outlets_file", default=None, type=click.Path(dir_okay=False),
              help="Outlet registry with blocs (default: $SPINSCOPE_OUTLETS or the built-in).")
@click.option("--json", "as_json", is_flag=True, help="All numbers as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="All numbers as CSV (long format).")
def compare_cmd(store: str | None, outlets: tuple[str, ...], langs: tuple[str, ...],
                tags: tuple[str, ...], date_from: Any, date_to: Any, originals: bool, by: str,
                over: str | None, event_id: str | None, techniques: tuple[str, ...],
                model_version: str | None, reference: str | None, resamples: int, seed: int,
                confidence: float, min_articles: int, no_correction: bool,
                include_copies: bool, min_score: float, outlets_file: str | None,
                as_json: bool, as_csv: bool) -> None:
    """Compare technique rates per 1,000 words and shares of articles between groups."""
    tax = load_taxonomy()
    names = tuple(tax.get(t).name for t in techniques)
    settings = resolve_settings(store, outlets=outlets_file)
    options = CompareOptions(by=by, over=over, techniques=names, resamples=resamples, seed=seed,
                             confidence=confidence, min_articles=min_articles,
                             correction="none" if no_correction else "holm",
                             include_copies=include_copies, reference=reference,
                             min_score=min_score)
    where = make_filter(outlets, langs, tags, date_from, date_to, originals)
    registry = load_registry(settings.outlets)
    with open_for(settings) as st:
        result = compare_store(st, options, where, event_id, model_version, registry)
    if as_json:
        echo_json(result.to_dict())
    elif as_csv:
        rows = result.to_rows()
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["group"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    elif not result.groups:
        click.echo("no analysed articles match; check the filters or run "
                   "`spinscope analyze-corpus`", err=True)
    else:
        if result.meta.get("event"):
            with open_for(settings) as st:
                ev = st.get_event(result.meta["event"])
            click.echo(f"Event {ev.id}: {ev.name} ({(ev.first_published or '?')[:10]} to "
                       f"{(ev.last_published or '?')[:10]}, {ev.size} articles)\n")
        click.echo(render_table(result))


commands = [compare_cmd]
