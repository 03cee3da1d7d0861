"""Regression floors of the baselines on PTC dev and SemEval-2023 ru train (evaluation only).

The models train on PTC train on first use (a few minutes on 2 cores) and are then cached in
the user cache, so reruns take seconds. Floors sit a little below the figures measured for
docs/evaluation.md (tfidf: SI 0.282, TC 0.551, ru st3 0.212; trivial: SI 0.030, TC 0.171).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.baselines import load_baseline
from spinscope.evaluation import EvalOptions, evaluate
from spinscope.prediction import predict

pytestmark = [pytest.mark.shared, pytest.mark.slow]

FLOORS = {
    ("baseline-tfidf", "ptc-si"): 0.26,
    ("baseline-tfidf", "ptc-tc"): 0.53,
    ("baseline-tfidf", "semeval2023-st3"): 0.19,
    ("baseline-trivial", "ptc-si"): 0.01,
    ("baseline-trivial", "ptc-tc"): 0.15,
}


@pytest.mark.parametrize(("model", "fmt"), sorted(FLOORS))
def test_baseline_floor(shared_data: Path, tmp_path: Path, model: str, fmt: str) -> None:
    ptc = shared_data / "ptc_semeval2020_task11"
    ds = ptc / "datasets"
    predictor = load_baseline(model, ptc)
    if fmt == "semeval2023-st3":
        ru = shared_data / "semeval2023_task3" / "data" / "ru"
        articles, template = ru / "train-articles-subtask-3", ru / "train-labels-subtask-3.template"
        gold = ru / "train-labels-subtask-3.txt"
    else:
        articles = ds / "dev-articles"
        template = ds / "dev-task-flc-tc.labels" if fmt == "ptc-tc" else None
        gold = ds / ("dev-task-si.labels" if fmt == "ptc-si" else "dev-task-flc-tc.labels")
    result = predict(predictor, articles, fmt, template)
    assert not result.problems
    out = tmp_path / "pred.txt"
    result.write(out)
    ids = frozenset(p.stem[len("article"):] for p in articles.glob("article*.txt"))
    scores = evaluate(fmt, out, gold, EvalOptions(articles=ids if fmt == "ptc-si" else None))
    assert scores.scores.score >= FLOORS[(model, fmt)]
