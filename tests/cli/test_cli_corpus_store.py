"""spinscope ingest/ls/search/show/export/outlets through click's runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from spinscope.cli.main import cli

CRLF_TEXT = "\ufeffQuay repairs approved\r\nThe council approved the quay repairs on Friday.\r\n"


@pytest.fixture
def store(tmp_path: Path) -> str:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(CRLF_TEXT.encode())
    (folder / "broken.txt").write_bytes(b"%PDF-1.5 binary")
    (folder / "b.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"title": "Причал", "text": "Совет одобрил ремонт причала в пятницу.", "lang": "ru",
         "outlet": "zsn", "date": "2031-03-02"},
        {"title": "Міст", "text": "Рада схвалила ремонт мосту в п'ятницю.", "lang": "uk",
         "outlet": "dzvin", "date": "2031-03-05"},
    ]) + "\n", "utf-8")
    location = str(tmp_path / "s.sqlite")
    result = CliRunner().invoke(cli, ["ingest", "--store", location, "-q", "--tag", "demo",
                                      str(folder)])
    assert result.exit_code == 0, result.output
    assert "added 3" in result.output
    return location


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_ls_filters_and_summary(store: str) -> None:
    out = run("ls", "--store", store)
    assert "Quay repairs approved" in out and "Причал" in out
    rows = json.loads(run("ls", "--store", store, "--json", "--lang", "uk"))
    assert rows["total"] == 1 and rows["articles"][0]["outlet"] == "dzvin"
    rows = json.loads(run("ls", "--store", store, "--json", "--from", "2031-03-01", "--to",
                          "2031-03-02"))
    assert [a["title"] for a in rows["articles"]] == ["Причал"]
    assert json.loads(run("ls", "--store", store, "--json", "--tag", "demo"))["total"] == 3
    summary = json.loads(run("ls", "--store", store, "--summary", "--json"))
    assert summary["articles"] == 3 and summary["by_lang"] == {"en": 1, "ru": 1, "uk": 1}
    assert summary["runs"][0]["added"] == 3
    failed = json.loads(run("ls", "--store", store, "--failures", "--json"))
    assert [f["location"].rsplit("/", 1)[-1] for f in failed["failures"]] == ["broken.txt"]
    assert "binary content" in run("ls", "--store", store, "--failures", str(failed["run"]))


def test_ls_on_missing_store_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ls", "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code != 0
    assert "ingest something first" in str(result.exception)


def test_search_and_show(store: str) -> None:
    hits = json.loads(run("search", "--store", store, "--json", "ремонт"))
    assert sorted(h["lang"] for h in hits) == ["ru", "uk"]
    hits = json.loads(run("search", "--store", store, "--json", "ремонт", "--outlet", "zsn"))
    assert [h["title"] for h in hits] == ["Причал"]
    assert "no matches" in CliRunner().invoke(cli, ["search", "--store", store,
                                                    "nothing-here"]).output
    hits = json.loads(run("search", "--store", store, "--json", "quay"))
    article_id = hits[0]["id"]
    shown = run("show", "--store", store, article_id[:6])
    assert "Quay repairs approved" in shown and "tags:" in shown
    result = CliRunner().invoke(cli, ["show", "--store", store, article_id, "--text-only"])
    assert result.stdout_bytes == CRLF_TEXT.encode()  # exactly as stored
    data = json.loads(run("show", "--store", store, article_id, "--json"))
    assert data["text"] == CRLF_TEXT and data["tags"] == ["demo"]
    raw = CliRunner().invoke(cli, ["show", "--store", store, article_id, "--raw"])
    assert raw.exit_code != 0 and "can be re-read from" in raw.output


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_formats_keep_text_exactly(store: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    run("export", "--store", store, "--format", fmt, "-o", str(out))
    if fmt == "csv":
        with out.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    else:
        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 3
    assert CRLF_TEXT in [r["text"] for r in rows]
    assert {r["lang"] for r in rows} == {"en", "ru", "uk"}


def test_export_to_stdout_filtered_without_text(store: str) -> None:
    result = CliRunner().invoke(cli, ["export", "--store", store, "--format", "csv",
                                      "--no-text", "--lang", "ru"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1 and "text" not in rows[0] and rows[0]["outlet"] == "zsn"


def test_outlets_listing() -> None:
    out = json.loads(run("outlets", "--json"))
    ids = {o["id"] for o in out["outlets"]}
    assert {"meridian", "zsn", "radio-lirova"} <= ids
    real = [o for o in out["outlets"] if not o.get("fictional")]
    assert real and all(not o["blocs"] and o["state_affiliated"] is None for o in real)
