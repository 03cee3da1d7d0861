"""The README's main command as a function: sample corpus → store → analysis → events → report.

``run_demo(store, output_dir)`` prints nothing (the ``spinscope demo`` command prints); it
returns a ``DemoResult`` describing what it did and where the report is.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spinscope.analyze.analyser import AnalyserFactory, DetectorFactory
from spinscope.analyze.engine import Engine, LocalEngine
from spinscope.analyze.runner import BatchSummary, analyze_corpus
from spinscope.ingest.pipeline import IngestOptions, IngestReport, ingest
from spinscope.outlets.registry import OutletRegistry, load_registry
from spinscope.report import ReportOptions, write_report
from spinscope.samples import load_samples, samples_dir
from spinscope.settings import Settings
from spinscope.store.base import CorpusStore

__all__ = ["DemoResult", "ingest_samples", "run_demo", "sample_registry"]

log = logging.getLogger(__name__)

REPORT_TITLE = "spinscope demo: persuasion techniques in a fictional news corpus"


@dataclass(frozen=True)
class DemoResult:
    store: str
    report: Path
    charts: tuple[Path, ...]
    ingest: dict[str, Any]
    analysis: dict[str, Any]
    events: dict[str, Any] = field(default_factory=dict)
    model_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"store": self.store, "report": str(self.report),
                "charts": [str(p) for p in self.charts], "ingest": self.ingest,
                "analysis": self.analysis, "events": self.events,
                "model_version": self.model_version}


def sample_registry() -> OutletRegistry:
    """The fictional outlets of the sample corpus, with their blocs."""
    return load_registry(samples_dir() / "outlets.json")


def ingest_samples(store: CorpusStore, work_dir: Path) -> IngestReport:
    """Ingest the bundled sample articles through the normal pipeline (dedup included).

    The articles are written to ``work_dir/samples.jsonl`` as a corpus export (text, title,
    URL, outlet, language, date) and ingested like any user's export; running it twice adds
    nothing the second time (known URLs are duplicates).
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / "samples.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for a in load_samples():
            fh.write(json.dumps({"id": a.id, "url": a.url, "title": a.title, "text": a.text,
                                 "outlet": a.outlet, "lang": a.lang,
                                 "published": a.published.isoformat()},
                                ensure_ascii=False) + "\n")
    settings = dataclasses.replace(Settings(), store=store.location,
                                   outlets=str(samples_dir() / "outlets.json"))
    return ingest([str(path)], store, settings, IngestOptions(tags=("spinscope-demo",)))


def _build_events(store: CorpusStore) -> dict[str, Any]:
    try:
        from spinscope.events.build import build_events
    except ImportError:  # events not available in this build
        return {}
    result = build_events(store)
    return result.to_dict()


def run_demo(store: CorpusStore, output_dir: str | Path,
             factory: AnalyserFactory | None = None, engine: Engine | None = None,
             events: bool = True, charts: bool = True) -> DemoResult:
    """Ingest the sample corpus into ``store``, analyse it, group events, write the report.

    ``factory`` defaults to the packaged detector; the report is ``output_dir/report.html``
    and the charts go to ``output_dir/charts``.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    ingested = ingest_samples(store, out / "input")
    factory = factory or DetectorFactory()
    summary: BatchSummary = analyze_corpus(store, factory, engine=engine or LocalEngine())
    event_info = _build_events(store) if events else {}
    result = write_report(store, out / "report.html", ReportOptions(title=REPORT_TITLE),
                          sample_registry(), out / "charts" if charts else None)
    log.info("demo report written to %s", result.path)
    return DemoResult(store.location, result.path, result.charts, ingested.to_dict(),
                      summary.to_dict(), event_info, result.data.model_version)
