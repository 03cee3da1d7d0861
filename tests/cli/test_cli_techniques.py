from __future__ import annotations

import json

from click.testing import CliRunner

from spinscope.cli.main import cli


def test_techniques_text_lists_all_groups() -> None:
    result = CliRunner().invoke(cli, ["techniques"])
    assert result.exit_code == 0, result.output
    assert "23 techniques in 6 groups" in result.output
    assert "Whataboutism" in result.output and "Manipulative wording" in result.output


def test_techniques_json() -> None:
    result = CliRunner().invoke(cli, ["techniques", "--json"])
    data = json.loads(result.output)
    assert len(data["techniques"]) == 23
    assert {t["group"] for t in data["techniques"]} == {g["id"] for g in data["groups"]}


def test_techniques_group_filter_and_bad_group() -> None:
    ok = CliRunner().invoke(cli, ["techniques", "--json", "--group", "distraction"])
    names = {t["name"] for t in json.loads(ok.output)["techniques"]}
    assert names == {"Straw_Man", "Red_Herring", "Whataboutism"}
    bad = CliRunner().invoke(cli, ["techniques", "--group", "nope"])
    assert bad.exit_code != 0 and "unknown group" in bad.output


def test_techniques_mappings() -> None:
    result = CliRunner().invoke(cli, ["techniques", "--mappings", "ptc", "--json"])
    data = json.loads(result.output)
    assert data["Black-and-White_Fallacy"]["targets"] == ["False_Dilemma-No_Choice"]
