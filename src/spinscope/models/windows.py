"""Tokenise a stored text into one token stream with exact character offsets, and cut it
into model windows.

Shared by training and inference so both see the same tokenisation. Only tokenizers and
numpy are used. The text is tokenised line by line (chunks of at most ``MAX_CHUNK``
characters, cut at whitespace), which bounds memory on huge texts and keeps every offset an
index into the stored text, whatever it contains (BOM, CRLF, emoji, combining marks).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

BOS_ID, PAD_ID, EOS_ID = 0, 1, 2
MAX_CHUNK = 2000  # characters per tokenizer call
_LINE = re.compile(r"[^\r\n]+")
_INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u2060")
_SENT_END = frozenset(".!?…;:»\"”)")


@dataclass(frozen=True)
class TokenStream:
    """Tokens of one text: ids, ``[start, end)`` code-point offsets, sentence-end flags."""

    ids: np.ndarray  # int64 (n,)
    starts: np.ndarray  # int64 (n,)
    ends: np.ndarray  # int64 (n,)
    boundary: np.ndarray  # bool (n,): a window may end after this token

    def __len__(self) -> int:
        return len(self.ids)


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) for each line, long lines cut at whitespace into <= MAX_CHUNK."""
    for m in _LINE.finditer(text):
        start, line = m.start(), m.group()
        while len(line) > MAX_CHUNK:
            cut = line.rfind(" ", MAX_CHUNK // 2, MAX_CHUNK)
            cut = MAX_CHUNK if cut <= 0 else cut + 1
            yield start, line[:cut]
            start, line = start + cut, line[cut:]
        if line.strip():
            yield start, line


def _piece_offsets(enc: Any, chunk: str) -> tuple[list[int], list[int], list[int]]:
    ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for tid, (s, e) in zip(enc.ids, enc.offsets, strict=True):
        # Metaspace pieces may include the preceding space; keep offsets on visible text.
        while s < e and (chunk[s].isspace() or chunk[s] in _INVISIBLE):
            s += 1
        if e <= s:  # a bare "▁" piece carries no text: zero width, never labelled
            s = e = min(s, e) if not ends else max(min(s, e), ends[-1])
        ids.append(tid)
        starts.append(s)
        ends.append(e)
    return ids, starts, ends


def tokenize(tokenizer: Any, text: str, batch: int = 64) -> TokenStream:
    """Tokenise ``text`` (no special tokens) into one stream with offsets into ``text``."""
    ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    bound: list[bool] = []
    pending: list[tuple[int, str]] = []

    def flush() -> None:
        encs = tokenizer.encode_batch([c for _, c in pending], add_special_tokens=False)
        for (off, chunk), enc in zip(pending, encs, strict=True):
            i, s, e = _piece_offsets(enc, chunk)
            if not i:
                continue
            ids.extend(i)
            starts.extend(x + off for x in s)
            ends.extend(x + off for x in e)
            b = [bool(chunk[x - 1] in _SENT_END) if x > 0 else False for x in e]
            b[-1] = True  # end of a line is always a good place to cut
            bound.extend(b)
        pending.clear()

    for item in _chunks(text):
        pending.append(item)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return TokenStream(np.asarray(ids, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                       np.asarray(ends, dtype=np.int64), np.asarray(bound, dtype=bool))


def plan_windows(n: int, boundary: np.ndarray, size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of at most ``size`` tokens covering ``0..n``.

    Each window ends after a sentence boundary when one lies in its second half; the next
    window starts ``stride`` tokens before that end (``stride`` = overlap, 0 for training).
    """
    if n <= 0:
        return []
    if size <= stride:
        raise ValueError("window size must exceed the overlap")
    out: list[tuple[int, int]] = []
    a = 0
    while True:
        b = min(a + size, n)
        if b < n:
            half = a + size // 2
            cand = np.flatnonzero(boundary[half:b])
            if len(cand):
                b = half + int(cand[-1]) + 1
        out.append((a, b))
        if b >= n:
            return out
        a = max(b - stride, a + 1)


def window_inputs(ids: np.ndarray, windows: list[tuple[int, int]]) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """Padded ``input_ids`` and ``attention_mask`` (with <s>, </s>) for the windows."""
    width = max(b - a for a, b in windows) + 2
    x = np.full((len(windows), width), PAD_ID, dtype=np.int64)
    m = np.zeros((len(windows), width), dtype=np.int64)
    for r, (a, b) in enumerate(windows):
        k = b - a
        x[r, 0] = BOS_ID
        x[r, 1:k + 1] = ids[a:b]
        x[r, k + 1] = EOS_ID
        m[r, :k + 2] = 1
    return x, m
