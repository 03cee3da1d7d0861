"""Evaluation gate: the packaged model on fixed slices of PTC dev (SI, TC) and UNLP
train-heldout (SI).

Floors sit a little below the figures measured when the bundle was committed (see
MODEL_CARD.md). Never lower a floor silently: a lower floor needs a new model card entry.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.models.runtime import bundle_dir, is_complete

pytestmark = [pytest.mark.model, pytest.mark.shared, pytest.mark.slow]

# Measured with s1229 (first export): 0.425 and 0.470 (floors were 0.39, 0.44).
# Measured with s1229-e2 (heads, per-language decoding): 0.4245, 0.4880, TC 0.4599.
# Measured with s4140-e2 (continued training): 0.4265, 0.5702, TC 0.4540 (UNLP floor raised).
# s4140-e2 with core-trimmed decoding (recalibrate-decoding): 0.4561, 0.5682, TC 0.4540
# (SI floor raised 0.41 -> 0.44).
FLOORS = {"ptc-dev-si-first20": 0.44, "unlp-heldout-si-first120": 0.54,
          "ptc-dev-tc-first20": 0.43}

if not is_complete(bundle_dir()):
    pytest.skip("no packaged model bundle", allow_module_level=True)


def _si(detector, docs) -> float:  # type: ignore[no-untyped-def]
    from spinscope.metrics.spans import si_scores

    pred = dict(zip([d.id for d in docs], detector.identify([d.text for d in docs]),
                    strict=True))
    gold = {d.id: list(d.spans) for d in docs}
    return si_scores(pred, gold, merge_predictions=True).f1


def _tc(detector, docs) -> float:  # type: ignore[no-untyped-def]
    """Accuracy of naming the gold spans (a PTC class counts as its first technique)."""
    from spinscope.baselines.labels import ptc_to_technique

    right = total = 0
    for d in docs:
        spans = [s for s in d.spans if s.label]
        for s, got in zip(spans, detector.classify(d.text, spans), strict=True):
            right += got == ptc_to_technique(str(s.label))
            total += 1
    return right / total


def test_gate(shared_data: Path) -> None:
    from spinscope.analyze.detector import SpanDetector
    from spinscope.corpora.ptc import read_ptc, read_ptc_si
    from spinscope.corpora.unlp2025 import read_unlp2025

    det = SpanDetector(threads=2)
    root = shared_data / "ptc_semeval2020_task11"
    ptc = read_ptc_si(root, "dev").documents[:20]
    unlp = read_unlp2025(shared_data / "unlp2025_manipulation", "train-heldout").documents
    got = {"ptc-dev-si-first20": _si(det, ptc), "unlp-heldout-si-first120": _si(det, unlp[:120]),
           "ptc-dev-tc-first20": _tc(det, read_ptc(root, "dev").documents[:20])}
    print(got)
    for key, floor in FLOORS.items():
        assert got[key] >= floor, f"{key}: {got[key]:.4f} < floor {floor}"
