"""`spinscope recalibrate-decoding`: a bundle's span decoding is chosen again on
calibration documents, per language, and the runtime decodes with it (core trimming)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from spinscope.analyze.detector import SpanDetector
from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.corpora.base import GoldDocument
from spinscope.models.runtime import OnnxTagger, load_bundle
from spinscope.models.trainset import TrainCorpus

pytest.importorskip("onnx")


@pytest.fixture()
def bundle(tmp_path: Path) -> Path:
    from spinscope.models.fake import write_fake_bundle

    return write_fake_bundle(tmp_path / "bundle")


def _gold(i: int, text: str, phrase: str) -> GoldDocument:
    a = text.index(phrase)
    return GoldDocument(Document(f"d{i}", text), (Span(a, a + len(phrase)),), ())


def test_detector_trims_runs_to_their_core(bundle: Path) -> None:
    manifest = json.loads((bundle / "manifest.json").read_text())
    text = "the nation and the corrupt traitors are the nation"
    spans = {}
    for core in (0.0, 0.5):
        # low 0.01: every token (0.018 off-trigger) joins the run around the triggers (0.98)
        manifest["any_decoding"] = {"default": {"low": 0.01, "peak": 0.9, "core": core}}
        (bundle / "manifest.json").write_text(json.dumps(manifest))
        det = SpanDetector(tagger=OnnxTagger(load_bundle(bundle)))
        spans[core] = [text[s.start:s.end] for s in det.identify([text])[0]]
    assert spans == {0.0: [text], 0.5: ["corrupt traitors"]}


def test_recalibration_picks_the_decoding_that_fits_the_gold(bundle: Path,
                                                              tmp_path: Path) -> None:
    from spinscope.models.calibrate import recalibrate_decoding
    from spinscope.models.runtime import load_bundle as load

    texts = [f"the nation and the corrupt traitors are the nation {i}" for i in range(6)]
    ptc = TrainCorpus("ptc-cal", "ptc", [_gold(i, t, "corrupt traitors")
                                         for i, t in enumerate(texts)], True)
    unlp = TrainCorpus("unlp-cal", "unlp2025", [_gold(10 + i, f"Це зрада {i}.", "зрада")
                                                for i in range(4)], False)
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["calibration"] = {"any": {"f1": 0.1, "decoding": {"default": {
        "low": 0.01, "peak": 0.9, "split_sentences": False, "f1": 0.1}}}}
    manifest["any_decoding"] = {"default": {"low": 0.01, "peak": 0.9}}
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)

    decoding = recalibrate_decoding(copy, [ptc, unlp], "spinscope recalibrate-decoding X")
    assert set(decoding) == {"en", "uk", "ru", "default"}
    assert decoding["en"]["f1"] == 1.0 and decoding["uk"]["f1"] == 1.0
    new = json.loads((copy / "manifest.json").read_text())
    assert set(new["any_decoding"]["en"]) == {"low", "peak", "split_sentences", "core"}
    record = new["calibration"]["any"]["recalibrated"]
    assert record["command"] == "spinscope recalibrate-decoding X"
    assert record["previous_decoding"]["default"]["low"] == 0.01
    card = (copy / "MODEL_CARD.md").read_text()
    assert "trimmed to core" in card and "`spinscope recalibrate-decoding X`" in card
    # The model file is untouched and the runtime decodes exactly the gold phrase.
    assert (copy / "model.onnx").read_bytes() == (bundle / "model.onnx").read_bytes()
    det = SpanDetector(tagger=OnnxTagger(load(copy)))
    text = texts[0]
    assert [text[s.start:s.end] for s in det.identify([text])[0]] == ["corrupt traitors"]
