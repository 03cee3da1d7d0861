"""Label submission formats of SemEval-2023 Task 3.

* ``semeval2023-st3``  ``article_id  paragraph  label,label,...`` (paragraph = 1-based line
  number of the article; an empty third column, or none, means no technique)
* ``semeval2023-st2``  ``article_id  frame,frame,...`` (empty after the TAB = no frame)
* ``semeval2023-st1``  ``article_id  genre`` (one of reporting, opinion, satire)

Readers take one file or a folder (``article<ID>-labels-subtask-3.txt`` files for subtask 3,
``*.txt`` otherwise). A repeated id is reported and the later line wins, as in the official
scorers (which read into a dict). Unknown labels are reported and dropped; the rest of the
line is kept. Writers emit what the official scorers read, ``\\n`` line ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from spinscope.core.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from spinscope.errors import FormatError
from spinscope.formats.base import (
    FormatIssue,
    article_sort_key,
    collect_files,
    iter_lines,
    nothing_usable,
    write_lines,
)
from spinscope.metrics.classification import GENRES

__all__ = [
    "FRAMES",
    "ArticleLabelFormat",
    "ArticleLabels",
    "ParagraphLabels",
    "read_article_labels",
    "read_paragraph_labels",
    "write_article_labels",
    "write_paragraph_labels",
]

ArticleLabelFormat = Literal["semeval2023-st1", "semeval2023-st2"]
# The 14 frame names of SemEval-2023 subtask 2, in the order of the official list.
FRAMES = (
    "Economic", "Capacity_and_resources", "Morality", "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence", "Policy_prescription_and_evaluation",
    "Crime_and_punishment", "Security_and_defense", "Health_and_safety", "Quality_of_life",
    "Cultural_identity", "Public_opinion", "Political", "External_regulation_and_reputation",
)


@dataclass(frozen=True)
class ParagraphLabels:
    """Subtask-3 labels keyed by ``(article_id, paragraph)``."""

    items: Mapping[tuple[str, int], tuple[str, ...]]
    issues: tuple[FormatIssue, ...] = ()
    sources: tuple[str, ...] = ()
    fmt: str = "semeval2023-st3"

    @property
    def articles(self) -> frozenset[str]:
        return frozenset(a for a, _ in self.items)


@dataclass(frozen=True)
class ArticleLabels:
    """Subtask-1 (one genre) or subtask-2 (frame set) labels keyed by article id."""

    fmt: ArticleLabelFormat
    items: Mapping[str, tuple[str, ...]]
    issues: tuple[FormatIssue, ...] = ()
    sources: tuple[str, ...] = ()


def _split_labels(raw: str, allowed: frozenset[str], bad: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for lab in (x.strip() for x in raw.split(",")):
        if not lab:
            continue
        if lab in allowed:
            if lab not in out:
                out.append(lab)
        else:
            bad.append(lab)
    return tuple(out)


def read_paragraph_labels(path: Path | str, *,
                          taxonomy_id: str = DEFAULT_TAXONOMY) -> ParagraphLabels:
    """Read subtask-3 paragraph labels (file or folder of per-article files)."""
    path = Path(path)
    files = collect_files(path, ("*-labels-subtask-3.txt",), "semeval2023-st3 input")
    allowed = frozenset(load_taxonomy(taxonomy_id).names)
    issues: list[FormatIssue] = []
    items: dict[tuple[str, int], tuple[str, ...]] = {}
    good = 0
    for file in files:
        for number, line in iter_lines(file, issues):
            cols = line.rstrip().split("\t")
            if len(cols) not in (2, 3):
                issues.append(FormatIssue(str(file), number, "expected 3 TAB-separated columns "
                                          f"(id, paragraph, labels), found {len(cols)}"))
                continue
            article, para = cols[0].strip(), cols[1].strip()
            if not article or not para.isdigit():
                issues.append(FormatIssue(str(file), number,
                                          f"bad article id {article!r} or paragraph {para!r}"))
                continue
            unknown: list[str] = []
            labels = _split_labels(cols[2] if len(cols) == 3 else "", allowed, unknown)
            if unknown:
                issues.append(FormatIssue(str(file), number, "unknown technique(s) "
                                          f"{', '.join(map(repr, unknown))}; dropped"))
            key = (article, int(para))
            if key in items:
                issues.append(FormatIssue(str(file), number, f"paragraph {para} of article "
                                          f"{article} listed again; this line wins"))
            items[key] = labels
            good += 1
    if good == 0 and issues:
        nothing_usable("semeval2023-st3 input", files, issues)
    ordered = dict(sorted(items.items(), key=lambda kv: (article_sort_key(kv[0][0]), kv[0][1])))
    return ParagraphLabels(ordered, tuple(issues), tuple(str(f) for f in files))


def _allowed(fmt: ArticleLabelFormat) -> frozenset[str]:
    return frozenset(GENRES if fmt == "semeval2023-st1" else FRAMES)


def read_article_labels(fmt: str, path: Path | str) -> ArticleLabels:
    """Read subtask-1 or subtask-2 article labels."""
    if fmt not in ("semeval2023-st1", "semeval2023-st2"):
        raise FormatError(f"unknown article-label format {fmt!r}; use semeval2023-st1 or "
                          "semeval2023-st2")
    kind: ArticleLabelFormat = fmt  # type: ignore[assignment]
    path = Path(path)
    files = collect_files(path, ("*.txt",), f"{kind} input")
    allowed = _allowed(kind)
    issues: list[FormatIssue] = []
    items: dict[str, tuple[str, ...]] = {}
    good = 0
    for file in files:
        for number, line in iter_lines(file, issues):
            article, tab, rest = line.partition("\t")
            article = article.strip()
            if not tab or not article:
                issues.append(FormatIssue(str(file), number,
                                          "expected 'id<TAB>label[,label...]'"))
                continue
            unknown: list[str] = []
            labels = _split_labels(rest, allowed, unknown)
            if unknown:
                issues.append(FormatIssue(str(file), number, "unknown label(s) "
                                          f"{', '.join(map(repr, unknown))}; dropped"))
            if kind == "semeval2023-st1" and len(labels) != 1:
                if not unknown:
                    issues.append(FormatIssue(str(file), number,
                                              "subtask 1 needs exactly one genre per article"))
                continue
            if article in items:
                issues.append(FormatIssue(str(file), number,
                                          f"article {article} listed again; this line wins"))
            items[article] = labels
            good += 1
    if good == 0 and issues:
        nothing_usable(f"{kind} input", files, issues)
    return ArticleLabels(kind, items, tuple(issues), tuple(str(f) for f in files))


def write_paragraph_labels(items: Mapping[tuple[str, int], Sequence[str]],
                           dest: Path | str | TextIO, *,
                           taxonomy_id: str = DEFAULT_TAXONOMY) -> int:
    """Write subtask-3 labels (``id<TAB>paragraph<TAB>a,b``; empty column = none)."""
    allowed = frozenset(load_taxonomy(taxonomy_id).names)
    lines = []
    for (article, para) in sorted(items, key=lambda k: (article_sort_key(k[0]), k[1])):
        labels = list(dict.fromkeys(items[(article, para)]))
        bad = [x for x in labels if x not in allowed]
        if bad:
            raise FormatError(f"article {article} paragraph {para}: unknown technique(s) "
                              f"{bad}; use SemEval-2023 names")
        lines.append(f"{article}\t{para}\t{','.join(labels)}\n")
    return write_lines(lines, dest)


def write_article_labels(fmt: str, items: Mapping[str, Sequence[str]],
                         dest: Path | str | TextIO) -> int:
    """Write subtask-1 (one genre) or subtask-2 (frames, possibly none) labels."""
    if fmt not in ("semeval2023-st1", "semeval2023-st2"):
        raise FormatError(f"unknown article-label format {fmt!r}")
    allowed = _allowed(fmt)  # type: ignore[arg-type]
    lines = []
    for article, labels in items.items():
        labels = list(dict.fromkeys(labels))
        bad = [x for x in labels if x not in allowed]
        if bad or (fmt == "semeval2023-st1" and len(labels) != 1):
            raise FormatError(f"article {article}: labels {labels} are not valid for {fmt}")
        lines.append(f"{article}\t{','.join(labels)}\n")
    return write_lines(lines, dest)
