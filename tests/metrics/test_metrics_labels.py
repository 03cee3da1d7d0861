"""SemEval-2020 TC, SemEval-2023 subtasks 1-3 and UNLP-2025 metrics, hand-computed and
cross-checked against scikit-learn, which the official scorers call."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.preprocessing import MultiLabelBinarizer

from spinscope.core.span import Span
from spinscope.errors import FormatError
from spinscope.metrics import (
    multilabel_scores,
    ptc_tc_scores,
    single_label_scores,
    unlp_span_scores,
    unlp_technique_scores,
)

PTC = ["Doubt", "Loaded_Language", "Repetition", "Slogans"]


def test_tc_duplicate_gold_offsets_match_as_multiset() -> None:
    gold = {"a": [Span(0, 5, "Loaded_Language"), Span(10, 20, "Doubt"),
                  Span(10, 20, "Slogans"), Span(30, 40, "Repetition")]}
    pred = {"a": [Span(0, 5, "Loaded_Language"), Span(10, 20, "Slogans"),
                  Span(10, 20, "Loaded_Language")]}  # (30, 40) left unanswered
    r = ptc_tc_scores(pred, gold, PTC)
    assert (r.precision, r.recall, r.f1) == (0.5, 0.5, 0.5)
    assert r.n_examples == 4
    assert r.per_class["Loaded_Language"].f1 == pytest.approx(2 / 3)
    assert r.per_class["Slogans"].f1 == 1.0
    assert r.per_class["Doubt"].f1 == 0.0 and r.per_class["Repetition"].f1 == 0.0
    assert r.primary == "micro_f1" and r.score == 0.5


def test_tc_per_class_equals_sklearn_on_aligned_lists() -> None:
    gold = {"a": [Span(0, 5, "Doubt"), Span(6, 9, "Slogans")],
            "b": [Span(1, 4, "Doubt"), Span(1, 4, "Repetition")]}
    pred = {"a": [Span(0, 5, "Doubt"), Span(6, 9, "Doubt")],
            "b": [Span(1, 4, "Repetition"), Span(1, 4, "Slogans")]}
    r = ptc_tc_scores(pred, gold, PTC)
    y_true = ["Doubt", "Slogans", "Repetition", "Doubt"]   # aligned as the scorer aligns
    y_pred = ["Doubt", "Doubt", "Repetition", "Slogans"]
    want = f1_score(y_true, y_pred, average=None, labels=PTC, zero_division=0)
    assert [r.per_class[c].f1 for c in PTC] == pytest.approx(list(want))
    assert r.f1 == pytest.approx(f1_score(y_true, y_pred, average="micro"))


def test_tc_rejects_spans_not_in_the_template() -> None:
    gold = {"a": [Span(0, 5, "Doubt")]}
    with pytest.raises(FormatError, match="exactly the template spans"):
        ptc_tc_scores({"a": [Span(0, 6, "Doubt")]}, gold, PTC)
    with pytest.raises(FormatError):
        ptc_tc_scores({"a": [Span(0, 5, "Doubt"), Span(0, 5, "Doubt")]}, gold, PTC)


def test_tc_empty_prediction() -> None:
    r = ptc_tc_scores({}, {"a": [Span(0, 5, "Doubt")]}, PTC)
    assert r.f1 == 0.0 and r.per_class["Doubt"].recall == 0.0


def test_st1_macro_over_seen_classes_and_missing_prediction() -> None:
    gold = {"1": "opinion", "2": "reporting", "3": "satire", "4": "opinion"}
    pred = {"1": "opinion", "2": "opinion", "3": "satire"}
    r = single_label_scores(pred, gold)
    # opinion: tp1 fp1 fn1 -> 0.5; reporting: fn1 -> 0; satire: 1.
    assert r.macro_f1 == pytest.approx(0.5)
    assert r.recall == 0.5 and r.primary == "macro_f1" and r.score == r.macro_f1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["opinion", "reporting", "satire"]),
                          st.sampled_from(["opinion", "reporting", "satire"])), min_size=1))
def test_st1_equals_sklearn(pairs: list[tuple[str, str]]) -> None:
    gold = {str(i): g for i, (g, _) in enumerate(pairs)}
    pred = {str(i): p for i, (_, p) in enumerate(pairs)}
    r = single_label_scores(pred, gold)
    y_true, y_pred = [g for g, _ in pairs], [p for _, p in pairs]
    assert r.macro_f1 == pytest.approx(f1_score(y_true, y_pred, average="macro",
                                                zero_division=0))
    assert r.f1 == pytest.approx(f1_score(y_true, y_pred, average="micro", zero_division=0))


def test_multilabel_hand_case_zero_division_one() -> None:
    gold = {("x", 1): {"A"}, ("x", 2): {"A", "B"}, ("x", 3): set()}
    pred = {("x", 1): {"A"}, ("x", 2): {"B", "C"}, ("x", 3): set()}
    r = multilabel_scores(pred, gold, ["A", "B", "C", "D"])
    assert (r.precision, r.recall) == pytest.approx((2 / 3, 2 / 3))
    assert r.f1 == pytest.approx(2 / 3)
    # A 2/3, B 1, C 0, D absent everywhere -> 1 (zero_division=1, as in the official scorer).
    assert r.macro_f1 == pytest.approx((2 / 3 + 1 + 0 + 1) / 4)


def test_multilabel_missing_example_predicts_nothing() -> None:
    r = multilabel_scores({}, {"1": {"A"}}, ["A"])
    assert r.f1 == 0.0 and r.per_class["A"].recall == 0.0


LABELS = ["A", "B", "C", "D"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sets(st.sampled_from(LABELS)), st.sets(st.sampled_from(LABELS))),
                min_size=1, max_size=12),
       st.sampled_from([0.0, 1.0]))
def test_multilabel_equals_sklearn(rows: list[tuple[set[str], set[str]]], zd: float) -> None:
    gold = {i: g for i, (g, _) in enumerate(rows)}
    pred = {i: p for i, (_, p) in enumerate(rows)}
    r = multilabel_scores(pred, gold, LABELS, zero_division=zd)
    mlb = MultiLabelBinarizer()
    mlb.fit([LABELS])
    yt = mlb.transform([g for g, _ in rows])
    yp = mlb.transform([p for _, p in rows])
    assert r.f1 == pytest.approx(f1_score(yt, yp, average="micro", zero_division=zd))
    assert r.macro_f1 == pytest.approx(f1_score(yt, yp, average="macro", zero_division=zd))
    assert r.precision == pytest.approx(precision_score(yt, yp, average="micro",
                                                        zero_division=zd))
    assert r.recall == pytest.approx(recall_score(yt, yp, average="micro", zero_division=zd))


def test_unlp_span_example_from_the_kaggle_metric_docstring() -> None:
    gold = {"1": [(612, 622), (725, 831)], "2": [(300, 312)], "3": []}
    pred = {"1": [(612, 622), (700, 720)], "2": [(300, 312)], "3": [(100, 200)]}
    assert unlp_span_scores(pred, gold).f1 == pytest.approx(0.16296296296296295)


def test_unlp_span_overlapping_predictions_count_once_and_missing_post() -> None:
    r = unlp_span_scores({"1": [(0, 10), (5, 10)]}, {"1": [(0, 10)], "2": [(0, 10)]})
    assert r.n_pred == 10 and r.n_gold == 20
    assert r.precision == 1.0 and r.recall == 0.5
    empty = unlp_span_scores({}, {"1": []})
    assert empty.f1 == 0.0


def test_unlp_techniques_macro_zero_division_zero() -> None:
    r = unlp_technique_scores({"p": {"fud"}}, {"p": {"fud"}})
    # Nine techniques absent from gold and predictions score 0 under Kaggle's F1.
    assert r.macro_f1 == pytest.approx(0.1) and r.f1 == 1.0 and r.score == r.macro_f1
