"""Highlight segments: a text and its overlapping spans cut into flat, renderable pieces.

Spans may overlap and nest, but HTML marks must not cross, so the text is cut at every span
boundary into *segments*; each segment knows which spans cover all of it. Templates then emit
one ``<mark>`` per covered segment and plain text for the rest. The functions here are pure
(no HTML), so the invariants are tested with hypothesis:

* the segments of a range are contiguous, non-empty and concatenate to exactly that range;
* a segment lists exactly the spans that cover it, and neighbours never list the same set;
* every non-blank character of the text is in exactly one block (paragraph or stray gap).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from spinscope.core.analysis import ParagraphResult
from spinscope.core.span import Span

__all__ = ["Block", "Segment", "blocks", "flat_segments", "segment_blocks"]


@dataclass(frozen=True, slots=True)
class Segment:
    """``text[start:end]`` and the indices (into the span list) of the spans covering it."""

    start: int
    end: int
    text: str
    spans: tuple[int, ...]

    @property
    def marked(self) -> bool:
        return bool(self.spans)


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text rendered as one paragraph: a detector paragraph or a stray gap."""

    start: int
    end: int
    paragraph: int | None  # index of the ParagraphResult; None for text between paragraphs
    segments: tuple[Segment, ...] = ()


def flat_segments(text: str, spans: Sequence[Span], start: int = 0,
                  end: int | None = None) -> list[Segment]:
    """Cut ``text[start:end]`` at every span boundary inside it.

    Spans are clipped to the range (and to the text); empty spans are ignored. The result
    covers the range exactly; an empty range gives no segments.
    """
    stop = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, stop))
    if start >= stop:
        return []
    clipped: list[tuple[int, int, int]] = []
    for i, s in enumerate(spans):
        lo, hi = max(s.start, start), min(s.end, stop)
        if lo < hi:
            clipped.append((lo, hi, i))
    cuts = {start, stop}
    for lo, hi, _ in clipped:
        cuts.add(lo)
        cuts.add(hi)
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in pairwise(points):
        active = tuple(sorted(i for lo, hi, i in clipped if lo <= a and b <= hi))
        out.append(Segment(a, b, text[a:b], active))
    return out


def blocks(text: str, paragraphs: Sequence[ParagraphResult]) -> list[Block]:
    """Paragraph blocks in text order, plus blocks for non-blank text no paragraph covers.

    Paragraphs are clipped to the text and to each other (a detector should not produce
    overlapping paragraphs, but a broken one must not make the page repeat text). Whitespace
    between paragraphs is dropped: the page separates blocks itself.
    """
    out: list[Block] = []
    pos = 0
    for p in sorted(paragraphs, key=lambda p: (p.start, p.end)):
        lo, hi = max(p.start, pos), min(p.end, len(text))
        if lo >= hi:
            continue
        if text[pos:lo].strip():
            out.append(Block(pos, lo, None))
        out.append(Block(lo, hi, p.index))
        pos = hi
    if text[pos:].strip():
        out.append(Block(pos, len(text), None))
    return out


def segment_blocks(text: str, paragraphs: Sequence[ParagraphResult],
                   spans: Sequence[Span]) -> list[Block]:
    """``blocks`` with their segments filled in (span indices refer to ``spans``)."""
    return [Block(b.start, b.end, b.paragraph, tuple(flat_segments(text, spans, b.start, b.end)))
            for b in blocks(text, paragraphs)]
