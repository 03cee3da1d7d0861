"""A small technique-classification head stacked on the tagger's token probabilities.

``classify`` (PTC TC: name the technique of a given span) needs a decision among techniques,
not per-technique yes/no. The tagger's raw per-unit probabilities are poorly comparable
across units (rare units sit near zero, units without negatives drift up), so a multinomial
logistic regression over span features is fitted on the calibration hold-out (PTC
calibration articles, never an evaluation split) and stored in the manifest. Its classes
are covered techniques only. Pure numpy at run time; scikit-learn to fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from spinscope.core.taxonomy import Taxonomy

EPS = 1e-4


def span_features(probs: np.ndarray) -> np.ndarray:
    """Features of a span from its tokens' probabilities (k, U): mean and max logit, length."""
    p = np.clip(probs, EPS, 1 - EPS)
    logit = np.log(p / (1 - p))
    return np.concatenate([logit.mean(0), logit.max(0), [np.log1p(len(probs))]])


def fit_head(examples: Sequence[tuple[np.ndarray, str]], covered: Sequence[str],
             taxonomy: Taxonomy, label_set: str) -> dict[str, Any] | None:
    """Fit on (token probs of a gold span, source label); None when too few examples."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for probs, label in examples:
        targets = [t for t in taxonomy.map_label(label_set, label).targets if t in covered]
        if targets and len(probs):
            xs.append(span_features(probs))
            ys.append(targets[0])
    if len(set(ys)) < 2 or len(ys) < 50:
        return None
    x = np.stack(xs)
    mu, sd = x.mean(0), x.std(0) + 1e-6
    clf = LogisticRegression(C=0.5, max_iter=2000)
    clf.fit((x - mu) / sd, ys)
    return {"classes": [str(c) for c in clf.classes_], "coef": clf.coef_.tolist(),
            "intercept": clf.intercept_.tolist(), "mean": mu.tolist(), "std": sd.tolist(),
            "fitted_on": f"{len(ys)} gold spans of the PTC calibration articles"}


def head_scores(head: dict[str, Any], probs: np.ndarray) -> dict[str, float]:
    """Class scores (softmax) of one span."""
    x = (span_features(probs) - np.asarray(head["mean"])) / np.asarray(head["std"])
    z = np.asarray(head["coef"]) @ x + np.asarray(head["intercept"])
    if z.shape[0] == 1:  # binary logistic regression: one row for the second class
        z = np.array([-z[0], z[0]]) / 2
    e = np.exp(z - z.max())
    return dict(zip(head["classes"], (e / e.sum()).tolist(), strict=True))
