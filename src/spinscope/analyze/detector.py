"""``SpanDetector``: the ONNX model bundle behind the ``Predictor`` protocol.

Long texts are cut into blocks of at most ``BLOCK_CHARS`` characters at line breaks (or
whitespace), so memory stays bounded whatever the input size; each block is segmented into
sentences (to place window cuts), tokenised, run through the model in length-sorted batches
and decoded into spans whose offsets are shifted back into the full text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spinscope.analyze.align import token_runs, tokens_in
from spinscope.analyze.segment import guess_lang, sentences
from spinscope.core.span import Span
from spinscope.models.runtime import OnnxTagger, TokenProbs, cached_tagger
from spinscope.models.tchead import head_scores

log = logging.getLogger(__name__)

BLOCK_CHARS = 20_000
BLOCKS_PER_BATCH = 16


@dataclass(frozen=True)
class Block:
    """A slice ``[offset, offset + len(text))`` of text number ``index``."""

    index: int
    offset: int
    text: str


def blocks(index: int, text: str, size: int = BLOCK_CHARS) -> Iterator[Block]:
    """Cut ``text`` into blocks at line breaks, else at whitespace, else anywhere."""
    pos, n = 0, len(text)
    while pos < n:
        end = min(pos + size, n)
        if end < n:
            cut = text.rfind("\n", pos + size // 2, end)
            if cut < 0:
                cut = text.rfind(" ", pos + size // 2, end)
            end = cut + 1 if cut >= 0 else end
        yield Block(index, pos, text[pos:end])
        pos = end


class SpanDetector:
    """Persuasion-technique spans from a model bundle (implements ``Predictor``)."""

    def __init__(self, bundle: str | Path | None = None, threads: int = 0,
                 lang: str | None = None, tagger: OnnxTagger | None = None) -> None:
        self.tagger = tagger or cached_tagger(str(bundle) if bundle else None, threads)
        self.bundle = self.tagger.bundle
        self.lang = lang
        thr = self.bundle.thresholds
        self._any = thr.get("any", 0.5)
        self._units = self.bundle.units
        self._covered = tuple(t for t in self._units[1:] if t in set(self.bundle.covered))
        self._thr = {t: thr.get(t, 1.0) for t in self._covered}
        self._cache: tuple[str, list[tuple[Block, TokenProbs]]] | None = None

    @property
    def name(self) -> str:
        return self.bundle.name

    @property
    def version(self) -> str:
        return self.bundle.version

    @property
    def techniques(self) -> tuple[str, ...]:
        return self._covered

    def _probs(self, texts: Sequence[str]) -> list[list[tuple[Block, TokenProbs]]]:
        """Token probabilities of every block of every text."""
        out: list[list[tuple[Block, TokenProbs]]] = [[] for _ in texts]
        pending: list[Block] = []

        def flush() -> None:
            bounds = []
            for b in pending:
                sents = sentences(b.text, self.lang or guess_lang(b.text))
                bounds.append(np.array([s.end for s in sents], dtype=np.int64))
            res = self.tagger.token_probs([b.text for b in pending], bounds)
            for b, r in zip(pending, res, strict=True):
                out[b.index].append((b, r))
            pending.clear()

        for i, text in enumerate(texts):
            for b in blocks(i, text):
                pending.append(b)
                if len(pending) >= BLOCKS_PER_BATCH:
                    flush()
        if pending:
            flush()
        return out

    def _spans(self, parts: list[tuple[Block, TokenProbs]], units: Sequence[str],
               labelled: bool) -> list[Span]:
        spans: list[Span] = []
        for block, r in parts:
            for unit in units:
                k = self._units.index(unit)
                thr = self._any if unit == "any" else self._thr[unit]
                for run in token_runs(r.stream, r.probs[:, k], thr, block.text):
                    spans.append(Span(block.offset + run.start, block.offset + run.end,
                                      unit if labelled else None,
                                      round(min(max(run.score, 0.0), 1.0), 4), self.version))
        spans.sort(key=lambda s: (s.start, s.end, s.label or ""))
        return spans

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        """Labelled spans of every covered technique above its threshold."""
        return [self._spans(p, self._covered, True) for p in self._probs(texts)]

    def identify(self, texts: Sequence[str]) -> list[list[Span]]:
        """Unlabelled "any persuasion" spans."""
        return [self._spans(p, ["any"], False) for p in self._probs(texts)]

    def detect_all(self, texts: Sequence[str]) -> list[tuple[list[Span], list[Span]]]:
        """(technique spans, "any" spans) per text from one model pass."""
        out = []
        for p in self._probs(texts):
            out.append((self._spans(p, self._covered, True), self._spans(p, ["any"], False)))
        return out

    def classify(self, text: str, spans: Sequence[Span]) -> list[str]:
        """One covered technique per span: the bundle's stacked head when it has one, else
        the highest mean probability over the span's tokens."""
        if not self._covered:
            return []
        if self._cache is None or self._cache[0] != text:
            self._cache = (text, self._probs([text])[0])
        parts = self._cache[1]
        cols = [self._units.index(t) for t in self._covered]
        head = self.bundle.manifest.get("tc_head")
        out = []
        for sp in spans:
            rows = []
            for block, r in parts:
                lo, hi = sp.start - block.offset, sp.end - block.offset
                if hi <= 0 or lo >= len(block.text) or not len(r.stream):
                    continue
                idx = tokens_in(r.stream, lo, hi)
                if not len(idx):
                    centre = (lo + hi) / 2
                    idx = np.array([int(np.argmin(np.abs(r.stream.starts - centre)))])
                rows.append(r.probs[idx])
            probs = np.concatenate(rows) if rows else np.zeros((1, len(self._units)))
            if head:  # stacked head fitted on the calibration hold-out (models.tchead)
                scores = head_scores(head, probs)
                out.append(max(scores, key=lambda t: scores[t]))
            else:
                out.append(self._covered[int(np.argmax(probs[:, cols].mean(axis=0)))])
        return out
