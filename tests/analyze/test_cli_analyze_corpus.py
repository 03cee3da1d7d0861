"""``spinscope analyze-corpus`` on a small SQLite store with the keyword fake."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from corpus_fixtures_analyze import add_articles

from spinscope.analyze.testing import FAIL_MARKER
from spinscope.cli.main import cli
from spinscope.store import open_store


def _store(tmp_path: Path, n: int = 12) -> str:
    path = str(tmp_path / "c.sqlite")
    with open_store(path) as st:
        add_articles(st, n, extra={4: FAIL_MARKER})
    return path


def test_cli_runs_reports_and_resumes(tmp_path: Path) -> None:
    path = _store(tmp_path)
    runner = CliRunner()
    r = runner.invoke(cli, ["analyze-corpus", "--store", path, "--keyword-model", "--workers",
                            "1", "-q", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["to_do"], out["analysed"], out["failed"]) == (12, 11, 1)
    assert out["failures"][0]["id"] == "doc-0004"
    r = runner.invoke(cli, ["analyze-corpus", "--store", path, "--keyword-model", "--workers",
                            "1", "-q", "--skip-failed"])
    assert r.exit_code == 0 and "analysed 0 of 0" in r.stdout
    r = runner.invoke(cli, ["analyze-corpus", "--store", path, "--status", "--json"])
    status = json.loads(r.stdout)
    assert status["result_sets"][0]["articles"] == 11
    assert [x["id"] for x in status["runs"]] == [2, 1]


def test_cli_filters_and_text_output(tmp_path: Path) -> None:
    path = _store(tmp_path)
    r = CliRunner().invoke(cli, ["analyze-corpus", "--store", path, "--keyword-model",
                                 "--workers", "1", "-q", "--outlet", "south-star"])
    assert r.exit_code == 0, r.output
    assert "analysed 6 of 6" in r.stdout
    r = CliRunner().invoke(cli, ["analyze-corpus", "--store", path, "--status"])
    assert "keyword-1" in r.stdout and "6" in r.stdout


def test_cli_refuses_a_missing_store(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["analyze-corpus", "--store", str(tmp_path / "none.sqlite"),
                                 "--keyword-model"])
    assert r.exit_code != 0
    assert "no corpus store" in str(r.exception) or "no corpus store" in r.output
