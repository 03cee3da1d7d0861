"""Result types shared by all metric families, and the small arithmetic they rest on.

Every metric function returns one of two frozen dataclasses:

* ``SpanScores`` for span metrics (SemEval-2020 SI, SemEval-2023 technique spans, UNLP-2025
  spans): overall precision/recall/F1 plus optional per-technique ``ClassScore`` rows;
* ``LabelScores`` for label metrics (SemEval-2020 TC, SemEval-2023 subtasks 1-3, UNLP-2025
  techniques): micro and macro precision/recall/F1 plus per-class rows, and ``primary`` naming
  the figure the shared task ranked by (``score`` returns it).

Both have ``to_dict()`` for JSON output. Numbers are plain floats in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Primary = Literal["f1", "micro_f1", "macro_f1"]


@dataclass(frozen=True, slots=True)
class ClassScore:
    """Precision, recall and F1 of one class, with its gold and predicted counts.

    ``gold`` and ``predicted`` count the units the class has in each (spans, paragraphs,
    articles, posts); for span metrics the precision/recall numerators are partial credits.
    """

    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "gold": self.gold, "predicted": self.predicted}


@dataclass(frozen=True, slots=True)
class SpanScores:
    """Overall scores of a span metric; ``per_class`` is empty for unlabelled spans."""

    metric: str
    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int
    per_class: Mapping[str, ClassScore] = field(default_factory=dict)

    @property
    def primary(self) -> Primary:
        return "f1"

    @property
    def score(self) -> float:
        return self.f1

    def to_dict(self) -> dict[str, object]:
        return {"metric": self.metric, "primary": self.primary, "score": self.score,
                "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "n_pred": self.n_pred, "n_gold": self.n_gold,
                "per_class": {k: v.to_dict() for k, v in self.per_class.items()}}


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Scores of a label metric: micro figures in ``precision/recall/f1``, macro alongside."""

    metric: str
    primary: Primary
    precision: float
    recall: float
    f1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    n_examples: int
    per_class: Mapping[str, ClassScore] = field(default_factory=dict)

    @property
    def micro_f1(self) -> float:
        return self.f1

    @property
    def score(self) -> float:
        """The figure the shared task ranked by."""
        return self.macro_f1 if self.primary == "macro_f1" else self.f1

    def to_dict(self) -> dict[str, object]:
        return {"metric": self.metric, "primary": self.primary, "score": self.score,
                "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "macro_precision": self.macro_precision, "macro_recall": self.macro_recall,
                "macro_f1": self.macro_f1, "n_examples": self.n_examples,
                "per_class": {k: v.to_dict() for k, v in self.per_class.items()}}


def safe_div(numerator: float, denominator: float, zero_division: float = 0.0) -> float:
    """``numerator / denominator``, or ``zero_division`` when the denominator is 0."""
    return numerator / denominator if denominator else zero_division


def harmonic_f1(precision: float, recall: float) -> float:
    """Harmonic mean; 0 when either is 0."""
    if precision <= 0.0 or recall <= 0.0:
        return 0.0
    return 2.0 * precision * recall / (precision + recall)


def counts_prf(tp: int, fp: int, fn: int, zero_division: float = 0.0) -> ClassScore:
    """Precision/recall/F1 from counts, as scikit-learn computes them.

    F1 is ``2·tp / (2·tp + fp + fn)``, which equals the harmonic mean whenever both are
    defined; an undefined ratio takes ``zero_division`` (scikit-learn's parameter).
    """
    return ClassScore(
        precision=safe_div(tp, tp + fp, zero_division),
        recall=safe_div(tp, tp + fn, zero_division),
        f1=safe_div(2 * tp, 2 * tp + fp + fn, zero_division),
        gold=tp + fn,
        predicted=tp + fp,
    )
