"""Lines (SemEval-2023 paragraphs) and tokens keep offsets into the stored text."""

from __future__ import annotations

from spinscope.baselines.segments import line_labels, split_lines, tokenize
from spinscope.core.span import Span


def test_lines_number_from_one_and_drop_cr() -> None:
    text = "\ufeffTitle\r\n\r\nFirst one.\r\nSecond\n"
    lines = split_lines(text)
    assert [ln.number for ln in lines] == [1, 2, 3, 4, 5]
    assert [ln.text_of(text) for ln in lines] == ["\ufeffTitle", "", "First one.", "Second", ""]
    assert lines[0].stripped(text) == (1, 6)
    assert [ln.is_blank(text) for ln in lines] == [False, True, False, False, True]


def test_line_labels_use_overlap() -> None:
    text = "aa bb\ncc dd\nee"
    lines = split_lines(text)
    spans = [Span(3, 8, "Doubt"), Span(12, 14, "Slogans"), Span(5, 6, None)]
    assert line_labels(lines, spans) == [{"Doubt"}, {"Doubt"}, {"Slogans"}]


def test_tokens_have_offsets() -> None:
    text = "It's a well-known «fact»!"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["It's", "a", "well-known", "«", "fact", "»", "!"]
    assert all(text[t.start : t.end] == t.text for t in toks)
