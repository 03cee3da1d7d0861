"""The packaged model bundle: loads, is small, agrees with itself across batching."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.models.runtime import OnnxTagger, bundle_dir, is_complete, load_bundle

pytestmark = pytest.mark.model

BUNDLE = bundle_dir()
if not is_complete(BUNDLE):
    pytest.skip(f"no packaged model bundle at {BUNDLE}", allow_module_level=True)


@pytest.fixture(scope="module")
def tagger() -> OnnxTagger:
    return OnnxTagger(load_bundle(BUNDLE), threads=2)


def test_bundle_is_small_and_documented() -> None:
    size = sum(p.stat().st_size for p in BUNDLE.iterdir() if p.is_file())
    assert size <= 60_000_000
    card = (BUNDLE / "MODEL_CARD.md").read_text("utf-8")
    assert "CC BY-NC-SA 4.0" in card and "not covered" in card
    b = load_bundle(BUNDLE)
    assert "Appeal_to_Time" not in b.covered  # no training data for it
    assert all(b.thresholds[t] <= 1.0 for t in b.covered)
    # Heads, per-language decoding and labelling, all chosen on the calibration hold-out.
    assert (BUNDLE / b.manifest["tc_heads"]["file"]).is_file()
    assert set(b.manifest["labelling"]) >= {"en", "uk", "ru", "default"}
    assert all(0 < d["low"] <= d["peak"] < 1 for d in b.manifest["any_decoding"].values())
    assert "classification heads" in card.lower()


def test_padding_and_batching_do_not_change_probabilities(tagger: OnnxTagger) -> None:
    short = "Вони зрадники і брехуни."
    long = "The minister said the talks would resume next week in the capital. " * 12
    alone = tagger.token_probs([short])[0].probs
    batched = tagger.token_probs([long, short, "Ok."])[1].probs
    assert np.allclose(alone, batched, atol=1e-5)


def test_analyze_en_ru_uk() -> None:
    from spinscope.analyze.api import AnalyzeOptions, analyze_many

    texts = ["These corrupt traitors will destroy our great nation!",
             "Эти продажные предатели уничтожат нашу великую страну!",
             "Ці продажні зрадники знищать нашу велику країну!"]
    for text, a in zip(texts, analyze_many(texts, AnalyzeOptions(threads=2)), strict=True):
        assert a.model_version == load_bundle(BUNDLE).version
        for s in a.spans:
            assert 0 <= s.start < s.end <= len(text) and s.label in load_bundle(BUNDLE).covered
