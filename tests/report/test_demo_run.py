"""``run_demo``: samples → store → analysis → events → report, printing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.analyze import InlineEngine
from spinscope.analyze.testing import KeywordFactory
from spinscope.demo import run_demo
from spinscope.events.embed import bundle_path
from spinscope.store import open_store


def test_demo_with_the_keyword_fake(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = (bundle_path() / "model.onnx").is_file()
    with open_store(str(tmp_path / "demo.sqlite")) as st:
        result = run_demo(st, tmp_path / "out", KeywordFactory(), InlineEngine(),
                          events=events, charts=False)
        again = run_demo(st, tmp_path / "out", KeywordFactory(), InlineEngine(),
                         events=False, charts=False)
    assert capsys.readouterr().out == ""
    assert result.ingest["added"] == 32 and result.ingest["linked"] == 2
    assert result.analysis["analysed"] == 32 and result.model_version == "keyword-1"
    assert again.ingest["added"] == 0 and again.analysis["analysed"] == 0  # idempotent
    html = result.report.read_text("utf-8")
    assert "fictional news corpus" in html and "Дзвін" in html
    if events:
        assert result.events["events"] == 5
        assert "Ostrozhin" in html
