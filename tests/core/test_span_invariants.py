"""Property tests for spans and offsets on awkward text: emoji, CRLF, BOM, combining marks."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinscope.core.document import Document, content_hash
from spinscope.core.span import Span, merge_overlapping
from spinscope.errors import SpanError

AWKWARD = st.sampled_from(
    ["\ufeff", "\r\n", "\n", "😀", "👩‍👩‍👧", "e\u0301", "ё", "ї", " ", "a", "Б"]
)
texts = st.lists(st.one_of(AWKWARD, st.text(max_size=5)), max_size=40).map("".join)


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, Span]:
    text = draw(texts)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, Span(start, end, "Loaded_Language")


@given(text_and_span())
def test_span_text_is_a_code_point_slice(ts: tuple[str, Span]) -> None:
    text, span = ts
    covered = span.text_of(text)
    assert len(covered) == len(span)
    assert text[: span.start] + covered + text[span.end :] == text


@given(texts)
def test_document_keeps_text_exactly(text: str) -> None:
    doc = Document("d1", text)
    assert doc.text == text
    assert doc.hash == content_hash(text)
    assert len(doc) == len(text)


def test_bom_and_crlf_count_as_characters() -> None:
    text = "\ufeffTitle\r\n\r\nBody 😀 e\u0301nd."
    doc = Document("x", text)
    start = text.index("Body")
    span = Span(start, start + 4)
    assert span.text_of(doc.text) == "Body"
    assert start == 1 + 5 + 4  # the BOM and both CRLF pairs are counted
    assert doc.hash != content_hash(text.lstrip("\ufeff"))


@given(text_and_span(), st.integers(0, 50))
def test_shift_round_trip(ts: tuple[str, Span], delta: int) -> None:
    _, span = ts
    assert span.shifted(delta).shifted(-delta) == span


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20),
                          st.sampled_from(["Doubt", "Slogans", None])), max_size=25))
def test_merge_overlapping_preserves_coverage(raw: list[tuple[int, int, str | None]]) -> None:
    spans = [Span(s, s + n, label) for s, n, label in raw]
    merged = merge_overlapping(spans) if spans else []
    for label in {s.label for s in spans}:
        before = {i for s in spans if s.label == label for i in range(s.start, s.end)}
        group = [s for s in merged if s.label == label]
        after = {i for s in group for i in range(s.start, s.end)}
        assert before == after
        # merged spans of one label never overlap or touch
        group.sort()
        assert all(a.end < b.start for a, b in itertools.pairwise(group))


def test_invalid_spans_are_refused_with_clear_messages() -> None:
    with pytest.raises(SpanError, match="negative"):
        Span(-1, 3)
    with pytest.raises(SpanError, match="before its start"):
        Span(5, 3)
    with pytest.raises(SpanError, match="outside"):
        Span(0, 1, score=1.5)
    with pytest.raises(SpanError, match="past the end"):
        Span(0, 10).text_of("short")


def test_document_metadata_is_frozen() -> None:
    doc = Document("d", "t", metadata={"outlet": "x"})
    with pytest.raises(TypeError):
        doc.metadata["outlet"] = "y"  # type: ignore[index]
