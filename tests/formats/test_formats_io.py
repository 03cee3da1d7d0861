"""Submission-format readers and writers: round trips, folders, CRLF, malformed lines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from spinscope.core.span import Span
from spinscope.errors import FormatError
from spinscope.formats import (
    read_article_labels,
    read_paragraph_labels,
    read_spans,
    write_article_labels,
    write_paragraph_labels,
    write_spans,
)


def test_ptc_si_round_trip(tmp_path: Path) -> None:
    spans = {"222": [Span(7, 9)], "111": [Span(30, 40), Span(3, 10)]}
    out = tmp_path / "si.txt"
    assert write_spans("ptc-si", spans, out) == 3
    assert out.read_text() == "111\t3\t10\n111\t30\t40\n222\t7\t9\n"
    back = read_spans("ptc-si", out)
    assert back.articles == {"111": (Span(3, 10), Span(30, 40)), "222": (Span(7, 9),)}
    assert back.issues == ()


def test_ptc_tc_round_trip_with_ptc_names(tmp_path: Path) -> None:
    spans = {"5": [Span(0, 4, "Name_Calling,Labeling"), Span(0, 4, "Doubt")]}
    buf = io.StringIO()
    write_spans("ptc-tc", spans, buf)
    assert buf.getvalue() == "5\tDoubt\t0\t4\n5\tName_Calling,Labeling\t0\t4\n"
    path = tmp_path / "tc.txt"
    path.write_text(buf.getvalue())
    assert read_spans("ptc-tc", path).n_spans == 2


def test_writer_rejects_names_of_the_wrong_label_set() -> None:
    with pytest.raises(FormatError, match="not a ptc-tc name"):
        write_spans("ptc-tc", {"1": [Span(0, 3, "Name_Calling-Labeling")]}, io.StringIO())
    with pytest.raises(FormatError, match="not a semeval2023-spans name"):
        write_spans("semeval2023-spans", {"1": [Span(0, 3, "Name_Calling,Labeling")]},
                    io.StringIO())
    with pytest.raises(FormatError, match="empty"):
        write_spans("ptc-si", {"1": [Span(3, 3)]}, io.StringIO())


def test_tc_template_question_marks(tmp_path: Path) -> None:
    path = tmp_path / "template.out"
    path.write_text("9\t?\t1\t5\n9\t?\t7\t8\n")
    tmpl = read_spans("ptc-tc", path, template=True)
    assert tmpl.articles["9"] == (Span(1, 5), Span(7, 8))
    with pytest.raises(FormatError, match="still '\\?'"):
        read_spans("ptc-tc", path)


def test_malformed_lines_are_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "pred.txt"
    path.write_bytes(b"\xef\xbb\xbf1\t0\t5\r\n1\t9\r\n\r\n1\tx\t7\r\n2\t8\t4\r\n2\t10\t12\r\n")
    r = read_spans("ptc-si", path)
    assert r.articles == {"1": (Span(0, 5),), "2": (Span(10, 12),)}
    where = [(i.path, i.line) for i in r.issues]
    assert where == [(str(path), 2), (str(path), 4), (str(path), 5)]
    assert str(r.issues[0]).startswith(f"{path}:2: expected 3 TAB-separated columns")


def test_unknown_technique_is_an_issue(tmp_path: Path) -> None:
    path = tmp_path / "spans.txt"
    path.write_text("1\tLoaded_Language\t0\t4\n1\tMade_Up\t5\t9\n")
    r = read_spans("semeval2023-spans", path)
    assert r.n_spans == 1 and "unknown technique 'Made_Up'" in r.issues[0].message
    assert r.issues[0].line == 2


def test_nothing_usable_raises(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("this is not\ta submission\n")
    with pytest.raises(FormatError, match=r"bad.txt:1"):
        read_spans("ptc-si", path)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert read_spans("ptc-si", empty).articles == {}


def test_folder_of_per_article_files(tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    (folder / "article10.task-flc-tc.labels").write_text("10\tDoubt\t0\t3\r\n")
    (folder / "article11.task-flc-tc.labels").write_text("")
    (folder / "article12.task-flc-tc.labels").write_text("13\tDoubt\t0\t3\n")
    (folder / "notes.md").write_text("ignored")
    r = read_spans("ptc-tc", folder)
    assert r.articles == {"10": (Span(0, 3, "Doubt"),), "11": (), "12": (),
                          "13": (Span(0, 3, "Doubt"),)}
    assert len(r.issues) == 1 and "differs from the file name" in r.issues[0].message


def test_semeval2023_span_folder_skips_templates(tmp_path: Path) -> None:
    folder = tmp_path / "spans"
    folder.mkdir()
    (folder / "article7-labels-subtask-3.txt").write_text("7\tSlogans\t2\t9\n")
    (folder / "article7-labels-subtask-3.txt.template").write_text("7\t1\tsome text\n")
    assert read_spans("semeval2023-spans", folder).articles == {"7": (Span(2, 9, "Slogans"),)}


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="does not exist"):
        read_spans("ptc-si", tmp_path / "nope.txt")
    with pytest.raises(FormatError, match="no files matching"):
        read_spans("ptc-si", tmp_path)


def test_st3_round_trip_and_empty_labels(tmp_path: Path) -> None:
    items = {("2", 1): ["Doubt", "Slogans"], ("2", 3): [], ("10", 2): ["Repetition"]}
    path = tmp_path / "st3.txt"
    write_paragraph_labels(items, path)
    assert path.read_text() == "2\t1\tDoubt,Slogans\n2\t3\t\n10\t2\tRepetition\n"
    r = read_paragraph_labels(path)
    assert r.items == {("2", 1): ("Doubt", "Slogans"), ("2", 3): (), ("10", 2): ("Repetition",)}
    assert r.articles == {"2", "10"}


def test_st3_crlf_two_columns_unknown_label_and_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "st3.txt"
    path.write_bytes(b"4\t1\tDoubt,Nope\r\n4\t2\r\n4\t2\tSlogans\r\n4\tx\tDoubt\r\n")
    r = read_paragraph_labels(path)
    assert r.items == {("4", 1): ("Doubt",), ("4", 2): ("Slogans",)}
    assert [i.line for i in r.issues] == [1, 3, 4]


def test_st3_folder(tmp_path: Path) -> None:
    folder = tmp_path / "st3"
    folder.mkdir()
    (folder / "article1-labels-subtask-3.txt").write_text("1\t1\tDoubt\n1\t2\t\n")
    (folder / "article2-labels-subtask-3.txt").write_text("2\t1\t\n")
    assert read_paragraph_labels(folder).items == {("1", 1): ("Doubt",), ("1", 2): (),
                                                   ("2", 1): ()}


def test_st1_and_st2_round_trip(tmp_path: Path) -> None:
    p1 = tmp_path / "st1.txt"
    write_article_labels("semeval2023-st1", {"1": ["satire"], "2": ["opinion"]}, p1)
    assert read_article_labels("semeval2023-st1", p1).items == {"1": ("satire",),
                                                                "2": ("opinion",)}
    p2 = tmp_path / "st2.txt"
    write_article_labels("semeval2023-st2", {"1": ["Economic", "Morality"], "2": []}, p2)
    assert p2.read_text() == "1\tEconomic,Morality\n2\t\n"
    assert read_article_labels("semeval2023-st2", p2).items == {"1": ("Economic", "Morality"),
                                                                "2": ()}
    with pytest.raises(FormatError):
        write_article_labels("semeval2023-st1", {"1": ["opinion", "satire"]}, io.StringIO())


def test_st1_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "st1.txt"
    path.write_text("1\topinion\n2 satire\n3\tnews\n")
    r = read_article_labels("semeval2023-st1", path)
    assert r.items == {"1": ("opinion",)}
    assert [i.line for i in r.issues] == [2, 3]
