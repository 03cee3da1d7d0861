"""Run a model bundle with onnxruntime (no torch): token probabilities for long texts.

A bundle is a folder with ``manifest.json``, ``model.onnx`` (int8) and ``tokenizer.json``
(or ``tokenizer.json.gz``).
The manifest lists the label set (taxonomy id + technique list, checked against the
installed taxonomy on load), the covered techniques, per-unit thresholds, window size and
overlap. Texts are tokenised once, cut into overlapping windows, all windows of a batch of
texts are sorted by length and run one window per call, as many calls at once as threads
(onnxruntime releases the GIL), and each token's probabilities are the mean over the
windows that hold it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import ModelError
from spinscope.models.windows import TokenStream, plan_windows, tokenize, window_inputs

log = logging.getLogger(__name__)

DEFAULT_BUNDLE = "spinscope-me5s"
REQUIRED_FILES = ("manifest.json", "model.onnx")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.json.gz")


def tokenizer_path(folder: Path) -> Path | None:
    """The bundle's tokenizer file (plain or gzip-compressed JSON), if it has one."""
    return next((folder / f for f in TOKENIZER_FILES if (folder / f).is_file()), None)


def is_complete(folder: Path) -> bool:
    """Whether ``folder`` holds every file a bundle needs."""
    return (all((folder / f).is_file() for f in REQUIRED_FILES)
            and tokenizer_path(folder) is not None)


