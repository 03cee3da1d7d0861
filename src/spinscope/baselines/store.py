"""Train-once-and-cache for the baselines.

A baseline is trained on PTC train the first time it is asked for and pickled into the user
cache (``<user cache dir>/spinscope/baselines/``, never into the repository). The cache key
is a fingerprint of the training data (article hashes and spans), the baseline's version
and the scikit-learn version, so changed data or code retrains automatically.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Literal

import platformdirs
import sklearn

from spinscope.baselines import tfidf, trivial
from spinscope.baselines.tfidf import TfidfBaseline
from spinscope.baselines.training import fit_tfidf
from spinscope.baselines.trivial import TrivialBaseline, fit_trivial
from spinscope.corpora.base import CorpusSplit
from spinscope.corpora.ptc import read_ptc, read_ptc_si
from spinscope.errors import CorpusError, ModelError

__all__ = ["BASELINES", "PTC_ENV", "BaselineName", "cache_dir", "fingerprint", "load_baseline",
           "resolve_ptc_dir"]

log = logging.getLogger(__name__)

BaselineName = Literal["baseline-trivial", "baseline-tfidf"]
BASELINES: tuple[BaselineName, ...] = ("baseline-trivial", "baseline-tfidf")
PTC_ENV = "SPINSCOPE_PTC_DIR"
_VERSIONS = {"baseline-trivial": trivial.VERSION, "baseline-tfidf": tfidf.VERSION}


def cache_dir() -> Path:
    """Where trained baselines are pickled (``$SPINSCOPE_CACHE_DIR`` overrides)."""
    override = os.environ.get("SPINSCOPE_CACHE_DIR")
    base = Path(override) if override else Path(platformdirs.user_cache_dir("spinscope",
                                                                            appauthor=False))
    return base / "baselines"


def resolve_ptc_dir(ptc_dir: str | Path | None) -> Path:
    """The PTC folder to train on: the argument, else ``$SPINSCOPE_PTC_DIR``."""
    chosen = ptc_dir or os.environ.get(PTC_ENV)
    if not chosen:
        raise ModelError(
            "the baselines are trained on PTC train on first use: pass --ptc PATH (the folder "
            f"holding PTC's datasets/) or set {PTC_ENV}")
    return Path(chosen)


def fingerprint(name: str, *splits: CorpusSplit) -> str:
    """Hash of the training data, the baseline version and the scikit-learn version."""
    h = hashlib.sha256(f"{name}|{_VERSIONS[name]}|sklearn {sklearn.__version__}".encode())
    for split in splits:
        h.update(f"|{split.corpus}/{split.split}/{split.label_set}".encode())
        for doc in sorted(split.documents, key=lambda d: d.id):
            h.update(f"|{doc.id}:{doc.document.hash}".encode())
            for s in doc.spans:
                h.update(f",{s.start}-{s.end}:{s.label}".encode())
    return h.hexdigest()


def _fit(name: str, splits: list[CorpusSplit], fp: str) -> TrivialBaseline | TfidfBaseline:
    for split in splits:
        if split.report.problems:
            log.warning("%s: %d problem(s) reading PTC %s, first: %s", name,
                        len(split.report.problems), split.split, split.report.problems[0])
    if name == "baseline-trivial":
        return fit_trivial(splits[0], fingerprint=fp)
    return fit_tfidf(splits[0], splits[1], fingerprint=fp)


def load_baseline(name: str, ptc_dir: str | Path | None = None, *,
                  use_cache: bool = True) -> TrivialBaseline | TfidfBaseline:
    """A trained baseline: from the cache when its fingerprint matches, else trained now."""
    if name not in BASELINES:
        raise ModelError(f"unknown baseline {name!r}; known: {', '.join(BASELINES)}")
    ptc = resolve_ptc_dir(ptc_dir)
    # The fingerprint needs the training data anyway; reading PTC takes well under a second.
    try:
        splits = [read_ptc(ptc, "train")]
        if name == "baseline-tfidf":
            splits.append(read_ptc_si(ptc, "train"))
    except CorpusError as e:
        raise ModelError(f"cannot train {name}: {e}") from e
    fp = fingerprint(name, *splits)
    path = cache_dir() / f"{name}-{fp[:16]}.pkl"
    if use_cache and path.is_file():
        try:
            with path.open("rb") as f:
                model = pickle.load(f)
            if getattr(model, "fingerprint", None) == fp:
                log.info("loaded %s from %s", name, path)
                return model
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as e:
            log.warning("ignoring unreadable cached model %s (%s); retraining", path, e)
    log.info("training %s on PTC train (%s); it is cached afterwards", name, ptc)
    model = _fit(name, splits, fp)
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with tmp.open("wb") as f:
                pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError as e:
            log.warning("could not cache %s in %s (%s)", name, path, e)
    return model
