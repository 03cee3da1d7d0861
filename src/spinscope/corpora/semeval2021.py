"""Reader for SemEval-2021 Task 6 (persuasion techniques in meme texts, English).

``root`` is the corpus folder (holding ``data/``) or ``data/`` itself. Each split has two
JSON-array files: ``<prefix>_task1.txt`` (``id``, ``text``, ``labels`` = technique names) and
``<prefix>_task2.txt`` (``labels`` = ``{start, end, technique, text_fragment}``), with
prefixes ``training_set``, ``dev_set`` and ``test_set``. Documents and spans come from the
task 2 file, document labels from the task 1 file (label set ``semeval2021``).

Offsets are code points into ``text``. Each span is checked against its ``text_fragment``.
When they disagree (5 test spans), the fragment is searched within ``NEARBY`` characters of
the given start: if found there, the span is moved onto it (repair ``fragment found at
nearby offset``); otherwise the offsets are kept and counted as ``fragment does not match
offsets (unverifiable, kept)``. Known duplicate: id ``474_batch_2`` is in train and test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.core.taxonomy import load_taxonomy
from spinscope.corpora._files import check_label, fit_span, read_text, span_key
from spinscope.corpora.base import CorpusSplit, GoldDocument, ReadReport
from spinscope.errors import CorpusError

__all__ = ["NEARBY", "SEMEVAL2021_SPLITS", "read_semeval2021", "semeval2021_data_dir"]

SEMEVAL2021_SPLITS = {"train": "training_set", "dev": "dev_set", "test": "test_set"}
NEARBY = 5  # characters either side of the given start searched for a mismatched fragment


def semeval2021_data_dir(root: Path) -> Path:
    """The ``data/`` folder with the ``*_task{1,2}.txt`` files."""
    root = Path(root)
    for d in (root / "data", root):
        if any(d.glob("*_task2.txt")):
            return d
    raise CorpusError(f"{root} is not a SemEval-2021 task 6 folder: expected "
                      "data/training_set_task2.txt etc.")


def _records(path: Path, report: ReadReport) -> list[tuple[int, dict[str, Any]]]:
    """The objects of a JSON-array file with the line each starts on."""
    text = read_text(path, report)
    if text is None:
        return []
    dec = json.JSONDecoder()
    out: list[tuple[int, dict[str, Any]]] = []
    i = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    if not text.startswith("[", i):
        report.problem(str(path), text.count("\n", 0, i) + 1, "file is not a JSON array; "
                       "nothing read")
        return out
    i += 1
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            break
        line = text.count("\n", 0, i) + 1
        try:
            obj, i = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            report.problem(str(path), text.count("\n", 0, e.pos) + 1,
                           f"invalid JSON ({e.msg}); the rest of the file is not read")
            break
        if isinstance(obj, dict) and isinstance(obj.get("id"), str | int):
            out.append((line, obj))
        else:
            report.problem(str(path), line, "record is not an object with an id; skipped")
    return out


def _span(rec: Any, text: str, known: frozenset[str], path: Path, line: int,
          report: ReadReport) -> Span | None:
    try:
        s, e, label = int(rec["start"]), int(rec["end"]), str(rec["technique"])
    except (KeyError, TypeError, ValueError):
        report.problem(str(path), line, f"span {rec!r} lacks integer start/end or technique; "
                       "skipped")
        return None
    checked = check_label(label, known, path, line, report)
    if checked is None:
        return None
    label = checked
    if s < 0 or e < s:
        report.problem(str(path), line, f"bad offsets [{s}, {e}); skipped")
        return None
    frag = rec.get("text_fragment")
    if isinstance(frag, str) and frag and text[s:e] != frag:
        hits = [j for j in range(max(0, s - NEARBY), s + NEARBY + 1)
                if text.startswith(frag, j)]
        if hits:
            j = min(hits, key=lambda j: abs(j - s))
            report.repaired("fragment found at nearby offset: span moved onto it")
            report.problem(str(path), line, f"offsets [{s}, {e}) do not match the text "
                           f"fragment; moved to [{j}, {j + len(frag)})")
            s, e = j, j + len(frag)
        else:
            report.repaired("fragment does not match offsets (unverifiable, kept)")
            report.problem(str(path), line, f"offsets [{s}, {e}) do not match the text "
                           "fragment, which is not found nearby; offsets kept")
    return fit_span(s, e, label, len(text), path, line, report)


def read_semeval2021(root: Path, split: str) -> CorpusSplit:
    """SemEval-2021 task 6 memes of ``split`` (train/dev/test) with spans and meme labels."""
    if split not in SEMEVAL2021_SPLITS:
        raise CorpusError(f"unknown SemEval-2021 split {split!r}; use one of "
                          f"{', '.join(SEMEVAL2021_SPLITS)}")
    data = semeval2021_data_dir(root)
    prefix = SEMEVAL2021_SPLITS[split]
    p1, p2 = data / f"{prefix}_task1.txt", data / f"{prefix}_task2.txt"
    report = ReadReport()
    if not p2.is_file():
        raise CorpusError(f"{p2} is missing: split {split!r} cannot be read")
    known = frozenset(load_taxonomy().mapping("semeval2021"))
    task1: dict[str, tuple[int, dict[str, Any]]] = {}
    if p1.is_file():
        task1 = {str(r["id"]): (n, r) for n, r in _records(p1, report)}
    else:
        report.problem(str(p1), None, "task 1 label file missing; memes read without "
                       "document labels")
    docs: list[GoldDocument] = []
    seen: set[str] = set()
    for line, rec in _records(p2, report):
        mid, text = str(rec["id"]), rec.get("text")
        if not isinstance(text, str):
            report.problem(str(p2), line, f"meme {mid} has no text; skipped")
            continue
        if mid in seen:
            report.problem(str(p2), line, f"duplicate meme id {mid}; skipped")
            continue
        seen.add(mid)
        raw_spans = rec.get("labels") or []
        spans = [sp for r in raw_spans
                 if (sp := _span(r, text, known, p2, line, report)) is not None]
        labels: list[str] = []
        if mid in task1:
            n1, r1 = task1[mid]
            if r1.get("text") != text:
                report.problem(str(p1), n1, f"meme {mid}: text differs from {p2.name}; "
                               f"spans refer to the {p2.name} text")
            labels = [lab for x in (r1.get("labels") or [])
                      if (lab := check_label(str(x), known, p1, n1, report)) is not None]
        elif p1.is_file():
            report.problem(str(p1), None, f"meme {mid} has no task 1 record; no document "
                           "labels")
        doc = Document(id=mid, text=text, lang="en",
                       metadata={"corpus": "semeval2021", "split": split})
        docs.append(GoldDocument(document=doc, spans=tuple(sorted(spans, key=span_key)),
                                 labels=tuple(labels)))
    for mid, (n1, _) in task1.items():
        if mid not in seen:
            report.problem(str(p1), n1, f"meme {mid} is not in {p2.name}; ignored")
    return CorpusSplit(corpus="semeval2021", split=split, lang="en",
                       label_set="semeval2021", documents=docs, report=report)