def load_tokenizer(path: Path) -> Any:
    """A ``tokenizers.Tokenizer`` from ``tokenizer.json`` or ``tokenizer.json.gz``."""
    from tokenizers import Tokenizer

    if path.suffix == ".gz":
        import gzip

        return Tokenizer.from_str(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return Tokenizer.from_file(str(path))


@dataclass(frozen=True)
class Bundle:
    """A model bundle folder and its parsed manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.manifest["name"])

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(self.manifest["units"])

    @property
    def covered(self) -> tuple[str, ...]:
        return tuple(self.manifest["covered"])

    @property
    def thresholds(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.manifest["thresholds"].items()}

    @property
    def max_tokens(self) -> int:
        return int(self.manifest["max_tokens"])

    @property
    def stride(self) -> int:
        return int(self.manifest["stride"])


def bundle_dir(name: str = DEFAULT_BUNDLE) -> Path:
    """Folder of a bundle shipped in the package (``spinscope/models/bundles/<name>``)."""
    return Path(str(resources.files("spinscope.models").joinpath("bundles", name)))


def load_bundle(path: str | Path | None = None) -> Bundle:
    """Read and check a bundle (default: the packaged one, or ``$SPINSCOPE_MODEL``)."""
    folder = Path(path or os.environ.get("SPINSCOPE_MODEL") or bundle_dir())
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if tokenizer_path(folder) is None:
        missing.append("tokenizer.json")
    if missing:
        raise ModelError(
            f"model bundle {folder} lacks {', '.join(missing)}; reinstall spinscope or train "
            "and export one (`spinscope train`, then `spinscope export-model --bundle DIR`) "
            "and pass its folder (or set SPINSCOPE_MODEL)")
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except json.JSONDecodeError as e:
        raise ModelError(f"{folder / 'manifest.json'} is not valid JSON ({e})") from None
    check_label_set(manifest, folder)
    return Bundle(folder, manifest)


def check_label_set(manifest: dict[str, Any], folder: Path) -> None:
    """The bundle's label set must equal the installed taxonomy's, in the same order."""
    for key in ("name", "version", "taxonomy", "units", "covered", "thresholds",
                "max_tokens", "stride"):
        if key not in manifest:
            raise ModelError(f"{folder / 'manifest.json'} lacks the field {key!r}")
    tax = load_taxonomy()
    if manifest["taxonomy"] != tax.id:
        raise ModelError(f"bundle {folder} was trained on taxonomy {manifest['taxonomy']}, "
                         f"but this spinscope has {tax.id}; use a matching bundle")
    if list(manifest["units"][1:]) != list(tax.names):
        raise ModelError(f"bundle {folder}: its technique list differs from taxonomy "
                         f"{tax.id}; the bundle is inconsistent, re-export it")
    unknown = [t for t in manifest["covered"] if t not in tax]
    if unknown:
        raise ModelError(f"bundle {folder} covers unknown techniques {unknown}")


@dataclass(frozen=True)
class TokenProbs:
    """Tokens of one text, their per-unit probabilities (n, U) and, when asked for, the
    encoder's last hidden states (n, H; float16)."""

    stream: TokenStream
    probs: np.ndarray
    hidden: np.ndarray | None = None


class OnnxTagger:
    """The ONNX token tagger of a bundle."""

    # One window per run: dynamic int8 quantisation scales activations per tensor over the
    # whole batch, so batch mates would shift a text's probabilities (measured: up to 0.13).
    # With batch size 1 a text's result never depends on what it is batched with, at about
    # the same CPU cost.
    # Windows run in parallel, one per thread, on single-threaded operators: a window's
    # matrices (126 x 384) are too small to split well across cores.
    def __init__(self, bundle: Bundle, threads: int = 0, batch_size: int = 1,
                 parallel_windows: bool = True) -> None:
        try:
            import onnxruntime as ort
            import tokenizers  # noqa: F401
        except ImportError as e:  # pragma: no cover - both are core dependencies
            raise ModelError(f"{e.name} is missing; reinstall spinscope") from None
        self.bundle = bundle
        self.batch_size = batch_size
        n = threads or min(os.cpu_count() or 1, 4)
        self.workers = n if parallel_windows and batch_size == 1 else 1
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self._pool_lock = threading.Lock()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1 if self.workers > 1 else n
        opts.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(str(bundle.path / "model.onnx"), opts,
                                                providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own untyped errors
            raise ModelError(f"cannot load {bundle.path / 'model.onnx'} ({e}); "
                             "the file may be incomplete (git LFS pointer?)") from None
        tok = tokenizer_path(bundle.path)
        assert tok is not None  # load_bundle checked it
        self.tokenizer = load_tokenizer(tok)
        self.has_hidden = "hidden" in {o.name for o in self.session.get_outputs()}

    def _run(self, ids: np.ndarray, mask: np.ndarray,
             hidden: bool) -> tuple[np.ndarray, np.ndarray | None]:
        names = ["probs", "hidden"] if hidden else ["probs"]
        out = self.session.run(names, {"input_ids": ids, "attention_mask": mask})
        return (np.asarray(out[0], dtype=np.float32),
                np.asarray(out[1], dtype=np.float32) if hidden else None)

    def _map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        """``map(fn, items)`` in order, on ``workers`` threads, at most 4 per worker ahead
        (bounded memory on huge texts)."""
        if self.workers == 1 or len(items) < 2:
            yield from map(fn, items)
            return
        with self._pool_lock:  # callers may share one tagger (web workers)
            if self._pool is None or self._pool_pid != os.getpid():  # forked child: new pool
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="spinscope-ort")
                self._pool_pid = os.getpid()
            pool = self._pool
        ahead = 4 * self.workers
        pending: deque[Future[Any]] = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def token_probs(self, texts: Sequence[str],
                    boundaries: Sequence[np.ndarray | None] | None = None,
                    hidden: bool = False) -> list[TokenProbs]:
        """Probabilities per token for each text (windows overlap by the bundle's stride).

        ``boundaries``: optional per-text character offsets of sentence ends, used to cut
        windows at sentence ends (otherwise punctuation is used). ``hidden``: also return
        the hidden states (bundles exported with a ``hidden`` output only).
        """
        if hidden and not self.has_hidden:
            raise ModelError(f"bundle {self.bundle.path} has no hidden-state output; "
                             "re-export it with this spinscope")
        size, stride = self.bundle.max_tokens, self.bundle.stride
        units = len(self.bundle.units)
        streams = [tokenize(self.tokenizer, t) for t in texts]
        jobs: list[tuple[int, int, int]] = []
        for i, s in enumerate(streams):
            flags = s.boundary
            ends = boundaries[i] if boundaries is not None else None
            if ends is not None and len(s):
                flags = flags.copy()
                flags[np.isin(s.ends, ends)] = True
            jobs.extend((i, a, b) for a, b in plan_windows(len(s), flags, size, stride))
        sums = [np.zeros((len(s), units), dtype=np.float32) for s in streams]
        hits = [np.zeros(len(s), dtype=np.float32) for s in streams]
        states: list[np.ndarray | None] = [None] * len(streams)
        jobs.sort(key=lambda j: j[2] - j[1])
        parts = [jobs[k:k + self.batch_size] for k in range(0, len(jobs), self.batch_size)]

        def run(part: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray | None]:
            wins = [(a, b) for _, a, b in part]
            rows = [streams[i].ids for i, _, _ in part]
            return self._run(*_stack(rows, wins), hidden)

        for part, (probs, states_out) in zip(parts, self._map(run, parts), strict=True):
            for r, (i, a, b) in enumerate(part):
                sums[i][a:b] += probs[r, 1:b - a + 1]
                hits[i][a:b] += 1.0
                if states_out is not None:
                    if states[i] is None:
                        states[i] = np.zeros((len(streams[i]), states_out.shape[-1]),
                                             dtype=np.float32)
                    states[i][a:b] += states_out[r, 1:b - a + 1]  # type: ignore[index]
        out = []
        for i, s in enumerate(streams):
            n = np.maximum(hits[i], 1.0)[:, None]
            st = states[i]
            out.append(TokenProbs(s, sums[i] / n,
                                  None if st is None else (st / n).astype(np.float16)))
        return out


def _stack(rows: list[np.ndarray], wins: list[tuple[int, int]]) -> tuple[np.ndarray,
                                                                         np.ndarray]:
    """Inputs for windows taken from different texts."""
    parts = [window_inputs(r, [w]) for r, w in zip(rows, wins, strict=True)]
    width = max(p[0].shape[1] for p in parts)
    ids = np.full((len(parts), width), 1, dtype=np.int64)
    mask = np.zeros((len(parts), width), dtype=np.int64)
    for r, (x, m) in enumerate(parts):
        ids[r, :x.shape[1]] = x[0]
        mask[r, :m.shape[1]] = m[0]
    return ids, mask


@lru_cache(maxsize=2)
def cached_tagger(path: str | None = None, threads: int = 0) -> OnnxTagger:
    """One tagger per bundle folder and thread count (model load takes a moment)."""
    return OnnxTagger(load_bundle(path), threads=threads)
