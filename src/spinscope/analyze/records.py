"""Values batch analysis stores and reads back: per-document results, failures and runs.

A stored result keeps spans, paragraph technique sets, counts and the word count, never a
copy of the text (the store already has it, and the offsets index it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from spinscope.core.analysis import Analysis, ParagraphResult
from spinscope.core.span import Span

__all__ = [
    "AnalysisRow",
    "AnalysisRun",
    "ResultSet",
    "StoredAnalysis",
    "now_iso",
    "word_count",
]


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def word_count(text: str) -> int:
    """Whitespace-separated words: the denominator of every 'per 1,000 words' rate."""
    return len(text.split())


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    """One document's result for one model version (what the store keeps)."""

    article_id: str
    model: str
    model_version: str
    word_count: int
    n_chars: int
    spans: tuple[Span, ...]
    paragraphs: tuple[ParagraphResult, ...]
    created_at: str = field(default_factory=now_iso)

    @classmethod
    def from_analysis(cls, article_id: str, analysis: Analysis) -> StoredAnalysis:
        return cls(article_id, analysis.model, analysis.model_version,
                   word_count(analysis.text), len(analysis.text), tuple(analysis.spans),
                   tuple(analysis.paragraphs))

    def counts(self) -> dict[str, int]:
        return dict(Counter(s.label for s in self.spans if s.label is not None))

    def to_analysis(self, text: str, lang: str | None = None) -> Analysis:
        """The full ``Analysis`` again, given the stored text."""
        return Analysis(text, self.spans, self.paragraphs, self.model, self.model_version,
                        document_id=self.article_id, lang=lang)

    def spans_json(self) -> list[list[Any]]:
        return [[s.start, s.end, s.label, None if s.score is None else round(s.score, 4)]
                for s in self.spans]

    def paragraphs_json(self) -> list[list[Any]]:
        return [[p.index, p.start, p.end, list(p.techniques)] for p in self.paragraphs]

    @staticmethod
    def spans_from_json(data: Any, model_version: str | None = None) -> tuple[Span, ...]:
        return tuple(Span(int(s), int(e), lab, sc, model_version) for s, e, lab, sc in data or ())

    @staticmethod
    def paragraphs_from_json(data: Any) -> tuple[ParagraphResult, ...]:
        return tuple(ParagraphResult(int(i), int(s), int(e), tuple(t))
                     for i, s, e, t in data or ())


@dataclass(frozen=True, slots=True)
class AnalysisRow:
    """A stored result joined with its article's metadata, without text or spans.

    This is all that comparisons need, so they stream millions of rows in little memory.
    """

    article_id: str
    model_version: str
    word_count: int
    counts: Mapping[str, int]
    outlet: str | None = None
    lang: str | None = None
    published: str | None = None  # ISO date or date-time
    dup_of: str | None = None
    event: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))

    @property
    def day(self) -> str | None:
        return self.published[:10] if self.published else None


@dataclass(frozen=True, slots=True)
class AnalysisRun:
    """One ``analyze-corpus`` run: status is finished, interrupted, failed or unfinished."""

    id: int
    model: str
    model_version: str
    started_at: str
    finished_at: str | None
    status: str
    counts: Mapping[str, int] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    techniques: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "model": self.model, "model_version": self.model_version,
                "started_at": self.started_at, "finished_at": self.finished_at,
                "status": self.status, "counts": dict(self.counts),
                "options": dict(self.options), "techniques": list(self.techniques)}


@dataclass(frozen=True, slots=True)
class ResultSet:
    """All stored results of one model version (``spinscope analyze-corpus --status``)."""

    model: str
    model_version: str
    articles: int
    last_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "model_version": self.model_version,
                "articles": self.articles, "last_at": self.last_at}
