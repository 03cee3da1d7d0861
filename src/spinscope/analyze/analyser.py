"""What batch analysis needs of a model: an ``Analyser`` and a picklable factory for it.

The batch runner never imports a model itself. It receives an ``AnalyserFactory`` (a small,
picklable value) and every worker process calls it once to load its own copy of the model,
so a worker pool loads the model once per process, never once per document.

``PredictorAnalyser`` wraps any ``Predictor`` (neural detector or baseline) into an
``Analyser``; ``KeywordAnalyser`` in ``spinscope.analyze.testing`` is a deterministic fake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from spinscope.core.analysis import Analysis, ParagraphResult
from spinscope.core.span import Span
from spinscope.models.predictor import Predictor

__all__ = [
    "Analyser",
    "AnalyserFactory",
    "DetectorAnalyser",
    "DetectorFactory",
    "ModelInfo",
    "PredictorAnalyser",
    "PredictorFactory",
    "paragraph_results",
]

_PARAGRAPH = re.compile(r"[^\r\n]*\S[^\r\n]*")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Who produced a result: recorded with every stored analysis (reproducibility)."""

    model: str
    version: str
    techniques: tuple[str, ...]


@runtime_checkable
class Analyser(Protocol):
    """Turns texts into ``Analysis`` values (spans, paragraph sets, counts)."""

    @property
    def info(self) -> ModelInfo: ...

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        """One ``Analysis`` per text, in order."""
        ...


class AnalyserFactory(Protocol):
    """A picklable recipe for an ``Analyser``; called once in each worker process."""

    def info(self) -> ModelInfo:
        """Model name, version and techniques, without loading the model if possible."""
        ...

    def __call__(self) -> Analyser: ...


def paragraph_results(text: str, spans: Sequence[Span]) -> tuple[ParagraphResult, ...]:
    """Non-blank lines as paragraphs, each with the techniques of the spans touching it."""
    out: list[ParagraphResult] = []
    for i, m in enumerate(_PARAGRAPH.finditer(text)):
        labels = {s.label for s in spans
                  if s.label is not None and s.start < m.end() and m.start() < s.end}
        out.append(ParagraphResult(i, m.start(), m.end(), tuple(sorted(labels))))
    return tuple(out)


class PredictorAnalyser:
    """An ``Analyser`` over a span ``Predictor`` (paragraphs are non-blank lines)."""

    def __init__(self, predictor: Predictor):
        self.predictor = predictor
        self._info = ModelInfo(predictor.name, predictor.version,
                               tuple(predictor.techniques))

    @property
    def info(self) -> ModelInfo:
        return self._info

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        results = self.predictor.detect(list(texts))
        return [
            Analysis(text=t, spans=tuple(sorted(spans)),
                     paragraphs=paragraph_results(t, spans), model=self._info.model,
                     model_version=self._info.version)
            for t, spans in zip(texts, results, strict=True)
        ]


@dataclass(frozen=True)
class PredictorFactory:
    """Factory for a ``PredictorAnalyser``: ``load`` must be a picklable top-level callable.

    ``model_info`` is what the predictor will report; it lets the runner decide which
    documents are already analysed without loading the model in the parent process.
    """

    load: Callable[[], Predictor]
    model_info: ModelInfo

    def info(self) -> ModelInfo:
        return self.model_info

    def __call__(self) -> Analyser:
        analyser = PredictorAnalyser(self.load())
        if analyser.info.version != self.model_info.version:
            from spinscope.errors import ModelError

            raise ModelError(
                f"the loaded model reports version {analyser.info.version!r} but the factory "
                f"promised {self.model_info.version!r}; rebuild the factory from the bundle")
        return analyser


class DetectorAnalyser:
    """The packaged neural detector (or any bundle folder) as an ``Analyser``."""

    def __init__(self, bundle: str | None = None, threads: int = 1):
        from spinscope.analyze.api import AnalyzeOptions, get_detector

        # Batch runs must not stop on one huge article: no length cap here.
        self.options = AnalyzeOptions(bundle=bundle, threads=threads, max_chars=None)
        detector = get_detector(self.options)
        self._info = ModelInfo(detector.name, detector.version, tuple(detector.techniques))

    @property
    def info(self) -> ModelInfo:
        return self._info

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        from spinscope.analyze.api import analyze_many

        return analyze_many(list(texts), self.options)


@dataclass(frozen=True)
class DetectorFactory:
    """Factory for ``DetectorAnalyser``; ``threads`` onnxruntime threads per worker process.

    ``bundle=None`` means the packaged model (or ``$SPINSCOPE_MODEL``).
    """

    bundle: str | None = None
    threads: int = 1

    def info(self) -> ModelInfo:
        from spinscope.models.runtime import load_bundle

        b = load_bundle(self.bundle)  # reads the manifest only
        covered = set(b.covered)
        return ModelInfo(b.name, b.version, tuple(t for t in b.units[1:] if t in covered))

    def __call__(self) -> Analyser:
        return DetectorAnalyser(self.bundle, self.threads)
