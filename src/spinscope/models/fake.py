"""A tiny, deterministic model bundle for tests (needs the ``onnx`` package to build).

The ONNX graph is a lookup table: each token id has fixed logits per unit, so a few trigger
words ("corrupt", "traitors", "destroy", "зрада", ...) light up known techniques and every
other token stays near zero. Tests of the runtime, aligner, detector, ``analyze`` and the
``predict``/``eval`` commands can use it without torch and without the real model.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

import numpy as np

from spinscope.core.taxonomy import load_taxonomy

TRIGGERS: dict[str, tuple[str, ...]] = {
    "▁corrupt": ("Loaded_Language",),
    "▁destroy": ("Loaded_Language",),
    "▁traitors": ("Name_Calling-Labeling",),
    "▁зрада": ("Loaded_Language",),
    "▁зрадники": ("Name_Calling-Labeling",),
    "▁doubt": ("Doubt",),
}
COVERED = ("Name_Calling-Labeling", "Doubt", "Loaded_Language")
_WORDS = ("▁the", "▁is", "▁a", "▁and", "▁they", "▁are", "▁nation", "▁our", "▁це")


def fake_vocab() -> list[tuple[str, float]]:
    """Pieces: specials, words, then single characters (so nothing Latin is <unk>)."""
    pieces: list[tuple[str, float]] = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0),
                                       ("<unk>", 0.0), ("▁", -2.0)]
    pieces += [(w, -3.0) for w in (*TRIGGERS, *_WORDS)]
    chars = string.ascii_letters + string.digits + string.punctuation + "абвгдежзийклмнопрстуф"
    pieces += [(c, -6.0) for c in chars]
    pieces += [("▁" + c, -6.5) for c in string.ascii_letters]
    return pieces


def fake_tokenizer_json() -> str:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    tok = Tokenizer(models.Unigram(fake_vocab(), unk_id=3, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    return str(tok.to_str())


def write_fake_bundle(folder: Path, max_tokens: int = 16, stride: int = 4) -> Path:
    """Write a complete bundle (manifest, model.onnx, tokenizer.json, card) to ``folder``."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    tax = load_taxonomy()
    units = ["any", *tax.names]
    vocab = fake_vocab()
    table = np.full((len(vocab), len(units)), -4.0, dtype=np.float32)
    for i, (piece, _score) in enumerate(vocab):
        for tech in TRIGGERS.get(piece, ()):
            table[i, 0] = 4.0
            table[i, units.index(tech)] = 4.0
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["logits"], axis=0),
         helper.make_node("Sigmoid", ["logits"], ["p"]),
         helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
         helper.make_node("Unsqueeze", ["m", "axes"], ["m3"]),
         helper.make_node("Mul", ["p", "m3"], ["probs"])],
        "fake_tagger",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "t"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "t"])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["b", "t", len(units)])],
        [numpy_helper.from_array(table, "table"),
         numpy_helper.from_array(np.array([2], dtype=np.int64), "axes")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(folder / "model.onnx"))
    (folder / "tokenizer.json").write_text(fake_tokenizer_json(), "utf-8")
    manifest = {
        "name": "fake", "version": "fake-0", "taxonomy": tax.id, "units": units,
        "covered": list(COVERED), "thresholds": {u: 0.5 for u in units},
        "max_tokens": max_tokens, "stride": stride,
        "files": ["model.onnx", "tokenizer.json", "MODEL_CARD.md"],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    (folder / "MODEL_CARD.md").write_text("# fake\n\nA lookup-table test model.\n", "utf-8")
    return folder
