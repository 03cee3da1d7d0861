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
from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import ModelError
from spinscope.models.labels import LabelSpace, covered_techniques
from spinscope.models.runtime import tokenizer_path
from spinscope.models.trainset import TrainCorpus

log = logging.getLogger(__name__)

OPSET = 17
# Bumped when the exported graph or the bundle's decoding changes for the same weights, so
# results of a re-exported bundle never share a version with the old one.
# 2: fused attention, hidden-state output, classification heads, per-language decoding.
EXPORT_REVISION = 2
TOKENIZER_FILE = "tokenizer.json.gz"  # gzip: 3.4 MB of JSON -> 1.3 MB in the package
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


def _int8_weights(path: Path) -> dict[str, np.ndarray]:
    """The tagger's parameters, dequantised from an int8 ``model.onnx`` of this exporter.

    Quantised matrices are found through their ``MatMulInteger`` nodes (named after the
    module, stored transposed); quantised embeddings and float tensors by initializer name.
    """
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    if any(n.op_type in ("QAttention", "Attention") for n in graph.node):
        raise ModelError(f"{path} has fused attention (export revision 2 or later); its "
                         "weights cannot be rebuilt from the graph: re-export from the "
                         "training checkpoint (or from the revision-1 bundle it came from)")
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}

    def dequant(base: str, q: np.ndarray) -> np.ndarray:
        zero = init[f"{base}_zero_point"].astype(np.float32)
        return (q.astype(np.float32) - zero) * init[f"{base}_scale"].astype(np.float32)

    state: dict[str, np.ndarray] = {}
    for node in graph.node:
        if node.op_type == "MatMulInteger" and node.input[1] in init:
            base = node.input[1].removesuffix("_quantized")
            # Node scopes are "/tagger/encoder/..." or, since the wrapper calls the
            # tagger's modules itself, "/encoder/..." and "/head/...".
            module = node.name.removesuffix("/MatMul_quant").removeprefix("/tagger/")
            module = module.removeprefix("/")
            state[module.replace("/", ".") + ".weight"] = dequant(base, init[node.input[1]]).T
    for name, arr in init.items():
        if not name.startswith("tagger."):
            continue
        if name.endswith("_quantized"):
            base = name.removesuffix("_quantized")
            state[base.removeprefix("tagger.")] = dequant(base, arr)
        elif not name.endswith(("_scale", "_zero_point")):
            state[name.removeprefix("tagger.")] = arr.astype(np.float32)
    return state


def load_bundle_weights(bundle_dir: Path) -> tuple[Any, Any, dict[str, Any]]:
    """(model, TrainConfig, checkpoint-like dict) rebuilt from an exported int8 bundle.

    For re-exporting a shipped model (new graph optimisations, new outputs) when its
    training checkpoint is gone: the weights are the bundle's int8 values dequantised, so
    quantising them again per channel gives the same integers.
    """
    import torch

    from spinscope.models.backbone import build_config, e5_weights_path, read_e5_q4
    from spinscope.models.train import TrainConfig, _tagger_class

    manifest = json.loads((bundle_dir / "manifest.json").read_text("utf-8"))
    training = manifest["training"]
    names = {f.name for f in fields(TrainConfig)}
    cfg = TrainConfig(**{k: v for k, v in training["config"].items() if k in names})
    cfg.command = training["command"]
    weights = _int8_weights(bundle_dir / "model.onnx")
    if "encoder.embeddings.word_embeddings.weight" not in weights:
        raise ModelError(f"{bundle_dir / 'model.onnx'} is not an int8 tagger of this exporter")
    vocab = weights["encoder.embeddings.word_embeddings.weight"].shape[0]
    header, _ = read_e5_q4(e5_weights_path())
    from transformers import BertModel

    encoder = BertModel(build_config(header, vocab), add_pooling_layer=False)
    model = _tagger_class()(encoder, weights["head.weight"].shape[0])
    missing, unexpected = model.load_state_dict(
        {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in weights.items()},
        strict=False)
    missing = [k for k in missing if "position_ids" not in k]
    if missing or unexpected:
        raise ModelError(f"{bundle_dir}: weights do not fit the tagger (missing "
                         f"{missing[:3]}, unexpected {unexpected[:3]})")
    model.eval()
    state = {"step": training["steps"], "total": training["total_steps"],
             "units": manifest["units"],
             "covered": covered_techniques(Counter(training["evidence"]),
                                           LabelSpace.of(load_taxonomy())),
             "commands": training.get("commands", [training["command"]]),
             "evidence": training["evidence"], "source": str(bundle_dir)}
    return model, cfg, state


