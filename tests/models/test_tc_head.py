"""The stacked technique-classification head: fit on separable spans, predict them back."""

from __future__ import annotations

import numpy as np

from spinscope.core.taxonomy import load_taxonomy
from spinscope.models.tchead import fit_head, head_scores, span_features


def _span(unit: int, rng: np.random.Generator, units: int = 24) -> np.ndarray:
    p = rng.uniform(0.01, 0.1, size=(int(rng.integers(1, 6)), units))
    p[:, unit] = rng.uniform(0.3, 0.6, size=len(p))
    return p


def test_head_learns_and_maps_merged_labels() -> None:
    tax = load_taxonomy()
    rng = np.random.default_rng(0)
    ll, nc = 1 + tax.index("Loaded_Language"), 1 + tax.index("Name_Calling-Labeling")
    wh = 1 + tax.index("Whataboutism")
    ex = [(_span(ll, rng), "Loaded_Language") for _ in range(40)]
    ex += [(_span(nc, rng), "Name_Calling,Labeling") for _ in range(40)]
    ex += [(_span(wh, rng), "Whataboutism,Straw_Men,Red_Herring") for _ in range(20)]
    covered = ["Loaded_Language", "Name_Calling-Labeling", "Whataboutism"]
    head = fit_head(ex, covered, tax, "ptc")
    assert head is not None and set(head["classes"]) == set(covered)
    for unit, name in ((ll, "Loaded_Language"), (wh, "Whataboutism")):
        scores = head_scores(head, _span(unit, rng))
        assert max(scores, key=lambda t: scores[t]) == name
        assert abs(sum(scores.values()) - 1) < 1e-6
    assert fit_head(ex[:10], covered, tax, "ptc") is None


def test_span_features_are_finite() -> None:
    f = span_features(np.array([[0.0, 1.0, 0.5]]))
    assert f.shape == (7,) and np.all(np.isfinite(f))
