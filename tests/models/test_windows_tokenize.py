"""Token stream offsets and window planning (fake tokenizer; no model needed)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from spinscope.models.fake import fake_tokenizer_json
from spinscope.models.windows import MAX_CHUNK, plan_windows, tokenize, window_inputs

TOK = Tokenizer.from_str(fake_tokenizer_json())

ODD_TEXT = st.lists(
    st.sampled_from([*"ab cz.,!\n\r\t", "\ufeff", "\u0301", "😀", "ї", "é", "\u200b",
                     "\r\n", "traitors "]),
    max_size=120).map("".join)


@settings(max_examples=150, deadline=None)
@given(ODD_TEXT)
def test_offsets_index_the_stored_text(text: str) -> None:
    s = tokenize(TOK, text)
    assert len(s.ids) == len(s.starts) == len(s.ends) == len(s.boundary)
    assert np.all(s.starts <= s.ends)
    assert np.all((s.starts >= 0) & (s.ends <= len(text)))
    assert np.all(np.diff(s.starts) >= 0)
    for a, b in zip(s.starts, s.ends, strict=True):
        if b > a:
            piece = text[a:b]
            assert not piece[0].isspace() and piece[0] != "\ufeff"


def test_known_pieces_have_exact_offsets() -> None:
    text = "\ufeffThey are corrupt traitors.\r\nOur nation"
    s = tokenize(TOK, text)
    words = {text[a:b] for a, b in zip(s.starts, s.ends, strict=True)}
    assert {"corrupt", "traitors"} <= words


def test_long_line_is_chunked_without_losing_text() -> None:
    text = ("abc " * (MAX_CHUNK // 2)) + "corrupt"
    s = tokenize(TOK, text)
    assert text[s.starts[-1]:s.ends[-1]] == "corrupt"  # a whole known piece
    assert s.ends.max() == len(text)


def test_empty_and_blank_texts_give_no_tokens() -> None:
    assert len(tokenize(TOK, "")) == 0
    assert len(tokenize(TOK, " \n\r\n\t ")) == 0


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 400), st.integers(4, 40), st.data())
def test_windows_cover_every_token(n: int, size: int, data: st.DataObject) -> None:
    stride = data.draw(st.integers(0, size - 1))
    boundary = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    wins = plan_windows(n, boundary, size, stride)
    covered = np.zeros(n, dtype=int)
    for a, b in wins:
        assert 0 <= a < b <= n and b - a <= size
        covered[a:b] += 1
    assert covered.min() >= 1
    assert wins[0][0] == 0 and wins[-1][1] == n
    assert all(w2[0] > w1[0] for w1, w2 in itertools.pairwise(wins))


def test_window_inputs_add_special_tokens_and_pad() -> None:
    ids = np.arange(10, 20)
    x, m = window_inputs(ids, [(0, 5), (5, 8)])
    assert x.shape == (2, 7)
    assert x[0].tolist() == [0, 10, 11, 12, 13, 14, 2]
    assert x[1].tolist() == [0, 15, 16, 17, 2, 1, 1]
    assert m[1].tolist() == [1, 1, 1, 1, 1, 0, 0]
