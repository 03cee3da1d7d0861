"""Honest non-neural baselines behind the ``Predictor`` protocol, trained on PTC train.

* ``baseline-trivial`` (``TrivialBaseline``): the shared tasks' own trivial baselines.
* ``baseline-tfidf`` (``TfidfBaseline``): n-gram features + logistic regression.

``load_baseline(name, ptc_dir)`` trains one on first use and caches it in the user cache.
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported on first use: the models need scikit-learn, which costs a second at start-up, and
# light helpers such as ``spinscope.baselines.segments`` are imported by every CLI run.
_EXPORTS = {
    "BASELINES": "store",
    "cache_dir": "store",
    "load_baseline": "store",
    "TfidfBaseline": "tfidf",
    "fit_tfidf": "training",
    "TrivialBaseline": "trivial",
    "fit_trivial": "trivial",
}

__all__ = [
    "BASELINES",
    "TfidfBaseline",
    "TrivialBaseline",
    "cache_dir",
    "fit_tfidf",
    "fit_trivial",
    "load_baseline",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
