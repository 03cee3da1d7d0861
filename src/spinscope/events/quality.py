"""Clustering quality against gold event labels: adjusted Rand index and B-cubed scores.

Documents a clustering leaves out of every event count as singletons, so dropping hard
documents is not rewarded. B-cubed (Bagga & Baldwin 1998; Amigó et al. 2009): for every
document, precision is the share of its cluster that shares its gold event, recall the share
of its gold event that is in its cluster; both are averaged over documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

__all__ = ["ClusterScores", "score_clustering"]


@dataclass(frozen=True)
class ClusterScores:
    documents: int
    gold_events: int
    predicted_groups: int  # singletons included
    predicted_events: int  # groups of 2 or more
    ari: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float

    def to_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def score_clustering(groups: Sequence[Sequence[str]], gold: Mapping[str, str]) -> ClusterScores:
    """Score predicted ``groups`` (lists of document ids) against ``gold`` (id → event)."""
    from sklearn.metrics import adjusted_rand_score

    predicted: dict[str, int] = {}
    for k, g in enumerate(groups):
        for doc in g:
            if doc in gold:
                predicted[doc] = k
    next_id = len(groups)
    for doc in gold:  # unclustered documents: singletons
        if doc not in predicted:
            predicted[doc] = next_id
            next_id += 1
    docs = sorted(gold)
    pred = [predicted[d] for d in docs]
    true = [gold[d] for d in docs]
    pair = Counter(zip(pred, true, strict=True))
    size_p = Counter(pred)
    size_t = Counter(true)
    precision = sum(pair[(p, t)] / size_p[p] for p, t in zip(pred, true, strict=True)) / len(docs)
    recall = sum(pair[(p, t)] / size_t[t] for p, t in zip(pred, true, strict=True)) / len(docs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClusterScores(len(docs), len(size_t), len(size_p),
                         sum(1 for n in size_p.values() if n >= 2),
                         float(adjusted_rand_score(true, pred)), precision, recall, f1)
