"""Bundle loading, windowed inference, the detector and ``analyze`` on a fake ONNX model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from spinscope.analyze.api import AnalyzeOptions, analyze, analyze_many
from spinscope.analyze.detector import SpanDetector, blocks
from spinscope.errors import ModelError, PipelineError
from spinscope.models.predictor import Predictor
from spinscope.models.runtime import OnnxTagger, load_bundle

pytest.importorskip("onnx")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from spinscope.models.fake import write_fake_bundle

    return write_fake_bundle(tmp_path_factory.mktemp("fake") / "bundle")


@pytest.fixture(scope="module")
def detector(bundle: Path) -> SpanDetector:
    return SpanDetector(tagger=OnnxTagger(load_bundle(bundle)))


def test_label_set_is_checked(bundle: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in ("model.onnx", "tokenizer.json"):
        (bad / f).write_bytes((bundle / f).read_bytes())
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["units"] = manifest["units"][:-1]
    (bad / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="technique list differs"):
        load_bundle(bad)
    with pytest.raises(ModelError, match="lacks"):
        load_bundle(tmp_path / "missing")


def test_detector_is_a_predictor(detector: SpanDetector) -> None:
    assert isinstance(detector, Predictor)
    assert detector.version == "fake-0"
    assert "Loaded_Language" in detector.techniques


def test_windows_do_not_change_token_probabilities(detector: SpanDetector) -> None:
    # The fake model scores each token alone, so any windowing must give identical results.
    text = " ".join(["the nation is corrupt and they are traitors."] * 30)
    long = detector.tagger.token_probs([text])[0]
    single = detector.tagger.token_probs(["corrupt"])[0]
    i = int(np.flatnonzero(long.probs[:, 0] > 0.5)[0])
    assert np.allclose(long.probs[i], single.probs[0], atol=1e-6)
    assert len(long.stream) > 3 * detector.bundle.max_tokens


def test_parallel_windows_give_the_same_probabilities(bundle: Path) -> None:
    """Windows run one per thread (single-threaded operators) or one at a time on all
    threads: the same numbers, in the same order, however many windows are in flight."""
    texts = [" ".join([f"text {k}: the nation is corrupt, they are traitors."] * (5 + 9 * k))
             for k in range(6)]
    serial = OnnxTagger(load_bundle(bundle), threads=2, parallel_windows=False)
    parallel = OnnxTagger(load_bundle(bundle), threads=2)
    assert (serial.workers, parallel.workers) == (1, 2)
    calls: list[int] = []
    run = parallel._run

    def counting(*args: object) -> object:
        calls.append(1)
        return run(*args)  # type: ignore[arg-type]

    parallel._run = counting  # type: ignore[method-assign,assignment]
    a = serial.token_probs(texts)
    b = parallel.token_probs(texts)
    assert len(calls) > 4 * parallel.workers  # more windows than the look-ahead bound
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(x.stream.ids, y.stream.ids)
        assert np.array_equal(x.probs, y.probs)


def test_parallel_windows_survive_a_fork(bundle: Path) -> None:
    """A worker forked after the parent ran windows in parallel (a thread pool the child
    does not have) starts its own pool instead of waiting forever."""
    import multiprocessing

    tagger = OnnxTagger(load_bundle(bundle), threads=2)
    text = " ".join(["they are traitors."] * 200)
    want = tagger.token_probs([text])[0].probs  # the parent's pool now exists
    _FORKED["tagger"] = tagger
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(_probs_in_child, (text,)).get(timeout=60)
    assert np.array_equal(want, got)


_FORKED: dict[str, OnnxTagger] = {}


def _probs_in_child(text: str) -> np.ndarray:
    return _FORKED["tagger"].token_probs([text])[0].probs


def test_detect_identify_classify(detector: SpanDetector) -> None:
    text = "\ufeffThey are corrupt traitors.\r\nOur nation 😀 is fine."
    (spans,) = detector.detect([text])
    got = {(text[s.start:s.end], s.label) for s in spans}
    assert got == {("corrupt", "Loaded_Language"), ("traitors", "Name_Calling-Labeling")}
    assert all(s.model_version == "fake-0" and 0 <= (s.score or 0) <= 1 for s in spans)
    (any_spans,) = detector.identify([text])
    assert [text[s.start:s.end] for s in any_spans] == ["corrupt traitors"]
    assert all(s.label is None for s in any_spans)
    labels = detector.classify(text, [spans[1], spans[0]])
    assert labels == [spans[1].label, spans[0].label]


def test_units_labelling_names_any_spans(bundle: Path, tmp_path: Path) -> None:
    """A bundle with a labelling choice: each "any" span gets every technique unit that
    reaches its threshold on it (techniques may overlap), with per-language thresholds."""
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["version"] = "fake-units"
    manifest["thresholds"] |= {"Loaded_Language": 0.5, "Name_Calling-Labeling": 0.9}
    manifest["labelling"] = {"default": "units"}
    manifest["any_decoding"] = {"default": {"low": 0.5, "peak": 0.9}}
    manifest["thresholds_by_language"] = {"uk": {"Loaded_Language": 0.99}}
    folder = tmp_path / "units"
    folder.mkdir()
    for f in ("model.onnx", "tokenizer.json", "MODEL_CARD.md"):
        (folder / f).write_bytes((bundle / f).read_bytes())
    (folder / "manifest.json").write_text(json.dumps(manifest))
    det = SpanDetector(tagger=OnnxTagger(load_bundle(folder)))
    text = "They are corrupt traitors."
    (spans,) = det.detect([text])
    # Both units reach their thresholds somewhere in the "any" run: two overlapping spans
    # with the run's extent (not one span per trigger word, as independent decoding gives).
    assert [(text[s.start:s.end], s.label) for s in spans] == [
        ("corrupt traitors", "Loaded_Language"), ("corrupt traitors", "Name_Calling-Labeling")]
    assert spans[0].score == det.identify([text])[0][0].score
    # Ukrainian text: Loaded_Language needs 0.99 there, so "зрада" (a Loaded_Language
    # trigger only) passes no threshold and is not emitted, though it is an "any" span.
    uk = "Це зрада і зрадники."
    (uk_spans,) = det.detect([uk])
    assert [(uk[s.start:s.end], s.label) for s in uk_spans] == [
        ("зрадники", "Name_Calling-Labeling")]
    assert [uk[s.start:s.end] for s in det.identify([uk])[0]] == ["зрада", "зрадники"]


def test_batch_order_is_kept(detector: SpanDetector) -> None:
    texts = ["a b c " * 50 + "traitors", "corrupt", "", "nothing here"]
    out = detector.detect(texts)
    assert [[s.label for s in sp] for sp in out] == [
        ["Name_Calling-Labeling"], ["Loaded_Language"], [], []]


def test_long_text_is_cut_into_blocks() -> None:
    text = ("word " * 9000 + "\n") * 3
    parts = list(blocks(0, text, size=20_000))
    assert "".join(b.text for b in parts) == text
    assert all(len(b.text) <= 20_000 for b in parts)


def test_analyze_paragraphs_counts_and_density(bundle: Path) -> None:
    opts = AnalyzeOptions(bundle=str(bundle))
    a = analyze("They are corrupt.\n\nThe nation is calm.\nTraitors! traitors", opts)
    assert [p.techniques for p in a.paragraphs] == [
        ("Loaded_Language",), (), ("Name_Calling-Labeling",)]
    assert a.counts() == {"Loaded_Language": 1, "Name_Calling-Labeling": 1}
    assert a.density()["Loaded_Language"] == pytest.approx(1000 / 9)  # 9 words
    many = analyze_many(["corrupt", "calm"], opts)
    assert [len(x.spans) for x in many] == [1, 0]


@pytest.mark.parametrize("text", ["", "   \n\t ", "x" * 50_000, "https://" + "a/" * 5000,
                                  "no punctuation at all just words " * 400,
                                  "mixed Київ corrupt 東京 ذهب \x00\x07 text"])
def test_bad_input_gives_a_result(bundle: Path, text: str) -> None:
    a = analyze(text, AnalyzeOptions(bundle=str(bundle)))
    for s in a.spans:
        assert 0 <= s.start < s.end <= len(text)


def test_bad_input_gives_a_clear_error(bundle: Path) -> None:
    opts = AnalyzeOptions(bundle=str(bundle), max_chars=100)
    with pytest.raises(PipelineError, match="limit"):
        analyze("x" * 101, opts)
    with pytest.raises(PipelineError, match="bytes"):
        analyze(b"corrupt", opts)  # type: ignore[arg-type]


def test_analysis_does_not_import_torch(bundle: Path) -> None:
    code = ("import sys, spinscope; a = spinscope.analyze('they are corrupt'); "
            "assert a.spans, a; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"SPINSCOPE_MODEL": str(bundle), "PATH": "/usr/bin:/bin"},
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
