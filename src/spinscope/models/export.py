"""Export a training checkpoint to an int8 ONNX model bundle (needs the ``[train]`` extra).

``torch.onnx.export`` (TorchScript exporter, opset 17) of a wrapper that calls the
``BertModel`` with keyword arguments and returns sigmoid probabilities, then
``onnxruntime.quantization.quantize_dynamic`` (int8, per channel). Thresholds are then
calibrated with the int8 model itself on the calibration hold-out (``models.calibrate``),
and the manifest and model card are written.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import ModelError
from spinscope.models.labels import LabelSpace
from spinscope.models.trainset import TrainCorpus

log = logging.getLogger(__name__)

OPSET = 17
MIN_CALIBRATION_F1 = 0.05
AGREEMENT_TEXTS = (
    "The minister called the protesters a gang of traitors who will destroy the nation.",
    "Міністр назвав протестувальників зграєю зрадників, які знищать націю.",
    "Министр назвал протестующих бандой предателей, которые уничтожат страну.",
    "Der Minister sprach heute über den Haushalt des nächsten Jahres.",
)


def load_checkpoint(run_dir: Path) -> tuple[Any, Any, dict[str, Any]]:
    """(model in eval mode, TrainConfig, checkpoint dict) of a run's ``last.pt``."""
    import torch

    from spinscope.models.train import TrainConfig, build_model

    last = run_dir / "last.pt"
    if not last.exists():
        raise ModelError(f"{last} does not exist; train first (`spinscope train --out "
                         f"{run_dir}`)")
    raw = json.loads((run_dir / "config.json").read_text("utf-8"))
    names = {f.name for f in fields(TrainConfig)}
    cfg = TrainConfig(**{k: v for k, v in raw.items() if k in names})
    state = torch.load(last, weights_only=False, map_location="cpu")
    keep = np.load(run_dir / "keep_ids.npy")
    model = build_model(cfg, len(state["units"]), keep, len(keep))
    model.load_state_dict(state["model"])
    model.eval()
    return model, cfg, state


def _fit_tc_head(tagger: Any, calibration: Sequence[TrainCorpus],
                 covered: list[str]) -> dict[str, Any] | None:
    """The classification head, fitted on the gold spans of span-labelled hold-outs."""
    from spinscope.analyze.align import tokens_in
    from spinscope.models.tchead import fit_head

    examples = []
    label_set = "ptc"
    for c in calibration:
        if not c.spans_have_techniques:
            continue
        label_set = c.label_set
        for d, r in zip(c.documents, tagger.token_probs([d.text for d in c.documents]),
                        strict=True):
            for sp in d.spans:
                idx = tokens_in(r.stream, sp.start, sp.end)
                if sp.label is not None and len(idx):
                    examples.append((r.probs[idx], sp.label))
    return fit_head(examples, covered, load_taxonomy(), label_set)


def _commands(run_dir: Path, last: str) -> list[str]:
    """Every command line that trained the run (first start, then each resume)."""
    path = run_dir / "commands.txt"
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return [x for x in lines if x.strip()] or [last]


def _wrapper(model: Any) -> Any:
    import torch

    class ProbsModel(torch.nn.Module):
        def __init__(self, tagger: Any) -> None:
            super().__init__()
            self.tagger = tagger

        def forward(self, input_ids: torch.Tensor,
                    attention_mask: torch.Tensor) -> torch.Tensor:
            return torch.sigmoid(self.tagger(input_ids=input_ids,
                                             attention_mask=attention_mask))

    return ProbsModel(model).eval()


