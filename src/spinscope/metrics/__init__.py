"""Official shared-task metrics as pure functions (no I/O).

* ``si_scores``, ``technique_span_scores`` (``spinscope.metrics.spans``): SemEval-2020 Task 11
  SI with partial-overlap credit, and the same credit per technique for SemEval-2023 spans.
* ``ptc_tc_scores``, ``single_label_scores``, ``multilabel_scores``
  (``spinscope.metrics.classification``): SemEval-2020 TC, SemEval-2023 subtasks 1-3.
* ``unlp_span_scores``, ``unlp_technique_scores`` (``spinscope.metrics.unlp``): UNLP-2025.

Span inputs are ``{article_id: [Span, ...]}`` (``spinscope.core.Span``); label inputs are
``{example_id: label}`` or ``{example_id: {label, ...}}``. Each function returns a frozen
``SpanScores`` or ``LabelScores`` (``spinscope.metrics.base``) with ``to_dict()``. Module
docstrings say how each reproduces its official scorer.
"""

from spinscope.metrics.base import ClassScore, LabelScores, SpanScores
from spinscope.metrics.classification import (
    GENRES,
    class_rows,
    multilabel_scores,
    ptc_tc_scores,
    single_label_scores,
)
from spinscope.metrics.spans import merge_intervals, si_scores, technique_span_scores
from spinscope.metrics.unlp import UNLP_TECHNIQUES, unlp_span_scores, unlp_technique_scores

__all__ = [
    "GENRES",
    "UNLP_TECHNIQUES",
    "ClassScore",
    "LabelScores",
    "SpanScores",
    "class_rows",
    "merge_intervals",
    "multilabel_scores",
    "ptc_tc_scores",
    "si_scores",
    "single_label_scores",
    "technique_span_scores",
    "unlp_span_scores",
    "unlp_technique_scores",
]
