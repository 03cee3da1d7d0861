"""Trim the 250k-piece XLM-R Unigram vocabulary to what European news text needs.

The full vocabulary makes the int8 model 118 MB; almost all of that is the word-embedding
matrix, and most of its rows are pieces of scripts we never analyse (CJK, Arabic, Indic…).
We keep, with their original Unigram scores (so segmentation of kept text is unchanged):

1. the special tokens (ids 0-3, so ``<pad>`` stays 1);
2. every single-character piece of the kept scripts (Latin, Cyrillic, Greek, digits,
   punctuation, common symbols), so nothing common becomes ``<unk>``;
3. every piece used when tokenising the training corpora;
4. the best-scored remaining pieces made only of kept-script characters, up to a budget.

Only tokenizers + numpy are needed here (no torch).
"""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

N_SPECIAL = 4  # <s> <pad> </s> <unk>
UNK_ID = 3
METASPACE = "\u2581"


def _char_ok(ch: str) -> bool:
    """Whether a character belongs to a script we keep."""
    if ch == METASPACE or (ch.isdigit() and ch.isascii()):
        return True
    cp = ord(ch)
    if cp < 0x250:  # Basic Latin, Latin-1, Latin Extended-A/B
        return True
    if 0x1E00 <= cp <= 0x1EFF:  # Latin Extended Additional
        return True
    if 0x370 <= cp <= 0x52F:  # Greek, Cyrillic, Cyrillic Supplement
        return True
    if 0x2000 <= cp <= 0x20CF:  # general punctuation, super/subscripts, currency
        return True
    if 0x300 <= cp <= 0x36F:  # combining diacritics
        return True
    cat = unicodedata.category(ch)
    # Other punctuation and math/currency symbols anywhere in the BMP's common blocks.
    return cp < 0x3000 and cat[0] in ("P", "S")


def piece_ok(piece: str) -> bool:
    """A piece is kept-script when every one of its characters is."""
    return all(_char_ok(c) for c in piece)


@dataclass(frozen=True)
class TrimResult:
    """The trimmed tokenizer JSON and the old ids kept, in new-id order."""

    tokenizer: dict[str, Any]
    keep_ids: np.ndarray

    @property
    def size(self) -> int:
        return len(self.keep_ids)

    def to_json(self) -> str:
        return json.dumps(self.tokenizer, ensure_ascii=False)


def used_piece_ids(tokenizer: Any, texts: Iterable[str], batch: int = 256) -> set[int]:
    """Ids of all pieces the (full) tokenizer uses on ``texts``."""
    used: set[int] = set()
    buf: list[str] = []
    for t in texts:
        buf.append(t)
        if len(buf) >= batch:
            for enc in tokenizer.encode_batch(buf, add_special_tokens=False):
                used.update(enc.ids)
            buf = []
    if buf:
        for enc in tokenizer.encode_batch(buf, add_special_tokens=False):
            used.update(enc.ids)
    return used


def select_pieces(vocab: list[list[Any]], used: set[int], budget: int) -> np.ndarray:
    """Choose old ids to keep (sorted), at most ``budget`` unless steps 1-3 need more."""
    keep = set(range(N_SPECIAL))
    keep.update(i for i in used if i < len(vocab))
    ok = [i for i, (piece, _s) in enumerate(vocab) if i >= N_SPECIAL and piece_ok(piece)]
    for i in ok:
        piece = vocab[i][0].lstrip(METASPACE)
        if len(piece) <= 1:
            keep.add(i)
    ranked = sorted((i for i in ok if i not in keep), key=lambda i: -float(vocab[i][1]))
    room = max(0, budget - len(keep))
    keep.update(ranked[:room])
    return np.array(sorted(keep), dtype=np.int64)


def trim_tokenizer(full: dict[str, Any], keep_ids: np.ndarray) -> TrimResult:
    """A tokenizer JSON whose Unigram model holds only ``keep_ids`` (renumbered 0..n-1)."""
    if list(keep_ids[:N_SPECIAL]) != list(range(N_SPECIAL)):
        raise ValueError("keep_ids must start with the special tokens 0..3")
    new = copy.deepcopy({k: v for k, v in full.items() if k != "model"})
    vocab = full["model"]["vocab"]
    new["model"] = {**{k: v for k, v in full["model"].items() if k != "vocab"},
                    "vocab": [vocab[int(i)] for i in keep_ids], "unk_id": UNK_ID}
    old_to_new = {int(o): n for n, o in enumerate(keep_ids)}
    new["added_tokens"] = [dict(t, id=old_to_new[t["id"]]) for t in full["added_tokens"]
                           if t["id"] in old_to_new]
    return TrimResult(new, keep_ids)


@dataclass(frozen=True)
class TrimStats:
    """Unknown-token rate and token-count inflation of a trimmed vs the full tokenizer."""

    texts: int
    tokens_full: int
    tokens_trim: int
    unk_full: int
    unk_trim: int

    @property
    def unk_rate(self) -> float:
        return self.unk_trim / max(self.tokens_trim, 1)

    @property
    def inflation(self) -> float:
        return self.tokens_trim / max(self.tokens_full, 1) - 1.0

    def to_dict(self) -> dict[str, float | int]:
        return {"texts": self.texts, "tokens_full": self.tokens_full,
                "tokens_trim": self.tokens_trim, "unk_full": self.unk_full,
                "unk_trim": self.unk_trim, "unk_rate": round(self.unk_rate, 6),
                "inflation": round(self.inflation, 6)}


def measure(full_tok: Any, trim_tok: Any, texts: list[str]) -> TrimStats:
    """Compare the two tokenizers on ``texts`` (neither adds special tokens)."""
    ef = full_tok.encode_batch(texts, add_special_tokens=False)
    et = trim_tok.encode_batch(texts, add_special_tokens=False)
    return TrimStats(
        texts=len(texts),
        tokens_full=sum(len(e.ids) for e in ef), tokens_trim=sum(len(e.ids) for e in et),
        unk_full=sum(e.ids.count(UNK_ID) for e in ef),
        unk_trim=sum(e.ids.count(UNK_ID) for e in et),
    )
