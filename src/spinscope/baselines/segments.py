"""Lines, word tokens and span/line bookkeeping shared by the baselines and ``predict``.

A *line* is what SemEval-2023 subtask 3 calls a paragraph: the ``n``-th ``\\n``-separated
piece of the stored text (1-based), without its trailing ``\\r``. PTC articles have one
sentence per line, so for PTC a line is a sentence. All offsets index the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spinscope.core.span import Span

__all__ = ["Line", "Token", "covered", "line_labels", "split_lines", "tokenize"]

# Words (letters/digits, with inner apostrophes or hyphens) or single punctuation marks.
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Line:
    """A line of a text: 1-based ``number`` and half-open ``[start, end)`` without ``\\r``."""

    number: int
    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def is_blank(self, text: str) -> bool:
        return not text[self.start : self.end].strip()

    def stripped(self, text: str) -> tuple[int, int]:
        """``(start, end)`` of the line without leading and trailing whitespace (and BOM)."""
        s, e = self.start, self.end
        while s < e and (text[s].isspace() or text[s] == "\ufeff"):
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, e


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones included), numbered from 1 as in SemEval-2023."""
    out: list[Line] = []
    pos = 0
    number = 1
    while True:
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        out.append(Line(number, pos, content_end))
        if nl < 0:
            return out
        pos = nl + 1
        number += 1


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word and punctuation tokens of ``text[start:end]`` with offsets into ``text``."""
    stop = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, stop)]


def covered(spans: Iterable[Span], start: int, end: int) -> list[Span]:
    """The spans that share at least one character with ``[start, end)``."""
    return [s for s in spans if s.start < end and start < s.end]


def line_labels(lines: Sequence[Line], spans: Sequence[Span]) -> list[set[str]]:
    """For each line, the labels of the spans overlapping it (SemEval-2023 st3 convention)."""
    out: list[set[str]] = [set() for _ in lines]
    if not spans:
        return out
    ordered = sorted(spans, key=lambda s: s.start)
    for i, line in enumerate(lines):
        for s in ordered:
            if s.start >= line.end:
                break
            if s.end > line.start and s.label is not None and s.start < line.end:
                out[i].add(s.label)
    return out
