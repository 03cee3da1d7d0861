"""UNLP-2025 shared task metrics (manipulation in Ukrainian/Russian Telegram posts).

Sources read: the task README ("Macro-F1" for technique classification, "token-level F1" for
span identification), the task paper's abstract, and the Kaggle span metric ``score()`` as it
circulates in public participant notebooks. That metric turns each post's spans into a set of
character positions (``range(start, end)`` per span, so overlapping spans count once), sums
over posts the true, predicted and shared positions, and returns
``F1 = 2PR / (P + R)`` with ``P = shared / predicted`` and ``R = shared / true`` (each 0 when
its denominator is 0, F1 0 when P + R = 0). "Token" there means character: the offsets are
code points. It is a micro figure over all characters, not a mean of per-post F1s. The
Kaggle metric inner-joins solution and submission on the post id; here posts of the gold
missing from the predictions count as predicted empty, and predicted posts not in the gold
are ignored.

Technique classification is scikit-learn's ``f1_score(average="macro")`` on the 10 binary
columns (Kaggle's standard F1 wrapper, zero_division 0), i.e. ``multilabel_scores`` with
``zero_division=0`` over ``UNLP_TECHNIQUES``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from spinscope.metrics.base import LabelScores, SpanScores, harmonic_f1, safe_div
from spinscope.metrics.classification import multilabel_scores

__all__ = ["UNLP_TECHNIQUES", "unlp_span_scores", "unlp_technique_scores"]

# Column order of the organisers' solution file.
UNLP_TECHNIQUES = (
    "straw_man", "appeal_to_fear", "fud", "bandwagon", "whataboutism", "loaded_language",
    "glittering_generalities", "euphoria", "cherry_picking", "cliche",
)


def _positions(spans: Iterable[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for start, end in spans:
        out.update(range(start, end))
    return out


def unlp_span_scores(pred: Mapping[str, Iterable[tuple[int, int]]],
                     gold: Mapping[str, Iterable[tuple[int, int]]]) -> SpanScores:
    """Character-level micro P/R/F1 over the posts of ``gold`` (UNLP-2025 span track).

    ``n_pred``/``n_gold`` are character counts, not span counts.
    """
    shared = n_true = n_pred = 0
    for post, g_spans in gold.items():
        g = _positions(g_spans)
        p = _positions(pred.get(post, ()))
        shared += len(g & p)
        n_true += len(g)
        n_pred += len(p)
    precision = safe_div(shared, n_pred)
    recall = safe_div(shared, n_true)
    return SpanScores("unlp2025-spans", precision, recall, harmonic_f1(precision, recall),
                      n_pred, n_true)


def unlp_technique_scores(pred: Mapping[str, Collection[str]],
                          gold: Mapping[str, Collection[str]]) -> LabelScores:
    """Macro-F1 over the 10 UNLP-2025 techniques (the task's ranking figure), micro alongside."""
    return multilabel_scores(pred, gold, UNLP_TECHNIQUES, metric="unlp2025-techniques",
                             primary="macro_f1", zero_division=0.0)
