"""Span metrics with partial-overlap credit: SemEval-2020 Task 11 SI and per-technique spans.

Reading of the official scorer (``task-SI_scorer.py`` of SemEval-2020 Task 11, by G. Da San
Martino; re-implemented here from its definition, not copied):

* Spans are character sets ``set(range(start, end))`` per article. For a predicted span *s*
  and a gold span *t* of the same article, the credit is ``C(s, t, h) = |s ∩ t| / h``.
  ``P = Σ_s Σ_t C(s, t, |s|) / |S|`` and ``R = Σ_s Σ_t C(s, t, |t|) / |T|``, summed over *all*
  articles (a micro average over spans, not a mean of per-article scores). ``F1`` is the
  harmonic mean.
* Gold spans of one article that share at least one character are merged first (their union;
  spans that merely touch, ``[a, b)`` and ``[b, c)``, stay separate). ``|T|`` counts merged
  spans.
* Predicted spans that overlap (duplicates included) make the official scorer reject the
  submission, unless it runs with ``-m``, which merges them the same way. Here that is
  ``merge_predictions=False`` (raise ``FormatError``) or ``True`` (merge). After merging,
  ``|S|`` counts merged spans.
* A span with ``start >= end`` is a format error in the official scorer; here it raises
  ``SpanError``.
* Articles with gold spans but no predictions add to ``|T|`` only (predicted empty); the
  official scorer iterates over submitted articles and divides by all gold spans.
* Degenerate cases follow ``compute_prec_rec_f1``: a ratio with a zero denominator is 0; F1 is
  1.0 when there are neither predicted nor gold spans, else 0 unless both P and R are > 0.

``technique_span_scores`` is the same computation restricted to pairs with the same technique
(the "FLC" variant of the PTC scorer, ``prop_vs_non_propaganda=False``): gold spans are merged
per technique, overlapping predictions of one technique are rejected or merged, the overall
P/R/F1 is the micro figure over all techniques, and each technique gets its own row whose
numerators are the credits earned on gold spans of that technique.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from spinscope.core.span import Span
from spinscope.errors import FormatError, SpanError
from spinscope.metrics.base import ClassScore, SpanScores, harmonic_f1, safe_div

__all__ = [
    "Interval",
    "SpanMap",
    "merge_intervals",
    "official_prf",
    "si_scores",
    "technique_span_scores",
]

Interval = tuple[int, int]
SpanMap = Mapping[str, Sequence[Span]]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of intervals that share at least one character; touching ones stay apart."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _first_overlap(intervals: Iterable[Interval]) -> tuple[Interval, Interval] | None:
    prev: Interval | None = None
    for cur in sorted(intervals):
        if prev is not None and cur[0] < prev[1]:
            return prev, cur
        if prev is None or cur[1] > prev[1]:
            prev = cur
    return None


def official_prf(prec_num: float, prec_den: int, rec_num: float,
                 rec_den: int) -> tuple[float, float, float]:
    """P, R and F1 with the degenerate-case rules of the SemEval-2020 scorer."""
    p = safe_div(prec_num, prec_den)
    r = safe_div(rec_num, rec_den)
    if prec_den == 0 and rec_den == 0:
        return p, r, 1.0
    return p, r, harmonic_f1(p, r)


def _intervals(article: str, spans: Sequence[Span], what: str) -> list[Interval]:
    out = []
    for s in spans:
        if s.end <= s.start:
            raise SpanError(f"{what} span [{s.start}, {s.end}) of article {article} is empty; "
                            "remove it (the official scorer rejects empty spans)")
        out.append((s.start, s.end))
    return out


def _prepare_pred(article: str, intervals: list[Interval], merge: bool,
                  technique: str | None) -> list[Interval]:
    if merge:
        return merge_intervals(intervals)
    clash = _first_overlap(intervals)
    if clash is not None:
        (a, b), (c, d) = clash
        of = f" of technique {technique}" if technique else ""
        raise FormatError(
            f"article {article}: predicted spans{of} [{a}, {b}) and [{c}, {d}) overlap; the "
            "official scorer rejects overlapping predictions. Merge them, or score with "
            "merge_predictions=True (CLI: --merge-overlapping, the scorer's -m)")
    return sorted(intervals)


def _credit(pred: Sequence[Interval], gold: Sequence[Interval]) -> tuple[float, float]:
    """Σ |s∩t|/|s| and Σ |s∩t|/|t| over all pairs of one article (and technique)."""
    prec = rec = 0.0
    for ps, pe in pred:
        for gs, ge in gold:
            inter = min(pe, ge) - max(ps, gs)
            if inter > 0:
                prec += inter / (pe - ps)
                rec += inter / (ge - gs)
    return prec, rec


def si_scores(pred: SpanMap, gold: SpanMap, *, merge_predictions: bool = False) -> SpanScores:
    """SemEval-2020 Task 11 SI scores; span labels are ignored.

    ``pred`` and ``gold`` map article ids to spans. Articles missing from ``pred`` count as
    predicted empty; articles missing from ``gold`` count as having no gold spans.
    """
    prec_num = rec_num = 0.0
    n_pred = n_gold = 0
    for article in sorted(set(pred) | set(gold)):
        g = merge_intervals(_intervals(article, gold.get(article, ()), "gold"))
        p = _prepare_pred(article, _intervals(article, pred.get(article, ()), "predicted"),
                          merge_predictions, None)
        a, b = _credit(p, g)
        prec_num += a
        rec_num += b
        n_pred += len(p)
        n_gold += len(g)
    p_, r_, f_ = official_prf(prec_num, n_pred, rec_num, n_gold)
    return SpanScores("semeval2020-si", p_, r_, f_, n_pred, n_gold)


def technique_span_scores(pred: SpanMap, gold: SpanMap, *, merge_predictions: bool = False,
                          labels: Sequence[str] | None = None) -> SpanScores:
    """Per-technique span scores with SI-style partial credit, micro-averaged overall.

    A predicted span earns credit only against gold spans of its own technique. ``labels``
    fixes the per-class rows (default: every technique seen in ``pred`` or ``gold``; a listed
    technique absent from both scores F1 = 1 under the scorer's convention); spans without a
    label raise ``SpanError``.
    """
    prec_by: dict[str, float] = defaultdict(float)
    rec_by: dict[str, float] = defaultdict(float)
    npred_by: dict[str, int] = defaultdict(int)
    ngold_by: dict[str, int] = defaultdict(int)
    for article in sorted(set(pred) | set(gold)):
        g_by = _by_label(article, gold.get(article, ()), "gold")
        p_by = _by_label(article, pred.get(article, ()), "predicted")
        for tech in set(g_by) | set(p_by):
            g = merge_intervals(g_by.get(tech, []))
            p = _prepare_pred(article, p_by.get(tech, []), merge_predictions, tech)
            a, b = _credit(p, g)
            prec_by[tech] += a
            rec_by[tech] += b
            npred_by[tech] += len(p)
            ngold_by[tech] += len(g)
    n_pred = sum(npred_by.values())
    n_gold = sum(ngold_by.values())
    p_, r_, f_ = official_prf(sum(prec_by.values()), n_pred, sum(rec_by.values()), n_gold)
    rows = list(labels) if labels is not None else sorted(set(npred_by) | set(ngold_by))
    per_class = {}
    for tech in rows:
        cp, cr, cf = official_prf(prec_by[tech], npred_by[tech], rec_by[tech], ngold_by[tech])
        per_class[tech] = ClassScore(cp, cr, cf, ngold_by[tech], npred_by[tech])
    return SpanScores("semeval2023-technique-spans", p_, r_, f_, n_pred, n_gold, per_class)


def _by_label(article: str, spans: Sequence[Span], what: str) -> dict[str, list[Interval]]:
    out: dict[str, list[Interval]] = defaultdict(list)
    for s in spans:
        if s.label is None:
            raise SpanError(f"{what} span [{s.start}, {s.end}) of article {article} has no "
                            "technique; technique span scores need labelled spans")
        out[s.label].extend(_intervals(article, [s], what))
    return out
