"""Vocabulary trimming keeps specials, kept-script single characters and used pieces."""

from __future__ import annotations

import json

from tokenizers import Tokenizer

from spinscope.models.fake import fake_tokenizer_json
from spinscope.models.vocab import measure, piece_ok, select_pieces, trim_tokenizer


def _full() -> dict:
    data = json.loads(fake_tokenizer_json())
    vocab = data["model"]["vocab"]
    vocab += [["▁日本", -5.0], ["中", -7.0], ["▁ذهب", -5.0], ["▁longword", -4.0]]
    return data


def test_piece_ok_by_script() -> None:
    assert piece_ok("▁Київ") and piece_ok("▁Paris") and piece_ok("«") and piece_ok("12")
    assert not piece_ok("▁日本") and not piece_ok("▁ذهب")


def test_select_and_trim_keeps_what_matters() -> None:
    full = _full()
    vocab = full["model"]["vocab"]
    used = {i for i, (p, _s) in enumerate(vocab) if p == "▁nation"}
    keep = select_pieces(vocab, used, budget=10)
    kept = {vocab[i][0] for i in keep}
    assert {"<s>", "<pad>", "</s>", "<unk>", "▁nation", "a", "Z", "."} <= kept
    assert "▁日本" not in kept and "中" not in kept
    trimmed = trim_tokenizer(full, keep)
    assert trimmed.tokenizer["model"]["vocab"][1][0] == "<pad>"
    assert trimmed.size == len(keep)
    tt = Tokenizer.from_str(trimmed.to_json())
    ft = Tokenizer.from_str(json.dumps(full))
    stats = measure(ft, tt, ["the nation is corrupt", "日本"])
    assert stats.unk_trim >= stats.unk_full
    assert stats.tokens_trim >= stats.tokens_full
    assert 0.0 <= stats.unk_rate <= 1.0
