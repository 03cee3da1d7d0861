"""``spinscope events`` subcommands on a SQLite store with the hashing embedder."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from spinscope.cli.main import cli
from spinscope.core.document import content_hash
from spinscope.store import Article, open_store

TEXTS = ["Harbour dockers strike over wages, harbour cranes idle",
         "River flood swamps village, floodwater rises in village"]


def _store(tmp_path: Path) -> str:
    path = str(tmp_path / "e.sqlite")
    with open_store(path) as st, st.transaction():
        for k in range(8):
            text = TEXTS[k % 2] + f" (report {k})"
            st.insert(Article(id=f"art-{k:02d}", text=text, content_hash=content_hash(text),
                              location=f"t{k}", url=f"https://x.example/{k}",
                              outlet=f"o{k % 3}", lang="en", published=f"2031-06-0{1 + k % 3}",
                              title=f"Report {k}"))
    return path


def _run(*args: str) -> str:
    r = CliRunner().invoke(cli, ["events", *args])
    assert r.exit_code == 0, (r.output, r.exception)
    return r.stdout


def test_events_commands(tmp_path: Path) -> None:
    path = _store(tmp_path)
    out = json.loads(_run("build", "--store", path, "--embedder", "hashing", "--threshold",
                          "0.6", "-q", "--json"))
    assert out["events"] == 2 and out["in_events"] == 8
    listed = json.loads(_run("list", "--store", path, "--json"))
    assert [e["articles"] for e in listed] == [4, 4]
    a, b = listed[0]["id"], listed[1]["id"]
    assert "art-0" in _run("show", "--store", path, a)
    shown = json.loads(_run("show", "--store", path, a, "--json"))
    assert len(shown["members"]) == 4
    member = shown["article_ids"][-1]  # not the earliest: the event keeps its id
    assert "moved 1 articles" in _run("split", "--store", path, a, member)
    assert "merged 2 events" in _run("merge", "--store", path, a, b, "--note", "one story")
    merged_id = json.loads(_run("list", "--store", path, "--json"))[0]["id"]
    assert "renamed" in _run("rename", "--store", path, merged_id, "Coastal troubles")
    edits = json.loads(_run("edits", "--store", path, "--json"))
    assert [e["action"] for e in edits] == ["split", "merge", "rename"]
    _run("build", "--store", path, "--embedder", "hashing", "--threshold", "0.6", "-q")
    final = json.loads(_run("list", "--store", path, "--json"))
    assert sorted(e["articles"] for e in final) == [1, 7]
    assert any(e["name"] == "Coastal troubles" for e in final)
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"articles": {f"https://x.example/{k}": str(k % 2)
                                             for k in range(8)}}))
    score = json.loads(_run("score", "--store", path, "--gold", str(gold), "--key", "url",
                            "--json"))
    assert score["documents"] == 8 and score["gold_keys_not_found"] == 0


def test_events_errors(tmp_path: Path) -> None:
    path = _store(tmp_path)
    r = CliRunner().invoke(cli, ["events", "show", "--store", path, "ev-none"])
    assert r.exit_code != 0 and "events build" in str(r.exception)
    r = CliRunner().invoke(cli, ["events", "merge", "--store", path, "ev-1"])
    assert r.exit_code != 0
