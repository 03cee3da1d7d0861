"""Bad input: each defect gets a message naming file and line, and the rest is read."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from corpus_fixtures import write

from spinscope.cli.main import cli
from spinscope.corpora import read_ptc, read_semeval2021, read_semeval2023
from spinscope.corpora.base import Problem


def _only(problems: list[Problem], needle: str) -> Problem:
    hits = [p for p in problems if needle in p.message]
    assert len(hits) == 1, problems
    return hits[0]


def test_missing_span_label_file(semeval2023_root: Path) -> None:
    spans = semeval2023_root / "data" / "ru" / "train-labels-subtask-3-spans"
    (spans / "article10-labels-subtask-3.txt").unlink()
    cs = read_semeval2023(semeval2023_root, "ru", "train")
    p = _only(cs.report.problems, "span label file missing")
    assert p.path.endswith("article10-labels-subtask-3.txt")
    assert len(cs) == 3 and cs.n_spans == 2  # the other two articles are read


def test_missing_ptc_label_folder(ptc_root: Path) -> None:
    ds = ptc_root / "datasets"
    for p in (ds / "train-labels-task-flc-tc").iterdir():
        p.unlink()
    (ds / "train-labels-task-flc-tc").rmdir()
    cs = read_ptc(ptc_root, "train")
    p = _only(cs.report.problems, "no flc-tc labels")
    assert "train-labels-task-flc-tc" in p.path and len(cs) == 3


def test_offset_past_end_of_text(ptc_root: Path) -> None:
    lab = ptc_root / "datasets" / "train-labels-task-flc-tc" / "article1.task-flc-tc.labels"
    with lab.open("a", encoding="utf-8") as f:
        f.write("1\tDoubt\t5\t9999\n1\tDoubt\t9000\t9999\n")
    cs = read_ptc(ptc_root, "train")
    clipped = _only(cs.report.problems, "clipped")
    dropped = _only(cs.report.problems, "dropped")
    assert clipped.path == str(lab) and clipped.line == 2 and dropped.line == 3
    doc = next(d for d in cs.documents if d.id == "1")
    assert max(s.end for s in doc.spans) == len(doc.text)
    assert cs.n_spans == 3  # two good spans plus the clipped one
    assert cs.report.repairs["span end past end of text: clipped"] == 1


def test_non_utf8_article_and_label_line(ptc_root: Path) -> None:
    ds = ptc_root / "datasets"
    write(ds / "train-articles" / "article3.txt", b"Title\n\nCaf\xe9 au lait.\n")
    lab = ds / "train-labels-task-flc-tc" / "article1.task-flc-tc.labels"
    write(lab, lab.read_bytes() + b"1\tDoubt\xff\t0\t4\n")
    cs = read_ptc(ptc_root, "train")
    art = _only(cs.report.problems, "not valid UTF-8 (byte 0xe9")
    assert art.path.endswith("article3.txt") and art.line == 3
    line = _only(cs.report.problems, "not valid UTF-8 (byte 0xff")
    assert line.path == str(lab) and line.line == 2
    assert {d.id for d in cs.documents} == {"1", "2"} and cs.n_spans == 2


def test_unknown_label(semeval2021_root: Path, semeval2023_root: Path) -> None:
    task2 = semeval2021_root / "data" / "training_set_task2.txt"
    write(task2, task2.read_text(encoding="utf-8").replace('"Loaded Language"',
                                                          '"Totally Made Up"'))
    cs = read_semeval2021(semeval2021_root, "train")
    p = _only(cs.report.problems, "unknown label 'Totally Made Up'")
    assert p.path == str(task2) and p.line == 2
    assert cs.n_spans == 2  # the other meme's spans are kept
    plab = semeval2023_root / "data" / "ru" / "train-labels-subtask-3.txt"
    write(plab, plab.read_text(encoding="utf-8").replace("10\t3\tDoubt", "10\t3\tNot_A_Thing"))
    cs23 = read_semeval2023(semeval2023_root, "ru", "train")
    p23 = _only(cs23.report.problems, "unknown label 'Not_A_Thing'")
    assert p23.path == str(plab) and p23.line == 2
    para = next(d for d in cs23.documents if d.id == "10").paragraphs[1]
    assert para.number == 3 and para.labels == ()


def test_cli_prints_problems_on_stderr(ptc_root: Path) -> None:
    write(ptc_root / "datasets" / "train-articles" / "article3.txt", b"T\n\n\xff\n")
    result = CliRunner().invoke(cli, ["corpus", "stats", str(ptc_root)])
    assert result.exit_code == 0, result.output
    assert "article3.txt:3: not valid UTF-8" in result.stderr
    assert "article3.txt" not in result.stdout
    assert "train" in result.stdout
