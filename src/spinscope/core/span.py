"""``Span``: a half-open ``[start, end)`` range of code points in a stored text."""

from __future__ import annotations

from dataclasses import dataclass

from spinscope.errors import SpanError


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled range of characters (Python ``str`` code points) of a stored text.

    ``label`` is a technique name of the taxonomy (or ``None`` for an unlabelled span, as
    in span identification). ``score`` is a confidence in [0, 1] when a model produced it.
    """

    start: int
    end: int
    label: str | None = None
    score: float | None = None
    model_version: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise SpanError(f"span offsets must be integers, got {self.start!r}, {self.end!r}")
        if self.start < 0:
            raise SpanError(f"span start {self.start} is negative")
        if self.end < self.start:
            raise SpanError(f"span end {self.end} is before its start {self.start}")
        if self.score is not None and not 0.0 <= self.score <= 1.0:
            raise SpanError(f"span score {self.score} is outside [0, 1]")

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def empty(self) -> bool:
        return self.end == self.start

    def text_of(self, text: str) -> str:
        """The covered characters; raises ``SpanError`` if the span runs past the text."""
        self.check(text)
        return text[self.start : self.end]

    def check(self, text: str) -> None:
        if self.end > len(text):
            raise SpanError(
                f"span [{self.start}, {self.end}) runs past the end of a text of "
                f"{len(text)} characters"
            )

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def overlap(self, other: Span) -> int:
        """Number of characters the two spans share."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def with_label(self, label: str | None) -> Span:
        return Span(self.start, self.end, label, self.score, self.model_version)

    def shifted(self, delta: int) -> Span:
        return Span(self.start + delta, self.end + delta, self.label, self.score,
                    self.model_version)


def merge_overlapping(spans: list[Span]) -> list[Span]:
    """Union of the spans of each label: overlapping or touching spans of one label merge.

    Scores of merged spans are their maximum. Output is sorted by (start, end, label).
    """
    by_label: dict[str | None, list[Span]] = {}
    for s in spans:
        by_label.setdefault(s.label, []).append(s)
    out: list[Span] = []
    for label, group in by_label.items():
        group.sort(key=lambda s: (s.start, s.end))
        cur = group[0]
        for s in group[1:]:
            if s.start <= cur.end:
                score = cur.score
                if s.score is not None:
                    score = s.score if score is None else max(score, s.score)
                cur = Span(cur.start, max(cur.end, s.end), label, score, cur.model_version)
            else:
                out.append(cur)
                cur = s
        out.append(cur)
    out.sort(key=lambda s: (s.start, s.end, s.label or ""))
    return out
