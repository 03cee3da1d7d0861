"""Counts over a research corpus: documents, spans, paragraphs and labels per split and language.

``corpus_stats(path)`` detects the corpus, reads every split it has and returns one
``SplitStats`` row per split and language, with the read reports kept, so that the
numbers can be checked against the corpus's PROVENANCE tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spinscope.corpora.base import CorpusSplit, ReadReport
from spinscope.corpora.detect import CorpusKind, open_corpus
from spinscope.corpora.ptc import PTC_SPLITS, ptc_datasets_dir, read_ptc, read_ptc_si
from spinscope.corpora.semeval2021 import (
    SEMEVAL2021_SPLITS,
    read_semeval2021,
    semeval2021_data_dir,
)
from spinscope.corpora.semeval2023 import SEMEVAL2023_LANGS, SPLITS, read_semeval2023
from spinscope.corpora.unlp2025 import read_unlp2025

__all__ = ["CorpusStats", "SplitStats", "corpus_stats", "split_stats"]


@dataclass
class SplitStats:
    """Counts of one split (and language) of a corpus."""

    corpus: str
    split: str
    lang: str
    has_gold: bool
    documents: int
    spans: int
    labelled_spans: int
    documents_with_span: int
    documents_with_label: int
    paragraphs: int
    paragraphs_with_label: int
    span_labels: Counter[str] = field(default_factory=Counter)
    document_labels: Counter[str] = field(default_factory=Counter)
    extra: dict[str, int] = field(default_factory=dict)
    report: ReadReport = field(default_factory=ReadReport)

    def to_dict(self, labels: bool = False) -> dict[str, object]:
        d: dict[str, object] = {
            "corpus": self.corpus, "split": self.split, "lang": self.lang,
            "has_gold": self.has_gold, "documents": self.documents, "spans": self.spans,
            "labelled_spans": self.labelled_spans,
            "documents_with_span": self.documents_with_span,
            "documents_with_label": self.documents_with_label,
            "paragraphs": self.paragraphs, "paragraphs_with_label": self.paragraphs_with_label,
            **self.extra, "report": self.report.to_dict(),
        }
        if labels:
            d["span_labels"] = dict(self.span_labels.most_common())
            d["document_labels"] = dict(self.document_labels.most_common())
        return d


@dataclass
class CorpusStats:
    """All rows of one corpus, and the union of their read reports."""

    kind: CorpusKind
    path: str
    rows: list[SplitStats]

    @property
    def report(self) -> ReadReport:
        total = ReadReport()
        for r in self.rows:
            total.extend(r.report)
        return total

    def to_dict(self, labels: bool = False) -> dict[str, object]:
        return {"kind": self.kind, "path": self.path,
                "splits": [r.to_dict(labels) for r in self.rows]}


def split_stats(cs: CorpusSplit, lang: str | None = None) -> SplitStats:
    """Counts of a read split; ``lang`` keeps only documents of that language."""
    docs = [d for d in cs.documents if lang is None or d.document.lang == lang]
    paras = [p for d in docs for p in d.paragraphs]
    spans = [s for d in docs for s in d.spans]
    return SplitStats(
        corpus=cs.corpus, split=cs.split, lang=lang or cs.lang, has_gold=cs.has_gold,
        documents=len(docs), spans=len(spans),
        labelled_spans=sum(1 for s in spans if s.label is not None),
        documents_with_span=sum(1 for d in docs if d.spans),
        documents_with_label=sum(1 for d in docs if d.labels),
        paragraphs=len(paras), paragraphs_with_label=sum(1 for p in paras if p.labels),
        span_labels=Counter(s.label for s in spans if s.label is not None),
        document_labels=Counter(x for d in docs for x in d.labels),
        report=cs.report if lang is None else ReadReport())


def _ptc(path: Path) -> list[SplitStats]:
    rows = []
    ds = ptc_datasets_dir(path)
    for split in PTC_SPLITS:
        if not (ds / f"{split}-articles").is_dir():
            continue
        st = split_stats(read_ptc(path, split))
        si = read_ptc_si(path, split)
        st.extra["si_spans"] = si.n_spans
        st.report.extend(si.report)
        rows.append(st)
    return rows


def _unlp(path: Path) -> list[SplitStats]:
    rows = []
    for split in ("train", "train-heldout"):
        cs = read_unlp2025(path, split)
        if split != "train":  # a subset of train: its report would count problems twice
            cs.report = ReadReport()
        rows.append(split_stats(cs))
        rows[-1].lang = "all"
        for lang in sorted({d.document.lang or "" for d in cs.documents}):
            rows.append(split_stats(cs, lang))
    return rows


def _semeval2023(path: Path) -> list[SplitStats]:
    rows = []
    data = path / "data" if (path / "data").is_dir() else path
    for code in SEMEVAL2023_LANGS:
        for split in SPLITS:
            if not (data / code / f"{split}-articles-subtask-3").is_dir():
                continue
            st = split_stats(read_semeval2023(path, code, split, 3))
            for sub in (1, 2):
                if (data / code / f"{split}-articles-subtask-{sub}").is_dir():
                    cs = read_semeval2023(path, code, split, sub)
                    st.extra[f"st{sub}_articles"] = len(cs)
                    st.extra[f"st{sub}_labelled"] = sum(1 for d in cs.documents if d.labels)
                    st.report.extend(cs.report)
            rows.append(st)
    return rows


def corpus_stats(path: Path, kind: CorpusKind | None = None) -> CorpusStats:
    """Read every split of the corpus at ``path`` (kind detected unless given) and count."""
    path = Path(path)
    kind = kind or open_corpus(path)
    if kind == "ptc":
        rows = _ptc(path)
    elif kind == "unlp2025":
        rows = _unlp(path)
    elif kind == "semeval2021":
        data = semeval2021_data_dir(path)
        rows = [split_stats(read_semeval2021(path, s))
                for s, prefix in SEMEVAL2021_SPLITS.items()
                if (data / f"{prefix}_task2.txt").is_file()]
    else:
        rows = _semeval2023(path)
    return CorpusStats(kind=kind, path=str(path), rows=rows)
