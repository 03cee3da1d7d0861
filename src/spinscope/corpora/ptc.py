"""Reader for PTC v2, the Propaganda Techniques Corpus of SemEval-2020 Task 11 (English).

Layout (``root`` is the folder holding ``datasets/``, or ``datasets/`` itself)::

    datasets/{train,dev,test}-articles/article<ID>.txt
    datasets/{train,dev}-labels-task-flc-tc/article<ID>.task-flc-tc.labels   id, label, start, end
    datasets/{train,dev}-labels-task-si/article<ID>.task-si.labels           id, start, end
    datasets/{train,dev}-task-{flc-tc,si}.labels                             the same, one file
    datasets/test-task-tc-template.out                                       id, ?, start, end

Offsets are code points into the article read as UTF-8 **with the BOM kept** and no newline
translation (``open(p, encoding="utf-8", newline="")``). Articles without a per-article label
file have no spans (14 train, 1 dev): that is counted as a note, not a problem. When the
per-article file is missing but the combined split file lists spans for that article, those
spans are used and a problem is recorded. The test split has no gold; its template spans are
read by ``read_ptc_template``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.core.taxonomy import load_taxonomy
from spinscope.corpora._files import (
    check_label,
    fit_span,
    parse_offsets,
    read_rows,
    read_text,
    span_key,
)
from spinscope.corpora.base import CorpusSplit, GoldDocument, ReadReport
from spinscope.errors import CorpusError

__all__ = ["PTC_SPLITS", "ptc_datasets_dir", "read_ptc", "read_ptc_si", "read_ptc_template"]

PTC_SPLITS = ("train", "dev", "test")
_ARTICLE = re.compile(r"^article(\d+)\.txt$")

# One raw label record: (file, line, start, end, label).
_Record = tuple[Path, int, int, int, str | None]


def ptc_datasets_dir(root: Path) -> Path:
    """The ``datasets/`` folder under ``root`` (or ``root`` itself when it is that folder)."""
    root = Path(root)
    if (root / "datasets").is_dir():
        return root / "datasets"
    if any((root / f"{s}-articles").is_dir() for s in PTC_SPLITS):
        return root
    raise CorpusError(f"{root} is not a PTC folder: expected datasets/train-articles/ etc. "
                      "Pass the folder that contains datasets/ (or datasets/ itself).")


def _check_split(split: str) -> None:
    if split not in PTC_SPLITS:
        raise CorpusError(f"unknown PTC split {split!r}; use one of {', '.join(PTC_SPLITS)}")


def _read_articles(ds: Path, split: str, report: ReadReport) -> dict[str, Document]:
    folder = ds / f"{split}-articles"
    if not folder.is_dir():
        raise CorpusError(f"{folder} is missing: PTC split {split!r} has no articles here")
    docs: dict[str, Document] = {}
    for p in sorted(folder.iterdir()):
        m = _ARTICLE.match(p.name)
        if not m:
            if p.suffix == ".txt":
                report.problem(str(p), None, "file name is not article<ID>.txt; skipped")
            continue
        text = read_text(p, report)
        if text is None:
            continue
        first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
        docs[m.group(1)] = Document(
            id=m.group(1), text=text, lang="en", title=first or None,
            metadata={"corpus": "ptc", "split": split, "path": str(p)})
    return docs


def _parse_label_file(path: Path, want_label: bool, report: ReadReport,
                      expect_id: str | None = None) -> dict[str, list[_Record]]:
    """Records of a TC (4 columns) or SI (3 columns) label file, grouped by article id."""
    ncols = 4 if want_label else 3
    out: dict[str, list[_Record]] = defaultdict(list)
    for n, cols in read_rows(path, report, ncols):
        art = cols[0].strip()
        if expect_id is not None and art != expect_id:
            report.problem(str(path), n, f"article id {art!r} does not match the file name "
                           f"(article{expect_id}); line skipped")
            continue
        label = cols[1].strip() if want_label else None
        offs = parse_offsets(cols[-2].strip(), cols[-1].strip(), path, n, report)
        if offs is None:
            continue
        out[art].append((path, n, offs[0], offs[1], label))
    return out


def _read_gold(ds: Path, split: str, task: str, docs: dict[str, Document],
               report: ReadReport) -> dict[str, list[Span]]:
    """Spans per article for ``task`` in {"flc-tc", "si"}, checked against the texts."""
    want_label = task == "flc-tc"
    folder = ds / f"{split}-labels-task-{task}"
    combined_path = ds / f"{split}-task-{task}.labels"
    combined = (_parse_label_file(combined_path, want_label, ReadReport())
                if combined_path.is_file() else {})
    records: dict[str, list[_Record]] = {}
    if folder.is_dir():
        for art in docs:
            p = folder / f"article{art}.task-{task}.labels"
            if p.is_file():
                records[art] = _parse_label_file(p, want_label, report, expect_id=art).get(
                    art, [])
            elif combined.get(art):
                report.problem(str(p), None, f"label file missing but {combined_path.name} "
                               f"lists {len(combined[art])} spans for it; used those")
                records[art] = combined[art]
            else:
                report.note(f"articles without a {task} label file (no spans)")
        for p in sorted(folder.glob("article*.labels")):
            art = p.name[len("article"):].split(".", 1)[0]
            if art not in docs:
                report.problem(str(p), None, "label file for an article that is not in "
                               f"{split}-articles/ (or could not be read); ignored")
    elif combined_path.is_file():
        report.note(f"{task} labels read from {combined_path.name} (no per-article folder)")
        records = _parse_label_file(combined_path, want_label, report)
    else:
        report.problem(str(folder), None, f"no {task} labels for split {split!r} (neither "
                       f"the folder nor {combined_path.name}); articles read without spans")
        return {}
    known = frozenset(load_taxonomy().mapping("ptc"))
    spans: dict[str, list[Span]] = {}
    for art, recs in records.items():
        doc = docs.get(art)
        if doc is None:
            for path, n, *_ in recs:
                report.problem(str(path), n, f"article {art} has no text; line skipped")
            continue
        out: list[Span] = []
        for path, n, s, e, label in recs:
            if label is not None:
                label = check_label(label, known, path, n, report)
                if label is None:
                    continue
            span = fit_span(s, e, label, len(doc.text), path, n, report)
            if span is not None:
                out.append(span)
        spans[art] = sorted(out, key=span_key)
    return spans


def _read(root: Path, split: str, task: str) -> CorpusSplit:
    _check_split(split)
    ds = ptc_datasets_dir(root)
    report = ReadReport()
    docs = _read_articles(ds, split, report)
    spans = {} if split == "test" else _read_gold(ds, split, task, docs, report)
    if split == "test":
        report.note("test split: no gold spans (use read_ptc_template for the template)")
    golds = [GoldDocument(document=d, spans=tuple(spans.get(art, ())))
             for art, d in docs.items()]
    return CorpusSplit(corpus="ptc", split=split, lang="en",
                       label_set="ptc" if task == "flc-tc" else "ptc-si",
                       documents=golds, report=report, has_gold=split != "test")


def read_ptc(root: Path, split: str) -> CorpusSplit:
    """PTC articles of ``split`` (train/dev/test) with their technique-labelled (TC) spans.

    Span labels are PTC technique names (label set ``ptc``); the test split has no spans.
    """
    return _read(Path(root), split, "flc-tc")


def read_ptc_si(root: Path, split: str) -> CorpusSplit:
    """PTC articles of ``split`` with the unlabelled span-identification (SI) spans."""
    return _read(Path(root), split, "si")


def read_ptc_template(path: Path, report: ReadReport | None = None) -> dict[str, list[Span]]:
    """The spans of a TC template (``id\\t?\\tstart\\tend``), label ``None``, in file order.

    ``path`` may be the template file or a PTC root (then ``test-task-tc-template.out``).
    Offsets are not checked against texts here. Problems go to ``report`` when given.
    """
    path = Path(path)
    if path.is_dir():
        path = ptc_datasets_dir(path) / "test-task-tc-template.out"
    if not path.is_file():
        raise CorpusError(f"PTC template {path} not found")
    rep = report if report is not None else ReadReport()
    out: dict[str, list[Span]] = defaultdict(list)
    for n, cols in read_rows(path, rep, 4):
        offs = parse_offsets(cols[2].strip(), cols[3].strip(), path, n, rep)
        if offs is not None:
            out[cols[0].strip()].append(Span(offs[0], offs[1], None))
    return dict(out)
