"""The aligner: token probabilities to character spans of the stored text.

Token offsets (from ``models.windows.tokenize``) already index the stored text. A span is a
run of consecutive tokens whose probability reaches the threshold (zero-width tokens
neither start nor break a run); its character range runs from the first token's start to
the last token's end and is then snapped to word boundaries: a span that starts or ends
inside a word grows to the whole word, and never starts or ends on whitespace.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from spinscope.models.windows import TokenStream

# Never at the edge of a span (the PTC v2 convention): whitespace and these.
_EDGE_TRIM = frozenset(".,:;\ufeff\u200b")


def _is_word(ch: str) -> bool:
    # Letters, digits, apostrophes and combining marks all belong to a word.
    return ch.isalnum() or ch in "_'’" or unicodedata.category(ch).startswith("M")


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to whole words; trim whitespace and ``.,:;`` at both ends.

    A range without any letter or digit collapses to an empty span at ``start``.
    """
    n = len(text)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    while start < end and (text[start].isspace() or text[start] in _EDGE_TRIM):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_TRIM):
        end -= 1
    if start >= end or not any(c.isalnum() for c in text[start:end]):
        return start, start
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < n and _is_word(text[end]) and _is_word(text[end - 1]):
        end += 1
    return start, end


@dataclass(frozen=True, slots=True)
class TokenRun:
    """Tokens ``[a, b)`` above threshold, their character range and mean score."""

    a: int
    b: int
    start: int
    end: int
    score: float


def token_runs(stream: TokenStream, probs: np.ndarray, threshold: float,
               text: str, peak: float | None = None,
               split_sentences: bool = False, core: float = 0.0) -> list[TokenRun]:
    """Runs of tokens with ``probs >= threshold``, as snapped character spans.

    ``peak`` (hysteresis): keep only runs holding at least one token with
    ``probs >= peak``, so a span needs one confident token and then extends over its
    less confident neighbours down to ``threshold``. ``split_sentences``: a run also ends
    after a token that ends a sentence or line (``stream.boundary``). ``core`` (0-1): each
    run is then trimmed to its confident core, from its first to its last token with
    ``probs >= max(threshold, core * the run's highest prob)``: the model's spans are
    right about where persuasion is but run wider than the annotated phrase.
    """
    real = stream.ends > stream.starts
    hot = (probs >= threshold) & real
    out: list[TokenRun] = []
    n = len(stream)
    i = 0
    while i < n:
        if not hot[i]:
            i += 1
            continue
        j = i + 1
        last = i
        while j < n and (hot[j] or not real[j]):
            if split_sentences and stream.boundary[last]:
                break
            if hot[j]:
                last = j
            j += 1
        top = float(probs[i:last + 1].max())
        if peak is not None and top < peak:
            i = last + 1
            continue
        a, b = i, last
        if core > 0.0:
            seg, ok = probs[i:last + 1], real[i:last + 1]
            inside = np.nonzero((seg >= max(threshold, core * float(seg[ok].max()))) & ok)[0]
            a, b = i + int(inside[0]), i + int(inside[-1])
        start, end = snap_to_words(text, int(stream.starts[a]), int(stream.ends[b]))
        if end > start:
            sel = probs[a:b + 1][real[a:b + 1]]
            out.append(TokenRun(a, b + 1, start, end, float(sel.mean())))
        i = last + 1
    return _merge_touching(out)


def _merge_touching(runs: list[TokenRun]) -> list[TokenRun]:
    """Runs that overlap after snapping (split words) become one."""
    out: list[TokenRun] = []
    for r in runs:
        if out and r.start <= out[-1].end:
            p = out[-1]
            w1, w2 = p.b - p.a, r.b - r.a
            out[-1] = TokenRun(p.a, r.b, p.start, max(p.end, r.end),
                               (p.score * w1 + r.score * w2) / (w1 + w2))
        else:
            out.append(r)
    return out


def tokens_in(stream: TokenStream, start: int, end: int) -> np.ndarray:
    """Indices of the real tokens overlapping ``[start, end)``."""
    inside = (stream.starts < end) & (stream.ends > start) & (stream.ends > stream.starts)
    return np.flatnonzero(inside)