def export_onnx(model: Any, out: Path, quantize: bool = True) -> None:
    """Write ``out`` (int8 when ``quantize``) for inputs ``input_ids``/``attention_mask``."""
    import torch

    wrapped = _wrapper(model)
    ids = torch.tensor([[0, 4, 5, 6, 2], [0, 4, 5, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            wrapped, (ids, mask), str(fp32), dynamo=False, opset_version=OPSET,
            input_names=["input_ids", "attention_mask"], output_names=["probs"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                          "attention_mask": {0: "batch", 1: "tokens"},
                          "probs": {0: "batch", 1: "tokens"}})
        if not quantize:
            shutil.copyfile(fp32, out)
            return
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(out), per_channel=True, weight_type=QuantType.QInt8)


def agreement(model: Any, onnx_path: Path, tokenizer_path: Path) -> dict[str, float]:
    """Max and mean |p_onnx - p_torch| and decision agreement at 0.5 on fixed texts."""
    import onnxruntime as ort
    import torch
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    wrapped = _wrapper(model)
    diffs, agree = [], []
    for text in AGREEMENT_TEXTS:
        ids = np.array([tok.encode(text).ids], dtype=np.int64)
        mask = np.ones_like(ids)
        p_onnx = sess.run(["probs"], {"input_ids": ids, "attention_mask": mask})[0]
        with torch.no_grad():
            p_torch = wrapped(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
        diffs.append(np.abs(p_onnx - p_torch).ravel())
        agree.append(((p_onnx >= 0.5) == (p_torch >= 0.5)).ravel())
    d = np.concatenate(diffs)
    return {"max_abs_diff": float(d.max()), "mean_abs_diff": float(d.mean()),
            "decision_agreement": float(np.concatenate(agree).mean())}


def export_bundle(run_dir: Path, out_dir: Path, data_root: Path | None,
                  name: str = "spinscope-me5s",
                  calibration: Sequence[TrainCorpus] | None = None) -> dict[str, Any]:
    """Export, calibrate and document a bundle from a training run; returns the manifest.

    Calibration documents are the hold-out of ``load_corpora(data_root)`` unless given.
    """
    from spinscope.models.calibrate import calibrate
    from spinscope.models.card import write_model_card
    from spinscope.models.runtime import OnnxTagger, load_bundle
    from spinscope.models.trainset import load_corpora

    model, cfg, state = load_checkpoint(run_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    export_onnx(model, out_dir / "model.onnx")
    shutil.copyfile(run_dir / "tokenizer.json", out_dir / "tokenizer.json")
    tax = load_taxonomy()
    space = LabelSpace.of(tax)
    if list(state["units"]) != list(space.units):
        raise ModelError(f"checkpoint units differ from taxonomy {tax.id}; retrain")
    evidence = json.loads((run_dir / "evidence.json").read_text("utf-8"))
    manifest: dict[str, Any] = {
        "name": name, "version": f"{name}-{tax.id}-s{state['step']}",
        "taxonomy": tax.id, "units": list(space.units), "covered": list(state["covered"]),
        "thresholds": {u: 0.5 for u in space.units},
        "max_tokens": cfg.max_tokens, "stride": cfg.max_tokens // 4,
        "files": ["model.onnx", "tokenizer.json", "MODEL_CARD.md"],
        "training": {
            "data": ["PTC v2 train minus 10% calibration articles",
                     "SemEval-2021 task 6 train+dev", "UNLP-2025 train-fit minus 10% "
                     "calibration posts"],
            "seed": cfg.seed, "command": cfg.command, "steps": state["step"],
            "commands": _commands(run_dir, cfg.command),
            "total_steps": state["total"], "config": {f.name: getattr(cfg, f.name)
                                                      for f in fields(cfg)
                                                      if f.name not in ("command", "extra")},
            "evidence": evidence["counts"]},
        "license": "CC BY-NC-SA 4.0 (inherits the UNLP-2025 data licence)",
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    manifest["onnx_vs_torch"] = agreement(model, out_dir / "model.onnx",
                                          out_dir / "tokenizer.json")
    if calibration is None:
        if data_root is None:
            raise ModelError("export needs calibration data: pass the shared data folder")
        _, calibration = load_corpora(data_root)
    tagger = OnnxTagger(load_bundle(out_dir))
    thresholds, cal_report = calibrate(tagger, calibration, tax, space, manifest["covered"])
    # Covered = emitted: a technique needs held-out evidence that the model finds it.
    weak = [t for t in manifest["covered"]
            if cal_report.get(t, {}).get("f1", 0.0) < MIN_CALIBRATION_F1]
    for t in weak:
        thresholds[t] = 1.0
        cal_report[t] = {**cal_report.get(t, {}), "dropped": f"calibration F1 below "
                         f"{MIN_CALIBRATION_F1} (or none): not covered"}
    manifest["covered"] = [t for t in manifest["covered"] if t not in weak]
    manifest["thresholds"] = thresholds
    manifest["calibration"] = cal_report
    manifest["tc_head"] = _fit_tc_head(tagger, calibration, manifest["covered"])
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    write_model_card(out_dir, manifest)
    log.info("bundle %s written (%.1f MB)", out_dir,
             (out_dir / "model.onnx").stat().st_size / 1e6)
    return manifest
