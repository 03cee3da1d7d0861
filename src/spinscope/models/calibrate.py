"""Per-unit decision thresholds, chosen on the calibration hold-out with the shipped model.

* ``any``: character-level F1 of the "any persuasion" spans on all calibration documents.
* a technique: token-level F1 on PTC calibration articles when they hold at least
  ``MIN_TOKENS`` positive tokens of it; otherwise post-level F1 (max over the post's tokens)
  on UNLP-2025 calibration posts when at least ``MIN_POSTS`` posts carry it; otherwise the
  median of the calibrated technique thresholds.

The hold-out is neither training data nor any evaluation split (see ``models.trainset``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from spinscope.core.taxonomy import Taxonomy
from spinscope.models.labels import LabelSpace, doc_targets
from spinscope.models.runtime import OnnxTagger
from spinscope.models.trainset import TrainCorpus

log = logging.getLogger(__name__)

GRID = np.round(np.concatenate([np.arange(0.005, 0.05, 0.005), np.arange(0.05, 0.951, 0.025)]),
                3)
MIN_TOKENS = 30
MIN_POSTS = 8


def _best(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of ``scores >= t`` against boolean ``gold``."""
    best_t, best_f = 0.5, -1.0
    g = gold.astype(bool)
    for t in GRID:
        p = scores >= t
        tp = float((p & g).sum())
        f = 2 * tp / max(float(p.sum() + g.sum()), 1.0)
        if f > best_f:
            best_t, best_f = float(t), f
    return best_t, best_f


def _char_any(text_len: int, stream: Any, probs: np.ndarray) -> np.ndarray:
    """Per-character "any" probability (max of the tokens covering the character)."""
    out = np.zeros(text_len, dtype=np.float32)
    for s, e, p in zip(stream.starts, stream.ends, probs, strict=True):
        if e > s:
            out[s:e] = np.maximum(out[s:e], p)
    return out


def _any_threshold_si(corpora: Sequence[TrainCorpus],
                      runs: list[list[Any]]) -> tuple[float, float, dict[str, float]]:
    """The "any" threshold maximising the mean SI F1 (the metric the spans are scored by)."""
    from spinscope.analyze.align import token_runs
    from spinscope.core.span import Span
    from spinscope.metrics.spans import si_scores

    best: tuple[float, float, dict[str, float]] = (0.5, -1.0, {})
    for t in GRID:
        per = {}
        for c, docs in zip(corpora, runs, strict=True):
            pred = {d.id: [Span(x.start, x.end) for x in token_runs(r.stream, r.probs[:, 0],
                                                                      float(t), d.text)]
                    for d, r in docs}
            gold = {d.id: list(d.spans) for d, _ in docs}
            per[c.name] = round(si_scores(pred, gold, merge_predictions=True).f1, 4)
        f = float(np.mean(list(per.values())))
        if f > best[1]:
            best = (float(t), f, per)
    return best


def calibrate(tagger: OnnxTagger, corpora: Sequence[TrainCorpus], taxonomy: Taxonomy,
              space: LabelSpace, covered: Sequence[str]) -> tuple[dict[str, float],
                                                                    dict[str, Any]]:
    """Thresholds per unit and a report of how each was chosen."""
    any_scores, any_gold = [], []
    tok_scores: list[np.ndarray] = []
    tok_gold: list[np.ndarray] = []
    post_scores: list[np.ndarray] = []
    post_gold: list[np.ndarray] = []
    any_runs: list[list[Any]] = []
    for c in corpora:
        results = tagger.token_probs([d.text for d in c.documents])
        any_runs.append([(d, r) for d, r in zip(c.documents, results, strict=True)])
        for d, r in zip(c.documents, results, strict=True):
            if not len(r.stream):
                continue
            gold_chars = np.zeros(len(d.text), dtype=bool)
            for s in d.spans:
                gold_chars[s.start:s.end] = True
            any_scores.append(_char_any(len(d.text), r.stream, r.probs[:, 0]))
            any_gold.append(gold_chars)
            tgt = doc_targets(r.stream, d.spans, d.labels, c.label_set, taxonomy, space,
                            c.spans_have_techniques)
            if c.spans_have_techniques:
                tok_scores.append(r.probs[:, 1:])
                tok_gold.append(tgt.y[:, 1:] > 0)
            else:
                post = np.zeros(len(space) - 1, dtype=bool)
                for unit_set in tgt.mil_pos:
                    if len(unit_set) == 1:
                        post[unit_set[0] - 1] = True
                post_scores.append(r.probs[:, 1:].max(axis=0))
                post_gold.append(post)
    thresholds: dict[str, float] = {}
    report: dict[str, Any] = {}
    t_any, f_any, per = _any_threshold_si(corpora, any_runs)
    thresholds["any"] = t_any
    report["any"] = {"source": "mean over calibration corpora of the SemEval-2020 SI F1",
                     "f1": round(f_any, 4), "per_corpus": per}
    ts = np.concatenate(tok_scores) if tok_scores else np.zeros((0, len(space) - 1))
    tg = np.concatenate(tok_gold) if tok_gold else np.zeros((0, len(space) - 1), bool)
    ps = np.stack(post_scores) if post_scores else np.zeros((0, len(space) - 1))
    pg = np.stack(post_gold) if post_gold else np.zeros((0, len(space) - 1), bool)
    chosen: list[float] = []
    pending: list[str] = []
    for j, tech in enumerate(space.techniques):
        if tech not in covered:
            continue
        if tg[:, j].sum() >= MIN_TOKENS:
            t, f = _best(ts[:, j], tg[:, j])
            report[tech] = {"source": "token F1, PTC calibration", "f1": round(f, 4),
                            "positives": int(tg[:, j].sum())}
        elif pg[:, j].sum() >= MIN_POSTS:
            t, f = _best(ps[:, j], pg[:, j])
            report[tech] = {"source": "post F1, UNLP calibration", "f1": round(f, 4),
                            "positives": int(pg[:, j].sum())}
        else:
            pending.append(tech)
            continue
        thresholds[tech] = t
        chosen.append(t)
    fallback = float(np.median(chosen)) if chosen else 0.5
    for tech in pending:
        thresholds[tech] = fallback
        report[tech] = {"source": "median of calibrated thresholds (too few calibration "
                                  "positives)"}
    for tech in space.techniques:
        thresholds.setdefault(tech, 1.0)  # not covered: never emitted
    log.info("calibrated thresholds: %s", thresholds)
    return thresholds, report
