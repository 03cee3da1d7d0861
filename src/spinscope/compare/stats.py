"""Estimates, bootstrap intervals, differences and multiple-comparison correction.

Two metrics per group and technique:

- ``rate``: spans per 1,000 words, a ratio of sums (all spans of the group's articles over
  all their words), so long articles weigh by their length, as in a corpus linguist's
  normalised frequency;
- ``share``: the fraction of the group's articles with at least one span of the technique.

Intervals are bootstrap percentiles over articles (see ``bootstrap``). A difference between
two groups is judged on the bootstrap distribution of the difference: its percentile interval
must exclude 0 *and* its p-value (normal approximation with the bootstrap standard error),
after Holm's correction over every test of the comparison, must be below alpha. A side whose
resamples never vary (no article, or every article, uses the technique) is not tested: the
percentile bootstrap cannot bound a proportion at 0 or 1, so "0% [0%–0%]" would look far
more certain than a few articles allow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "Difference",
    "Estimate",
    "Metric",
    "holm",
    "is_degenerate",
    "metric_values",
    "percentile_interval",
]

Metric = Literal["rate", "share"]
METRICS: tuple[Metric, ...] = ("rate", "share")


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate and its interval. ``degenerate``: every resample gave the same value
    (no article, or every article, uses the technique), so the interval says nothing."""

    value: float
    low: float
    high: float
    degenerate: bool = False

    def to_dict(self) -> dict[str, float | bool | None]:
        return {"value": _num(self.value), "low": _num(self.low), "high": _num(self.high),
                "degenerate": self.degenerate}


@dataclass(frozen=True, slots=True)
class Difference:
    """``group - against`` for one metric and technique, with its test."""

    against: str
    value: float
    low: float
    high: float
    p: float
    p_adjusted: float = float("nan")
    flag: str = ""  # "higher" | "lower" | "" (not supported by the intervals)

    def to_dict(self) -> dict[str, object]:
        return {"against": self.against, "value": _num(self.value), "low": _num(self.low),
                "high": _num(self.high), "p": _num(self.p),
                "p_adjusted": _num(self.p_adjusted), "flag": self.flag}


def _num(x: float) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


def metric_values(sums: np.ndarray, count_col: int, has_col: int,
                  metric: Metric) -> np.ndarray | float:
    """The metric from column sums: one row of totals, or a (B, columns) replicate matrix."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if metric == "rate":
            return 1000.0 * sums[..., count_col] / sums[..., 0]
        return sums[..., has_col] / sums[..., 1]


def percentile_interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    """Percentile bootstrap interval, ignoring undefined resamples (no articles drawn)."""
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return float("nan"), float("nan")
    tail = (1.0 - confidence) / 2.0 * 100.0
    lo, hi = np.percentile(finite, [tail, 100.0 - tail])
    return float(lo), float(hi)


def is_degenerate(values: np.ndarray) -> bool:
    """All finite resampled values equal: the bootstrap has no spread to work with."""
    finite = values[np.isfinite(values)]
    return finite.size < 2 or bool(np.ptp(finite) == 0.0)


def difference(value_a: float, value_b: float, reps_a: np.ndarray, reps_b: np.ndarray,
               against: str, confidence: float) -> Difference:
    """Observed difference, its percentile interval and a two-sided p-value."""
    d = value_a - value_b
    diff = reps_a - reps_b
    lo, hi = percentile_interval(diff, confidence)
    finite = diff[np.isfinite(diff)]
    if finite.size < 2 or math.isnan(d):
        return Difference(against, d, lo, hi, float("nan"))
    se = float(np.std(finite, ddof=1))
    # Two-sided normal p-value from the bootstrap standard error; se 0 = no variation at all.
    p = (1.0 if d == 0 else 0.0) if se == 0.0 else math.erfc(abs(d) / se / math.sqrt(2.0))
    return Difference(against, d, lo, hi, p)


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (NaN stays NaN and does not count as a test)."""
    idx = [i for i, p in enumerate(pvalues) if not math.isnan(p)]
    order = sorted(idx, key=lambda i: pvalues[i])
    m = len(order)
    out = [float("nan")] * len(pvalues)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        out[i] = running
    return out
