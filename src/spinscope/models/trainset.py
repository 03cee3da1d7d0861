"""Training data: the allowed corpora, the calibration hold-out, and model windows.

Allowed corpora (never SemEval-2023, which is evaluation only):

* PTC train (label set ``ptc``), minus a calibration part of 10% of its articles;
* SemEval-2021 task 6 train + dev (``semeval2021``);
* UNLP-2025 ``train-fit`` (``unlp2025``: spans without technique, post-level labels), minus
  a calibration part of 10% of its posts. ``train-heldout`` is never touched here.

Calibration parts are chosen by a stable hash of the document id, so they are the same in
every run. Pure numpy + tokenizers.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.core.taxonomy import Taxonomy
from spinscope.corpora.base import GoldDocument
from spinscope.models.labels import DocTargets, LabelSpace, doc_targets
from spinscope.models.windows import plan_windows, tokenize

log = logging.getLogger(__name__)

CAL_PERCENT = 10
MAX_MIL_SETS = 6


def is_calibration(doc_id: str) -> bool:
    """Whether a training-corpus document is held out for threshold calibration."""
    h = hashlib.sha1(f"spinscope-cal:{doc_id}".encode()).hexdigest()
    return int(h, 16) % 100 < CAL_PERCENT


@dataclass
class TrainCorpus:
    """Documents of one corpus and how their labels supervise the model."""

    name: str
    label_set: str
    documents: list[GoldDocument]
    spans_have_techniques: bool


def load_corpora(data_root: Path) -> tuple[list[TrainCorpus], list[TrainCorpus]]:
    """(training corpora, calibration corpora) from ``<data_root>`` (the shared data folder)."""
    from spinscope.corpora.ptc import read_ptc
    from spinscope.corpora.semeval2021 import read_semeval2021
    from spinscope.corpora.unlp2025 import read_unlp2025

    ptc = read_ptc(data_root / "ptc_semeval2020_task11", "train").documents
    s21 = [d for split in ("train", "dev")
           for d in read_semeval2021(data_root / "semeval2021_task6", split).documents]
    unlp = read_unlp2025(data_root / "unlp2025_manipulation", "train-fit").documents
    train = [
        TrainCorpus("ptc-train", "ptc", [d for d in ptc if not is_calibration(d.id)], True),
        TrainCorpus("semeval2021-train+dev", "semeval2021", s21, True),
        TrainCorpus("unlp2025-train-fit", "unlp2025",
                    [d for d in unlp if not is_calibration(d.id)], False),
    ]
    cal = [
        TrainCorpus("ptc-train-cal", "ptc", [d for d in ptc if is_calibration(d.id)], True),
        TrainCorpus("unlp2025-train-fit-cal", "unlp2025",
                    [d for d in unlp if is_calibration(d.id)], False),
    ]
    for c in train + cal:
        log.info("%s: %d documents", c.name, len(c.documents))
    return train, cal


@dataclass
class Example:
    """One model window: token ids plus its slice of the document targets."""

    ids: np.ndarray  # (k,) without <s>, </s>
    y: np.ndarray
    mask: np.ndarray
    group: np.ndarray
    mil_pos: np.ndarray  # (MAX_MIL_SETS, U) bool any-of sets, all-False rows unused
    mil_neg: np.ndarray  # (U,) bool
    corpus: str


def _mil_arrays(t: DocTargets, units: int, whole: bool) -> tuple[np.ndarray, np.ndarray]:
    pos = np.zeros((MAX_MIL_SETS, units), dtype=bool)
    neg = np.zeros(units, dtype=bool)
    neg[list(t.mil_neg)] = True
    if whole:  # a positive post label is only sure to hold in a window holding the post
        for r, s in enumerate(t.mil_pos[:MAX_MIL_SETS]):
            pos[r, list(s)] = True
    return pos, neg


def build_examples(corpora: Sequence[TrainCorpus], tokenizer: Any, taxonomy: Taxonomy,
                   space: LabelSpace, max_tokens: int) -> tuple[list[Example], Counter[str]]:
    """Cut every document into non-overlapping windows of at most ``max_tokens`` tokens."""
    out: list[Example] = []
    counts: Counter[str] = Counter()
    for c in corpora:
        for d in c.documents:
            stream = tokenize(tokenizer, d.text)
            if not len(stream):
                continue
            t = doc_targets(stream, d.spans, d.labels, c.label_set, taxonomy, space,
                            c.spans_have_techniques, counts)
            wins = plan_windows(len(stream), stream.boundary, max_tokens, 0)
            for a, b in wins:
                pos, neg = _mil_arrays(t, len(space), whole=len(wins) == 1)
                out.append(Example(stream.ids[a:b], t.y[a:b], t.mask[a:b], t.group[a:b],
                                   pos, neg, c.name))
    return out, counts


def collate(batch: Sequence[Example]) -> dict[str, np.ndarray]:
    """Pad a batch; targets get a zero row for <s> and </s> and for padding."""
    width = max(len(e.ids) for e in batch) + 2
    units = batch[0].y.shape[1]
    n = len(batch)
    ids = np.full((n, width), 1, dtype=np.int64)
    att = np.zeros((n, width), dtype=np.int64)
    y = np.zeros((n, width, units), dtype=np.float32)
    mask = np.zeros((n, width, units), dtype=bool)
    group = np.zeros((n, width, units), dtype=bool)
    tok = np.zeros((n, width), dtype=bool)
    for r, e in enumerate(batch):
        k = len(e.ids)
        ids[r, 0], ids[r, 1:k + 1], ids[r, k + 1] = 0, e.ids, 2
        att[r, :k + 2] = 1
        y[r, 1:k + 1], mask[r, 1:k + 1], group[r, 1:k + 1] = e.y, e.mask, e.group
        tok[r, 1:k + 1] = True
    return {"input_ids": ids, "attention_mask": att, "y": y, "mask": mask, "group": group,
            "tokens": tok, "mil_pos": np.stack([e.mil_pos for e in batch]),
            "mil_neg": np.stack([e.mil_neg for e in batch])}


def epoch_batches(examples: Sequence[Example], batch_size: int, seed: int,
                  epoch: int) -> list[list[int]]:
    """Deterministic batches for one epoch: shuffled, then length-bucketed (less padding)."""
    rng = np.random.default_rng([seed, epoch])
    order = rng.permutation(len(examples))
    chunk = batch_size * 32
    batches: list[list[int]] = []
    for i in range(0, len(order), chunk):
        part = sorted(order[i:i + chunk].tolist(), key=lambda j: len(examples[j].ids))
        batches.extend(part[k:k + batch_size] for k in range(0, len(part), batch_size))
    perm = rng.permutation(len(batches))
    return [batches[int(p)] for p in perm]
