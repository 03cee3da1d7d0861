"""``spinscope compare`` on a small store analysed with the keyword fake."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analyze"))
from corpus_fixtures_analyze import add_articles

from spinscope.analyze import InlineEngine, analyze_corpus
from spinscope.analyze.testing import KeywordFactory
from spinscope.cli.main import cli
from spinscope.store import open_store


@pytest.fixture
def analysed(tmp_path: Path) -> tuple[str, str]:
    path = str(tmp_path / "c.sqlite")
    with open_store(path) as st:
        add_articles(st, 24, outlets=("north-post", "south-star", "east-wire"))
        analyze_corpus(st, KeywordFactory(), engine=InlineEngine())
    registry = tmp_path / "outlets.json"
    registry.write_text(json.dumps({"outlets": [
        {"id": "north-post", "name": "North Post", "domain": "north.example", "blocs": ["west"]},
        {"id": "south-star", "name": "South Star", "domain": "south.example", "blocs": ["west"]},
        {"id": "east-wire", "name": "East Wire", "domain": "east.example", "blocs": ["wire"]},
    ]}), encoding="utf-8")
    return path, str(registry)


def test_table_json_and_csv(analysed: tuple[str, str]) -> None:
    path, registry = analysed
    runner = CliRunner()
    r = runner.invoke(cli, ["compare", "--store", path, "--by", "bloc", "--outlets", registry,
                            "--resamples", "200"])
    assert r.exit_code == 0, r.output
    assert "west" in r.stdout and "wire" in r.stdout and "percentile bootstrap" in r.stdout
    r = runner.invoke(cli, ["compare", "--store", path, "--by", "outlet", "--json",
                            "--resamples", "100"])
    data = json.loads(r.stdout)
    assert {g["group"] for g in data["groups"]} == {"north-post", "south-star", "east-wire"}
    assert data["model_version"] == "keyword-1" and data["options"]["resamples"] == 100
    r = runner.invoke(cli, ["compare", "--store", path, "--by", "lang", "--csv",
                            "--technique", "Doubt", "--resamples", "50"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["technique"] for row in rows} == {"ALL", "Doubt"}
    assert {row["metric"] for row in rows} == {"rate", "share"}
    assert all(row["group"] == "en" for row in rows)


def test_one_technique_table_and_errors(analysed: tuple[str, str]) -> None:
    path, _ = analysed
    runner = CliRunner()
    r = runner.invoke(cli, ["compare", "--store", path, "--technique", "Doubt",
                            "--resamples", "50", "--over", "week"])
    assert r.exit_code == 0, r.output
    assert "bucket" in r.stdout.splitlines()[0]
    r = runner.invoke(cli, ["compare", "--store", path, "--technique", "Nonsense"])
    assert r.exit_code != 0
    assert "unknown technique" in str(r.exception)
    r = runner.invoke(cli, ["compare", "--store", path, "--model-version", "nope"])
    assert "no analyses of model version" in str(r.exception)


def test_min_score_counts_only_confident_spans(analysed: tuple[str, str]) -> None:
    path, _ = analysed
    r = CliRunner().invoke(cli, ["compare", "--store", path, "--json", "--resamples", "20",
                                 "--min-score", "0.95"])  # the fake scores every span 0.9
    data = json.loads(r.stdout)
    assert all(g["spans"] == 0 for g in data["groups"])
    assert data["options"]["min_score"] == 0.95
    r = CliRunner().invoke(cli, ["compare", "--store", path, "--json", "--resamples", "20",
                                 "--min-score", "0.5"])
    assert sum(g["spans"] for g in json.loads(r.stdout)["groups"]) > 0
