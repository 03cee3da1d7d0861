"""Small fictional corpus folders in the layouts of the research corpora (used as fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# Fictional texts written for these tests.
PTC_A = "Title of a made-up story\n\nThe mayor said a terrible thing.\nPeople were angry.\n"
PTC_B = "\ufeffAnother title\n\nIt was a “huge disaster” for all.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


@pytest.fixture
def ptc_root(tmp_path: Path) -> Path:
    """A PTC layout: train with two labelled articles and one without labels, a test split."""
    ds = tmp_path / "ptc" / "datasets"
    write(ds / "train-articles" / "article1.txt", PTC_A)
    write(ds / "train-articles" / "article2.txt", PTC_B)
    write(ds / "train-articles" / "article3.txt", "Quiet title\n\nNothing happened.\n")
    a_loaded = (PTC_A.index("terrible"), PTC_A.index("terrible") + len("terrible"))
    b_quote = (PTC_B.index("“"), PTC_B.index("”") + 1)
    write(ds / "train-labels-task-flc-tc" / "article1.task-flc-tc.labels",
          f"1\tLoaded_Language\t{a_loaded[0]}\t{a_loaded[1]}\n")
    write(ds / "train-labels-task-flc-tc" / "article2.task-flc-tc.labels",
          f"2\tExaggeration,Minimisation\t{b_quote[0]}\t{b_quote[1]}\n")
    write(ds / "train-labels-task-si" / "article1.task-si.labels",
          f"1\t{a_loaded[0]}\t{a_loaded[1]}\n")
    write(ds / "train-labels-task-si" / "article2.task-si.labels",
          f"2\t{b_quote[0]}\t{b_quote[1]}\n")
    write(ds / "test-articles" / "article9.txt", "Test title\n\nA sentence here.\n")
    write(ds / "test-task-tc-template.out", "9\t?\t12\t13\n9\t?\t0\t4\n")
    return tmp_path / "ptc"


@pytest.fixture
def semeval2021_root(tmp_path: Path) -> Path:
    root = tmp_path / "s21"
    t1 = "I HATE RAIN\n\nSUN IS BEST"
    t2 = "VOTE NOW OR REGRET IT!"
    task2 = [
        {"id": "1", "text": t1, "labels": [
            {"start": 2, "end": 6, "technique": "Loaded Language", "text_fragment": "HATE"}]},
        {"id": "2", "text": t2, "labels": [
            # offsets one character left of the fragment: repairable
            {"start": 0, "end": 21, "technique": "Slogans",
             "text_fragment": "OTE NOW OR REGRET IT!"},
            # fragment absent from the text: unverifiable
            {"start": 0, "end": 4, "technique": "Slogans", "text_fragment": "ZZZZ"}]},
    ]
    task1 = [{"id": "1", "labels": ["Loaded Language"], "text": t1},
             {"id": "2", "labels": ["Slogans"], "text": t2}]
    write(root / "data" / "training_set_task2.txt", json.dumps(task2, indent=1))
    write(root / "data" / "training_set_task1.txt", json.dumps(task1, indent=1))
    return root


# SemEval-2023: article 10 is stored with CRLF (offsets as stored), article 11 lost its CRs
# and its offsets count them (the LF->CRLF case), article 12 has a short-end span.
S23_A10 = "Head line ten\r\n\r\nThe senator lied again today.\r\nVoters are fools.\r\n"
S23_A11 = "Head line eleven\n\nThey are traitors, all of them.\nShame on them.\n"
S23_A12 = "Head twelve\n\nThis is a catastrophe.\n"


def _crlf_offsets(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of [start, end) of an LF text in its CRLF form."""
    return start + text.count("\n", 0, start), end + text.count("\n", 0, end)


@pytest.fixture
def semeval2023_root(tmp_path: Path) -> Path:
    root = tmp_path / "s23"
    ru = root / "data" / "ru"
    arts = {"10": S23_A10, "11": S23_A11, "12": S23_A12}
    for sub in (1, 2, 3):
        for art, text in arts.items():
            write(ru / f"train-articles-subtask-{sub}" / f"article{art}.txt", text)
    write(ru / "train-labels-subtask-1.txt", "10\topinion\n11\treporting\n12\tsatire\n")
    write(ru / "train-labels-subtask-2.txt", "10\tPolitical,Morality\n11\tPolitical\n12\t\n")
    write(ru / "train-labels-subtask-3.txt",
          "10\t1\t\n10\t3\tDoubt\n10\t4\tName_Calling-Labeling\n"
          "11\t1\t\n11\t3\tName_Calling-Labeling\n11\t4\t\n"
          "12\t1\t\n12\t3\tLoaded_Language\n")
    spans = ru / "train-labels-subtask-3-spans"
    s10 = S23_A10.index("lied")
    f10 = S23_A10.index("fools")
    write(spans / "article10-labels-subtask-3.txt",
          f"10\tDoubt\t{s10}\t{s10 + 4}\r\n10\tName_Calling-Labeling\t{f10}\t{f10 + 5}\r\n")
    s11 = S23_A11.index("traitors")
    c11 = _crlf_offsets(S23_A11, s11, s11 + len("traitors"))
    write(spans / "article11-labels-subtask-3.txt",
          f"11\tName_Calling-Labeling\t{c11[0]}\t{c11[1]}\n")
    s12 = S23_A12.index("catastrophe")
    write(spans / "article12-labels-subtask-3.txt",
          f"12\tLoaded_Language\t{s12}\t{s12 + len('catastrophe') - 1}\n")
    # templates: article 10's last row lacks its newline, so article 11's first row joins it
    write(ru / "train-labels-subtask-3.template",
          "10\t1\tHead line ten\r\n10\t3\tThe senator lied again today.\r\n"
          "10\t4\tVoters are fools.11\t1\tHead line eleven\r\n")
    write(ru / "test-articles-subtask-3" / "article20.txt", "Test head\n\nOne line.\n")
    return root
