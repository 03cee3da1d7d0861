"""Batch analysis of the corpus store: incremental, resumable, on all cores.

``analyze_corpus(store, factory)`` analyses every stored article without a result for the
factory's model version and stores one result per article and model version.
"""

import sys

from spinscope.analyze.analyser import (
    Analyser,
    AnalyserFactory,
    ModelInfo,
    PredictorAnalyser,
    PredictorFactory,
    paragraph_results,
)
from spinscope.analyze.api import AnalyzeOptions, analyze, analyze_many, make_callable
from spinscope.analyze.detector import SpanDetector
from spinscope.analyze.engine import Engine, InlineEngine, LocalEngine, Task, TaskResult
from spinscope.analyze.records import (
    AnalysisRow,
    AnalysisRun,
    ResultSet,
    StoredAnalysis,
    word_count,
)
from spinscope.analyze.runner import BatchOptions, BatchSummary, Progress, analyze_corpus

__all__ = [
    "Analyser",
    "AnalyserFactory",
    "AnalysisRow",
    "AnalysisRun",
    "AnalyzeOptions",
    "BatchOptions",
    "BatchSummary",
    "Engine",
    "InlineEngine",
    "LocalEngine",
    "ModelInfo",
    "PredictorAnalyser",
    "PredictorFactory",
    "Progress",
    "ResultSet",
    "SpanDetector",
    "StoredAnalysis",
    "Task",
    "TaskResult",
    "analyze",
    "analyze_corpus",
    "analyze_many",
    "paragraph_results",
    "word_count",
]

make_callable(sys.modules[__name__])  # spinscope.analyze(text) == analyze(text)
