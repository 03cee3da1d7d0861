"""``spinscope eval`` on tiny fictional submissions, and PTC dev gold scored against itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spinscope.cli.main import cli
from spinscope.evaluation import EvalOptions, evaluate


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["eval", *args])
    return result.exit_code, result.stdout, result.stderr


def test_si_table_and_missing_article_note(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.txt", "1\t0\t10\n2\t0\t4\n")
    pred = _write(tmp_path / "pred.txt", "1\t5\t15\n")
    code, out, err = _run("--format", "ptc-si", str(pred), str(gold))
    assert code == 0, err
    assert "primary f1" in out and "micro" in out
    assert "1 of 2 gold articles have no predictions" in err


def test_si_json(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.txt", "1\t0\t10\n")
    pred = _write(tmp_path / "pred.txt", "1\t5\t15\n")
    code, out, _ = _run("--format", "ptc-si", str(pred), str(gold), "--json")
    data = json.loads(out)
    assert code == 0 and data["scores"]["f1"] == 0.5 and data["format"] == "ptc-si"


def test_overlapping_predictions_fail_unless_merged(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.txt", "1\t0\t10\n")
    pred = _write(tmp_path / "pred.txt", "1\t0\t6\n1\t4\t10\n")
    code, _, err = _run("--format", "ptc-si", str(pred), str(gold))
    assert code == 1 and "--merge-overlapping" in err
    code, out, _ = _run("--format", "ptc-si", str(pred), str(gold), "--merge-overlapping",
                        "--json")
    assert code == 0 and json.loads(out)["scores"]["f1"] == 1.0


def test_extra_articles_fail_unless_ignored_or_named(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.txt", "1\t0\t10\n")
    pred = _write(tmp_path / "pred.txt", "1\t0\t10\n9\t0\t5\n")
    code, _, err = _run("--format", "ptc-si", str(pred), str(gold))
    assert code == 1 and "not in the gold (9)" in err
    code, out, err = _run("--format", "ptc-si", str(pred), str(gold), "--ignore-extra", "--json")
    assert code == 0 and json.loads(out)["scores"]["f1"] == 1.0
    assert "ignored" in err
    articles = tmp_path / "articles"
    articles.mkdir()
    for a in ("1", "9"):
        _write(articles / f"article{a}.txt", "fictional text of no importance\n")
    code, out, _ = _run("--format", "ptc-si", str(pred), str(gold), "--articles", str(articles),
                        "--json")
    scores = json.loads(out)["scores"]
    assert code == 0 and scores["precision"] == 0.5 and scores["recall"] == 1.0


def test_tc_with_per_class_rows_and_malformed_line(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.txt",
                  "1\tDoubt\t0\t5\n1\tSlogans\t7\t9\n1\tLoaded_Language\t7\t9\n")
    pred = _write(tmp_path / "pred.txt",
                  "1\tDoubt\t0\t5\n1\tLoaded_Language\t7\t9\n1\tBogus\t7\t9\n")
    code, out, err = _run("--format", "ptc-tc", str(pred), str(gold))
    assert code == 0
    assert f"{pred}:3: unknown technique 'Bogus'" in err
    assert "1 gold spans have no prediction" in err
    assert "Loaded_Language" in out and "Slogans" in out
    assert "primary micro_f1 = 0.6667" in out


def test_semeval2023_spans_folder_gold(tmp_path: Path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    _write(folder / "article1-labels-subtask-3.txt", "1\tDoubt\t0\t10\n")
    _write(folder / "article2-labels-subtask-3.txt", "")
    pred = _write(tmp_path / "pred.txt", "1\tDoubt\t0\t5\n2\tSlogans\t0\t3\n")
    code, out, _ = _run("--format", "semeval2023-spans", str(pred), str(folder), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["scores"]["per_class"]["Doubt"]["recall"] == 0.5
    assert data["scores"]["per_class"]["Slogans"]["precision"] == 0.0


def test_st3_st2_st1(tmp_path: Path) -> None:
    gold3 = _write(tmp_path / "g3.txt", "1\t1\tDoubt\n1\t2\t\n2\t1\tSlogans,Doubt\n")
    pred3 = _write(tmp_path / "p3.txt", "1\t1\tDoubt\n1\t2\t\n")
    code, out, err = _run("--format", "semeval2023-st3", str(pred3), str(gold3), "--json")
    data = json.loads(out)
    assert code == 0 and data["scores"]["f1"] == pytest.approx(0.5)
    assert data["missing_articles"] == ["2"]
    assert "1 gold paragraphs have no prediction" in err
    gold2 = _write(tmp_path / "g2.txt", "1\tEconomic\n2\t\n")
    pred2 = _write(tmp_path / "p2.txt", "1\tEconomic\n2\tMorality\n")
    code, out, _ = _run("--format", "semeval2023-st2", str(pred2), str(gold2), "--json")
    assert code == 0 and json.loads(out)["scores"]["f1"] == pytest.approx(2 / 3)
    gold1 = _write(tmp_path / "g1.txt", "1\topinion\n2\tsatire\n")
    pred1 = _write(tmp_path / "p1.txt", "1\topinion\n2\topinion\n")
    code, out, _ = _run("--format", "semeval2023-st1", str(pred1), str(gold1))
    assert code == 0 and "primary macro_f1 = 0.3333" in out


def test_unusable_predictions_exit_with_message(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.txt", "1\t0\t10\n")
    pred = _write(tmp_path / "pred.txt", "garbage\n")
    code, _, err = _run("--format", "ptc-si", str(pred), str(gold))
    assert code == 1 and f"{pred}:1" in err


@pytest.mark.shared
def test_ptc_dev_gold_against_itself(shared_data: Path) -> None:
    d = shared_data / "ptc_semeval2020_task11" / "datasets"
    si = evaluate("ptc-si", d / "dev-task-si.labels", d / "dev-task-si.labels")
    assert si.scores.f1 == 1.0 and si.scores.n_gold > 0 and not si.gold_issues
    tc = evaluate("ptc-tc", d / "dev-task-flc-tc.labels", d / "dev-task-flc-tc.labels")
    assert tc.scores.f1 == 1.0 and tc.scores.n_examples > 0 and not tc.gold_issues
    # The per-article folder reads the same as the combined file.
    folder = evaluate("ptc-tc", d / "dev-task-flc-tc.labels", d / "dev-labels-task-flc-tc",
                      EvalOptions())
    assert folder.scores.f1 == 1.0 and folder.scores.n_examples == tc.scores.n_examples
