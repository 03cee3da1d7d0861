"""Score a submission against gold with the official metric of its format.

``evaluate(fmt, pred_path, gold_path, options)`` reads both sides (files or folders of
per-article files) and returns an ``EvalResult``; ``score_submission`` does the same for data
already read (``SpanFile``, ``ParagraphLabels``, ``ArticleLabels``). ``spinscope eval`` is a
thin wrapper over ``evaluate``.

Article coverage rules, common to every format:

* articles (or paragraphs, for subtask 3) of the gold missing from the predictions count as
  predicted empty: no spans, no labels, or an unanswered TC span (``missing_articles``);
* predicted articles not in the gold raise ``FormatError`` unless ``ignore_extra`` drops them
  (``extra_articles``). A combined gold file lists only articles that have gold spans; pass
  ``articles`` (the ids of the evaluation set) to score predictions on articles without gold
  spans as false positives instead.

Metric per format: ``ptc-si`` → ``si_scores``; ``ptc-tc`` → ``ptc_tc_scores``;
``semeval2023-spans`` → ``technique_span_scores``; ``semeval2023-st3``/``st2`` →
``multilabel_scores`` (techniques / frames, zero_division 1, ranked by micro-F1);
``semeval2023-st1`` → ``single_label_scores`` (ranked by macro-F1).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from spinscope.core.span import Span
from spinscope.core.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from spinscope.errors import FormatError
from spinscope.formats import (
    FRAMES,
    ArticleLabels,
    FormatIssue,
    ParagraphLabels,
    SpanFile,
    read_article_labels,
    read_paragraph_labels,
    read_spans,
)
from spinscope.metrics import (
    LabelScores,
    SpanScores,
    multilabel_scores,
    ptc_tc_scores,
    si_scores,
    single_label_scores,
    technique_span_scores,
)

__all__ = ["EVAL_FORMATS", "EvalOptions", "EvalResult", "evaluate", "score_submission"]

log = logging.getLogger(__name__)

EVAL_FORMATS = ("ptc-si", "ptc-tc", "semeval2023-spans", "semeval2023-st3", "semeval2023-st1",
                "semeval2023-st2")
Submission = SpanFile | ParagraphLabels | ArticleLabels
T = TypeVar("T")


@dataclass(frozen=True)
class EvalOptions:
    """How to treat what the official scorers would reject.

    ``merge_overlapping``: merge overlapping predicted spans (the SI scorer's ``-m``) instead
    of failing. ``ignore_extra``: drop predicted articles that are not in the gold.
    ``articles``: ids of the evaluation articles; those without gold count as gold-empty.
    """

    merge_overlapping: bool = False
    ignore_extra: bool = False
    articles: frozenset[str] | None = None
    taxonomy_id: str = DEFAULT_TAXONOMY


@dataclass(frozen=True)
class EvalResult:
    fmt: str
    scores: SpanScores | LabelScores
    gold_articles: int
    missing_articles: tuple[str, ...] = ()
    extra_articles: tuple[str, ...] = ()
    unanswered: int = 0
    pred_issues: tuple[FormatIssue, ...] = ()
    gold_issues: tuple[FormatIssue, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "format": self.fmt,
            "scores": self.scores.to_dict(),
            "gold_articles": self.gold_articles,
            "missing_articles": list(self.missing_articles),
            "extra_articles_ignored": list(self.extra_articles),
            "unanswered": self.unanswered,
            "issues": {"pred": [i.to_dict() for i in self.pred_issues],
                       "gold": [i.to_dict() for i in self.gold_issues]},
            "notes": list(self.notes),
        }


def _read(fmt: str, path: Path, options: EvalOptions) -> Submission:
    if fmt in ("ptc-si", "ptc-tc", "semeval2023-spans"):
        return read_spans(fmt, path, taxonomy_id=options.taxonomy_id)
    if fmt == "semeval2023-st3":
        return read_paragraph_labels(path, taxonomy_id=options.taxonomy_id)
    if fmt in ("semeval2023-st1", "semeval2023-st2"):
        return read_article_labels(fmt, path)
    raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(EVAL_FORMATS)}")


def evaluate(fmt: str, pred_path: Path | str, gold_path: Path | str,
             options: EvalOptions | None = None) -> EvalResult:
    """Read predictions and gold in format ``fmt`` and score them (see the module docstring)."""
    options = options or EvalOptions()
    if fmt not in EVAL_FORMATS:
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(EVAL_FORMATS)}")
    gold = _read(fmt, Path(gold_path), options)
    pred = _read(fmt, Path(pred_path), options)
    return score_submission(fmt, pred, gold, options)


def _split_extra(pred: Mapping[str, T], gold_ids: Collection[str], options: EvalOptions,
                 unit: str) -> tuple[dict[str, T], tuple[str, ...]]:
    extra = tuple(sorted(a for a in pred if a not in gold_ids))
    if extra and not options.ignore_extra:
        shown = ", ".join(extra[:5]) + (" ..." if len(extra) > 5 else "")
        raise FormatError(
            f"{len(extra)} {unit}(s) in the predictions are not in the gold ({shown}); check "
            "that both files are of the same split, pass --ignore-extra to drop them, or "
            "--articles DIR to name the evaluation articles (those without gold spans count "
            "as gold-empty)")
    return {a: v for a, v in pred.items() if a in gold_ids}, extra


def score_submission(fmt: str, pred: Submission, gold: Submission,
                     options: EvalOptions | None = None) -> EvalResult:
    """Score submissions that are already read; ``pred`` and ``gold`` must match ``fmt``."""
    options = options or EvalOptions()
    if isinstance(gold, SpanFile) and isinstance(pred, SpanFile):
        return _score_spans(fmt, pred, gold, options)
    if isinstance(gold, ParagraphLabels) and isinstance(pred, ParagraphLabels):
        return _score_paragraphs(pred, gold, options)
    if isinstance(gold, ArticleLabels) and isinstance(pred, ArticleLabels):
        return _score_articles(fmt, pred, gold, options)
    raise FormatError(f"predictions ({type(pred).__name__}) and gold ({type(gold).__name__}) "
                      f"are not both {fmt} data")


def _score_spans(fmt: str, pred: SpanFile, gold: SpanFile, options: EvalOptions) -> EvalResult:
    gold_map: dict[str, Sequence[Span]] = dict(gold.articles)
    for a in options.articles or ():
        gold_map.setdefault(a, ())
    kept, extra = _split_extra(dict(pred.articles), gold_map, options, "article")
    missing = tuple(sorted(a for a in gold_map if a not in kept))
    unanswered = 0
    scores: SpanScores | LabelScores
    if fmt == "ptc-si":
        scores = si_scores(kept, gold_map, merge_predictions=options.merge_overlapping)
    elif fmt == "ptc-tc":
        labels = sorted(load_taxonomy(options.taxonomy_id).mapping("ptc"))
        scores = ptc_tc_scores(kept, gold_map, labels)
        for a, spans in gold_map.items():
            have = Counter((s.start, s.end) for s in kept.get(a, ()) if s.label is not None)
            need = Counter((s.start, s.end) for s in spans)
            unanswered += sum((need - have).values())
    else:
        scores = technique_span_scores(kept, gold_map,
                                       merge_predictions=options.merge_overlapping)
    return _result(fmt, scores, len(gold_map), missing, extra, unanswered, pred, gold)


def _score_paragraphs(pred: ParagraphLabels, gold: ParagraphLabels,
                      options: EvalOptions) -> EvalResult:
    gold_keys = set(gold.items)
    extra_keys = [k for k in pred.items if k not in gold_keys]
    if extra_keys and not options.ignore_extra:
        shown = ", ".join(f"{a}:{p}" for a, p in extra_keys[:5])
        raise FormatError(f"{len(extra_keys)} paragraph(s) in the predictions are not in the "
                          f"gold ({shown}); check the split and template, or pass "
                          "--ignore-extra to drop them")
    kept = {k: v for k, v in pred.items.items() if k in gold_keys}
    classes = list(load_taxonomy(options.taxonomy_id).names)
    scores = multilabel_scores(kept, gold.items, classes, metric="semeval2023-st3",
                               primary="micro_f1", zero_division=1.0)
    pred_articles = {a for a, _ in kept}
    missing = tuple(sorted(gold.articles - pred_articles))
    extra = tuple(sorted({a for a, _ in extra_keys} - gold.articles))
    unanswered = len(gold_keys - set(kept))
    return _result("semeval2023-st3", scores, len(gold.articles), missing, extra, unanswered,
                   pred, gold)


def _score_articles(fmt: str, pred: ArticleLabels, gold: ArticleLabels,
                    options: EvalOptions) -> EvalResult:
    kept, extra = _split_extra(dict(pred.items), gold.items, options, "article")
    missing = tuple(sorted(a for a in gold.items if a not in kept))
    scores: LabelScores
    if fmt == "semeval2023-st1":
        scores = single_label_scores({a: v[0] for a, v in kept.items()},
                                     {a: v[0] for a, v in gold.items.items()})
    else:
        scores = multilabel_scores(kept, gold.items, FRAMES, metric="semeval2023-st2",
                                   primary="micro_f1", zero_division=1.0)
    return _result(fmt, scores, len(gold.items), missing, extra, len(missing), pred, gold)


def _result(fmt: str, scores: SpanScores | LabelScores, n_gold: int, missing: tuple[str, ...],
            extra: tuple[str, ...], unanswered: int, pred: Submission,
            gold: Submission) -> EvalResult:
    notes = []
    if missing:
        notes.append(f"{len(missing)} of {n_gold} gold articles have no predictions; counted "
                     "as predicted empty")
    if extra:
        notes.append(f"{len(extra)} predicted articles are not in the gold; ignored")
    if unanswered and fmt in ("ptc-tc", "semeval2023-st3"):
        unit = "spans" if fmt == "ptc-tc" else "paragraphs"
        notes.append(f"{unanswered} gold {unit} have no prediction; counted as "
                     + ("wrong" if fmt == "ptc-tc" else "no technique"))
    for n in notes:
        log.info(n)
    return EvalResult(fmt, scores, n_gold, missing, extra, unanswered, pred.issues,
                      gold.issues, tuple(notes))
