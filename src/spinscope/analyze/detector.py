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
from functools import cached_property
from pathlib import Path

import numpy as np

from spinscope.analyze.align import TokenRun, token_runs, tokens_in
from spinscope.analyze.segment import guess_lang, sentences
from spinscope.core.span import Span
from spinscope.models.runtime import OnnxTagger, TokenProbs, cached_tagger
from spinscope.models.tchead import TcHeads, span_features

log = logging.getLogger(__name__)

BLOCK_CHARS = 20_000
BLOCKS_PER_BATCH = 16


@dataclass(frozen=True)
class Block:
    """A slice ``[offset, offset + len(text))`` of text number ``index``."""

    index: int
    offset: int
    text: str

    @cached_property
    def lang(self) -> str:
        """The block's guessed language (``guess_lang``), computed once."""
        return guess_lang(self.text)


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
                 lang: str | None = None, tagger: OnnxTagger | None = None,
                 labelling: str | None = None) -> None:
        self.tagger = tagger or cached_tagger(str(bundle) if bundle else None, threads)
        self.bundle = self.tagger.bundle
        self.lang = lang
        thr = self.bundle.thresholds
        self._any = thr.get("any", 0.5)
        self._units = self.bundle.units
        self._covered = tuple(t for t in self._units[1:] if t in set(self.bundle.covered))
        self._thr = {t: thr.get(t, 1.0) for t in self._units[1:]}
        # Techniques decoded by their own unit ("units" labelling): calibrated ones only.
        self._unit_covered = tuple(t for t in self._units[1:] if self._thr[t] < 1.0)
        # Per-language overrides (e.g. uk/ru thresholds chosen on UNLP posts).
        self._thr_lang: dict[str, dict[str, float]] = self.bundle.manifest.get(
            "thresholds_by_language") or {}
        self._cache: tuple[str, list[tuple[Block, TokenProbs]]] | None = None
        self._decoding: dict[str, dict[str, float]] = self.bundle.manifest.get(
            "any_decoding") or {}
        info = self.bundle.manifest.get("tc_heads")
        self.heads = (TcHeads.load(self.bundle.path / info["file"])
                      if info and self.tagger.has_hidden else None)
        # Columns of the heads' classes that may be emitted (covered techniques only).
        named = set(info.get("covered", self._covered)) if info else set()
        self._head_ok = (np.array([c in named for c in self.heads.classes])
                         if self.heads else None)
        # How "any" spans get their technique, per language: "heads" or "units".
        self._labelling_by_lang: dict[str, str] = (
            {"default": labelling} if labelling else self.bundle.manifest.get("labelling")
            or {})
        # At most this many techniques per "any" span, per language (calibrated).
        self._max_labels: dict[str, int] = self.bundle.manifest.get("max_labels") or {}

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
                sents = sentences(b.text, self.lang or b.lang)
                bounds.append(np.array([s.end for s in sents], dtype=np.int64))
            res = self.tagger.token_probs([b.text for b in pending], bounds,
                                          hidden=self.heads is not None)
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

    def _any_runs(self, block: Block, r: TokenProbs) -> list[TokenRun]:
        """"Any persuasion" runs of a block, decoded as calibrated for its language."""
        low, peak = self._any, None
        if self._decoding:
            d = self._decoding.get(self.lang or block.lang,
                                   self._decoding.get("default"))
            if d:
                low, peak = d["low"], (d["peak"] if d["peak"] > d["low"] else None)
                return token_runs(r.stream, r.probs[:, 0], low, block.text, peak,
                                  bool(d.get("split_sentences", False)),
                                  float(d.get("core", 0.0)))
        return token_runs(r.stream, r.probs[:, 0], low, block.text, peak)

    def _spans(self, parts: list[tuple[Block, TokenProbs]], units: Sequence[str],
               labelled: bool) -> list[Span]:
        """Runs of each unit above its threshold (the "any" unit, or per technique, with
        the thresholds of the block's language)."""
        spans: list[Span] = []
        for block, r in parts:
            thr = self._thr
            if labelled and self._thr_lang:
                thr = {**thr, **self._thr_lang.get(self.lang or block.lang, {})}
            for unit in units:
                k = self._units.index(unit)
                if unit != "any" and thr[unit] >= 1.0:
                    continue
                runs = (self._any_runs(block, r) if unit == "any" else
                        token_runs(r.stream, r.probs[:, k], thr[unit], block.text))
                for run in runs:
                    spans.append(Span(block.offset + run.start, block.offset + run.end,
                                      unit if labelled else None,
                                      round(min(max(run.score, 0.0), 1.0), 4), self.version))
        spans.sort(key=lambda s: (s.start, s.end, s.label or ""))
        return spans

    def _head_scores(self, block: Block, r: TokenProbs, local: Sequence[Span],
                     idx: Sequence[np.ndarray]) -> np.ndarray:
        """The heads' class probabilities for spans of ``block`` (offsets local to it),
        non-covered classes zeroed."""
        assert self.heads is not None and self._head_ok is not None and r.hidden is not None
        feats = np.stack([span_features(r.probs[i], r.hidden[i]) for i in idx])
        lang = self.lang or block.lang
        p = self.heads.scores(block.text, local, feats, lang)
        return np.where(self._head_ok, p, 0.0)

    def _mode(self, block: Block) -> tuple[str, int]:
        """(labelling, max techniques per span) for the block's language."""
        lang = self.lang or block.lang
        k = int(self._max_labels.get(lang, self._max_labels.get("default", 99)))
        if not self._labelling_by_lang:
            return ("heads", 1) if self.heads is not None else ("independent", k)
        mode = self._labelling_by_lang.get(lang, self._labelling_by_lang.get("default"))
        return ("units" if mode == "units" or self.heads is None else "heads"), k

    def _unit_labels(self, block: Block, r: TokenProbs,
                     runs: Sequence[TokenRun]) -> list[list[str]]:
        """Per run, every calibrated technique unit whose maximum probability over the run
        reaches its threshold (for the block's language), widest margin first."""
        thr = {**self._thr, **self._thr_lang.get(self.lang or block.lang, {})}
        techs = [t for t in self._unit_covered if thr[t] < 1.0]
        cols = [self._units.index(t) for t in techs]
        limits = np.array([thr[t] for t in techs])
        out: list[list[str]] = []
        for run in runs:
            if not techs:
                out.append([])
                continue
            ratio = r.probs[run.a:run.b, cols].max(axis=0) / limits
            order = np.argsort(-ratio, kind="stable")
            out.append([techs[j] for j in order if ratio[j] >= 1.0])
        return out

    def _labelled(self, parts: list[tuple[Block, TokenProbs]], mode: str | None = None,
                  max_labels: int | None = None) -> list[Span]:
        """Technique spans: every "any" span named by the classification heads (``heads``:
        their most probable techniques) or by the technique units (``units``: units
        reaching their threshold on the span, widest margin first), at most ``max_labels``
        per span (techniques may overlap), as the manifest's ``labelling`` and
        ``max_labels`` say for the block's language (or as given); the score is the span's
        "any" probability. Bundles without a labelling choice decode each technique unit
        on its own (``independent``)."""
        spans: list[Span] = []
        for block, r in parts:
            chosen, k = self._mode(block)
            mode_here = mode or chosen
            k = max_labels or k
            if mode_here == "independent" or not self._covered:
                spans.extend(self._spans([(block, r)], self._unit_covered, True))
                continue
            runs = self._any_runs(block, r)
            if not runs:
                continue
            if mode_here == "heads" and self.heads is not None:
                local = [Span(run.start, run.end) for run in runs]
                p = self._head_scores(block, r, local, [np.arange(x.a, x.b) for x in runs])
                labels = [[self.heads.classes[j] for j in np.argsort(-row, kind="stable")
                           if row[j] > 0] for row in p]
            else:
                labels = self._unit_labels(block, r, runs)
            for run, names in zip(runs, labels, strict=True):
                for label in names[:k]:
                    spans.append(Span(block.offset + run.start, block.offset + run.end,
                                      label, round(min(max(run.score, 0.0), 1.0), 4),
                                      self.version))
        spans.sort(key=lambda s: (s.start, s.end, s.label or ""))
        return spans

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        """Technique spans of each text (see ``_labelled``)."""
        return [self._labelled(p) for p in self._probs(texts)]

    def identify(self, texts: Sequence[str]) -> list[list[Span]]:
        """Unlabelled "any persuasion" spans."""
        return [self._spans(p, ["any"], False) for p in self._probs(texts)]

    def detect_all(self, texts: Sequence[str]) -> list[tuple[list[Span], list[Span]]]:
        """(technique spans, "any" spans) per text from one model pass."""
        out = []
        for p in self._probs(texts):
            out.append((self._labelled(p), self._spans(p, ["any"], False)))
        return out

    def classify(self, text: str, spans: Sequence[Span]) -> list[str]:
        """One covered technique per span: the bundle's classification heads when it has
        them, else the highest mean probability over the span's tokens."""
        if not self._covered:
            return []
        if self._cache is None or self._cache[0] != text:
            self._cache = (text, self._probs([text])[0])
        parts = self._cache[1]
        cols = [self._units.index(t) for t in self._covered]
        out: list[str] = []
        for sp in spans:
            best: tuple[int, np.ndarray, Block, TokenProbs] | None = None
            for block, r in parts:  # the block holding most of the span's tokens
                lo, hi = sp.start - block.offset, sp.end - block.offset
                if hi <= 0 or lo >= len(block.text) or not len(r.stream):
                    continue
                idx = tokens_in(r.stream, lo, hi)
                if not len(idx):
                    centre = (lo + hi) / 2
                    idx = np.array([int(np.argmin(np.abs(r.stream.starts - centre)))])
                if best is None or len(idx) > best[0]:
                    best = (len(idx), idx, block, r)
            if best is None:
                out.append(self._covered[0])
                continue
            _, idx, block, r = best
            if self.heads is not None:
                local = Span(max(sp.start - block.offset, 0),
                             min(sp.end - block.offset, len(block.text)))
                row = self._head_scores(block, r, [local], [idx])[0]
                out.append(self.heads.classes[int(np.argmax(row))])
            else:
                out.append(self._covered[int(np.argmax(r.probs[idx][:, cols].mean(axis=0)))])
        return out
