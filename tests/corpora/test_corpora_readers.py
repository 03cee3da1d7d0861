"""Corpus readers on small fictional folders: offsets, labels, repairs, detection."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpus_fixtures import PTC_B, S23_A10, write

from spinscope.corpora import (
    is_heldout,
    open_corpus,
    read_ptc,
    read_ptc_si,
    read_ptc_template,
    read_semeval2021,
    read_semeval2023,
    read_st3_template,
    read_unlp2025,
)
from spinscope.corpora.semeval2023_offsets import crlf_to_stored, line_bounds, repair_short_end
from spinscope.errors import CorpusError


def test_ptc_reads_spans_with_bom_kept(ptc_root: Path) -> None:
    cs = read_ptc(ptc_root, "train")
    docs = {d.id: d for d in cs.documents}
    assert set(docs) == {"1", "2", "3"} and cs.n_spans == 2
    assert docs["2"].text.startswith("\ufeff") and docs["2"].text == PTC_B
    span = docs["2"].spans[0]
    assert span.label == "Exaggeration,Minimisation"
    assert docs["2"].text[span.start] == "“" and docs["2"].text[span.end - 1] == "”"
    assert docs["1"].text[docs["1"].spans[0].start:docs["1"].spans[0].end] == "terrible"
    assert docs["3"].spans == () and cs.report.notes[
        "articles without a flc-tc label file (no spans)"] == 1
    assert not cs.report.problems
    # also accepts datasets/ itself
    assert read_ptc(ptc_root / "datasets", "train").n_spans == 2


def test_ptc_si_and_test_template(ptc_root: Path) -> None:
    si = read_ptc_si(ptc_root, "train")
    assert si.n_spans == 2 and all(s.label is None for d in si.documents for s in d.spans)
    test = read_ptc(ptc_root, "test")
    assert not test.has_gold and test.n_spans == 0 and len(test) == 1
    tpl = read_ptc_template(ptc_root)
    assert [(s.start, s.end, s.label) for s in tpl["9"]] == [(12, 13, None), (0, 4, None)]


def test_ptc_missing_label_file_uses_combined_file(ptc_root: Path) -> None:
    ds = ptc_root / "datasets"
    line = (ds / "train-labels-task-flc-tc" / "article1.task-flc-tc.labels").read_text()
    write(ds / "train-task-flc-tc.labels", line)
    (ds / "train-labels-task-flc-tc" / "article1.task-flc-tc.labels").unlink()
    cs = read_ptc(ptc_root, "train")
    assert cs.n_spans == 2
    [p] = cs.report.problems
    assert p.path.endswith("article1.task-flc-tc.labels") and "missing" in p.message


def test_unlp_clips_and_heldout_is_stable(tmp_path: Path) -> None:
    ids = [f"post-{i}" for i in range(40)]
    table = pa.table({
        "id": ids, "content": ["Some words here."] * 40, "lang": ["uk", "ru"] * 20,
        "manipulative": [True] * 40, "techniques": [["cliche"]] * 40,
        "trigger_words": [[[0, 4], [10, 99]]] * 39 + [[[0, 4], [16, 20]]],
    })
    path = tmp_path / "unlp" / "data" / "span_detection" / "train.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)
    cs = read_unlp2025(tmp_path / "unlp")
    assert len(cs) == 40 and cs.n_spans == 79
    assert cs.report.repairs["span end past end of text: clipped"] == 39
    assert cs.report.repairs["span past end of text: dropped"] == 1
    assert cs.documents[0].spans[1].end == len("Some words here.")
    assert cs.documents[0].labels == ("cliche",)
    held = {d.id for d in read_unlp2025(tmp_path / "unlp", "train-heldout").documents}
    fit = {d.id for d in read_unlp2025(tmp_path / "unlp", "train-fit").documents}
    assert held == {i for i in ids if is_heldout(i)} and not held & fit
    assert held | fit == set(ids)
    assert len(read_unlp2025(tmp_path / "unlp", lang="ru")) == 20


def test_is_heldout_is_the_documented_hash() -> None:
    import hashlib
    for pid in ("a", "b", "0bb0-c7fa", "post-7"):
        expect = int(hashlib.sha1(pid.encode()).hexdigest(), 16) % 100 < 15
        assert is_heldout(pid) is expect


def test_semeval2021_repairs_fragments(semeval2021_root: Path) -> None:
    cs = read_semeval2021(semeval2021_root, "train")
    docs = {d.id: d for d in cs.documents}
    assert docs["1"].labels == ("Loaded Language",)
    assert cs.report.repairs["fragment found at nearby offset: span moved onto it"] == 1
    assert cs.report.repairs["fragment does not match offsets (unverifiable, kept)"] == 1
    spans = sorted((s.start, s.end) for s in docs["2"].spans)
    assert spans == [(0, 4), (1, 22)]
    assert all(p.line is not None for p in cs.report.problems)


def test_semeval2023_paragraphs_spans_and_quirks(semeval2023_root: Path) -> None:
    cs = read_semeval2023(semeval2023_root, "ru", "train")
    docs = {d.id: d for d in cs.documents}
    d10, d11, d12 = docs["10"], docs["11"], docs["12"]
    assert d10.text == S23_A10  # CRLF kept
    assert [p.number for p in d10.paragraphs] == [1, 3, 4]
    p3 = d10.paragraphs[1]
    assert d10.text[p3.start:p3.end] == "The senator lied again today." and p3.labels == ("Doubt",)
    assert [d10.text[s.start:s.end] for s in d10.spans] == ["lied", "fools"]
    # (a) CRLF-counted offsets on an LF text, detected without the convention file
    assert [d11.text[s.start:s.end] for s in d11.spans] == ["traitors"]
    # (b) one character short before '.'
    assert [d12.text[s.start:s.end] for s in d12.spans] == ["catastrophe"]
    rep = cs.report.repairs
    assert rep["articles with CRLF-counted offsets mapped onto the LF text"] == 1
    assert rep["span end one character short before '.': extended"] == 1
    assert not cs.report.problems
    raw = read_semeval2023(semeval2023_root, "ru", "train", repair_short_ends=False)
    d12raw = next(d for d in raw.documents if d.id == "12")
    assert d12raw.text[d12raw.spans[0].start:d12raw.spans[0].end] == "catastroph"


def test_semeval2023_convention_file_wins(semeval2023_root: Path) -> None:
    write(semeval2023_root / "derived" / "span_offset_convention.tsv",
          "lang\tsplit\tarticle_id\tn_spans\tconvention\nru\ttrain\t11\t1\tas_stored\n")
    cs = read_semeval2023(semeval2023_root, "ru", "train")
    d11 = next(d for d in cs.documents if d.id == "11")
    assert d11.text[d11.spans[0].start:d11.spans[0].end] != "traitors"
    assert "articles with CRLF-counted offsets mapped onto the LF text" not in cs.report.repairs


def test_semeval2023_subtasks_1_2_and_no_gold(semeval2023_root: Path) -> None:
    st1 = read_semeval2023(semeval2023_root, "ru", "train", subtask=1)
    assert {d.id: d.labels for d in st1.documents}["10"] == ("opinion",)
    st2 = read_semeval2023(semeval2023_root, "ru", "train", subtask=2)
    assert {d.id: d.labels for d in st2.documents}["10"] == ("Political", "Morality")
    test = read_semeval2023(semeval2023_root, "ru", "test")
    assert not test.has_gold and [p.number for p in test.documents[0].paragraphs] == [1, 3]


def test_st3_template_splits_joined_rows(semeval2023_root: Path) -> None:
    ru = semeval2023_root / "data" / "ru"
    for articles in (ru / "train-articles-subtask-3", None):
        rows = read_st3_template(ru / "train-labels-subtask-3.template", None, articles)
        assert [(r.article_id, r.paragraph) for r in rows] == [
            ("10", 1), ("10", 3), ("10", 4), ("11", 1)]
        assert rows[2].text == "Voters are fools." and rows[3].text == "Head line eleven"


def test_offset_helpers() -> None:
    text = "ab\ncd\n\nef"
    nl = [i for i, c in enumerate(text) if c == "\n"]
    crlf = text.replace("\n", "\r\n")
    for p in range(len(text) + 1):
        assert crlf_to_stored(p + text.count("\n", 0, p), nl) == p
    assert crlf[crlf.index("ef")] == "e" and crlf_to_stored(crlf.index("ef"), nl) == 7
    assert line_bounds("a\r\nbc\n") == [(0, 1), (3, 5), (6, 6)]
    assert repair_short_end("the end.", 6) == 7
    assert repair_short_end("the end.", 7) == 7
    assert repair_short_end("the end!", 6) == 6


def test_open_corpus(ptc_root: Path, semeval2021_root: Path, semeval2023_root: Path,
                     tmp_path: Path) -> None:
    assert open_corpus(ptc_root) == "ptc"
    assert open_corpus(ptc_root / "datasets") == "ptc"
    assert open_corpus(semeval2021_root) == "semeval2021"
    assert open_corpus(semeval2023_root) == "semeval2023"
    write(tmp_path / "u" / "data" / "span_detection" / "train.parquet", b"x")
    assert open_corpus(tmp_path / "u") == "unlp2025"
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="not a known corpus layout"):
        open_corpus(tmp_path / "empty")

