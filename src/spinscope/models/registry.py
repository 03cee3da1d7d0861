"""Predictors by name: ``load_predictor("baseline-tfidf")``, a bundle folder, or the default.

A *loader* is a top-level function ``(LoadOptions) -> Predictor`` named as
``"module:function"`` so that nothing heavy is imported until it is used. Built-in names:

* ``spinscope-me5s``: the packaged neural detector (``$SPINSCOPE_MODEL`` overrides the
  folder); the default whenever its bundle is installed.
* ``baseline-trivial``, ``baseline-tfidf``: the non-neural baselines (trained on PTC train
  on first use; need ``LoadOptions.ptc_dir`` or ``$SPINSCOPE_PTC_DIR``).

Any existing folder is loaded as a model bundle. Plug-ins register more names with
``register_predictor``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from spinscope.errors import ModelError
from spinscope.models.predictor import Predictor

__all__ = ["DEFAULT_MODEL", "LoadOptions", "available_predictors", "default_predictor_name",
           "load_predictor", "register_predictor"]

DEFAULT_MODEL = "spinscope-me5s"


@dataclass(frozen=True)
class LoadOptions:
    """What a loader may need: PTC for the baselines, thread count for onnxruntime."""

    ptc_dir: Path | None = None
    threads: int = 0
    use_cache: bool = True


_LOADERS: dict[str, str | Callable[[LoadOptions], Predictor]] = {
    "spinscope-me5s": "spinscope.models.registry:_load_packaged",
    "baseline-trivial": "spinscope.models.registry:_load_trivial",
    "baseline-tfidf": "spinscope.models.registry:_load_tfidf",
}


def register_predictor(name: str, loader: str | Callable[[LoadOptions], Predictor]) -> None:
    """Make ``load_predictor(name)`` call ``loader`` (``"module:function"`` or a callable)."""
    _LOADERS[name] = loader


def available_predictors() -> tuple[str, ...]:
    return tuple(_LOADERS)


def _bundle_present() -> bool:
    if os.environ.get("SPINSCOPE_MODEL"):
        return True
    try:
        from spinscope.models.runtime import bundle_dir, is_complete

        return is_complete(bundle_dir())
    except ImportError:
        return False


def default_predictor_name() -> str:
    """The packaged neural model when installed; otherwise there is no default."""
    if _bundle_present():
        return DEFAULT_MODEL
    raise ModelError(
        "no neural model bundle is installed, so there is no default model: pass --model "
        "baseline-tfidf (or baseline-trivial) with --ptc PATH, or a model bundle folder")


def _resolve(loader: str | Callable[[LoadOptions], Predictor]) -> Callable[[LoadOptions],
                                                                            Predictor]:
    if callable(loader):
        return loader
    module, _, func = loader.partition(":")
    return cast(Callable[[LoadOptions], Predictor], getattr(importlib.import_module(module),
                                                            func))


def load_predictor(name: str | None = None, options: LoadOptions | None = None) -> Predictor:
    """A predictor by registered name or bundle folder path (``None``: the default)."""
    opts = options or LoadOptions()
    chosen = name or default_predictor_name()
    if chosen in _LOADERS:
        predictor = _resolve(_LOADERS[chosen])(opts)
    elif Path(chosen).is_dir():
        predictor = _load_bundle_folder(Path(chosen), opts)
    else:
        raise ModelError(f"unknown model {chosen!r}: use one of "
                         f"{', '.join(_LOADERS)} or the folder of a model bundle")
    if not isinstance(predictor, Predictor):
        raise ModelError(f"model {chosen!r} does not implement the Predictor protocol")
    return predictor


def _load_bundle_folder(path: Path, opts: LoadOptions) -> Predictor:
    from spinscope.analyze.detector import SpanDetector

    return SpanDetector(path, threads=opts.threads)


def _load_packaged(opts: LoadOptions) -> Predictor:
    from spinscope.analyze.detector import SpanDetector

    return SpanDetector(None, threads=opts.threads)


def _load_trivial(opts: LoadOptions) -> Predictor:
    from spinscope.baselines.store import load_baseline

    return load_baseline("baseline-trivial", opts.ptc_dir, use_cache=opts.use_cache)


def _load_tfidf(opts: LoadOptions) -> Predictor:
    from spinscope.baselines.store import load_baseline

    return load_baseline("baseline-tfidf", opts.ptc_dir, use_cache=opts.use_cache)
