"""Fine-tune the span tagger (torch; needs the ``[train]`` extra).

A ``BertModel`` encoder with one sigmoid unit per output of ``LabelSpace`` on every token.
Losses (see ``models.labels``): token BCE on supervised (token, unit) pairs, a noisy-OR
any-of loss on merge/split spans, and multiple-instance losses (max over tokens) for
post-level labels. Training checkpoints every ``ckpt_every`` steps and at epoch ends and
resumes exactly: weights, optimizer, scheduler, RNG and the position in the epoch.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import ModelError
from spinscope.models.labels import LabelSpace, covered_techniques
from spinscope.models.trainset import TrainCorpus, build_examples, collate, epoch_batches

log = logging.getLogger(__name__)

MIL_WEIGHT = 0.5


@dataclass
class TrainConfig:
    """Everything that defines a training run (saved as ``config.json`` in the run folder)."""

    out_dir: str
    data_root: str = ""
    max_tokens: int = 126  # + <s> </s> = 128
    batch_size: int = 16
    epochs: float = 2.0
    lr: float = 5e-5
    head_lr: float = 1e-3
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    vocab_budget: int = 88_000
    freeze_embeddings: bool = True
    freeze_layers: int = 4  # lowest encoder layers kept frozen (CPU time: no backward there)
    ckpt_every: int = 100
    max_steps: int = 0  # > 0: stop after this many steps (smoke tests)
    threads: int = 2
    tiny: bool = False  # random-init 2-layer encoder (tests only)
    init_from: str = ""  # bundle or run folder whose weights start the run (continued training)
    command: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _tagger_class() -> Any:
    import torch
    from torch import nn

    class SpanTagger(nn.Module):
        """Encoder + dropout + linear head: logits (batch, tokens, units)."""

        def __init__(self, encoder: Any, units: int) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(encoder.config.hidden_size, units)

        def forward(self, input_ids: torch.Tensor,
                    attention_mask: torch.Tensor) -> torch.Tensor:
            h = self.encoder(input_ids=input_ids,
                             attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(h))

    return SpanTagger


def build_model(cfg: TrainConfig, units: int, keep_ids: np.ndarray | None,
                vocab_size: int) -> Any:
    """The tagger: rebuilt e5-small (trimmed vocabulary) or a tiny random encoder."""
    if cfg.tiny:
        from transformers import BertConfig, BertModel

        conf = BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2,
                          num_attention_heads=2, intermediate_size=64,
                          max_position_embeddings=256, pad_token_id=1)
        encoder = BertModel(conf, add_pooling_layer=False)
    else:
        from spinscope.models.backbone import load_e5_backbone

        encoder = load_e5_backbone(keep_ids=keep_ids)
    return _tagger_class()(encoder, units)


def losses(logits: Any, batch: dict[str, Any]) -> dict[str, Any]:
    """Token BCE, any-of (noisy-OR) and multiple-instance losses of one batch."""
    import torch
    import torch.nn.functional as F

    y, mask, group, tok = batch["y"], batch["mask"], batch["group"], batch["tokens"]
    n_tok = tok.sum().clamp(min=1)
    bce = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    l_tok = (bce * mask).sum() / n_tok
    # any-of: -log(1 - prod(1 - p_u)) over the group's units; log(1-p) = -softplus(x)
    log_none = -(F.softplus(logits) * group).sum(-1)
    has = group.any(-1)
    l_any = (-torch.log(-torch.expm1(log_none.clamp(max=-1e-6))) * has).sum() / n_tok
    # multiple instance: max over real tokens per unit
    masked = logits.masked_fill(~tok.unsqueeze(-1), -1e4)
    mx = masked.max(dim=1).values  # (B, U)
    neg = batch["mil_neg"]
    l_neg = (F.binary_cross_entropy_with_logits(mx, torch.zeros_like(mx), reduction="none")
             * neg).sum()
    pos = batch["mil_pos"]  # (B, K, U)
    log_none_p = -(F.softplus(mx).unsqueeze(1) * pos).sum(-1)  # (B, K)
    has_p = pos.any(-1)
    l_pos = (-torch.log(-torch.expm1(log_none_p.clamp(max=-1e-6))) * has_p).sum()
    n_mil = (neg.sum() + has_p.sum()).clamp(min=1)
    l_mil = (l_neg + l_pos) / n_mil
    total = l_tok + l_any + MIL_WEIGHT * l_mil
    return {"loss": total, "tok": l_tok, "anyof": l_any, "mil": l_mil}


def _to_torch(batch: dict[str, np.ndarray]) -> dict[str, Any]:
    import torch

    return {k: torch.from_numpy(v) for k, v in batch.items()}


def _atomic_save(obj: Any, path: Path) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def prepare_run(cfg: TrainConfig, corpora: Sequence[TrainCorpus],
                base_tokenizer_json: dict[str, Any] | None = None) -> Path:
    """Write the run folder's trimmed tokenizer, kept ids and config (idempotent)."""
    from tokenizers import Tokenizer

    from spinscope.models.vocab import select_pieces, trim_tokenizer, used_piece_ids

    run = Path(cfg.out_dir)
    run.mkdir(parents=True, exist_ok=True)
    if (run / "tokenizer.json").exists():
        return run
    if cfg.init_from and is_run(Path(cfg.init_from)):
        _run_vocabulary(Path(cfg.init_from), run)
        (run / "config.json").write_text(json.dumps(asdict(cfg), indent=2), "utf-8")
        return run
    if base_tokenizer_json is None:
        from spinscope.models.backbone import e5_tokenizer_path

        base_tokenizer_json = json.loads(e5_tokenizer_path().read_text("utf-8"))
    if cfg.init_from:
        _bundle_vocabulary(Path(cfg.init_from), base_tokenizer_json, run)
        (run / "config.json").write_text(json.dumps(asdict(cfg), indent=2), "utf-8")
        return run
    full = Tokenizer.from_str(json.dumps(base_tokenizer_json))
    used = used_piece_ids(full, (d.text for c in corpora for d in c.documents))
    keep = select_pieces(base_tokenizer_json["model"]["vocab"], used, cfg.vocab_budget)
    trimmed = trim_tokenizer(base_tokenizer_json, keep)
    (run / "tokenizer.json").write_text(trimmed.to_json(), "utf-8")
    np.save(run / "keep_ids.npy", keep)
    (run / "config.json").write_text(json.dumps(asdict(cfg), indent=2), "utf-8")
    log.info("vocabulary trimmed to %d pieces (%d used by the corpora)", len(keep), len(used))
    return run