def _write_tokenizer(src: Path, dest: Path) -> None:
    """Copy a tokenizer file to ``dest`` (``.gz``: compressed, reproducibly: no mtime)."""
    import gzip

    from spinscope.models.runtime import load_tokenizer

    if src.suffix == dest.suffix:
        shutil.copyfile(src, dest)
        return
    text = load_tokenizer(src).to_str() if src.suffix == ".gz" else src.read_text("utf-8")
    dest.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def _span_examples(tagger: Any, corpora: Sequence[TrainCorpus],
                   covered: Sequence[str] | None = None) -> list[Any]:
    """Gold technique spans of the PTC corpora among ``corpora`` with tagger features."""
    from spinscope.analyze.align import tokens_in
    from spinscope.models.tchead import SpanExample, span_features

    tax = load_taxonomy()
    out = []
    for c in corpora:
        if not c.spans_have_techniques or c.label_set != "ptc":
            continue
        results = tagger.token_probs([d.text for d in c.documents], hidden=True)
        for d, r in zip(c.documents, results, strict=True):
            for sp in d.spans:
                idx = tokens_in(r.stream, sp.start, sp.end)
                targets = tax.map_label(c.label_set, sp.label).targets if sp.label else ()
                if not len(idx) or not targets or r.hidden is None:
                    continue
                if covered is not None and targets[0] not in covered:
                    continue
                out.append(SpanExample(d.id, d.text, sp, targets[0],
                                       span_features(r.probs[idx], r.hidden[idx])))
    return out


def _fit_tc_heads(tagger: Any, train: Sequence[TrainCorpus],
                  calibration: Sequence[TrainCorpus], out_dir: Path) -> dict[str, Any] | None:
    """Fit the technique-classification heads (``models.tchead``) and write heads.npz."""
    from spinscope.models.tchead import HEADS_FILE, fit_heads

    if not tagger.has_hidden:
        return None
    fitted = fit_heads(_span_examples(tagger, train), _span_examples(tagger, calibration))
    if fitted is None:
        return None
    heads, report = fitted
    heads.save(out_dir / HEADS_FILE)
    return {"file": HEADS_FILE, "classes": heads.classes, **report}


def _lineage(source: Path) -> dict[str, Any]:
    """What a continued run started from: the version, steps of the whole lineage and
    every command line of the bundle or training run folder it was started from."""
    import torch

    from spinscope.models.train import is_run

    if is_run(source):
        cfg = json.loads((source / "config.json").read_text("utf-8"))
        step = int(torch.load(source / "last.pt", weights_only=False,
                              map_location="cpu")["step"])
        parent = _lineage(Path(cfg["init_from"])) if cfg.get("init_from") else None
        before = parent["steps"] if parent else 0
        version = f"training run {source.name} at step {step}" + (
            f", itself continued from {parent['version']}" if parent else "")
        return {"version": version, "steps": before + step,
                "commands": [*(parent["commands"] if parent else []),
                             *_commands(source, cfg.get("command", "?"))]}
    path = source / "manifest.json"
    if not path.is_file():
        raise ModelError(f"the run was started from {source}, which is gone or is neither a "
                         "bundle nor a run folder; restore it to export (its steps and "
                         "commands go into the card)")
    manifest = json.loads(path.read_text("utf-8"))
    training = manifest.get("training", {})
    steps = int(training.get("steps", 0)) + int(
        training.get("continued_from", {}).get("steps", 0))
    return {"version": manifest.get("version", "?"), "steps": steps,
            "commands": list(training.get("commands") or [training.get("command", "?")])}


def _commands(run_dir: Path, last: str) -> list[str]:
    """Every command line that trained the run (first start, then each resume)."""
    path = run_dir / "commands.txt"
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return [x for x in lines if x.strip()] or [last]


