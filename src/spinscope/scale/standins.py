"""A model-cost stand-in for scaling benchmarks: the packaged e5-small embedder over the text.

``EmbedderAnalyser`` runs the events embedder (multilingual e5-small, int8 ONNX, the same
backbone as the detector) over every ~600-character piece of each text and reports no spans.
Its cost grows with text length like the detector's, so worker scaling measured with it
carries over; its absolute speed is not the detector's (shorter sequences, no decoding).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spinscope.analyze.analyser import ModelInfo, paragraph_results
from spinscope.core.analysis import Analysis

__all__ = ["EmbedderAnalyser", "EmbedderFactory", "text_pieces"]

STANDIN_INFO = ModelInfo("embedder-standin", "standin-e5-small-events", ())
PIECE_CHARS = 600  # about 128 tokens of news prose, the embedder's window


def text_pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Consecutive pieces of at most ``size`` characters, cut at whitespace where possible."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut if cut > start else end
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces


class EmbedderAnalyser:
    """Embeds every piece of every text (model cost), returns analyses without spans."""

    def __init__(self, threads: int = 1):
        from spinscope.events.embed import OnnxEmbedder

        self.embedder = OnnxEmbedder(threads=threads, batch_size=8)
        self._info = STANDIN_INFO

    @property
    def info(self) -> ModelInfo:
        return self._info

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        pieces = [p for t in texts for p in text_pieces(t)]
        self.embedder.embed(pieces)
        return [Analysis(t, (), paragraph_results(t, ()), self._info.model, self._info.version)
                for t in texts]


@dataclass(frozen=True)
class EmbedderFactory:
    """Picklable factory for ``EmbedderAnalyser`` (one embedder load per worker)."""

    threads: int = 1

    def info(self) -> ModelInfo:
        return STANDIN_INFO

    def __call__(self) -> EmbedderAnalyser:
        return EmbedderAnalyser(self.threads)
