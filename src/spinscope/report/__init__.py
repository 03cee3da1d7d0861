"""Reports: one self-contained, offline HTML file with charts, examples and methods.

``write_report(store, path, options)`` collects the numbers from the store, renders the page
and (optionally) writes each chart as SVG/PNG for papers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spinscope.outlets.registry import OutletRegistry
from spinscope.report.charts import ChartSpec, build_charts, write_charts
from spinscope.report.data import Example, ReportData, ReportOptions, collect_report
from spinscope.report.html import render_report
from spinscope.store.base import CorpusStore

__all__ = [
    "ChartSpec",
    "Example",
    "ReportData",
    "ReportOptions",
    "ReportResult",
    "build_charts",
    "collect_report",
    "render_report",
    "write_charts",
    "write_report",
]


@dataclass(frozen=True)
class ReportResult:
    path: Path
    charts: tuple[Path, ...]
    data: ReportData

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def write_report(store: CorpusStore, path: str | Path, options: ReportOptions | None = None,
                 registry: OutletRegistry | None = None, charts_dir: str | Path | None = None,
                 png: bool = True) -> ReportResult:
    """Write the HTML report to ``path`` (and the charts to ``charts_dir`` if given)."""
    data = collect_report(store, options, registry)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(data), "utf-8")
    written: list[Path] = []
    if charts_dir is not None:
        written = write_charts(build_charts(data), Path(charts_dir), png=png)
    return ReportResult(out, tuple(written), data)
