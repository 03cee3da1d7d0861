"""PNG versions of the report charts for papers (needs the ``charts`` extra: matplotlib).

Drawn from the same ``ChartSpec`` data as the SVGs, at 200 dpi, with a non-interactive
backend; without matplotlib, only SVG files are written and a warning says how to get PNGs.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spinscope.report.charts import ChartSpec

__all__ = ["write_pngs"]

log = logging.getLogger(__name__)
DPI = 200


def _heatmap(ax: Any, d: dict[str, Any]) -> None:
    import numpy as np

    values = np.array(d["values"], dtype=float)
    ax.imshow(np.nan_to_num(values, nan=0.0), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(d["cols"])), d["cols"], rotation=45, ha="right", fontsize=7)
    labels = [f"{r} ({n})" if n else r for r, n in zip(d["rows"], d.get("notes") or
                                                        [""] * len(d["rows"]), strict=True)]
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    vmax = np.nanmax(values) if np.isfinite(values).any() else 1.0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            ax.text(j, i, "–" if math.isnan(v) else f"{v:.1f}", ha="center", va="center",
                    fontsize=6, color="white" if v > 0.55 * vmax else "black")


def _bars(ax: Any, d: dict[str, Any]) -> None:
    y = list(range(len(d["labels"])))[::-1]
    vals = [0.0 if math.isnan(v) else v for v in d["values"]]
    lo = [max(0.0, v - a) if not math.isnan(a) else 0.0 for v, (a, _) in
          zip(vals, d["intervals"], strict=True)]
    hi = [max(0.0, b - v) if not math.isnan(b) else 0.0 for v, (_, b) in
          zip(vals, d["intervals"], strict=True)]
    ax.barh(y, vals, xerr=[lo, hi], color="#1b6ca8", alpha=0.85, capsize=3)
    ax.set_yticks(y, d["labels"], fontsize=8)
    ax.set_xlabel("spans per 1,000 words (95% bootstrap interval)", fontsize=8)


def _lines(ax: Any, d: dict[str, Any]) -> None:
    x = range(len(d["buckets"]))
    for name, vals in d["series"]:
        ax.plot(x, vals, marker="o", label=name)
    ax.set_xticks(list(x), d["buckets"], rotation=45, ha="right", fontsize=7)
    ax.set_ylabel("spans per 1,000 words", fontsize=8)
    ax.legend(fontsize=7, frameon=False)


def _timeline(ax: Any, d: dict[str, Any]) -> None:
    index = {day: i for i, day in enumerate(d["days"])}
    lanes = d["lanes"]
    for k, (_name, dots) in enumerate(lanes):
        y = len(lanes) - 1 - k
        for day, key in dots:
            if day in index:
                ax.scatter(index[day], y, color=d["colors"].get(key, "#52606d"), s=18,
                           zorder=3)
    ax.set_yticks(range(len(lanes)), [n[:40] for n, _ in lanes][::-1], fontsize=7)
    step = max(1, len(d["days"]) // 10)
    ax.set_xticks(range(0, len(d["days"]), step), d["days"][::step], rotation=45, ha="right",
                  fontsize=7)
    for key, color in d["colors"].items():
        ax.scatter([], [], color=color, label=key, s=18)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


_DRAW = {"heatmap": _heatmap, "bars": _bars, "lines": _lines, "timeline": _timeline}


def write_pngs(charts: dict[str, ChartSpec], folder: Path) -> list[Path]:
    """One PNG per chart; returns [] (and logs how to enable PNGs) without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log.warning("PNG charts need matplotlib: pip install 'spinscope[charts]'; wrote SVG only")
        return []
    written = []
    for name, chart in charts.items():
        d = chart.data
        rows = len(d.get("rows") or d.get("labels") or d.get("lanes") or [1])
        height = 2.2 + 0.28 * rows if chart.kind != "lines" else 4.0
        fig, ax = plt.subplots(figsize=(8.0, min(height, 14.0)))
        _DRAW[chart.kind](ax, d)
        ax.set_title(chart.title, fontsize=9)
        fig.tight_layout()
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=DPI)
        plt.close(fig)
        written.append(path)
    return written
