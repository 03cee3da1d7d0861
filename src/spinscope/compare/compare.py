"""Technique use compared by outlet, bloc, language, event or time bucket.

``compare_rows`` streams stored results (``AnalysisRow``), groups them, and returns a
``Comparison``: per group and technique, the rate per 1,000 words and the share of
articles using it, each with a bootstrap interval, and a difference against the rest of the
corpus (or a reference group) that is flagged only when the intervals support it.
Syndicated and near-duplicate copies (``dup_of`` set) are left out, so a story republished
by five outlets counts once, for the outlet that published it first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from spinscope.analyze.records import AnalysisRow
from spinscope.compare.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, GroupSums, group_seed
from spinscope.compare.stats import (
    METRICS,
    Difference,
    Estimate,
    Metric,
    difference,
    holm,
    is_degenerate,
    metric_values,
    percentile_interval,
)
from spinscope.errors import ConfigError

__all__ = ["ALL", "BY", "OVER", "Cell", "CompareOptions", "Comparison", "GroupSummary",
           "bucket_of", "compare_rows"]

ALL = "ALL"  # pseudo-technique: every span of every technique
BY = ("outlet", "bloc", "lang", "event", "day", "week", "month")
OVER = ("day", "week", "month")
UNKNOWN = "(unknown)"


@dataclass(frozen=True)
class CompareOptions:
    """What to compare and how strictly. Defaults are what the docs report."""

    by: str = "outlet"
    over: str | None = None  # also split every group by day, week or month
    techniques: tuple[str, ...] = ()  # () = every technique the model covers
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    confidence: float = 0.95
    alpha: float = 0.05
    correction: str = "holm"  # holm | none
    min_articles: int = 5  # smaller groups get intervals but are never flagged
    include_copies: bool = False
    reference: str | None = None  # compare with this group instead of the rest
    min_score: float = 0.0  # count only spans the model scored at least this

    def __post_init__(self) -> None:
        if self.by not in BY:
            raise ConfigError(f"cannot compare by {self.by!r}; choose one of {', '.join(BY)}")
        if self.over is not None and self.over not in OVER:
            raise ConfigError(f"--over must be one of {', '.join(OVER)}, not {self.over!r}")
        if not 0.5 <= self.confidence < 1.0:
            raise ConfigError(f"confidence {self.confidence} must be in [0.5, 1)")
        if self.correction not in ("holm", "none"):
            raise ConfigError(f"correction must be holm or none, not {self.correction!r}")
        if self.resamples < 0:
            raise ConfigError("resamples must not be negative")
        if not 0.0 <= self.min_score <= 1.0:
            raise ConfigError(f"min_score {self.min_score} must be in [0, 1]")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def bucket_of(published: str | None, size: str) -> str:
    """``2031-03-17`` → day ``2031-03-17``, ISO week ``2031-W11``, month ``2031-03``."""
    if not published or len(published) < 10:
        return "(no date)"
    if size == "month":
        return published[:7]
    if size == "day":
        return published[:10]
    try:
        year, week, _ = dt.date.fromisoformat(published[:10]).isocalendar()
    except ValueError:
        return "(no date)"
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: str
    bucket: str | None
    articles: int
    words: int
    spans: int

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "bucket": self.bucket, "articles": self.articles,
                "words": self.words, "spans": self.spans}


@dataclass(frozen=True, slots=True)
class Cell:
    """One group, technique and metric."""

    group: str
    bucket: str | None
    technique: str
    metric: Metric
    estimate: Estimate
    difference: Difference | None = None

    def to_row(self, summary: GroupSummary) -> dict[str, Any]:
        d = self.difference.to_dict() if self.difference else {}
        e = self.estimate.to_dict()
        return {"group": self.group, "bucket": self.bucket, "technique": self.technique,
                "metric": self.metric, "value": e["value"], "low": e["low"],
                "high": e["high"], "articles": summary.articles, "words": summary.words,
                "against": d.get("against"), "difference": d.get("value"),
                "difference_low": d.get("low"), "difference_high": d.get("high"),
                "p": d.get("p"), "p_adjusted": d.get("p_adjusted"), "flag": d.get("flag", "")}


@dataclass
class Comparison:
    options: CompareOptions
    model_version: str
    techniques: tuple[str, ...]
    groups: list[GroupSummary]
    cells: list[Cell]
    copies_left_out: int = 0
    undated: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    def summary(self, group: str, bucket: str | None = None) -> GroupSummary:
        for g in self.groups:
            if g.group == group and g.bucket == bucket:
                return g
        raise KeyError(group)

    def cell(self, group: str, technique: str, metric: Metric,
             bucket: str | None = None) -> Cell:
        for c in self.cells:
            if (c.group, c.bucket, c.technique, c.metric) == (group, bucket, technique, metric):
                return c
        raise KeyError((group, technique, metric, bucket))

    @property
    def flagged(self) -> list[Cell]:
        return [c for c in self.cells if c.difference is not None and c.difference.flag]

    def to_rows(self) -> list[dict[str, Any]]:
        """Long format: one row per group, technique and metric (CSV and JSON exports)."""
        by_key = {(g.group, g.bucket): g for g in self.groups}
        return [c.to_row(by_key[(c.group, c.bucket)]) for c in self.cells]

    def to_dict(self) -> dict[str, Any]:
        return {"model_version": self.model_version, "options": self.options.to_dict(),
                "techniques": list(self.techniques),
                "groups": [g.to_dict() for g in self.groups],
                "copies_left_out": self.copies_left_out, "meta": self.meta,
                "cells": self.to_rows()}


def _group_of(row: AnalysisRow, by: str, blocs: Mapping[str, str]) -> str:
    if by == "outlet":
        return row.outlet or UNKNOWN
    if by == "bloc":
        return blocs.get(row.outlet or "", UNKNOWN)
    if by == "lang":
        return row.lang or UNKNOWN
    if by == "event":
        return row.event or "(no event)"
    return bucket_of(row.published, by)


def compare_rows(rows: Iterable[AnalysisRow], techniques: Iterable[str],
                 options: CompareOptions | None = None,
                 blocs: Mapping[str, str] | None = None, model_version: str = "") -> Comparison:
    """Aggregate ``rows`` in one pass (constant memory per group) and compare the groups."""
    options = options or CompareOptions()
    techs = (ALL, *dict.fromkeys(options.techniques or techniques))
    col = {t: 2 + 2 * i for i, t in enumerate(techs)}  # count column; presence is col + 1
    ncols = 2 + 2 * len(techs)
    sums: dict[tuple[str, str | None], GroupSums] = {}
    copies = undated = 0
    row_vec = np.zeros(ncols, dtype=np.float32)
    for r in rows:
        if r.dup_of is not None and not options.include_copies:
            copies += 1
            continue
        if r.word_count <= 0:
            continue
        key = (_group_of(r, options.by, blocs or {}),
               bucket_of(r.published, options.over) if options.over else None)
        if key[1] == "(no date)" or (options.by in OVER and key[0] == "(no date)"):
            undated += 1
        acc = sums.get(key)
        if acc is None:
            acc = sums[key] = GroupSums(ncols, options.resamples, group_seed(options.seed, key))
        row_vec[:] = 0.0
        row_vec[0] = r.word_count
        row_vec[1] = 1.0
        total = 0
        for tech, n in r.counts.items():
            total += n
            c = col.get(tech)
            if c is not None and n > 0:
                row_vec[c] = n
                row_vec[c + 1] = 1.0
        if total:
            row_vec[2] = total
            row_vec[3] = 1.0
        acc.add(row_vec)
    for acc in sums.values():
        acc.flush()
    return _finish(sums, techs, col, options, copies, undated, model_version)


def _finish(sums: dict[tuple[str, str | None], GroupSums], techs: tuple[str, ...],
            col: dict[str, int], options: CompareOptions, copies: int, undated: int,
            model_version: str) -> Comparison:
    keys = sorted(sums, key=lambda k: (k[1] or "", -sums[k].articles, k[0]))
    if options.reference is not None and not any(k[0] == options.reference for k in keys):
        known = ", ".join(sorted({k[0] for k in keys})) or "none"
        raise ConfigError(f"reference group {options.reference!r} has no articles; groups: "
                          f"{known}")
    # Per time bucket (or the whole corpus), the sums the "rest" is derived from.
    bucket_totals: dict[str | None, GroupSums] = {}
    for k, acc in sums.items():
        tot = bucket_totals.get(k[1])
        if tot is None:
            tot = bucket_totals[k[1]] = GroupSums(acc.columns, 0, [0])
            tot.replicates = np.zeros_like(acc.replicates)
        tot.totals += acc.totals
        tot.replicates += acc.replicates
        tot.articles += acc.articles
    cells: list[Cell] = []
    groups: list[GroupSummary] = []
    for key in keys:
        acc = sums[key]
        groups.append(GroupSummary(key[0], key[1], acc.articles, int(acc.totals[0]),
                                   int(acc.totals[2])))
        other = _other(key, sums, bucket_totals, options.reference)
        for tech in techs:
            c = col[tech]
            for metric in METRICS:
                value = float(metric_values(acc.totals, c, c + 1, metric))
                reps = np.asarray(metric_values(acc.replicates, c, c + 1, metric))
                lo, hi = percentile_interval(reps, options.confidence) if options.resamples \
                    else (math.nan, math.nan)
                degenerate = bool(options.resamples) and is_degenerate(reps)
                diff = None
                if other is not None and options.resamples:
                    label, o_tot, o_reps, o_articles = other
                    o_values = np.asarray(metric_values(o_reps, c, c + 1, metric))
                    diff = difference(
                        value, float(metric_values(o_tot, c, c + 1, metric)), reps, o_values,
                        label, options.confidence)
                    if (min(acc.articles, o_articles) < options.min_articles or degenerate
                            or is_degenerate(o_values)):
                        diff = Difference(diff.against, diff.value, diff.low, diff.high,
                                          math.nan)
                cells.append(Cell(key[0], key[1], tech, metric,
                                  Estimate(value, lo, hi, degenerate), diff))
    _flag(cells, options)
    return Comparison(options, model_version, techs, groups, cells, copies, undated)


def _other(key: tuple[str, str | None], sums: dict[tuple[str, str | None], GroupSums],
           bucket_totals: dict[str | None, GroupSums], reference: str | None
           ) -> tuple[str, np.ndarray, np.ndarray, int] | None:
    """What a group is compared with: the reference group, or the rest of its bucket."""
    if reference is not None:
        ref = sums.get((reference, key[1]))
        if ref is None or key[0] == reference:
            return None
        return reference, ref.totals, ref.replicates, ref.articles
    tot = bucket_totals[key[1]]
    acc = sums[key]
    rest_articles = tot.articles - acc.articles
    if rest_articles <= 0:
        return None
    return "rest", tot.totals - acc.totals, tot.replicates - acc.replicates, rest_articles


def _flag(cells: list[Cell], options: CompareOptions) -> None:
    """Adjust p-values over the whole comparison and flag supported differences."""
    tested = [i for i, c in enumerate(cells) if c.difference is not None]
    raw = [cells[i].difference.p for i in tested]  # type: ignore[union-attr]
    adjusted = holm(raw) if options.correction == "holm" else list(raw)
    for i, p_adj in zip(tested, adjusted, strict=True):
        d = cells[i].difference
        assert d is not None
        flag = ""
        excludes_zero = (not math.isnan(d.low)) and (d.low > 0 or d.high < 0)
        if not math.isnan(p_adj) and p_adj < options.alpha and excludes_zero:
            flag = "higher" if d.value > 0 else "lower"
        cells[i] = Cell(cells[i].group, cells[i].bucket, cells[i].technique, cells[i].metric,
                        cells[i].estimate, Difference(d.against, d.value, d.low, d.high, d.p,
                                                      p_adj, flag))
