"""``spinscope predict`` on a tiny fictional article folder, for every format."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from spinscope.cli.main import cli
from spinscope.core.span import Span
from spinscope.models.registry import LoadOptions, register_predictor
from spinscope.prediction import predict

# Article 1 has a BOM and CRLF line ends: offsets must count both.
ART1 = "\ufeffHeadline\r\n\r\nThey are corrupt traitors.\r\nNothing here.\r\n"
ART2 = "Calm title\n\nWe doubt it.\n"


class KeywordPredictor:
    """Deterministic stand-in model: fixed words are techniques."""

    WORDS: ClassVar[dict[str, str]] = {
        "corrupt": "Loaded_Language", "traitors": "Name_Calling-Labeling", "doubt": "Doubt"}

    name = "fake-keywords"
    version = "fake-keywords-1"
    techniques = tuple(WORDS.values())

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        out = []
        for text in texts:
            spans = []
            for word, label in self.WORDS.items():
                i = text.find(word)
                if i >= 0:
                    spans.append(Span(i, i + len(word), label))
            out.append(spans)
        return out

    def identify(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[s.with_label(None) for s in spans] for spans in self.detect(texts)]

    def classify(self, text: str, spans: Sequence[Span]) -> list[str]:
        return ["Appeal_to_Values" if len(s) > 20 else "Name_Calling-Labeling" for s in spans]


def _load_fake(options: LoadOptions) -> KeywordPredictor:
    return KeywordPredictor()


register_predictor("fake-keywords", _load_fake)  # type: ignore[arg-type]


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article1.txt").write_bytes(ART1.encode("utf-8"))
    (folder / "article2.txt").write_bytes(ART2.encode("utf-8"))
    (folder / "notes.md").write_text("not an article")
    return folder


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["predict", *args, "--model", "fake-keywords"])
    assert result.exit_code == 0, result.output
    return result.output


def test_si_offsets_keep_bom_and_crlf(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "si.txt"
    _run([str(articles), "--format", "ptc-si", "-o", str(out)])
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    start = ART1.index("corrupt")
    # "corrupt" and "traitors" do not overlap: two spans for article 1, one for article 2.
    assert rows[0] == ["1", str(start), str(start + 7)]
    assert len(rows) == 3 and rows[2][0] == "2"
    assert ART1[int(rows[1][1]) : int(rows[1][2])] == "traitors"


def test_tc_fills_the_template_with_ptc_names(articles: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.out"
    s = ART1.index("corrupt")
    template.write_text(f"1\t?\t{s}\t{s + 16}\n1\t?\t{s}\t{s + 25}\n9\t?\t0\t3\n")
    out = tmp_path / "tc.txt"
    output = _run([str(articles), "--format", "ptc-tc", "--template", str(template),
                   "-o", str(out)])
    assert out.read_text().splitlines() == [
        f"1\tName_Calling,Labeling\t{s}\t{s + 16}",
        f"1\tLoaded_Language\t{s}\t{s + 25}",  # Appeal_to_Values has no PTC class: fallback
    ]
    assert "article 9" in output and "no PTC class" in output


def test_tc_without_template_is_refused(articles: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["predict", str(articles), "--format", "ptc-tc",
                                      "--model", "fake-keywords", "-o", str(tmp_path / "x")])
    assert result.exit_code != 0 and "--template" in result.output


def test_semeval2023_spans(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "spans.txt"
    _run([str(articles), "--format", "semeval2023-spans", "-o", str(out)])
    lines = out.read_text().splitlines()
    assert f"1\tLoaded_Language\t{ART1.index('corrupt')}\t{ART1.index('corrupt') + 7}" in lines
    assert any(line.startswith("2\tDoubt\t") for line in lines)


def test_st3_every_line_and_template(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "st3.txt"
    _run([str(articles), "--format", "semeval2023-st3", "-o", str(out)])
    assert out.read_text().splitlines() == [
        "1\t1\t", "1\t3\tLoaded_Language,Name_Calling-Labeling", "1\t4\t",
        "2\t1\t", "2\t3\tDoubt"]
    template = tmp_path / "st3.template"
    template.write_text("2\t3\tWe doubt it.\n1\t3\tThey are corrupt traitors.\n")
    out2 = tmp_path / "st3b.txt"
    _run([str(articles), "--format", "semeval2023-st3", "--template", str(template),
          "-o", str(out2)])
    assert out2.read_text().splitlines() == [
        "1\t3\tLoaded_Language,Name_Calling-Labeling", "2\t3\tDoubt"]


def test_bad_article_is_reported_and_rest_processed(articles: Path, tmp_path: Path) -> None:
    (articles / "article3.txt").write_bytes(b"caf\xe9 doubt\n")
    result = predict(KeywordPredictor(), articles, "semeval2023-spans")
    assert set(result.spans) == {"1", "2"}
    assert any("article3.txt" in p and "UTF-8" in p for p in result.problems)


def test_unknown_model_is_a_clear_error(articles: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["predict", str(articles), "--format", "ptc-si",
                                      "--model", "no-such-model", "-o", str(tmp_path / "x")])
    assert result.exit_code != 0 and "unknown model" in result.output
