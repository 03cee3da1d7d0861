"""The outlet / bloc / language comparison behind ``/compare``.

When the corpus-analysis package provides ``spinscope.compare`` (bootstrap confidence
intervals, flags only where intervals support a difference), its tables are used as they are.
Otherwise a plain table is computed here from the stored per-document counts: technique rate
per 1,000 words and share of articles, syndicated copies counted once, no intervals.
"""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spinscope.core.taxonomy import Taxonomy
from spinscope.outlets.registry import OutletRegistry
from spinscope.web.stories import heat_class
from spinscope.web.views import group_class, technique_info

__all__ = ["BY_CHOICES", "CompareQuery", "simple_comparison"]

log = logging.getLogger(__name__)

BY_CHOICES = ("outlet", "bloc", "lang")


@dataclass(frozen=True, slots=True)
class CompareQuery:
    by: str = "outlet"
    event: str | None = None
    technique: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "event": self.event, "technique": self.technique,
                **self.filters}


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