def is_run(path: Path) -> bool:
    """Whether ``path`` is a training run folder (a checkpoint and its vocabulary)."""
    return all((path / f).is_file() for f in ("last.pt", "keep_ids.npy", "tokenizer.json",
                                              "config.json"))


def _run_vocabulary(source: Path, run: Path) -> None:
    """Give the run the vocabulary of the run it starts from."""
    import shutil

    for f in ("tokenizer.json", "keep_ids.npy"):
        shutil.copyfile(source / f, run / f)
    log.info("vocabulary of run %s: %d pieces", source, len(np.load(run / "keep_ids.npy")))


def init_from_run(model: Any, source: Path) -> int:
    """Load every weight of another run's last checkpoint (not its optimizer, schedule or
    step: the new run has its own, e.g. with fewer frozen layers); returns the tensor count."""
    import torch

    state = torch.load(source / "last.pt", weights_only=False, map_location="cpu")
    mine = model.state_dict()
    for name, tensor in state["model"].items():
        if name not in mine or tuple(mine[name].shape) != tuple(tensor.shape):
            raise ModelError(f"{source}: tensor {name} does not fit the tagger")
    model.load_state_dict(state["model"])
    log.info("started from run %s at its step %d: %d tensors", source, state["step"],
             len(state["model"]))
    return len(state["model"])


def _bundle_vocabulary(bundle: Path, base_tokenizer_json: dict[str, Any], run: Path) -> None:
    """Give the run the vocabulary of the bundle it starts from: its trimmed tokenizer and
    the full-vocabulary id of each of its pieces (``keep_ids.npy``)."""
    from spinscope.models.runtime import load_tokenizer, tokenizer_path

    path = tokenizer_path(bundle)
    if path is None:
        raise ModelError(f"{bundle} has no tokenizer.json(.gz); it is not a model bundle")
    trimmed = load_tokenizer(path).to_str()
    pieces = json.loads(trimmed)["model"]["vocab"]
    full_ids = {p: i for i, (p, _score) in enumerate(base_tokenizer_json["model"]["vocab"])}
    missing = [p for p, _ in pieces if p not in full_ids]
    if missing:
        raise ModelError(f"{bundle}: {len(missing)} tokenizer pieces are not in the e5 "
                         f"vocabulary (e.g. {missing[:3]}); it was not trimmed from it")
    keep = np.array([full_ids[p] for p, _ in pieces], dtype=np.int64)
    (run / "tokenizer.json").write_text(trimmed, "utf-8")
    np.save(run / "keep_ids.npy", keep)
    log.info("vocabulary of %s: %d pieces", bundle, len(keep))


