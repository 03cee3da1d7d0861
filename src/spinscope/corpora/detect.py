"""Recognise which research corpus a folder holds, from its layout alone."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from spinscope.errors import CorpusError

__all__ = ["CORPUS_KINDS", "CorpusKind", "open_corpus"]

CorpusKind = Literal["ptc", "semeval2021", "semeval2023", "unlp2025"]
CORPUS_KINDS: tuple[CorpusKind, ...] = ("ptc", "semeval2021", "semeval2023", "unlp2025")


def _is_ptc(d: Path) -> bool:
    return any((d / f"{s}-articles").is_dir() for s in ("train", "dev", "test"))


def _is_semeval2021(d: Path) -> bool:
    return any(d.glob("*_task2.txt"))


def _is_semeval2023(d: Path) -> bool:
    return any(d.glob("*/*-articles-subtask-3"))


def _is_unlp2025(d: Path) -> bool:
    return (d / "span_detection" / "train.parquet").is_file()


def open_corpus(path: Path) -> CorpusKind:
    """The kind of corpus at ``path``: ptc, semeval2021, semeval2023 or unlp2025.

    ``path`` may be the corpus folder or its ``datasets/`` / ``data/`` subfolder.
    Raises ``CorpusError`` when the layout matches none of them.
    """
    path = Path(path)
    if not path.is_dir():
        raise CorpusError(f"{path} is not a folder; pass the corpus folder")
    for d in (path, path / "datasets", path / "data"):
        if not d.is_dir():
            continue
        if _is_ptc(d):
            return "ptc"
        if _is_semeval2021(d):
            return "semeval2021"
        if _is_semeval2023(d):
            return "semeval2023"
        if _is_unlp2025(d):
            return "unlp2025"
    if (path / "train.parquet").is_file():
        return "unlp2025"
    raise CorpusError(
        f"{path} is not a known corpus layout: expected datasets/<split>-articles/ (PTC), "
        "data/*_task2.txt (SemEval-2021), data/<lang>/*-articles-subtask-3/ (SemEval-2023) "
        "or data/span_detection/train.parquet (UNLP-2025)")
