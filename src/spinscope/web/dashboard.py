"""The outlet / bloc / language comparison behind ``/compare``.

When the corpus-analysis package provides ``spinscope.compare`` (bootstrap confidence
intervals, flags only where intervals support a difference), its tables are used as they are.
Otherwise a plain table is computed here from the stored per-document counts: technique rate
per 1,000 words and share of articles, syndicated copies counted once, no intervals.
"""

from __future__ import annotations

import importlib
import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from spinscope.core.taxonomy import Taxonomy
from spinscope.outlets.registry import OutletRegistry
from spinscope.web.stories import heat_class
from spinscope.web.views import group_class, technique_info

__all__ = ["BY_CHOICES", "CHART_NAMES", "chart_svg", "interval_comparison",
           "simple_comparison"]

log = logging.getLogger(__name__)

BY_CHOICES = ("outlet", "bloc", "lang")


def _key(row: Any, by: str, registry: OutletRegistry | None) -> str:
    if by == "lang":
        return row.lang or "?"
    if by == "bloc":
        outlet = registry.get(row.outlet) if registry is not None and row.outlet else None
        return outlet.blocs[0] if outlet is not None and outlet.blocs else "(no bloc)"
    return row.outlet or "(unknown)"


def simple_comparison(rows: Iterable[Any], by: str, taxonomy: Taxonomy,
                      registry: OutletRegistry | None,
                      technique: str | None = None) -> dict[str, Any]:
    """Rates per 1,000 words and article shares per group key (``AnalysisRow`` values)."""
    words: dict[str, int] = defaultdict(int)
    docs: dict[str, int] = defaultdict(int)
    spans: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    using: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row.dup_of:
            continue  # a syndicated or near copy: its original is counted
        key = _key(row, by, registry)
        words[key] += row.word_count
        docs[key] += 1
        for t, n in row.counts.items():
            spans[key][t] += n
            if n:
                using[key][t] += 1
    keys = sorted(docs, key=lambda k: (-docs[k], k))
    names = sorted({t for k in keys for t in spans[k]},
                   key=lambda t: (taxonomy.index(t) if t in taxonomy else 999, t))
    if technique:
        names = [t for t in names if t == technique]

    def rate(k: str, t: str) -> float:
        return 1000.0 * spans[k].get(t, 0) / words[k] if words[k] else 0.0

    top = max((rate(k, t) for k in keys for t in names), default=0.0)
    groups = [{"key": k, "documents": docs[k], "words": words[k],
               "rate_per_1000_words": (1000.0 * sum(spans[k].values()) / words[k]
                                       if words[k] else 0.0)} for k in keys]
    table = []
    for t in names:
        info = technique_info(taxonomy, t)
        table.append({**info, "css": group_class(info["group"]), "cells": [
            {"key": k, "rate": rate(k, t), "share": using[k].get(t, 0) / docs[k] if docs[k]
             else 0.0, "ci": None, "flag": None, "heat": heat_class(rate(k, t), top)}
            for k in keys]})
    return {"by": by, "groups": groups, "table": table, "intervals": False,
            "method": "rates per 1,000 words and share of articles; syndicated copies counted "
                      "once; no confidence intervals (install the corpus-analysis module)"}


def compare_module() -> Any | None:
    """``spinscope.compare`` if installed, else ``None``."""
    try:
        return importlib.import_module("spinscope.compare")
    except ImportError:
        return None


def _num(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else x


def interval_comparison(result: Any, taxonomy: Taxonomy,
                        technique: str | None = None) -> dict[str, Any]:
    """A ``spinscope.compare.Comparison`` in the dashboard's shape (intervals and flags)."""
    from spinscope.compare import ALL

    groups = []
    for g in result.groups:
        cell = result.cell(g.group, ALL, "rate", g.bucket)
        groups.append({"key": g.group, "documents": g.articles, "words": g.words,
                       "rate_per_1000_words": _num(cell.estimate.value) or 0.0,
                       "ci": [_num(cell.estimate.low), _num(cell.estimate.high)],
                       "flag": _flag_text(cell)})
    names = [t for t in result.techniques if technique in (None, t)]
    used = [t for t in names if any((_num(result.cell(g.group, t, "rate", g.bucket)
                                          .estimate.value) or 0.0) > 0 for g in result.groups)]
    top = max(((_num(result.cell(g.group, t, "rate", g.bucket).estimate.value) or 0.0)
               for t in used for g in result.groups), default=0.0)
    table = []
    for t in used:
        info = technique_info(taxonomy, t) if t != ALL else {
            "technique": ALL, "title": "All techniques", "group": "all",
            "group_name": "", "definition": "Every technique together."}
        cells = []
        for g in result.groups:
            rate = result.cell(g.group, t, "rate", g.bucket)
            share = result.cell(g.group, t, "share", g.bucket)
            value = _num(rate.estimate.value) or 0.0
            cells.append({
                "key": g.group, "rate": value, "share": _num(share.estimate.value) or 0.0,
                "ci": None if rate.estimate.degenerate else
                [_num(rate.estimate.low), _num(rate.estimate.high)],
                "flag": _flag_text(rate), "heat": heat_class(value, top)})
        table.append({**info, "css": group_class(info["group"]), "cells": cells})
    opts = result.options
    return {
        "by": opts.by, "groups": groups, "table": table, "intervals": True,
        "copies_left_out": result.copies_left_out,
        "method": (f"rates per 1,000 words and share of articles with "
                   f"{round(100 * opts.confidence)}% bootstrap intervals over articles "
                   f"({opts.resamples} resamples, seed {opts.seed}); syndicated copies "
                   "counted once; ▲/▼ marks a group whose "
                   f"difference from the rest is supported by the intervals after "
                   f"{opts.correction} correction (groups of at least {opts.min_articles} "
                   "articles)"),
        "cells": result.to_rows()}


def _flag_text(cell: Any) -> str | None:
    d = cell.difference
    if d is None or not d.flag:
        return None
    return f"{d.flag} than {d.against}"


CHART_NAMES = ("rates", "heatmap")


def _interval(ci: list[float | None] | None) -> tuple[float, float]:
    nan = float("nan")
    if not ci:
        return nan, nan
    return (nan if ci[0] is None else ci[0]), (nan if ci[1] is None else ci[1])


def chart_svg(name: str, data: dict[str, Any]) -> str:
    """One dashboard chart as SVG, drawn by the report's chart functions."""
    from spinscope.report import svg

    unit = "spans per 1,000 words"
    by = data["by"]
    if name == "rates":
        groups = data["groups"]
        return svg.bar_chart(
            [g["key"] for g in groups], [g["rate_per_1000_words"] for g in groups],
            [_interval(g.get("ci")) for g in groups],
            f"All techniques per 1,000 words by {by}", unit,
            [(g.get("flag") or "").split(" ")[0] for g in groups])
    keys = [g["key"] for g in data["groups"]]
    rows = data["table"]
    values = [[row["cells"][i]["rate"] for row in rows] for i in range(len(keys))]
    return svg.heatmap(keys, [row["title"] for row in rows], values,
                       f"Technique rate by {by} (spans per 1,000 words)", None, unit)