def init_from_bundle(model: Any, bundle: Path) -> int:
    """Load an unfused int8 bundle's trained weights into ``model``; returns how many
    tensors were loaded.

    Parameters the bundle's own run kept frozen (embeddings, lowest layers) keep the fp32
    backbone values they were frozen at, not their int8 round trip.
    """
    import torch

    from spinscope.models.export import _int8_weights

    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    frozen = int(manifest.get("training", {}).get("config", {}).get("freeze_layers", 0))
    weights = _int8_weights(bundle / "model.onnx")
    state = model.state_dict()
    loaded = {}
    for name, arr in weights.items():
        if name not in state:
            raise ModelError(f"{bundle}: tensor {name} does not fit the tagger")
        if name.startswith("encoder.embeddings.") and frozen:
            continue
        if frozen and any(name.startswith(f"encoder.encoder.layer.{i}.") for i in range(frozen)):
            continue
        if tuple(state[name].shape) != arr.shape:
            raise ModelError(f"{bundle}: {name} has shape {arr.shape}, the tagger "
                             f"{tuple(state[name].shape)}")
        loaded[name] = torch.from_numpy(np.ascontiguousarray(arr))
    model.load_state_dict(loaded, strict=False)
    log.info("started from %s: %d tensors (layers below %d kept from the backbone)",
             bundle, len(loaded), frozen)
    return len(loaded)


def train(cfg: TrainConfig, corpora: Sequence[TrainCorpus],
          base_tokenizer_json: dict[str, Any] | None = None) -> Path:
    """Train (or resume) into ``cfg.out_dir``; returns the path of the last checkpoint."""
    import random

    import torch
    from tokenizers import Tokenizer

    torch.set_num_threads(cfg.threads)
    run = prepare_run(cfg, corpora, base_tokenizer_json)
    # The config of the latest (re)start wins; every command line is kept, in order.
    (run / "config.json").write_text(json.dumps(asdict(cfg), indent=2), "utf-8")
    with (run / "commands.txt").open("a", encoding="utf-8") as f:
        f.write(cfg.command + "\n")
    tokenizer = Tokenizer.from_file(str(run / "tokenizer.json"))
    keep = np.load(run / "keep_ids.npy")
    taxonomy = load_taxonomy()
    space = LabelSpace.of(taxonomy)
    examples, counts = build_examples(corpora, tokenizer, taxonomy, space, cfg.max_tokens)
    covered = covered_techniques(counts, space)
    (run / "evidence.json").write_text(json.dumps(
        {"counts": dict(counts), "covered": covered, "windows": len(examples)}, indent=2))
    log.info("%d windows; covered techniques: %s", len(examples), ", ".join(covered))

    torch.manual_seed(cfg.seed)
    model = build_model(cfg, len(space), keep, tokenizer.get_vocab_size())
    if cfg.freeze_embeddings:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    if cfg.freeze_layers:
        model.encoder.embeddings.requires_grad_(False)
        for layer in model.encoder.encoder.layer[:cfg.freeze_layers]:
            layer.requires_grad_(False)
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [p for n, p in model.named_parameters()
            if p.requires_grad and not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": body, "lr": cfg.lr},
                             {"params": head, "lr": cfg.head_lr}],
                            weight_decay=cfg.weight_decay)
    per_epoch = len(epoch_batches(examples, cfg.batch_size, cfg.seed, 0))
    total = max(1, int(per_epoch * cfg.epochs))
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    warm = max(1, int(total * cfg.warmup))

    def schedule(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    step = 0
    last = run / "last.pt"
    if cfg.init_from and not last.exists():
        if is_run(Path(cfg.init_from)):
            init_from_run(model, Path(cfg.init_from))
        else:
            init_from_bundle(model, Path(cfg.init_from))
    if last.exists():
        state = torch.load(last, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        random.setstate(state["py_rng"])
        step = int(state["step"])
        log.info("resumed from %s at step %d", last, step)

    def save() -> None:
        _atomic_save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                      "scheduler": sched.state_dict(), "torch_rng": torch.get_rng_state(),
                      "py_rng": random.getstate(), "step": step, "total": total,
                      "units": list(space.units), "covered": list(covered)}, last)

    model.train()
    t0, seen = time.time(), 0
    log_path = run / "train_log.jsonl"
    while step < total:
        epoch, pos = divmod(step, per_epoch)
        batches = epoch_batches(examples, cfg.batch_size, cfg.seed, epoch)
        for idx in batches[pos:]:
            if step >= total:
                break
            batch = _to_torch(collate([examples[i] for i in idx]))
            logits = model(batch["input_ids"], batch["attention_mask"])
            parts = losses(logits, batch)
            opt.zero_grad(set_to_none=True)
            parts["loss"].backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            seen += 1
            if step % 10 == 0 or step == total:
                rate = seen / (time.time() - t0)
                rec = {"step": step, "total": total, "epoch": round(step / per_epoch, 3),
                       "steps_per_s": round(rate, 4), "lr": sched.get_last_lr()[0],
                       **{k: round(float(v.detach()), 5) for k, v in parts.items()}}
                with log_path.open("a") as f:
                    f.write(json.dumps(rec) + "\n")
                log.info("step %d/%d loss %.4f (%.3f steps/s)", step, total,
                         rec["loss"], rate)
            if step % cfg.ckpt_every == 0 or step % per_epoch == 0 or step == total:
                save()
    save()
    return last
