"""Highlight segments: invariants over arbitrary texts and overlapping spans (hypothesis)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from spinscope.core.analysis import ParagraphResult
from spinscope.core.span import Span
from spinscope.web.segments import blocks, flat_segments, segment_blocks

# Texts with the characters that break offset code: emoji, CRLF, BOM, combining marks.
ALPHABET = st.sampled_from([*"ab c\n\r\t.", "\ufeff", "😀", "й", "и\u0306", "\u0301",
                            "\u00a0", "—"])
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = draw(TEXTS)
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        a = draw(st.integers(0, n + 3))  # may run past the end: must be clipped
        b = draw(st.integers(a, n + 5))
        spans.append(Span(a, b, draw(st.sampled_from(["Doubt", "Loaded_Language", None])),
                          draw(st.none() | st.floats(0, 1))))
    return text, spans


@settings(max_examples=300, deadline=None)
@given(text_and_spans(), st.data())
def test_segments_tile_the_range_and_list_exactly_the_covering_spans(
        case: tuple[str, list[Span]], data: st.DataObject) -> None:
    text, spans = case
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text) + 2))
    segs = flat_segments(text, spans, lo, hi)
    stop = min(hi, len(text))
    assert "".join(s.text for s in segs) == text[lo:stop]
    pos = lo
    for seg in segs:
        assert seg.start == pos and seg.end > seg.start
        assert seg.text == text[seg.start:seg.end]
        covering = tuple(i for i, s in enumerate(spans)
                         if s.start <= seg.start and seg.end <= s.end)
        assert seg.spans == covering
        for i, s in enumerate(spans):  # a span either covers a segment or misses it wholly
            if i not in seg.spans and not s.empty:
                assert s.end <= seg.start or s.start >= seg.end
        pos = seg.end
    assert pos == max(lo, stop) or not segs
    for a, b in pairwise(segs):
        assert a.spans != b.spans  # maximal: no needless cuts


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=6))
def test_blocks_cover_every_visible_character_once(text: str,
                                                   bounds: list[tuple[int, int]]) -> None:
    paras = [ParagraphResult(i, min(a, b), max(a, b), ()) for i, (a, b) in enumerate(bounds)]
    found = blocks(text, paras)
    covered = [0] * len(text)
    last_end = 0
    for b in found:
        assert b.start >= last_end and b.end <= len(text) and b.start < b.end
        last_end = b.end
        for i in range(b.start, b.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        assert covered[i] <= 1
        if covered[i] == 0:
            assert ch.isspace(), f"visible character {ch!r} at {i} dropped"


def test_overlapping_and_nested_spans() -> None:
    text = "The so-called reform is a disaster."
    spans = [Span(4, 20, "Doubt"), Span(14, 34, "Loaded_Language"), Span(26, 34, "Exaggeration")]
    segs = flat_segments(text, spans)
    assert [(s.text, s.spans) for s in segs] == [
        ("The ", ()), ("so-called ", (0,)), ("reform", (0, 1)), (" is a ", (1,)),
        ("disaster", (1, 2)), (".", ())]


def test_segment_blocks_split_spans_across_paragraphs() -> None:
    text = "one two\n\nthree four"
    paras = [ParagraphResult(0, 0, 7, ()), ParagraphResult(1, 9, 19, ())]
    out = segment_blocks(text, paras, [Span(4, 14, "Doubt")])
    assert [[(s.text, s.spans) for s in b.segments] for b in out] == [
        [("one ", ()), ("two", (0,))], [("three", (0,)), (" four", ())]]


def test_empty_inputs() -> None:
    assert flat_segments("", [Span(0, 0, "Doubt")]) == []
    assert flat_segments("abc", [Span(1, 1, "Doubt")])[0].spans == ()
    assert blocks("   \n ", []) == []
    assert [(b.start, b.end, b.paragraph) for b in blocks("stray text", [])] == [(0, 10, None)]
