"""Comparison statistics: estimates, interval coverage, flags, copies, seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinscope.analyze.records import AnalysisRow
from spinscope.compare import ALL, CompareOptions, bucket_of, compare_rows, holm
from spinscope.errors import ConfigError

T = ("Loaded_Language", "Doubt")


def _rows(rng: np.random.Generator, n: int, outlet: str, ll_per_1k: float,
          start: int = 0) -> list[AnalysisRow]:
    out = []
    for i in range(n):
        words = int(rng.integers(150, 900))
        ll = int(rng.poisson(ll_per_1k * words / 1000))
        doubt = int(rng.poisson(0.3))
        out.append(AnalysisRow(f"{outlet}-{start + i}", "v", words,
                               {"Loaded_Language": ll, "Doubt": doubt}, outlet=outlet,
                               lang="en", published=f"2031-03-{i % 28 + 1:02d}"))
    return out


def test_point_estimates_are_ratios_of_sums() -> None:
    rows = [AnalysisRow("a", "v", 100, {"Doubt": 2}, outlet="x"),
            AnalysisRow("b", "v", 300, {}, outlet="x"),
            AnalysisRow("c", "v", 600, {"Doubt": 1, "Loaded_Language": 3}, outlet="x")]
    c = compare_rows(rows, T, CompareOptions(resamples=50))
    assert c.cell("x", "Doubt", "rate").estimate.value == pytest.approx(3.0)  # 3 / 1000 words
    assert c.cell("x", "Doubt", "share").estimate.value == pytest.approx(2 / 3)
    assert c.cell("x", ALL, "rate").estimate.value == pytest.approx(6.0)
    assert c.cell("x", ALL, "share").estimate.value == pytest.approx(2 / 3)
    assert c.cell("x", "Loaded_Language", "share").estimate.value == pytest.approx(1 / 3)
    assert c.summary("x").words == 1000


def test_intervals_cover_the_true_rate() -> None:
    rng = np.random.default_rng(7)
    hits = 0
    trials = 60
    for k in range(trials):
        rows = _rows(rng, 80, "x", 4.0)
        c = compare_rows(rows, T, CompareOptions(resamples=300, seed=k))
        e = c.cell("x", "Loaded_Language", "rate").estimate
        hits += e.low <= 4.0 <= e.high
    assert 0.85 <= hits / trials <= 1.0  # nominal 95%


def test_real_differences_are_flagged_and_null_ones_are_not() -> None:
    rng = np.random.default_rng(3)
    rows = _rows(rng, 150, "calm", 2.0) + _rows(rng, 150, "same", 2.0) + \
        _rows(rng, 150, "loud", 6.0)
    c = compare_rows(rows, T, CompareOptions(resamples=400))
    assert c.cell("loud", "Loaded_Language", "rate").difference.flag == "higher"
    assert c.cell("loud", "Loaded_Language", "share").difference is not None
    flagged = {(x.group, x.technique, x.metric) for x in c.flagged}
    assert not any(t == "Doubt" for _, t, _ in flagged)  # Doubt is the same everywhere
    assert ("loud", "Loaded_Language", "rate") in flagged


def test_small_groups_are_never_flagged() -> None:
    rng = np.random.default_rng(5)
    rows = _rows(rng, 4, "tiny", 50.0) + _rows(rng, 200, "big", 1.0)
    c = compare_rows(rows, T, CompareOptions(resamples=200, min_articles=5))
    d = c.cell("tiny", "Loaded_Language", "rate").difference
    assert d is not None and d.flag == "" and math.isnan(d.p)


def test_copies_are_counted_once() -> None:
    rows = [AnalysisRow("a", "v", 100, {"Doubt": 1}, outlet="wire"),
            AnalysisRow("b", "v", 100, {"Doubt": 1}, outlet="paper", dup_of="a"),
            AnalysisRow("c", "v", 100, {}, outlet="paper")]
    c = compare_rows(rows, T, CompareOptions(resamples=10))
    assert c.copies_left_out == 1
    assert c.summary("paper").articles == 1
    assert c.cell("paper", "Doubt", "rate").estimate.value == 0.0
    with_copies = compare_rows(rows, T, CompareOptions(resamples=10, include_copies=True))
    assert with_copies.summary("paper").articles == 2


def test_same_seed_same_numbers_and_groups_do_not_interact() -> None:
    rng = np.random.default_rng(11)
    base = _rows(rng, 60, "a", 3.0) + _rows(rng, 60, "b", 3.0)
    extra = _rows(rng, 60, "c", 3.0)
    one = compare_rows(base, T, CompareOptions(resamples=100, seed=1))
    two = compare_rows(base, T, CompareOptions(resamples=100, seed=1))
    three = compare_rows(base + extra, T, CompareOptions(resamples=100, seed=1))
    other = compare_rows(base, T, CompareOptions(resamples=100, seed=2))
    e1 = one.cell("a", "Loaded_Language", "rate").estimate
    assert e1 == two.cell("a", "Loaded_Language", "rate").estimate
    assert e1 == three.cell("a", "Loaded_Language", "rate").estimate
    assert e1 != other.cell("a", "Loaded_Language", "rate").estimate


def test_reference_group_and_time_buckets() -> None:
    rng = np.random.default_rng(2)
    rows = _rows(rng, 100, "wire", 1.0) + _rows(rng, 100, "tabloid", 8.0)
    c = compare_rows(rows, T, CompareOptions(resamples=200, reference="wire"))
    d = c.cell("tabloid", "Loaded_Language", "rate").difference
    assert d is not None and d.against == "wire" and d.flag == "higher"
    assert c.cell("wire", "Loaded_Language", "rate").difference is None
    with pytest.raises(ConfigError, match="reference group"):
        compare_rows(rows, T, CompareOptions(resamples=10, reference="nobody"))
    by_week = compare_rows(rows, T, CompareOptions(by="outlet", over="week", resamples=20))
    assert {g.bucket for g in by_week.groups} == {"2031-W09", "2031-W10", "2031-W11",
                                                  "2031-W12", "2031-W13"}


def test_bucket_names_and_bad_options() -> None:
    assert bucket_of("2031-03-17T10:00:00+00:00", "month") == "2031-03"
    assert bucket_of("2031-03-17", "week") == "2031-W12"
    assert bucket_of("2031-03-17", "day") == "2031-03-17"
    assert bucket_of(None, "week") == "(no date)"
    with pytest.raises(ConfigError, match="cannot compare by"):
        CompareOptions(by="colour")
    with pytest.raises(ConfigError):
        CompareOptions(confidence=1.5)


def test_holm_matches_hand_computation() -> None:
    adjusted = holm([0.01, 0.04, 0.03, float("nan")])
    assert adjusted[:3] == pytest.approx([0.03, 0.06, 0.06])
    assert math.isnan(adjusted[3])


def test_degenerate_groups_are_not_tested() -> None:
    rng = np.random.default_rng(9)
    rows = _rows(rng, 60, "busy", 6.0)
    rows += [AnalysisRow(f"q{i}", "v", 400, {}, outlet="quiet") for i in range(8)]
    c = compare_rows(rows, T, CompareOptions(resamples=200))
    share = c.cell("quiet", "Loaded_Language", "share")
    assert share.estimate.degenerate and share.estimate.value == 0.0
    assert share.difference is not None and share.difference.flag == ""
    assert math.isnan(share.difference.p)
    assert not c.cell("busy", "Loaded_Language", "rate").estimate.degenerate