def _wrapper(model: Any) -> Any:
    import torch

    class ProbsModel(torch.nn.Module):
        """Sigmoid probabilities per token, and the encoder's last hidden states (the
        features of the stacked technique-classification head)."""

        def __init__(self, tagger: Any) -> None:
            super().__init__()
            self.tagger = tagger

        def forward(self, input_ids: torch.Tensor,
                    attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.tagger.encoder(input_ids=input_ids,
                                         attention_mask=attention_mask).last_hidden_state
            return torch.sigmoid(self.tagger.head(hidden)), hidden

    return ProbsModel(model).eval()


def _fuse(fp32: Path, out: Path, config: Any) -> bool:
    """onnxruntime's transformer fusions (Attention, SkipLayerNorm, BiasGelu) on ``fp32``.

    The embedding lookup stays unfused so that quantisation keeps it int8 (the word
    embeddings are most of the bundle's size). False when the graph was left as it was.
    """
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.enable_embed_layer_norm = False
    opt = optimize_model(str(fp32), model_type="bert", num_heads=config.num_attention_heads,
                         hidden_size=config.hidden_size, optimization_options=options,
                         opt_level=0)
    stats = opt.get_fused_operator_statistics()
    log.info("fused operators: %s", {k: v for k, v in stats.items() if v})
    if not stats.get("Attention"):
        return False
    opt.save_model_to_file(str(out))
    return True


def export_onnx(model: Any, out: Path, quantize: bool = True, fuse: bool = True) -> None:
    """Write ``out`` (int8 when ``quantize``) for inputs ``input_ids``/``attention_mask``
    and outputs ``probs`` and ``hidden``; ``fuse`` applies onnxruntime's transformer
    fusions before quantisation (exported with eager attention, the pattern they match)."""
    import torch

    config = model.encoder.config
    previous = config._attn_implementation
    config._attn_implementation = "eager"
    wrapped = _wrapper(model)
    ids = torch.tensor([[0, 4, 5, 6, 2], [0, 4, 5, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        try:
            torch.onnx.export(
                wrapped, (ids, mask), str(fp32), dynamo=False, opset_version=OPSET,
                input_names=["input_ids", "attention_mask"], output_names=["probs", "hidden"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "probs": axes,
                              "hidden": axes})
        finally:
            config._attn_implementation = previous
        if fuse and _fuse(fp32, Path(tmp) / "fused.onnx", config):
            fp32 = Path(tmp) / "fused.onnx"
        if not quantize:
            shutil.copyfile(fp32, out)
            return
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Fused ops are in the com.microsoft domain, which shape inference cannot type:
        # their float outputs are declared as such.
        quantize_dynamic(str(fp32), str(out), per_channel=True, weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": 1})  # TensorProto.FLOAT


def agreement(model: Any, onnx_path: Path, tokenizer_file: Path) -> dict[str, float]:
    """Max and mean |p_onnx - p_torch| and decision agreement at 0.5 on fixed texts."""
    import onnxruntime as ort
    import torch

    from spinscope.models.runtime import load_tokenizer

    tok = load_tokenizer(tokenizer_file)
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    wrapped = _wrapper(model)
    diffs, agree = [], []
    for text in AGREEMENT_TEXTS:
        ids = np.array([tok.encode(text).ids], dtype=np.int64)
        mask = np.ones_like(ids)
        p_onnx = sess.run(["probs"], {"input_ids": ids, "attention_mask": mask})[0]
        with torch.no_grad():
            p_torch = wrapped(torch.from_numpy(ids), torch.from_numpy(mask))[0].numpy()
        diffs.append(np.abs(p_onnx - p_torch).ravel())
        agree.append(((p_onnx >= 0.5) == (p_torch >= 0.5)).ravel())
    d = np.concatenate(diffs)
    return {"max_abs_diff": float(d.max()), "mean_abs_diff": float(d.mean()),
            "decision_agreement": float(np.concatenate(agree).mean())}


def export_bundle(run_dir: Path | None, out_dir: Path, data_root: Path | None,
                  name: str = "spinscope-me5s",
                  calibration: Sequence[TrainCorpus] | None = None,
                  source_bundle: Path | None = None, command: str = "",
                  head_corpora: Sequence[TrainCorpus] | None = None) -> dict[str, Any]:
    """Export, calibrate and document a bundle; returns the manifest.

    The model is the last checkpoint of ``run_dir``, or, with ``source_bundle``, the int8
    weights of an exported bundle (``load_bundle_weights``; ``command`` is then recorded as
    the re-export step). Calibration documents are the hold-out of
    ``load_corpora(data_root)`` unless given; the classification heads are fitted on
    ``head_corpora`` (default: the training corpora of ``load_corpora(data_root)``).
    """
    from spinscope.models.calibrate import calibrate, choose_labelling, manifest_decoding
    from spinscope.models.card import write_model_card
    from spinscope.models.runtime import OnnxTagger, load_bundle
    from spinscope.models.trainset import load_corpora

    if source_bundle is not None:
        if source_bundle.resolve() == out_dir.resolve():
            raise ModelError("re-export into a new folder, not over the source bundle")
        model, cfg, state = load_bundle_weights(source_bundle)
        found = tokenizer_path(source_bundle)
        if found is None:
            raise ModelError(f"{source_bundle} has no tokenizer.json")
        tokenizer = found
        evidence = state["evidence"]
        commands = [*state["commands"], *([command] if command else [])]
    elif run_dir is not None:
        model, cfg, state = load_checkpoint(run_dir)
        tokenizer = run_dir / "tokenizer.json"
        evidence = json.loads((run_dir / "evidence.json").read_text("utf-8"))["counts"]
        commands = _commands(run_dir, cfg.command)
        if cfg.init_from:
            state = {**state, "continued_from": _lineage(Path(cfg.init_from))}
            commands = [*state["continued_from"]["commands"], *commands]
    else:
        raise ModelError("export needs a training run folder or a source bundle")
    out_dir.mkdir(parents=True, exist_ok=True)
    export_onnx(model, out_dir / "model.onnx")
    _write_tokenizer(tokenizer, out_dir / TOKENIZER_FILE)
    tax = load_taxonomy()
    space = LabelSpace.of(tax)
    if list(state["units"]) != list(space.units):
        raise ModelError(f"checkpoint units differ from taxonomy {tax.id}; retrain")
    # Steps of the whole lineage: a continued run counts its starting bundle's steps too.
    steps = state["step"] + state.get("continued_from", {}).get("steps", 0)
    manifest: dict[str, Any] = {
        "name": name, "version": f"{name}-{tax.id}-s{steps}-e{EXPORT_REVISION}",
        "taxonomy": tax.id, "units": list(space.units), "covered": list(state["covered"]),
        "thresholds": {u: 0.5 for u in space.units},
        "max_tokens": cfg.max_tokens, "stride": cfg.max_tokens // 4,
        "files": ["model.onnx", TOKENIZER_FILE, "MODEL_CARD.md"],
        "training": {
            "data": ["PTC v2 train minus 10% calibration articles",
                     "SemEval-2021 task 6 train+dev", "UNLP-2025 train-fit minus 10% "
                     "calibration posts"],
            "seed": cfg.seed, "command": cfg.command, "steps": state["step"],
            "commands": commands,
            "total_steps": state["total"], "config": {f.name: getattr(cfg, f.name)
                                                      for f in fields(cfg)
                                                      if f.name not in ("command", "extra")},
            "evidence": evidence},
        "license": "CC BY-NC-SA 4.0 (inherits the UNLP-2025 data licence)",
    }
    if "continued_from" in state:
        manifest["training"]["continued_from"] = state["continued_from"]
    if source_bundle is not None:
        manifest["training"]["reexported_from"] = (
            f"the int8 weights of {state['source']} (training checkpoint not kept); "
            "graph re-exported, fused and quantised again")
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    manifest["onnx_vs_torch"] = agreement(model, out_dir / "model.onnx",
                                          out_dir / TOKENIZER_FILE)
    if calibration is None:
        if data_root is None:
            raise ModelError("export needs calibration data: pass the shared data folder")
        train_corpora, calibration = load_corpora(data_root)
        head_corpora = train_corpora if head_corpora is None else head_corpora
    elif head_corpora is None:
        head_corpora = load_corpora(data_root)[0] if data_root is not None else []
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
    manifest["thresholds_by_language"] = cal_report.pop("by_language", {})
    manifest["any_decoding"] = manifest_decoding(cal_report["any"]["decoding"])
    manifest["calibration"] = cal_report
    heads = _fit_tc_heads(tagger, head_corpora, calibration, out_dir)
    unit_covered = manifest["covered"]
    if heads is not None:
        manifest["tc_heads"] = heads
        manifest["files"].append(heads["file"])
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
        choice = choose_labelling(out_dir, calibration, tax)
        manifest["labelling"] = choice["labelling"]
        manifest["max_labels"] = choice["max_labels"]
        cal_report["labelling"] = {"source": "technique-set F1 on the calibration corpora "
                                   "(lines of PTC articles, UNLP posts)", **choice}
        # What can be emitted: head classes that a head names with some success, where
        # heads label; calibrated technique units, where units label.
        f1 = {c: max(heads["neural"]["calibration_f1"].get(c, 0.0),
                     heads.get("english", {}).get("calibration_f1", {}).get(c, 0.0))
              for c in heads["classes"]}
        modes = set(choice["labelling"].values())
        by_head = {t for t in heads["classes"] if f1[t] >= MIN_CALIBRATION_F1}
        manifest["covered"] = [t for t in space.techniques
                               if ("heads" in modes and t in by_head)
                               or ("units" in modes and t in unit_covered)]
        heads["covered"] = sorted(by_head)
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    write_model_card(out_dir, manifest)
    log.info("bundle %s written (%.1f MB)", out_dir,
             (out_dir / "model.onnx").stat().st_size / 1e6)
    return manifest
