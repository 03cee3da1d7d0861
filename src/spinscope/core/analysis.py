"""``Analysis``: what a detector found in one document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spinscope.core.span import Span


@dataclass(frozen=True, slots=True)
class ParagraphResult:
    """One paragraph of the text (``[start, end)``) and the techniques found in it."""

    index: int
    start: int
    end: int
    techniques: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    """Spans, per-paragraph technique sets and per-article counts for one text.

    ``spans`` is one span group of possibly overlapping, labelled spans whose offsets refer
    to the stored text ``text``.
    """

    text: str
    spans: tuple[Span, ...]
    paragraphs: tuple[ParagraphResult, ...]
    model: str
    model_version: str
    document_id: str | None = None
    lang: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def counts(self) -> dict[str, int]:
        return dict(Counter(s.label for s in self.spans if s.label is not None))

    def density(self) -> dict[str, float]:
        """Spans per 1,000 words, per technique."""
        words = max(self.word_count, 1)
        return {k: 1000.0 * v / words for k, v in self.counts().items()}

    @property
    def techniques(self) -> tuple[str, ...]:
        return tuple(sorted({s.label for s in self.spans if s.label is not None}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "lang": self.lang,
            "model": self.model,
            "model_version": self.model_version,
            "length": len(self.text),
            "word_count": self.word_count,
            "spans": [
                {"start": s.start, "end": s.end, "technique": s.label, "score": s.score,
                 "text": self.text[s.start:s.end]}
                for s in self.spans
            ],
            "paragraphs": [
                {"index": p.index, "start": p.start, "end": p.end,
                 "techniques": list(p.techniques)}
                for p in self.paragraphs
            ],
            "counts": self.counts(),
            "density_per_1000_words": self.density(),
            **({"extra": self.extra} if self.extra else {}),
        }
