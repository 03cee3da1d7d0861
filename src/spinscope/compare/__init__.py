"""Compare technique use by outlet, bloc, language, event and time, with intervals."""

from spinscope.compare.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from spinscope.compare.compare import (
    ALL,
    BY,
    OVER,
    Cell,
    CompareOptions,
    Comparison,
    GroupSummary,
    bucket_of,
    compare_rows,
)
from spinscope.compare.source import (
    bloc_map,
    compare_store,
    model_techniques,
    resolve_model_version,
)
from spinscope.compare.stats import Difference, Estimate, holm

__all__ = [
    "ALL",
    "BY",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "OVER",
    "Cell",
    "CompareOptions",
    "Comparison",
    "Difference",
    "Estimate",
    "GroupSummary",
    "bloc_map",
    "bucket_of",
    "compare_rows",
    "compare_store",
    "holm",
    "model_techniques",
    "resolve_model_version",
]
