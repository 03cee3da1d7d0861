"""``baseline-tfidf``: sparse n-gram features and logistic regression, trained on PTC train.

* ``identify``: a token tagger. Each word token gets hashed features of itself, its
  neighbours (two each side), its bigrams and the words of its line; logistic regression
  gives the probability that the token is inside a propaganda span. Runs of tokens above
  ``threshold`` (gaps of up to ``max_gap`` tokens bridged, never across lines) become spans.
  The regression is fitted by SGD (logistic loss, fixed seed): seconds instead of minutes.
  The threshold is chosen on a held-out tenth of the *training* articles, never on dev.
* ``classify``: TF-IDF word 1-2-grams and char 2-4-grams of the span, word unigrams of its
  line, and a few numbers (length, how often the span's words recur in the article: the
  Repetition cue), one-vs-rest logistic regression over PTC's 14 classes.
* ``detect``: ``identify`` then ``classify``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.multiclass import OneVsRestClassifier

from spinscope.baselines.labels import emitted_techniques, ptc_to_technique
from spinscope.baselines.segments import Token, split_lines, tokenize
from spinscope.core.span import Span

__all__ = ["SpanClassifier", "TfidfBaseline", "TokenTagger"]

log = logging.getLogger(__name__)

VERSION = "1"
HASH_FEATURES = 2**20


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "AA"
    if word[:1].isupper():
        return "Aa"
    if word.isdigit():
        return "0"
    if not word[:1].isalnum():
        return "p"
    return "a"


def token_features(text: str) -> tuple[list[Token], list[list[str]]]:
    """Tokens of ``text`` and, for each, its string features (window, bigrams, line words)."""
    all_tokens: list[Token] = []
    feats: list[list[str]] = []
    for line in split_lines(text):
        toks = tokenize(text, line.start, line.end)
        if not toks:
            continue
        words = [t.text.lower() for t in toks]
        line_words = [f"L={w}" for w in set(words) if w[:1].isalnum()]
        n = len(toks)
        pad = ["<s>", "<s>", *words, "</s>", "</s>"]  # pad[i + 2] is token i
        for i, tok in enumerate(toks):
            p2, p1, w0, n1, n2 = pad[i : i + 5]
            f = [f"w={w0}", f"w-1={p1}", f"w+1={n1}", f"w-2={p2}", f"w+2={n2}",
                 f"b-={p1}|{w0}", f"b+={w0}|{n1}",
                 f"s={_shape(tok.text)}", f"pos={min(i, 5)}", f"len={min(n // 10, 6)}"]
            f.extend(line_words)
            all_tokens.append(tok)
            feats.append(f)
    return all_tokens, feats


@dataclass
class TokenTagger:
    """Token-level propaganda tagger (span identification)."""

    model: SGDClassifier
    threshold: float = 0.5
    max_gap: int = 1

    def probabilities(self, text: str) -> tuple[list[Token], np.ndarray]:
        tokens, feats = token_features(text)
        if not tokens:
            return tokens, np.zeros(0)
        x = FeatureHasher(HASH_FEATURES, input_type="string").transform(feats)
        return tokens, self.model.predict_proba(x)[:, 1]

    def spans(self, text: str, threshold: float | None = None) -> list[tuple[int, int, float]]:
        """``(start, end, mean probability)`` of each predicted span."""
        tokens, probs = self.probabilities(text)
        return runs_to_spans(text, tokens, probs,
                             self.threshold if threshold is None else threshold, self.max_gap)


def runs_to_spans(text: str, tokens: Sequence[Token], probs: np.ndarray, threshold: float,
                  max_gap: int) -> list[tuple[int, int, float]]:
    """Merge runs of tokens with probability >= threshold into spans, within one line."""
    out: list[tuple[int, int, float]] = []
    cur: list[int] = []
    gap = 0
    for i, tok in enumerate(tokens):
        newline = bool(cur) and "\n" in text[tokens[cur[-1]].end : tok.start]
        if newline:
            out.append(_close(tokens, probs, cur))
            cur, gap = [], 0
        if probs[i] >= threshold:
            cur.append(i)
            gap = 0
        elif cur:
            gap += 1
            if gap > max_gap:
                out.append(_close(tokens, probs, cur))
                cur, gap = [], 0
    if cur:
        out.append(_close(tokens, probs, cur))
    return out


def _close(tokens: Sequence[Token], probs: np.ndarray, idx: list[int]) -> tuple[int, int, float]:
    first, last = idx[0], idx[-1]
    return tokens[first].start, tokens[last].end, float(np.mean(probs[first : last + 1]))


@dataclass
class SpanClassifier:
    """Technique classifier for given spans (PTC classes)."""

    word: TfidfVectorizer
    char: TfidfVectorizer
    context: TfidfVectorizer
    model: OneVsRestClassifier

    def features(self, text: str, spans: Sequence[Span]) -> sparse.csr_matrix:
        return span_matrix(self.word, self.char, self.context, text, spans, fit=False)

    def predict(self, text: str, spans: Sequence[Span]) -> list[str]:
        if not spans:
            return []
        return [str(c) for c in self.model.predict(self.features(text, spans))]


def span_inputs(text: str, spans: Sequence[Span]) -> tuple[list[str], list[str], np.ndarray]:
    """Span texts, their line texts and numeric features (length, repetition, punctuation)."""
    lines = split_lines(text)
    lower = text.lower()
    words_count: dict[str, int] = {}
    for tok in tokenize(lower):
        words_count[tok.text] = words_count.get(tok.text, 0) + 1
    span_texts, contexts, nums = [], [], []
    for s in spans:
        st = text[s.start : s.end]
        span_texts.append(st)
        line = next((ln for ln in lines if ln.start <= s.start <= ln.end), lines[-1])
        contexts.append(text[line.start : max(line.end, s.end)])
        occurrences = lower.count(st.lower()) if st.strip() else 0
        words = [t.text for t in tokenize(st.lower()) if t.text[:1].isalnum()]
        recurring = (sum(1 for w in words if words_count.get(w, 0) > 1) / len(words)
                     if words else 0.0)
        nums.append([math.log1p(len(st)), math.log1p(len(words)), math.log1p(occurrences - 1)
                     if occurrences > 1 else 0.0, recurring, float("!" in st), float("?" in st),
                     float(st[:1] in "\"“'‘«"), float(st.isupper())])
    return span_texts, contexts, np.array(nums, dtype=float).reshape(len(spans), 8)


def span_matrix(word: TfidfVectorizer, char: TfidfVectorizer, context: TfidfVectorizer,
                text: str, spans: Sequence[Span], fit: bool = False) -> sparse.csr_matrix:
    span_texts, contexts, nums = span_inputs(text, spans)
    return _stack(word, char, context, span_texts, contexts, nums, fit)


def _stack(word: TfidfVectorizer, char: TfidfVectorizer, context: TfidfVectorizer,
           span_texts: list[str], contexts: list[str], nums: np.ndarray,
           fit: bool) -> sparse.csr_matrix:
    if fit:
        parts = [word.fit_transform(span_texts), char.fit_transform(span_texts),
                 0.5 * context.fit_transform(contexts)]
    else:
        parts = [word.transform(span_texts), char.transform(span_texts),
                 0.5 * context.transform(contexts)]
    return sparse.hstack([*parts, sparse.csr_matrix(nums)], format="csr")


class TfidfBaseline:
    """Token tagger + span classifier behind the ``Predictor`` protocol."""

    def __init__(self, tagger: TokenTagger, classifier: SpanClassifier,
                 fingerprint: str = "") -> None:
        self.tagger = tagger
        self.classifier = classifier
        self.fingerprint = fingerprint

    @property
    def name(self) -> str:
        return "baseline-tfidf"

    @property
    def version(self) -> str:
        suffix = f"+{self.fingerprint[:8]}" if self.fingerprint else ""
        return f"baseline-tfidf-{VERSION}{suffix}"

    @property
    def techniques(self) -> tuple[str, ...]:
        return emitted_techniques(str(c) for c in self.classifier.model.classes_)

    def identify(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[Span(s, e, None, p, self.version) for s, e, p in self.tagger.spans(t)]
                for t in texts]

    def classify(self, text: str, spans: Sequence[Span]) -> list[str]:
        return [ptc_to_technique(c) for c in self.classifier.predict(text, spans)]

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for text, spans in zip(texts, self.identify(texts), strict=True):
            if not spans:
                out.append([])
                continue
            probs = self.classifier.model.predict_proba(self.classifier.features(text, spans))
            classes = [str(c) for c in self.classifier.model.classes_]
            labelled = []
            for s, row in zip(spans, probs, strict=True):
                j = int(np.argmax(row))
                score = min(1.0, float(row[j]) * (s.score if s.score is not None else 1.0))
                labelled.append(Span(s.start, s.end, ptc_to_technique(classes[j]), score,
                                     self.version))
            out.append(labelled)
        return out
