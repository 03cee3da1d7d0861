"""The HTML report: self-contained, escaped, complete; charts as files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from spinscope.analyze import InlineEngine, analyze_corpus
from spinscope.analyze.testing import KeywordFactory
from spinscope.cli.main import cli
from spinscope.core.document import content_hash
from spinscope.demo import ingest_samples, sample_registry
from spinscope.report import ReportOptions, write_report
from spinscope.store import Article, open_store

EVIL = '<script>alert("x")</script> & the shameful <img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("report")
    path = str(root / "s.sqlite")
    with open_store(path) as st:
        ingest_samples(st, root / "input")
        with st.transaction():
            text = f"Title line\n\nA paragraph with {EVIL} words in it."
            st.insert(Article(id="evil000000000001", text=text, content_hash=content_hash(text),
                              location="test", outlet="ridgeline", lang="en",
                              published="2031-03-20", title=EVIL))
        analyze_corpus(st, KeywordFactory(), engine=InlineEngine())
    return path


def test_report_is_self_contained_and_escaped(sample_store: str, tmp_path: Path) -> None:
    with open_store(sample_store) as st:
        result = write_report(st, tmp_path / "r.html", ReportOptions(resamples=200),
                              sample_registry(), tmp_path / "charts", png=False)
    html = result.path.read_text("utf-8")
    assert "<script" not in html.lower()
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in html  # the text is there, escaped
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html
    for section in ("summary", "outlets", "blocs", "languages", "trends", "events",
                    "examples", "method", "model", "caveats"):
        assert f"id='{section}'" in html
    assert html.count("<svg") >= 4
    assert "Name calling / labeling" in html and "<mark>" in html
    assert "Not covered" in html  # the fake covers 5 of 23 techniques
    svgs = sorted(p.name for p in result.charts)
    assert svgs == ["outlet-technique-heatmap.svg", "rate-by-bloc.svg", "rate-by-language.svg",
                    "trend-by-bloc.svg"]
    for p in result.charts:
        ET.fromstring(p.read_text("utf-8"))  # well-formed XML


def test_report_numbers_match_compare(sample_store: str, tmp_path: Path) -> None:
    with open_store(sample_store) as st:
        result = write_report(st, tmp_path / "r.html", ReportOptions(resamples=100))
    data = result.data
    assert data.by_outlet.copies_left_out == 2  # the two syndicated sample copies
    assert sum(g.articles for g in data.by_outlet.groups) == 31
    assert data.model_version == "keyword-1"


def test_png_charts_with_matplotlib(sample_store: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    with open_store(sample_store) as st:
        result = write_report(st, tmp_path / "r.html", ReportOptions(resamples=50),
                              sample_registry(), tmp_path / "charts")
    pngs = [p for p in result.charts if p.suffix == ".png"]
    assert len(pngs) == 4
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_report_cli(sample_store: str, tmp_path: Path) -> None:
    out = tmp_path / "cli.html"
    r = CliRunner().invoke(cli, ["report", "--store", sample_store, "-o", str(out),
                                 "--resamples", "50", "--lang", "ru", "--title", "Russian <b>"])
    assert r.exit_code == 0, r.output
    html = out.read_text("utf-8")
    assert "Russian &lt;b&gt;" in html and "languages: ru" in html
    r = CliRunner().invoke(cli, ["report", "--store", sample_store, "-o", str(out),
                                 "--event", "ev-nope"])
    assert r.exit_code != 0
