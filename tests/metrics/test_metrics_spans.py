"""SemEval-2020 SI and per-technique span scores on small hand-computed cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinscope.core.span import Span
from spinscope.errors import FormatError, SpanError
from spinscope.metrics import merge_intervals, si_scores, technique_span_scores


def S(start: int, end: int, label: str | None = None) -> Span:
    return Span(start, end, label)


def test_half_overlap() -> None:
    r = si_scores({"a": [S(5, 15)]}, {"a": [S(0, 10)]})
    assert (r.precision, r.recall, r.f1) == (0.5, 0.5, 0.5)
    assert (r.n_pred, r.n_gold) == (1, 1)


def test_overlapping_gold_spans_are_merged() -> None:
    r = si_scores({"a": [S(0, 10)]}, {"a": [S(0, 10), S(5, 20)]})
    assert r.n_gold == 1
    assert r.precision == 1.0 and r.recall == 0.5
    assert r.f1 == pytest.approx(2 / 3)


def test_touching_gold_spans_stay_apart() -> None:
    r = si_scores({"a": [S(0, 10)]}, {"a": [S(0, 5), S(5, 10)]})
    assert r.n_gold == 2
    # P: 5/10 + 5/10 over one span; R: 5/5 + 5/5 over two spans.
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)


def test_prediction_touching_but_not_overlapping_earns_nothing() -> None:
    r = si_scores({"a": [S(5, 9)]}, {"a": [S(0, 5)]})
    assert (r.precision, r.recall, r.f1) == (0.0, 0.0, 0.0)


def test_two_partial_predictions_inside_one_gold() -> None:
    r = si_scores({"a": [S(0, 4), S(6, 10)]}, {"a": [S(0, 10)]})
    assert r.precision == 1.0
    assert r.recall == pytest.approx(0.8)
    assert r.f1 == pytest.approx(2 * 0.8 / 1.8)


def test_overlapping_predictions_rejected_unless_merged() -> None:
    pred = {"a": [S(0, 6), S(4, 10)]}
    with pytest.raises(FormatError, match=r"article a: predicted spans \[0, 6\) and \[4, 10\)"):
        si_scores(pred, {"a": [S(0, 10)]})
    r = si_scores(pred, {"a": [S(0, 10)]}, merge_predictions=True)
    assert r.n_pred == 1 and r.f1 == 1.0


def test_duplicate_predictions_rejected_unless_merged() -> None:
    pred = {"a": [S(0, 10), S(0, 10)]}
    with pytest.raises(FormatError):
        si_scores(pred, {"a": [S(0, 10)]})
    assert si_scores(pred, {"a": [S(0, 10)]}, merge_predictions=True).f1 == 1.0


def test_touching_predictions_are_not_an_overlap() -> None:
    r = si_scores({"a": [S(0, 5), S(5, 10)]}, {"a": [S(0, 10)]})
    assert r.n_pred == 2 and r.precision == 1.0 and r.recall == 1.0


def test_empty_predictions_and_empty_gold() -> None:
    none = si_scores({}, {"a": [S(0, 10)]})
    assert (none.precision, none.recall, none.f1) == (0.0, 0.0, 0.0)
    # The official scorer's convention: nothing predicted and nothing to find is F1 = 1.
    both = si_scores({}, {"a": []})
    assert (both.precision, both.recall, both.f1) == (0.0, 0.0, 1.0)
    only_pred = si_scores({"a": [S(0, 3)]}, {})
    assert (only_pred.precision, only_pred.recall, only_pred.f1) == (0.0, 0.0, 0.0)


def test_micro_average_over_articles_with_missing_prediction() -> None:
    r = si_scores({"a": [S(0, 10)]}, {"a": [S(0, 10)], "b": [S(0, 4)]})
    assert r.precision == 1.0 and r.recall == 0.5
    assert r.f1 == pytest.approx(2 / 3)


def test_empty_span_is_an_error() -> None:
    with pytest.raises(SpanError):
        si_scores({"a": [S(3, 3)]}, {"a": [S(0, 10)]})


def test_labels_do_not_matter_for_si() -> None:
    r = si_scores({"a": [S(0, 10, "Doubt")]}, {"a": [S(0, 10, "Slogans")]})
    assert r.f1 == 1.0


def test_merge_intervals() -> None:
    assert merge_intervals([(5, 20), (0, 10), (20, 25), (30, 31)]) == [(0, 20), (20, 25),
                                                                          (30, 31)]


def test_technique_spans_credit_only_same_technique() -> None:
    gold = {"a": [S(0, 10, "Loaded_Language"), S(20, 30, "Doubt")]}
    pred = {"a": [S(0, 5, "Loaded_Language"), S(0, 10, "Doubt")]}
    r = technique_span_scores(pred, gold)
    assert r.precision == 0.5 and r.recall == 0.25
    assert r.f1 == pytest.approx(1 / 3)
    ll = r.per_class["Loaded_Language"]
    assert (ll.precision, ll.recall, ll.gold, ll.predicted) == (1.0, 0.5, 1, 1)
    assert ll.f1 == pytest.approx(2 / 3)
    assert r.per_class["Doubt"].f1 == 0.0


def test_technique_spans_overlap_rules_are_per_technique() -> None:
    gold = {"a": [S(0, 10, "Doubt"), S(5, 15, "Doubt"), S(0, 10, "Slogans")]}
    r = technique_span_scores({"a": [S(0, 15, "Doubt"), S(0, 10, "Slogans")]}, gold)
    assert r.n_gold == 2 and r.f1 == 1.0
    with pytest.raises(FormatError, match="technique Doubt"):
        technique_span_scores({"a": [S(0, 8, "Doubt"), S(5, 15, "Doubt")]}, gold)
    merged = technique_span_scores({"a": [S(0, 8, "Doubt"), S(5, 15, "Doubt")]}, gold,
                                   merge_predictions=True)
    assert merged.per_class["Doubt"].f1 == 1.0


def test_technique_spans_need_labels() -> None:
    with pytest.raises(SpanError):
        technique_span_scores({"a": [S(0, 3)]}, {"a": [S(0, 3, "Doubt")]})


def test_to_dict_is_json_ready() -> None:
    d = technique_span_scores({"a": [S(0, 3, "Doubt")]}, {"a": [S(0, 3, "Doubt")]}).to_dict()
    assert d["f1"] == 1.0 and d["per_class"]["Doubt"]["gold"] == 1  # type: ignore[index]


def _reference_si(pred: dict[str, list[tuple[int, int]]],
                  gold: dict[str, list[tuple[int, int]]]) -> tuple[float, float, float]:
    """The definition spelled out on character sets, merging gold by repeated union."""
    def merged(spans: list[tuple[int, int]]) -> list[set[int]]:
        sets: list[set[int]] = []
        for s, e in spans:
            cur = set(range(s, e))
            changed = True
            while changed:
                changed = False
                for other in sets:
                    if other & cur:
                        sets.remove(other)
                        cur |= other
                        changed = True
                        break
            sets.append(cur)
        return sets

    pn = rn = 0.0
    ns = nt = 0
    for a in set(pred) | set(gold):
        g = merged(gold.get(a, []))
        p = merged(pred.get(a, []))
        ns += len(p)
        nt += len(g)
        for s in p:
            for t in g:
                pn += len(s & t) / len(s)
                rn += len(s & t) / len(t)
    p_ = pn / ns if ns else 0.0
    r_ = rn / nt if nt else 0.0
    f = 1.0 if ns == 0 and nt == 0 else (2 * p_ * r_ / (p_ + r_) if p_ > 0 and r_ > 0 else 0.0)
    return p_, r_, f


_spans = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)).map(
    lambda t: (t[0], t[0] + t[1])), max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from("abc"), _spans, max_size=3),
       st.dictionaries(st.sampled_from("abc"), _spans, max_size=3))
def test_si_equals_character_set_reference(pred: dict[str, list[tuple[int, int]]],
                                           gold: dict[str, list[tuple[int, int]]]) -> None:
    r = si_scores({a: [S(s, e) for s, e in v] for a, v in pred.items()},
                  {a: [S(s, e) for s, e in v] for a, v in gold.items()},
                  merge_predictions=True)
    assert (r.precision, r.recall, r.f1) == pytest.approx(_reference_si(pred, gold))
