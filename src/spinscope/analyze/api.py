"""``analyze`` and ``analyze_many``: texts in, ``Analysis`` values out."""

from __future__ import annotations

import logging
import types
from collections.abc import Sequence
from dataclasses import dataclass

from spinscope.analyze.detector import SpanDetector
from spinscope.analyze.segment import guess_lang, paragraphs
from spinscope.core.analysis import Analysis, ParagraphResult
from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.errors import PipelineError

log = logging.getLogger(__name__)

MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class AnalyzeOptions:
    """How to analyse: model bundle folder (None = the packaged one), language, limits."""

    bundle: str | None = None
    lang: str | None = None
    threads: int = 0
    max_chars: int | None = MAX_CHARS
    include_any: bool = False  # also return the unlabelled "any persuasion" spans


_DETECTORS: dict[tuple[str | None, int], SpanDetector] = {}


def get_detector(options: AnalyzeOptions) -> SpanDetector:
    key = (options.bundle, options.threads)
    if key not in _DETECTORS:
        _DETECTORS[key] = SpanDetector(options.bundle, threads=options.threads)
    return _DETECTORS[key]


def _check(text: object, max_chars: int | None) -> str:
    if isinstance(text, Document):
        text = text.text
    if isinstance(text, bytes | bytearray):
        raise PipelineError("analyze() takes text (str), got bytes; decode it first, "
                            "e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise PipelineError(f"analyze() takes text (str), got {type(text).__name__}")
    if max_chars is not None and len(text) > max_chars:
        raise PipelineError(f"the text has {len(text):,} characters, more than the limit of "
                            f"{max_chars:,}; split it into articles or raise max_chars")
    return text


def build_analysis(text: str, spans: list[Span], detector: SpanDetector,
                   lang: str | None, document_id: str | None = None,
                   any_spans: list[Span] | None = None) -> Analysis:
    """Per-paragraph technique sets around the spans of one text."""
    paras = []
    for i, p in enumerate(paragraphs(text)):
        techs = sorted({s.label for s in spans
                        if s.label is not None and s.start < p.end and s.end > p.start})
        paras.append(ParagraphResult(i + 1, p.start, p.end, tuple(techs)))
    extra = {}
    if any_spans is not None:
        extra["any_spans"] = [{"start": s.start, "end": s.end, "score": s.score}
                              for s in any_spans]
    return Analysis(text=text, spans=tuple(spans), paragraphs=tuple(paras),
                    model=detector.name, model_version=detector.version,
                    document_id=document_id, lang=lang, extra=extra)


def analyze_many(texts: Sequence[str | Document],
                 options: AnalyzeOptions | None = None) -> list[Analysis]:
    """Analyse several texts in one batched model pass; results keep the input order."""
    options = options or AnalyzeOptions()
    clean = [_check(t, options.max_chars) for t in texts]
    ids = [t.id if isinstance(t, Document) else None for t in texts]
    detector = get_detector(options)
    out = []
    for text, doc_id, (spans, any_spans) in zip(clean, ids, detector.detect_all(clean),
                                                strict=True):
        lang = options.lang or (guess_lang(text) if text.strip() else None)
        out.append(build_analysis(text, spans, detector, lang, doc_id,
                                  any_spans if options.include_any else None))
    return out


def analyze(text: str | Document, options: AnalyzeOptions | None = None) -> Analysis:
    """Find persuasion-technique spans in one text (offsets index ``text`` as given)."""
    return analyze_many([text], options)[0]


class _CallablePackage(types.ModuleType):
    """Lets ``spinscope.analyze(text)`` call ``analyze`` while ``spinscope.analyze`` stays
    the package (so ``import spinscope.analyze.x`` and patching by dotted path still work)."""

    def __call__(self, text: str | Document, options: AnalyzeOptions | None = None) -> Analysis:
        return analyze(text, options)


def make_callable(module: types.ModuleType) -> None:
    """Turn the ``spinscope.analyze`` package into a callable module."""
    module.__class__ = _CallablePackage
