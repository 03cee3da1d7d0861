"""Label metrics: SemEval-2020 Task 11 TC and SemEval-2023 Task 3 subtasks 1, 2 and 3.

Readings of the official scorers (re-implemented from their definitions, not copied):

**SemEval-2020 TC** (``task-TC_scorer.py``): the submission must list exactly the template
spans of the gold file. Per article, annotations with identical ``(start, end)`` are aligned
so that equal labels pair up (``align_annotations``), then scikit-learn's ``precision_score``/
``recall_score``/``f1_score`` with ``average="micro"`` run over the aligned label lists; with
one prediction per gold span that is accuracy, so P = R = F1. A gold span carrying several
labels (same offsets, several lines) is matched as a multiset: the number of correct answers at
those offsets is the size of the multiset intersection of predicted and gold labels. Per-class
F1 is scikit-learn's ``average=None`` over the 14 PTC classes (zero_division 0); it does not
depend on how wrong answers are paired, because a wrong pair adds one false positive to the
predicted class and one false negative to the gold class. Here a gold span with no predicted
label counts as answered wrongly; a predicted span that is not in the gold raises
``FormatError``, as the scorer refuses such files.

**SemEval-2023 subtask 1** (genre, ``scorer-subtask-1.py``): ``f1_score`` macro and micro,
``zero_division=0``, *without* a ``labels`` argument, so the macro mean runs over the classes
present in gold or predictions. An article without a prediction counts as wrong and adds no
class.

**SemEval-2023 subtasks 2 and 3** (frames per article, techniques per paragraph): a
``MultiLabelBinarizer`` fitted on the official class list, then ``f1_score`` micro and macro
with ``zero_division=1`` (so a class absent from both gold and predictions scores F1 = 1 in
the macro mean). Labels outside the class list are ignored, as the binarizer ignores them.
The official scorers rank subtask 2/3 by micro-F1 and subtask 1 by macro-F1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import TypeVar

from spinscope.core.span import Span
from spinscope.errors import FormatError
from spinscope.metrics.base import ClassScore, LabelScores, Primary, counts_prf, safe_div

__all__ = [
    "GENRES",
    "class_rows",
    "multilabel_scores",
    "ptc_tc_scores",
    "single_label_scores",
]

GENRES = ("reporting", "opinion", "satire")
K = TypeVar("K", bound=Hashable)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _assemble(metric: str, primary: Primary, tp: Mapping[str, int], fp: Mapping[str, int],
              fn: Mapping[str, int], classes: Sequence[str], n: int,
              zero_division: float) -> LabelScores:
    per_class = {c: counts_prf(tp.get(c, 0), fp.get(c, 0), fn.get(c, 0), zero_division)
                 for c in classes}
    ttp = sum(tp.get(c, 0) for c in classes)
    tfp = sum(fp.get(c, 0) for c in classes)
    tfn = sum(fn.get(c, 0) for c in classes)
    micro = counts_prf(ttp, tfp, tfn, zero_division)
    rows = list(per_class.values())
    return LabelScores(
        metric=metric, primary=primary,
        precision=micro.precision, recall=micro.recall, f1=micro.f1,
        macro_precision=_mean([r.precision for r in rows]),
        macro_recall=_mean([r.recall for r in rows]),
        macro_f1=_mean([r.f1 for r in rows]),
        n_examples=n, per_class=per_class)


def ptc_tc_scores(pred: Mapping[str, Sequence[Span]], gold: Mapping[str, Sequence[Span]],
                  labels: Sequence[str]) -> LabelScores:
    """SemEval-2020 TC: micro-F1 (= accuracy over gold spans) and per-class P/R/F1.

    ``labels`` is the class list of the per-class rows (the 14 PTC names). Articles missing
    from ``pred`` leave their gold spans unanswered.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    correct = total = 0
    for article in sorted(set(pred) | set(gold)):
        g_at = _labels_at(gold.get(article, ()))
        p_at = _labels_at(pred.get(article, ()))
        for key, p_labels in p_at.items():
            g_labels = g_at.get(key, Counter())
            if sum(p_labels.values()) > sum(g_labels.values()):
                raise FormatError(
                    f"article {article}: span [{key[0]}, {key[1]}) is predicted "
                    f"{sum(p_labels.values())} time(s) but the gold has it "
                    f"{sum(g_labels.values())} time(s); a TC submission must list exactly the "
                    "template spans")
        for key, g_labels in g_at.items():
            p_labels = p_at.get(key, Counter())
            hit = g_labels & p_labels
            tp.update(hit)
            fp.update(p_labels - hit)
            fn.update(g_labels - hit)
            correct += sum(hit.values())
            total += sum(g_labels.values())
    acc = safe_div(correct, total)
    per_class = {c: counts_prf(tp[c], fp[c], fn[c]) for c in labels}
    rows = list(per_class.values())
    return LabelScores(
        metric="semeval2020-tc", primary="micro_f1", precision=acc, recall=acc, f1=acc,
        macro_precision=_mean([r.precision for r in rows]),
        macro_recall=_mean([r.recall for r in rows]),
        macro_f1=_mean([r.f1 for r in rows]),
        n_examples=total, per_class=per_class)


def _labels_at(spans: Sequence[Span]) -> dict[tuple[int, int], Counter[str]]:
    out: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for s in spans:
        # An unlabelled prediction ("?" left in the template) matches nothing.
        out[(s.start, s.end)][s.label if s.label is not None else "?"] += 1
    return out


def single_label_scores(pred: Mapping[str, str], gold: Mapping[str, str], *,
                        metric: str = "semeval2023-st1",
                        primary: Primary = "macro_f1") -> LabelScores:
    """Single-label classification (SemEval-2023 subtask 1 genre), macro- and micro-F1.

    The macro mean runs over the classes seen in gold or predictions (scikit-learn without
    ``labels``), zero_division 0. Gold ids missing from ``pred`` count as wrong answers.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for key, g in gold.items():
        p = pred.get(key)
        if p == g:
            tp[g] += 1
        else:
            fn[g] += 1
            if p is not None:
                fp[p] += 1
    classes = sorted(set(tp) | set(fp) | set(fn))
    return _assemble(metric, primary, tp, fp, fn, classes, len(gold), 0.0)


def multilabel_scores(pred: Mapping[K, Collection[str]],
                      gold: Mapping[K, Collection[str]], classes: Sequence[str], *,
                      metric: str = "multilabel", primary: Primary = "micro_f1",
                      zero_division: float = 1.0) -> LabelScores:
    """Multi-label micro/macro P/R/F1 over a fixed class list (MultiLabelBinarizer style).

    Examples are the keys of ``gold``; a key missing from ``pred`` has no predicted labels.
    ``zero_division`` is 1 in the SemEval-2023 scorers and 0 for UNLP-2025 (Kaggle).
    """
    known = set(classes)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for key, g_labels in gold.items():
        g = set(g_labels) & known
        p = set(pred.get(key, ())) & known
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    return _assemble(metric, primary, tp, fp, fn, list(classes), len(gold), zero_division)


def class_rows(scores: LabelScores) -> dict[str, ClassScore]:
    """Per-class rows with at least one gold or predicted unit (for compact tables)."""
    return {k: v for k, v in scores.per_class.items() if v.gold or v.predicted}
