"""The aligner: token runs to word-snapped character spans."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from spinscope.analyze.align import snap_to_words, token_runs, tokens_in
from spinscope.models.fake import fake_tokenizer_json
from spinscope.models.windows import tokenize

TOK = Tokenizer.from_str(fake_tokenizer_json())


def test_snap_grows_to_whole_words_and_trims_edges() -> None:
    text = "They are corrupt, really."
    assert snap_to_words(text, 11, 14) == (9, 16)  # inside "corrupt"
    assert snap_to_words(text, 8, 17) == (9, 16)  # leading space, trailing comma
    s, e = snap_to_words(text, 16, 18)  # comma and space only: empty
    assert s == e
    assert snap_to_words("cafe\u0301 bar", 0, 3) == (0, 5)  # combining mark stays in word


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*list("ab .,\n\r"), "́", "😀", "\ufeff"]),
               max_size=60), st.integers(0, 70), st.integers(0, 70))
def test_snap_stays_in_bounds(text: str, a: int, b: int) -> None:
    s, e = snap_to_words(text, min(a, b), max(a, b))
    assert 0 <= s <= e <= len(text)
    if e > s:
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert any(c.isalnum() for c in text[s:e])


def test_token_runs_follow_probabilities() -> None:
    text = "the corrupt traitors and the nation"
    s = tokenize(TOK, text)
    probs = np.zeros(len(s), dtype=np.float32)
    for i, (a, b) in enumerate(zip(s.starts, s.ends, strict=True)):
        if text[a:b] in ("corrupt", "traitors"):
            probs[i] = 0.9
    runs = token_runs(s, probs, 0.5, text)
    assert [(text[r.start:r.end], round(r.score, 2)) for r in runs] == [
        ("corrupt traitors", 0.9)]
    assert token_runs(s, probs, 0.95, text) == []


def test_token_runs_with_a_peak_need_one_confident_token() -> None:
    text = "the corrupt traitors and the nation"
    s = tokenize(TOK, text)
    probs = np.zeros(len(s), dtype=np.float32)
    for i, (a, b) in enumerate(zip(s.starts, s.ends, strict=True)):
        probs[i] = {"corrupt": 0.2, "traitors": 0.6, "nation": 0.2}.get(text[a:b], 0.0)
    # Hysteresis: "corrupt" (0.2) joins its confident neighbour; "nation" has no token at
    # the peak and is dropped.
    runs = token_runs(s, probs, 0.15, text, peak=0.5)
    assert [text[r.start:r.end] for r in runs] == ["corrupt traitors"]
    assert [text[r.start:r.end] for r in token_runs(s, probs, 0.15, text)] == [
        "corrupt traitors", "nation"]


def test_token_runs_can_stop_at_sentence_ends() -> None:
    text = "They lie. Liars all."
    s = tokenize(TOK, text)
    probs = np.full(len(s), 0.9, dtype=np.float32)
    assert [text[r.start:r.end] for r in token_runs(s, probs, 0.5, text)] == [
        "They lie. Liars all"]
    assert [text[r.start:r.end] for r in token_runs(s, probs, 0.5, text,
                                                    split_sentences=True)] == [
        "They lie", "Liars all"]


def test_token_runs_can_be_trimmed_to_their_core() -> None:
    text = "the corrupt traitors and the nation"
    s = tokenize(TOK, text)
    probs = np.zeros(len(s), dtype=np.float32)
    for i, (a, b) in enumerate(zip(s.starts, s.ends, strict=True)):
        probs[i] = {"corrupt": 0.7, "traitors": 0.9, "and": 0.3, "the": 0.2,
                    "nation": 0.2}.get(text[a:b], 0.0)
    wide = token_runs(s, probs, 0.15, text, peak=0.5)
    assert [text[r.start:r.end] for r in wide] == ["the corrupt traitors and the nation"]
    # core 0.5: the run keeps its tokens from the first to the last at >= 0.45 (0.5 x 0.9)
    core = token_runs(s, probs, 0.15, text, peak=0.5, core=0.5)
    assert [(text[r.start:r.end], round(r.score, 2)) for r in core] == [
        ("corrupt traitors", 0.8)]
    # A low dip inside the core stays in it (trimming only cuts the edges).
    probs[[i for i in range(len(s)) if text[s.starts[i]:s.ends[i]] == "nation"]] = 0.8
    assert [text[r.start:r.end] for r in token_runs(s, probs, 0.15, text, peak=0.5,
                                                    core=0.5)] == [
        "corrupt traitors and the nation"]
    assert token_runs(s, probs, 0.15, text, peak=0.5, core=0.0) == token_runs(
        s, probs, 0.15, text, peak=0.5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.floats(0.05, 0.9),
       st.floats(0, 1))
def test_core_runs_lie_inside_the_untrimmed_runs(probs: list[float], low: float,
                                                  core: float) -> None:
    text = " ".join(f"w{i}" for i in range(len(probs)))
    s = tokenize(TOK, text)
    p = np.array((probs * len(s))[:len(s)], dtype=np.float32)
    wide = token_runs(s, p, low, text)
    trimmed = token_runs(s, p, low, text, core=core)
    # Trimmed runs may no longer touch (so fewer merge), but each lies inside a wide run
    # and each wide run keeps at least one core.
    assert all(any(w.start <= t.start < t.end <= w.end for w in wide) for t in trimmed)
    assert all(any(w.start <= t.start < t.end <= w.end for t in trimmed) for w in wide)


def test_tokens_in_ignores_zero_width_tokens() -> None:
    text = "the corrupt nation"
    s = tokenize(TOK, text)
    idx = tokens_in(s, 4, 11)
    assert [text[s.starts[i]:s.ends[i]] for i in idx] == ["corrupt"]
