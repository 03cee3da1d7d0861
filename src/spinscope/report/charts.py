"""The report's charts as data (``ChartSpec``) and as SVG; PNG through matplotlib if installed.

The same spec feeds the inline SVG of the HTML report and the files written by
``--charts DIR`` for papers, so the figures and the report always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spinscope.compare import ALL, Comparison
from spinscope.report import svg
from spinscope.report.data import ReportData, taxonomy_definitions

__all__ = ["ChartSpec", "build_charts", "write_charts"]

RATE = "spans per 1,000 words"


@dataclass
class ChartSpec:
    name: str  # file stem
    kind: str  # heatmap | bars | lines | timeline
    title: str
    data: dict[str, Any] = field(default_factory=dict)

    def svg(self) -> str:
        d = self.data
        if self.kind == "heatmap":
            return svg.heatmap(d["rows"], d["cols"], d["values"], self.title, d.get("notes"),
                               RATE)
        if self.kind == "bars":
            return svg.bar_chart(d["labels"], d["values"], d["intervals"], self.title, RATE,
                                 d.get("flags"))
        if self.kind == "lines":
            return svg.line_chart(d["buckets"], d["series"], self.title, RATE)
        return svg.timeline(d["days"], d["lanes"], self.title, d["colors"])


def used_techniques(data: ReportData) -> list[str]:
    """Covered techniques with at least one span in scope, most frequent first."""
    rates = []
    for t in data.techniques:
        total = sum(c.estimate.value * g.words for g in data.by_outlet.groups
                    for c in [data.by_outlet.cell(g.group, t, "rate", g.bucket)]
                    if not math.isnan(c.estimate.value))
        if total > 0:
            rates.append((total, t))
    return [t for _, t in sorted(rates, reverse=True)]


def _heatmap(data: ReportData) -> ChartSpec:
    defs = taxonomy_definitions()
    techs = used_techniques(data)
    groups = sorted(data.by_outlet.groups,
                    key=lambda g: (data.outlet_blocs.get(g.group, "~"), g.group))
    values = [[data.by_outlet.cell(g.group, t, "rate").estimate.value for t in (ALL, *techs)]
              for g in groups]
    return ChartSpec("outlet-technique-heatmap", "heatmap",
                     "Technique rate by outlet (spans per 1,000 words)",
                     {"rows": [g.group for g in groups],
                      "cols": ["All techniques", *(defs[t][0] for t in techs)],
                      "values": values,
                      "notes": [data.outlet_blocs.get(g.group, "") for g in groups]})


def _bars(result: Comparison, name: str, title: str) -> ChartSpec:
    cells = [result.cell(g.group, ALL, "rate", g.bucket) for g in result.groups]
    return ChartSpec(name, "bars", title, {
        "labels": [g.group for g in result.groups],
        "values": [c.estimate.value for c in cells],
        "intervals": [(c.estimate.low, c.estimate.high) for c in cells],
        "flags": [c.difference.flag if c.difference else "" for c in cells]})


def _trend(data: ReportData) -> ChartSpec:
    buckets = sorted({g.bucket for g in data.trend.groups if g.bucket and g.bucket[0] != "("})
    groups = sorted({g.group for g in data.trend.groups})
    series = []
    for grp in groups:
        vals = []
        for b in buckets:
            try:
                vals.append(data.trend.cell(grp, ALL, "rate", b).estimate.value)
            except KeyError:
                vals.append(float("nan"))
        series.append((grp, vals))
    return ChartSpec("trend-by-bloc", "lines",
                     f"All techniques per 1,000 words by bloc and {data.options.trend_bucket}",
                     {"buckets": buckets, "series": series})


def _timeline(data: ReportData, article_meta: dict[str, tuple[str | None, str | None]]
              ) -> ChartSpec:
    days_seen = sorted({(article_meta.get(a) or (None, None))[1] or ""
                        for e in data.events for a in e.article_ids} - {""})
    days: list[str] = []
    if days_seen:
        import datetime as dt

        d0 = dt.date.fromisoformat(days_seen[0][:10])
        d1 = dt.date.fromisoformat(days_seen[-1][:10])
        days = [(d0 + dt.timedelta(n)).isoformat() for n in range((d1 - d0).days + 1)]
    keys = sorted({data.outlet_blocs.get(article_meta.get(a, (None, None))[0] or "", "other")
                   for e in data.events for a in e.article_ids})
    colors = {k: svg.PALETTE[i % len(svg.PALETTE)] for i, k in enumerate(keys)}
    lanes = []
    for e in data.events:
        dots = []
        for a in e.article_ids:
            outlet, day = article_meta.get(a, (None, None))
            if day:
                dots.append((day[:10], data.outlet_blocs.get(outlet or "", "other")))
        lanes.append((e.name, dots))
    return ChartSpec("event-timeline", "timeline",
                     "Events: one dot per article, coloured by the outlet's bloc",
                     {"days": days, "lanes": lanes, "colors": colors})


def build_charts(data: ReportData) -> dict[str, ChartSpec]:
    """Every chart of the report, keyed by file stem."""
    charts = [_heatmap(data),
              _bars(data.by_bloc, "rate-by-bloc", "All techniques per 1,000 words by bloc"),
              _bars(data.by_lang, "rate-by-language",
                    "All techniques per 1,000 words by language"),
              _trend(data)]
    if data.events:
        charts.append(_timeline(data, data.article_meta))
    return {c.name: c for c in charts}


def write_charts(charts: dict[str, ChartSpec], folder: Path, png: bool = True) -> list[Path]:
    """Write each chart as SVG (and PNG when matplotlib is installed and ``png``)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, chart in charts.items():
        path = folder / f"{name}.svg"
        path.write_text(chart.svg(), "utf-8")
        written.append(path)
    if png:
        from spinscope.report.png import write_pngs

        written += write_pngs(charts, folder)
    return written
