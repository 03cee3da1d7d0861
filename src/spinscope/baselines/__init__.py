"""Honest non-neural baselines behind the ``Predictor`` protocol, trained on PTC train.

* ``baseline-trivial`` (``TrivialBaseline``): the shared tasks' own trivial baselines.
* ``baseline-tfidf`` (``TfidfBaseline``): n-gram features + logistic regression.

``load_baseline(name, ptc_dir)`` trains one on first use and caches it in the user cache.
"""

from spinscope.baselines.store import BASELINES, cache_dir, load_baseline
from spinscope.baselines.tfidf import TfidfBaseline
from spinscope.baselines.training import fit_tfidf
from spinscope.baselines.trivial import TrivialBaseline, fit_trivial

__all__ = [
    "BASELINES",
    "TfidfBaseline",
    "TrivialBaseline",
    "cache_dir",
    "fit_tfidf",
    "fit_trivial",
    "load_baseline",
]
