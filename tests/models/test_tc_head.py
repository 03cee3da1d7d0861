"""Technique-classification heads: fit on separable spans, predict them back, round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spinscope.core.span import Span
from spinscope.models.tchead import SpanExample, TcHeads, fit_heads, span_features

UNITS, HIDDEN = 24, 8
WORDS = {"Loaded_Language": "outrageous shameful disgusting",
         "Name_Calling-Labeling": "traitors thugs puppets",
         "Doubt": "allegedly supposedly questionable"}


def _features(unit: int, rng: np.random.Generator, signal: float) -> np.ndarray:
    k = int(rng.integers(1, 6))
    p = rng.uniform(0.01, 0.1, size=(k, UNITS))
    p[:, unit] = rng.uniform(0.1, 0.1 + signal, size=k)
    h = rng.normal(size=(k, HIDDEN)).astype(np.float16)
    h[:, unit % HIDDEN] += signal
    return span_features(p, h)


def _examples(n: int, rng: np.random.Generator, signal: float, prefix: str,
              lexical: bool = True) -> list[SpanExample]:
    out = []
    for i in range(n):
        label = list(WORDS)[i % 3]
        words = WORDS[label].split()
        phrase = f"the {words[i % 3]} ones" if lexical else "the same ones"
        text = f"Line one of article {i}.\nThey say {phrase} did it.\n"
        a = text.index(phrase)
        out.append(SpanExample(f"{prefix}{i // 4}", text, Span(a, a + len(phrase)), label,
                               _features(1 + i % 3, rng, signal)))
    return out


def test_neural_and_english_heads_learn_and_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    # Weak tagger signal, strong lexical signal: the English head must beat the neural one.
    train, cal = _examples(150, rng, 0.05, "t"), _examples(60, rng, 0.05, "c")
    fitted = fit_heads(train, cal)
    assert fitted is not None
    heads, report = fitted
    assert sorted(heads.classes) == sorted(WORDS)
    assert report["english"]["kept"] is True
    assert report["english"]["calibration_accuracy"] > report["neural"]["calibration_accuracy"]
    assert report["english"]["calibration_accuracy"] >= 0.9
    feats = np.stack([e.features for e in cal])
    text = cal[0].text
    p_en = heads.scores(text, [cal[0].span], feats[:1], "en")
    p_ru = heads.scores(text, [cal[0].span], feats[:1], "ru")
    assert p_en.shape == p_ru.shape == (1, 3)
    assert np.allclose(p_en.sum(1), 1, atol=1e-5) and np.allclose(p_ru.sum(1), 1, atol=1e-5)
    assert heads.classes[int(p_en.argmax())] == cal[0].label
    heads.save(tmp_path / "heads.npz")
    again = TcHeads.load(tmp_path / "heads.npz")
    assert again.classes == heads.classes
    assert np.allclose(again.scores(text, [cal[0].span], feats[:1], "en"), p_en, atol=1e-6)
    assert again.scores(text, [], feats[:0], "en").shape == (0, 3)


def test_english_head_kept_only_when_it_beats_the_neural_head() -> None:
    rng = np.random.default_rng(1)
    # The same words for every class: no lexical signal, a strong tagger signal.
    train = _examples(150, rng, 3.0, "t", lexical=False)
    cal = _examples(60, rng, 3.0, "c", lexical=False)
    fitted = fit_heads(train, cal)
    assert fitted is not None
    heads, report = fitted
    assert report["neural"]["calibration_accuracy"] >= 0.9
    assert report["english"]["kept"] == (heads.english is not None)
    if heads.english is not None:
        assert (report["english"]["calibration_accuracy"]
                > report["neural"]["calibration_accuracy"])


def test_too_few_examples_fit_nothing() -> None:
    rng = np.random.default_rng(2)
    assert fit_heads(_examples(20, rng, 1.0, "t"), []) is None


def test_span_features_are_finite() -> None:
    f = span_features(np.array([[0.0, 1.0, 0.5]]), np.zeros((1, 4), dtype=np.float16))
    assert f.shape == (7 + 8,) and np.all(np.isfinite(f))
