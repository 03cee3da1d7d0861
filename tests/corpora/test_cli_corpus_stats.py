"""``spinscope corpus stats`` on a fictional corpus: tables, --labels and --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spinscope.cli.main import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_stats_json(runner: CliRunner, semeval2023_root: Path) -> None:
    result = runner.invoke(cli, ["corpus", "stats", str(semeval2023_root), "--json",
                                 "--labels"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "semeval2023"
    train = next(s for s in data["splits"] if s["split"] == "train")
    assert (train["lang"], train["documents"], train["spans"], train["paragraphs"],
            train["paragraphs_with_label"], train["st1_articles"]) == ("ru", 3, 4, 8, 4, 3)
    assert train["span_labels"]["Name_Calling-Labeling"] == 2
    assert data["report"]["repairs"][
        "span end one character short before '.': extended"] == 1


def test_stats_table_and_labels(runner: CliRunner, semeval2023_root: Path) -> None:
    result = runner.invoke(cli, ["corpus", "stats", str(semeval2023_root), "--labels"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("semeval2023:") and "para>=1 label" in out
    assert "Loaded_Language" in out and "read report" in out


def test_stats_unknown_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["corpus", "stats", str(tmp_path)])
    assert result.exit_code != 0
    assert "not a known corpus layout" in str(result.exception)
