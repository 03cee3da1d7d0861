"""Document embeddings for event grouping: the int8 ONNX e5 bundle, or a lexical fake.

``OnnxEmbedder`` runs the bundle written by ``events.export`` with onnxruntime and tokenizers
only (no torch): "passage: " + title and lead, at most ``max_tokens`` tokens, mean pooled
and L2-normalised inside the graph. ``HashingEmbedder`` is a deterministic bag-of-words
stand-in for tests and benchmarks (and a lexical baseline in the quality table).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from spinscope.errors import ModelError

__all__ = ["DEFAULT_EMBEDDER", "Embedder", "HashingEmbedder", "OnnxEmbedder", "event_text",
           "load_embedder"]

DEFAULT_EMBEDDER = "e5-small-events"
PAD_ID = 1
LEAD_CHARS = 1200  # title + this much of the text is plenty for 128 tokens
_WORD = re.compile(r"\w+", re.UNICODE)


class Embedder(Protocol):
    """Texts to unit vectors, one row per text."""

    @property
    def name(self) -> str:
        """Identifies the vectors (cache key): model and version."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def event_text(title: str | None, text: str) -> str:
    """Title and lead of an article (the title once, even when the text starts with it)."""
    body = text.lstrip("\ufeff").strip()
    if title and not body.startswith(title.strip()):
        body = title.strip() + "\n" + body
    return body[:LEAD_CHARS]


def bundle_path(name: str = DEFAULT_EMBEDDER) -> Path:
    return Path(str(resources.files("spinscope.models").joinpath("bundles", name)))


class OnnxEmbedder:
    """The packaged multilingual embedder (or any bundle folder, or ``$SPINSCOPE_EMBEDDER``).

    ``batch_size`` 1 by default: int8 dynamic quantisation scales activations per batch, so
    a text's vector would otherwise depend (slightly) on the texts batched with it; one at a
    time, each article always gets the same vector (and on CPU it is hardly slower).
    """

    def __init__(self, bundle: str | Path | None = None, threads: int = 0, batch_size: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(bundle or os.environ.get("SPINSCOPE_EMBEDDER") or bundle_path())
        missing = [f for f in ("manifest.json", "model.onnx", "tokenizer.json")
                   if not (folder / f).is_file()]
        if missing:
            raise ModelError(f"embedder bundle {folder} lacks {', '.join(missing)}; reinstall "
                             "spinscope, or build it with `python -m spinscope.events.export "
                             "--out DIR` and pass --embedder DIR (or set SPINSCOPE_EMBEDDER)")
        self.folder = folder
        self.manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text("utf-8"))
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "model.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=int(self.manifest.get("max_tokens", 128)))
        self.prefix = str(self.manifest.get("prefix", "passage: "))
        self.batch_size = batch_size

    @property
    def name(self) -> str:
        return str(self.manifest.get("version") or self.manifest.get("name"))

    @property
    def dim(self) -> int:
        return int(self.manifest.get("dim", 384))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encs = self.tokenizer.encode_batch([self.prefix + t for t in texts])
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        out = np.zeros((len(encs), self.dim), dtype=np.float32)
        for b in range(0, len(order), self.batch_size):
            idx = order[b:b + self.batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.full((len(idx), width), PAD_ID, dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1
            (vec,) = self.session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
            out[idx] = vec
        return out


class HashingEmbedder:
    """Hashed bag of word stems (first 6 letters), L2-normalised. Deterministic, no model."""

    def __init__(self, dim: int = 512, stem: int = 6):
        self.dim = dim
        self.stem = stem

    @property
    def name(self) -> str:
        return f"hashing-{self.dim}-{self.stem}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            for w in _WORD.findall(t.casefold()):
                if len(w) < 4:
                    continue
                h = hashlib.blake2b(w[: self.stem].encode("utf-8"), digest_size=8).digest()
                out[r, int.from_bytes(h, "little") % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def load_embedder(spec: str | None = None, threads: int = 0) -> Embedder:
    """``None``/``"default"``: the packaged bundle; ``"hashing"``: the lexical fake; else a
    bundle folder."""
    if spec == "hashing":
        return HashingEmbedder()
    return OnnxEmbedder(None if spec in (None, "default") else spec, threads=threads)
